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

// A copy of rules/ with one textual replacement in trust/framework.rules.
struct EditedCopy {
  fs::path dir;
  EditedCopy(const std::string& from, const std::string& to) {
    dir = fs::temp_directory_path() / ("trustrules-diff-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(kSrc + "/rules", dir / "rules", fs::copy_options::recursive);
    fs::path f = dir / "rules/trust/framework.rules";
    std::string text = slurp(f);
    size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
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
