// `trustrules approve`: records that the board approved the ruleset's current
// content (its content hash) — who, on what date, under which minute. Exit 0
// when recorded or already approved, 1 on errors in the rules or the store, 2 on
// a usage error (a malformed date).
#include "command.h"
#include "content_hash.h"
#include "governance.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <unistd.h>

namespace tr::cli {
namespace {

struct ApproveOptions {
  std::string rules = "rules/trust.rules";
  std::string by, minute, date, store;
};

int run_approve(const ApproveOptions& o) {
  const char* no = std::getenv("NO_COLOR");
  bool color = isatty(STDERR_FILENO) && !(no && *no);
  if (o.by.find_first_not_of(" \t") == std::string::npos || o.minute.find_first_not_of(" \t") == std::string::npos) {
    std::fputs("trustrules approve: error: --by and --minute must name who approved and where it is minuted\n", stderr);
    return kUsage;
  }
  std::string date = o.date.empty() ? local_today() : o.date;
  if (!valid_date(date)) {
    std::fprintf(stderr, "trustrules approve: error: --date '%s' is not a date; write YYYY-MM-DD\n", o.date.c_str());
    return kUsage;
  }
  // The board approves rules that check; approving rules with errors would
  // record a hash no evaluation can ever run.
  std::unique_ptr<Ruleset> rs;
  std::string messages;
  int rc = load_checked_ruleset(o.rules, rs, messages, color);
  std::fputs(messages.c_str(), stderr);
  if (rc != 0) return rc;
  ContentHash h = content_hash(*rs);
  if (!h.ok()) {
    std::fprintf(stderr, "trustrules approve: error: %s\n", h.error.c_str());
    return kFailed;
  }

  Approval a;
  a.content_hash = h.hash;
  if (rs->header) {
    a.ruleset_name = rs->header->name;
    a.ruleset_version = rs->header->version;
    a.ruleset_year = rs->header->year;
  }
  a.approved_by = o.by;
  a.approved_on = date;
  a.minute = o.minute;
  std::string path = o.store.empty() ? default_store_path(rs->root_path) : o.store;
  Store store(path);
  Approval in_force;
  std::string what = (a.ruleset_name.empty() ? rs->root_path : a.ruleset_name) +
                     (a.ruleset_version.empty() ? "" : ", version " + a.ruleset_version);
  if (record_approval(store, a, in_force) == ApproveOutcome::AlreadyApproved) {
    std::printf("already approved: %s (content %s) was approved by %s on %s (minute %s); nothing recorded\n",
                what.c_str(), h.hash.c_str(), in_force.approved_by.c_str(), in_force.approved_on.c_str(),
                in_force.minute.c_str());
    return kOk;
  }
  std::printf("approved: %s (content %s) by %s on %s (minute %s); recorded in %s\n", what.c_str(), h.hash.c_str(),
              in_force.approved_by.c_str(), in_force.approved_on.c_str(), in_force.minute.c_str(), path.c_str());
  return kOk;
}

Register reg("approve", [](CLI::App& app) -> Action {
  auto o = std::make_shared<ApproveOptions>();
  auto* sub = app.add_subcommand("approve", "Record the board's approval of the rules' current content");
  sub->add_option("--rules", o->rules, "Ruleset root file, or a folder with one root file")->capture_default_str();
  sub->add_option("--by", o->by, "Who approved it, e.g. \"Trust board (chair: J. Smith)\"")->required();
  sub->add_option("--minute", o->minute, "The minute reference of the decision, e.g. B/25/14")->required();
  sub->add_option("--date", o->date, "The date of the decision, YYYY-MM-DD (default: today)");
  sub->add_option("--store", o->store, "The history store (default: .trustrules/history.db beside the root rule file)");
  sub->footer(
      "The approval covers the rules' content hash: their meaning, so reformatting and comment edits keep it,\n"
      "and any change to a threshold, label, descriptor, policy, support item or Lua script makes the rules a\n"
      "draft again. Approving the same content twice records nothing new.\n"
      "Exit status: 0 approved (or already approved), 1 errors in the rules or the store, 2 usage error.");
  return [o] { return run_approve(*o); };
});

}  // namespace
}  // namespace tr::cli
