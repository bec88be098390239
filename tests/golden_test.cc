// Golden tests for the error messages: every tests/golden/errors/NN_name.rules is
// loaded and checked, and the rendered diagnostics must equal NN_name.expected
// byte for byte, with paths relative to the repository. Files under parts/ are
// included by the cases, not cases themselves.
//
// After a deliberate change of wording, regenerate one case from the repository root:
//   build/trustrules check tests/golden/errors/NN_name.rules 2> tests/golden/errors/NN_name.expected
// and read it (line:col, caret, hint) before keeping it.
#include "checker.h"
#include "ruleset.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The tests load by absolute path; the expected files name paths from the repository root.
std::string relative(std::string text) {
  const std::string prefix = std::string(TRUSTRULES_SOURCE_DIR) + "/";
  for (size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
  return text;
}

}  // namespace

TEST_CASE("golden: each malformed rule file renders exactly its expected diagnostics", "[golden]") {
  fs::path dir = fs::path(TRUSTRULES_SOURCE_DIR) / "tests" / "golden" / "errors";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".rules") cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() >= 30);
  for (const auto& c : cases) {
    INFO(c.filename().string());
    fs::path expected = c;
    expected.replace_extension(".expected");
    REQUIRE(fs::exists(expected));
    tr::Diagnostics d;
    auto rs = tr::load_and_check(c.string(), d);
    tr::SourceFiles none;
    std::string got = relative(d.render(rs ? rs->sources : none));
    CHECK(got == read(expected));
    // Every case is malformed: it must say so.
    CHECK(d.error_count() + d.warning_count() > 0);
  }
}

TEST_CASE("golden: every root under rules/ checks without errors", "[golden][rules]") {
  tr::Diagnostics found;
  std::vector<std::string> roots = tr::find_root_files({std::string(TRUSTRULES_SOURCE_DIR) + "/rules"}, found);
  // No roots at all is a failure too: the shipped rules must exist.
  REQUIRE_FALSE(roots.empty());
  for (const auto& root : roots) {
    tr::Diagnostics d;
    bool checked = false;
    auto rs = tr::load_and_check(root, d, &checked);
    INFO(root);
    INFO(relative(d.render(rs ? rs->sources : tr::SourceFiles{})));
    REQUIRE(rs);
    CHECK(checked);
    CHECK(d.error_count() == 0);
  }
}
