// The shipped rule tests (rules/trust/tests.rules, rules/dfe/tests.rules) run
// through the same library as `trustrules test`, and must all pass; a copy of
// the rules with one expectation changed must fail, naming the test and showing
// expected against actual.
#include "rule_tests.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tr;
namespace fs = std::filesystem;

namespace {

const std::string kRules = std::string(TRUSTRULES_SOURCE_DIR) + "/rules";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// A fresh copy of rules/ in a temporary folder, removed when it goes out of scope.
struct RulesCopy {
  fs::path dir;
  RulesCopy() {
    dir = fs::temp_directory_path() / ("trustrules-rule-tests-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(kRules, dir / "rules", fs::copy_options::recursive);
  }
  ~RulesCopy() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

TEST_CASE("every shipped rule test passes") {
  RuleTestReport r = run_rule_tests({kRules});
  INFO(r.errors << format_rule_test_report(r));
  REQUIRE_FALSE(r.rule_errors);
  REQUIRE(r.tests.size() >= 10);
  CHECK(r.failed() == 0);
  std::string text = format_rule_test_report(r);
  CHECK(text.find(std::to_string(r.passed()) + " passed, 0 failed\n") != std::string::npos);
  CHECK(text.find("ok   \"") != std::string::npos);
}

TEST_CASE("a wrong tier expectation fails with the test's label, expected and actual") {
  RulesCopy copy;
  fs::path tests = copy.dir / "rules/trust/tests.rules";
  std::string text = read(tests);
  // The Tier 4 (Stabilise) test: expect it in Tier 3 instead.
  size_t at = text.find("  expect tier 4\n");
  REQUIRE(at != std::string::npos);
  text.replace(at, 16, "  expect tier 3\n");
  write(tests, text);

  RuleTestReport r = run_rule_tests({(copy.dir / "rules/trust.rules").string()});
  INFO(r.errors << format_rule_test_report(r));
  REQUIRE_FALSE(r.rule_errors);
  REQUIRE(r.failed() == 1);
  std::string out = format_rule_test_report(r);
  CHECK(out.find("FAIL \"Attendance well below national") != std::string::npos);
  CHECK(out.find("expected tier 3, got tier 4 (scores (met/known):") != std::string::npos);
  CHECK(out.find(std::to_string(r.passed()) + " passed, 1 failed\n") != std::string::npos);
}

TEST_CASE("a wrong status expectation shows the actual status") {
  RulesCopy copy;
  fs::path tests = copy.dir / "rules/trust/tests.rules";
  std::string text = read(tests);
  size_t at = text.find("  expect safeguarding_floor not met\n");
  REQUIRE(at != std::string::npos);
  text.replace(at, 36, "  expect safeguarding_floor met\n");
  write(tests, text);

  RuleTestReport r = run_rule_tests({(copy.dir / "rules/trust.rules").string()});
  INFO(format_rule_test_report(r));
  REQUIRE(r.failed() == 1);
  CHECK(format_rule_test_report(r).find("expected safeguarding_floor met, got not met") != std::string::npos);
}

TEST_CASE("trustrules test exit codes") {
  std::string bin = TRUSTRULES_BINARY;
  std::string quiet = " >/dev/null 2>&1";
  int ok = std::system((bin + " test " + kRules + quiet).c_str());
  CHECK(WEXITSTATUS(ok) == 0);
  int usage = std::system((bin + " test /no/such/path" + quiet).c_str());
  CHECK(WEXITSTATUS(usage) == 2);
}

TEST_CASE("value and descriptor expectations: a failure shows the actual value or status") {
  RulesCopy copy;
  fs::path tests = copy.dir / "rules/trust/tests.rules";
  std::string text = read(tests);
  auto swap = [&](const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  // The Tier 1 test: its RWM is 74% against 62% nationally, and its safeguarding
  // is highly effective.
  swap("  expect rwm_expected - national(rwm_expected) = 12 points\n",
       "  expect rwm_expected - national(rwm_expected) = 10 points\n");
  swap("  expect tier1.d5 met\n", "  expect tier1.d5 not met\n");
  swap("  expect attendance at least national(attendance) + 1.5 points\n",
       "  expect rwm_expected.boys at least 50%\n");
  write(tests, text);

  RuleTestReport r = run_rule_tests({(copy.dir / "rules/trust.rules").string()});
  std::string out = format_rule_test_report(r);
  INFO(r.errors << out);
  REQUIRE_FALSE(r.rule_errors);
  REQUIRE(r.failed() == 1);
  CHECK(out.find("expected rwm_expected - national(rwm_expected) = 10 points, but "
                 "rwm_expected - national(rwm_expected) is 12 points") != std::string::npos);
  CHECK(out.find("expected tier1.d5 (\"highly effective safeguarding\") not met, got met") != std::string::npos);
  // Unknown is never a pass: the test gives no boys' figure.
  CHECK(out.find("expected rwm_expected.boys at least 50%, but rwm_expected.boys is unknown "
                 "(no rwm_expected.boys value at or before 2024-25 summer)") != std::string::npos);
}
