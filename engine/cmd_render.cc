// `trustrules render [--rules PATH] [--format md|html] [--out FILE] [--store FILE]`:
// the ruleset as a board paper (render.h), with its approval status read from the
// history store (governance.h: --store, else .trustrules/history.db beside the
// root file; no store means a draft). Exit 0, 1 rule errors or unreadable store, 2 usage.
#include "approval.h"
#include "command.h"
#include "content_hash.h"
#include "eval_run.h"
#include "governance.h"
#include "render.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace tr::cli {

namespace {

struct RenderOptions {
  std::string rules = "rules/trust.rules";
  std::string format = "md";
  std::string out;
  std::string store;
};

int run_render(const RenderOptions& o) {
  std::unique_ptr<Ruleset> rs;
  std::string messages;
  int rc = load_checked_ruleset(o.rules, rs, messages);
  if (rc != 0) {
    std::fputs(messages.c_str(), stderr);
    return rc;
  }
  RenderMeta meta;
  meta.approval = "DRAFT — not approved";
  ContentHash h = content_hash(*rs);
  if (h.ok()) meta.content_hash = h.hash;
  std::string path = o.store.empty() ? default_store_path(rs->root_path) : o.store;
  std::error_code ec;
  if (h.ok() && std::filesystem::exists(path, ec)) {
    try {
      Store store(path, Store::Options{.read_only = true});
      if (auto a = find_approval(store, h.hash)) {
        meta.approved = true;
        meta.approval = "Approved by " + a->approved_by + " on " + a->approved_on +
                        (a->minute.empty() ? "" : " (minute " + a->minute + ")");
      }
    } catch (const StoreError& e) {
      std::fprintf(stderr, "trustrules render: error: %s\n", e.what());
      return kFailed;
    }
  }
  std::string text = o.format == "html" ? render_html(*rs, meta) : render_markdown(*rs, meta);
  if (o.out.empty()) {
    std::fputs(text.c_str(), stdout);
    return kOk;
  }
  std::string error;
  if (!write_file_atomically(o.out, text, error)) {
    std::fprintf(stderr, "trustrules render: error: %s\n", error.c_str());
    return kFailed;
  }
  return kOk;
}

Register reg("render", [](CLI::App& app) -> Action {
  auto* sub = app.add_subcommand("render", "The ruleset as a board paper (Markdown or HTML)");
  auto o = std::make_shared<RenderOptions>();
  sub->add_option("--rules", o->rules, "Ruleset root file, or a folder with one root file")->capture_default_str();
  sub->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"md", "html"}))->capture_default_str();
  sub->add_option("--out", o->out, "Write to this file (atomically) instead of standard output");
  sub->add_option("--store", o->store, "Read the approval from this history store");
  sub->footer(
      "The approval status is read from the history store (default .trustrules/history.db beside the\n"
      "root file); content without an approval is rendered as a DRAFT.\n"
      "Exit status: 0 success, 1 errors in the rules or the store, 2 usage error.");
  return [o] { return run_render(*o); };
});

}  // namespace

}  // namespace tr::cli
