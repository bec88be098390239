// Runs the `test` blocks written beside the rules: each test's `given` schools
// become an in-memory Dataset, the ruleset is planned and evaluated on it exactly
// as `evaluate` does, and every `expect` is compared with the result. Kept apart
// from the CLI so the ctest suite can run the shipped tests through the same code.
#pragma once

#include <string>
#include <vector>

namespace tr {

struct RuleTestOutcome {
  std::string label;
  std::string where;                 // "rules/trust/tests.rules:8"
  std::vector<std::string> failures; // one line per failed expectation; empty = passed
  bool passed() const { return failures.empty(); }
};

struct RuleTestReport {
  std::vector<std::string> roots;    // the ruleset roots that were run
  std::vector<RuleTestOutcome> tests;
  // Rendered diagnostics from loading, checking or planning; non-empty = rule errors.
  std::string errors;
  bool rule_errors = false;
  // Standards, floors and descriptors ("tier3.d2 (label)") that no test exercises.
  std::vector<std::string> uncovered;
  int passed() const;
  int failed() const;
};

// Runs every test in the rulesets rooted under `paths` (files or folders, as for
// `check`; empty = "rules"). A path that does not exist is a rule error.
RuleTestReport run_rule_tests(const std::vector<std::string>& paths, bool color = false);

// The report as `trustrules test` prints it: `ok   "label"` / `FAIL "label": …`,
// the coverage line, then `N passed, M failed` on its own line.
std::string format_rule_test_report(const RuleTestReport& r);

}  // namespace tr
