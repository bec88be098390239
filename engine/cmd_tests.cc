// `trustrules test [PATH...]`: runs the `test` blocks of every ruleset under the
// paths (default rules/) through rule_tests.h and prints one line per test, the
// coverage line and `N passed, M failed`. Exit 0 when every test passes, 1 on any
// failure or rule error, 2 on usage (no such path).
#include "command.h"
#include "rule_tests.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace tr::cli {

namespace {

bool stderr_color() {
  const char* no = std::getenv("NO_COLOR");
  return isatty(STDERR_FILENO) && !(no && *no);
}

int run_test(const std::vector<std::string>& paths) {
  // A missing path is a mistake on the command line, not in the rules.
  for (const auto& p : paths) {
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) {
      std::fprintf(stderr, "trustrules test: '%s' does not exist\n", p.c_str());
      return kUsage;
    }
  }
  RuleTestReport r = run_rule_tests(paths, stderr_color());
  std::fputs(r.errors.c_str(), stderr);
  std::fflush(stderr);
  if (r.rule_errors && r.tests.empty()) {
    std::fputs("the rules have errors: fix them (see `trustrules check`), then run the tests again\n", stderr);
    return kFailed;
  }
  std::fputs(format_rule_test_report(r).c_str(), stdout);
  std::fflush(stdout);
  return r.rule_errors || r.failed() ? kFailed : kOk;
}

Register reg("test", [](CLI::App& app) -> Action {
  auto* sub = app.add_subcommand("test", "Run the rule tests (`test` blocks) of the rulesets");
  auto paths = std::make_shared<std::vector<std::string>>();
  sub->add_option("paths", *paths, "Rule files or folders (default: rules/); folders are searched for root files");
  sub->footer(
      "Each test's given schools are evaluated as of its `as of` period (default: the ruleset year)\n"
      "and every `expect` compared. A test exercises a standard, floor or descriptor when it expects\n"
      "its status; `expect tier N` exercises tier N's descriptors. The rest are listed as not exercised.\n"
      "Exit status: 0 all tests pass, 1 a test failed or the rules have errors, 2 usage error.");
  return [paths] { return run_test(*paths); };
});

}  // namespace

}  // namespace tr::cli
