// diff between the shipped rules and edited copies: a changed threshold is listed
// (and, on the sample trust's data, the schools it moves); a copy that is only
// reformatted and re-commented has no meaningful differences.
#include "rule_diff.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace tr;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = TRUSTRULES_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A copy of rules/ with textual replacements in one file (trust/framework.rules
// unless named).
struct EditedCopy {
  fs::path dir;
  EditedCopy(const std::string& from, const std::string& to, const std::string& file = "trust/framework.rules")
      : EditedCopy(file, {{from, to}}) {}
  EditedCopy(const std::string& file, const std::vector<std::pair<std::string, std::string>>& edits) {
    // One folder per copy: a test may hold two, and neither may clear the other's.
    static int copies = 0;
    dir = fs::temp_directory_path() /
          ("trustrules-diff-" + std::to_string(::getpid()) + "-" + std::to_string(++copies));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(kSrc + "/rules", dir / "rules", fs::copy_options::recursive);
    fs::path f = dir / "rules" / file;
    std::string text = slurp(f);
    for (const auto& [from, to] : edits) {
      size_t at = text.find(from);
      REQUIRE(at != std::string::npos);
      text.replace(at, from.size(), to);
    }
    std::ofstream(f, std::ios::binary | std::ios::trunc) << text;
  }
  ~EditedCopy() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string root() const { return (dir / "rules/trust.rules").string(); }
};

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

}  // namespace

TEST_CASE("diff: identical rules have no meaningful differences") {
  std::vector<std::string> changes;
  std::string errors;
  REQUIRE(diff_rules(kSrc + "/rules/trust.rules", kSrc + "/rules/trust.rules", changes, errors));
  CHECK(changes.empty());
}

TEST_CASE("diff: reformatting and comments are not differences") {
  EditedCopy copy("param close_margin \"How close counts as 'close to national'\" = 2 points\n",
                  "# a comment the board never sees\n\n\nparam   close_margin  \"How close counts as 'close to national'\"   =   2 points   # and another\n");
  std::vector<std::string> changes;
  std::string errors;
  REQUIRE(diff_rules(kSrc + "/rules/trust.rules", copy.root(), changes, errors));
  INFO(errors << joined(changes));
  CHECK(changes.empty());
}

TEST_CASE("diff: a changed threshold is listed, with the schools it moves") {
  EditedCopy copy("\"Trust attendance target\" = 95%\n", "\"Trust attendance target\" = 97%\n");
  std::vector<std::string> changes;
  std::string errors;
  REQUIRE(diff_rules(kSrc + "/rules/trust.rules", copy.root(), changes, errors));
  INFO(errors << joined(changes));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0] == "param attendance_target (Trust attendance target): 95% → 97%");

  std::vector<std::string> schools;
  REQUIRE(diff_results(kSrc + "/rules/trust.rules", copy.root(), {kSrc + "/samples/trust"}, "", schools, errors));
  INFO(errors << joined(schools));
  REQUIRE_FALSE(schools.empty());
  CHECK(joined(schools).find("990001 Brookfield Primary Academy:\n  standard behaviour_and_attendance") != std::string::npos);
}

TEST_CASE("diff: metrics, sources and scales are compared field by field") {
  EditedCopy ks2("sources/dfe_ks2.rules",
                 {{"    rwm_expected.boys: PTRWM_EXP_B\n", "    rwm_expected.boys: PTRWM_EXP_BOYS | PTRWM_EXP_B\n"},
                  {"    rwm_expected.girls: PTRWM_EXP_G\n", ""},
                  {"    NE: \"no entries\"\n", "    NE: \"no pupils entered\"\n"},
                  {"  groups disadvantaged, not_disadvantaged\n  cadence annual\n  valid for 1 year\n",
                   "  groups disadvantaged, not_disadvantaged\n  cadence annual\n"}});
  std::vector<std::string> changes;
  std::string errors;
  bool ok = diff_rules(kSrc + "/rules/trust.rules", ks2.root(), changes, errors);
  INFO(errors);
  REQUIRE(ok);
  std::string all = joined(changes);
  INFO(errors << all);
  CHECK(all.find("source ks2 column rwm_expected.boys: PTRWM_EXP_B → PTRWM_EXP_BOYS or PTRWM_EXP_B\n") != std::string::npos);
  CHECK(all.find("source ks2 column rwm_expected.girls removed (was PTRWM_EXP_G)\n") != std::string::npos);
  CHECK(all.find("source ks2 missing code NE: \"no entries\" → \"no pupils entered\"\n") != std::string::npos);
  CHECK(all.find("metric rwm_high valid for: 1 year → no limit\n") != std::string::npos);
  CHECK(changes.size() == 4);

  EditedCopy scales("trust/scales.rules", {{"  secure \"Secure\"\n  developing \"Developing\"\n",
                                             "  developing \"Developing\"\n  secure \"Secure (expected)\"\n"}});
  changes.clear();
  REQUIRE(diff_rules(kSrc + "/rules/trust.rules", scales.root(), changes, errors));
  all = joined(changes);
  INFO(errors << all);
  CHECK(all.find("scale review grades (best first): strong > secure > developing > weak → "
                 "strong > developing > secure > weak\n") != std::string::npos);
  CHECK(all.find("scale review grade secure label: \"Secure\" → \"Secure (expected)\"\n") != std::string::npos);
}
