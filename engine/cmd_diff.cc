// `trustrules diff OLD NEW [--data PATH...] [--as-of TERM]`: what changed in the
// criteria between two versions of a ruleset (rule_diff.h), and with --data which
// schools' results would change. Exit 0 on success, differences or not ("no
// meaningful differences" when none); 1 when a version has errors; 2 usage.
#include "command.h"
#include "rule_diff.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace tr::cli {

namespace {

struct DiffOptions {
  std::string old_rules, new_rules, as_of;
  std::vector<std::string> data;
};

int run_diff(const DiffOptions& o) {
  for (const auto& p : {o.old_rules, o.new_rules}) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) {
      std::fprintf(stderr, "trustrules diff: '%s' does not exist\n", p.c_str());
      return kUsage;
    }
  }
  std::vector<std::string> changes;
  std::string errors;
  if (!diff_rules(o.old_rules, o.new_rules, changes, errors)) {
    std::fprintf(stderr, "%strustrules diff: fix the errors above, then diff again\n", errors.c_str());
    return kFailed;
  }
  if (changes.empty()) std::puts("no meaningful differences");
  else {
    std::printf("criteria changes (%zu):\n", changes.size());
    for (const auto& c : changes) std::printf("  %s\n", c.c_str());
  }
  if (!o.data.empty()) {
    std::vector<std::string> schools;
    if (!diff_results(o.old_rules, o.new_rules, o.data, o.as_of, schools, errors)) {
      std::fprintf(stderr, "%s", errors.c_str());
      return kFailed;
    }
    if (schools.empty()) std::puts("no school's results change on this data");
    else {
      std::printf("schools whose results change (%zu):\n", schools.size());
      for (const auto& s : schools) std::printf("%s\n", s.c_str());
    }
  }
  std::fflush(stdout);
  return kOk;
}

Register reg("diff", [](CLI::App& app) -> Action {
  auto* sub = app.add_subcommand("diff", "Meaningful differences between two versions of the rules");
  auto o = std::make_shared<DiffOptions>();
  sub->add_option("old", o->old_rules, "The old version: a root rule file, or a folder with one root")->required();
  sub->add_option("new", o->new_rules, "The new version: a root rule file, or a folder with one root")->required();
  sub->add_option("--data", o->data, "Also evaluate both versions on these data files or folders")->expected(1, -1);
  sub->add_option("--as-of", o->as_of, "With --data: evaluate as of this period, e.g. \"2024-25 summer\"");
  sub->footer(
      "Declarations are matched by id, tiers by number, descriptors by position and label; expressions\n"
      "are compared in canonical form, so reformatting and comments are never differences.\n"
      "Exit status: 0 success (differences or not), 1 a version has errors, 2 usage error.");
  return [o] { return run_diff(*o); };
});

}  // namespace

}  // namespace tr::cli
