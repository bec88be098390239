// `trustrules history`: tiers, floors and standards across the recorded terms,
// changes marked, and which (approved) ruleset produced each run. Read-only: it
// never creates, migrates or writes the store. Exit 0 shown, 1 no store or no
// such school or ruleset, 2 usage.
#include "command.h"
#include "governance.h"
#include "history.h"

#include <cstdio>
#include <memory>

namespace tr::cli {
namespace {

struct HistoryCliOptions {
  std::string rules = "rules/trust.rules";
  std::string store;
  HistoryOptions history;
};

int run_history(const HistoryCliOptions& o) {
  std::string path = o.store;
  if (path.empty()) {
    // The default store sits beside the root rule file; the rules need not load.
    std::string root, messages;
    int rc = resolve_root(o.rules, root, messages);
    std::fputs(messages.c_str(), stderr);
    if (rc != 0) return rc;
    path = default_store_path(root);
  }
  Store store(path, Store::Options{.read_only = true});
  History h;
  std::string error;
  if (!load_history(store, o.history, h, error)) {
    std::fprintf(stderr, "trustrules history: error: %s\n", error.c_str());
    return kFailed;
  }
  std::string text = render_history(h);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? kOk : kFailed;
}

Register reg("history", [](CLI::App& app) -> Action {
  auto o = std::make_shared<HistoryCliOptions>();
  auto* sub = app.add_subcommand("history", "Tiers, floors and standards across the recorded terms, with changes");
  sub->add_option("--store", o->store, "The history store (default: .trustrules/history.db beside the root rule file)");
  sub->add_option("--rules", o->rules, "Ruleset root file or folder, to find the default store")->capture_default_str();
  sub->add_option("--school", o->history.urn, "One school in detail: its tier, each floor and each standard");
  sub->add_option("--ruleset", o->history.ruleset, "Runs of this ruleset name (default: the latest run's)");
  sub->footer(
      "One column per term: the latest run recorded for it (re-running a term adds a run; none is overwritten).\n"
      "Record runs with: trustrules evaluate --record (or --store FILE).\n"
      "Exit status: 0 shown, 1 no store, or no such school or ruleset in it, 2 usage error.");
  return [o] { return run_history(*o); };
});

}  // namespace
}  // namespace tr::cli
