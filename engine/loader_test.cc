// Loading a ruleset through its includes, and finding root files.
#include "ruleset.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace tr;
namespace fs = std::filesystem;

namespace {

// A scratch folder removed at the end of the test.
struct TempDir {
  fs::path dir;
  TempDir() {
    static int n = 0;
    dir = fs::temp_directory_path() / ("trustrules_loader_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
  std::string write(const std::string& rel, const std::string& text) const {
    fs::path p = dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

std::string base(const std::string& p) { return fs::path(p).filename().string(); }

}  // namespace

TEST_CASE("includes are followed relative to the including file, each parsed once", "[loader]") {
  TempDir t;
  std::string root = t.write("trust.rules",
                             "ruleset \"T\"\ninclude \"sources/dfe.rules\"\ninclude \"scales.rules\"\n"
                             "include \"sources/../scales.rules\"\n");
  t.write("sources/dfe.rules", "include \"../scales.rules\"\ninclude \"ks2.rules\"\n");
  t.write("sources/ks2.rules", "metric a \"A\" { type percent }\n");
  t.write("scales.rules", "scale s { good; bad }\n");
  Diagnostics d;
  auto rs = load_ruleset(root, d);
  REQUIRE(rs);
  INFO(d.render(rs->sources));
  CHECK_FALSE(d.has_errors());
  REQUIRE(rs->files.size() == 4);
  CHECK(base(rs->files[0].path) == "trust.rules");
  CHECK(base(rs->files[1].path) == "dfe.rules");
  CHECK(base(rs->files[2].path) == "scales.rules");
  CHECK(base(rs->files[3].path) == "ks2.rules");
  CHECK(rs->files[0].header);
  CHECK(rs->root_path == root);
  for (size_t i = 0; i < rs->files.size(); ++i) CHECK(rs->files[i].id == rs->sources.size() - 4 + i);
  CHECK(rs->sources.size() == 4);
}

TEST_CASE("include cycles are reported at the include with the cycle path", "[loader]") {
  TempDir t;
  std::string root = t.write("a.rules", "ruleset \"A\"\ninclude \"b.rules\"\n");
  t.write("b.rules", "\ninclude \"c.rules\"\n");
  t.write("c.rules", "include \"b.rules\"\n");
  Diagnostics d;
  auto rs = load_ruleset(root, d);
  REQUIRE(rs);
  REQUIRE(d.error_count() == 1);
  const auto& e = d.all()[0];
  CHECK(rs->sources.path(e.span.begin.file).ends_with("c.rules"));
  CHECK(e.span.begin.line == 1);
  CHECK(e.span.begin.col == 1);
  CHECK(e.message.starts_with("include cycle: "));
  CHECK(e.message.find("b.rules → ") != std::string::npos);
  CHECK(e.message.find("c.rules → ") != std::string::npos);
  CHECK(e.message.ends_with("b.rules"));

  TempDir s;
  std::string self = s.write("self.rules", "include \"self.rules\"\n");
  Diagnostics d2;
  auto rs2 = load_ruleset(self, d2);
  REQUIRE(d2.error_count() == 1);
  CHECK(d2.all()[0].message.starts_with("include cycle:"));
}

TEST_CASE("a missing include names its place and suggests a sibling", "[loader]") {
  TempDir t;
  std::string root = t.write("trust.rules", "ruleset \"T\"\n  include \"scale.rules\"\ninclude \"nowhere/x.rules\"\n");
  t.write("scales.rules", "");
  Diagnostics d;
  auto rs = load_ruleset(root, d);
  REQUIRE(rs);
  REQUIRE(d.error_count() == 2);
  CHECK(d.all()[0].span.begin.line == 2);
  CHECK(d.all()[0].span.begin.col == 3);
  CHECK(d.all()[0].message.starts_with("cannot find the included file"));
  CHECK(d.all()[0].hint == "did you mean 'scales.rules'?");
  CHECK(d.all()[1].hint.find("does not exist") != std::string::npos);
}

TEST_CASE("syntax errors in included files are reported with their path", "[loader]") {
  TempDir t;
  std::string root = t.write("r.rules", "ruleset \"R\"\ninclude \"bad.rules\"\n");
  t.write("bad.rules", "metric x {\n}\n");
  Diagnostics d;
  auto rs = load_ruleset(root, d);
  REQUIRE(rs);
  REQUIRE(d.error_count() == 1);
  CHECK(d.render(rs->sources).find("bad.rules:1:10: error: expected a label") != std::string::npos);
}

TEST_CASE("an unreadable root gives no ruleset and an unplaced error", "[loader]") {
  TempDir t;
  Diagnostics d;
  CHECK_FALSE(load_ruleset((t.dir / "none.rules").string(), d));
  REQUIRE(d.unplaced().size() == 1);
  CHECK(d.unplaced()[0].second.message == "no such file");
  Diagnostics d2;
  CHECK_FALSE(load_ruleset(t.dir.string(), d2));
  CHECK(d2.has_errors());
}

TEST_CASE("find_root_files: recursive, sorted, roots only", "[loader]") {
  TempDir t;
  t.write("z/b.rules", "# comment first\n\n  ruleset \"B\"\n");
  t.write("a.rules", "\xEF\xBB\xBFruleset \"A\"\n");
  t.write("z/part.rules", "metric m \"M\" { type percent }\n");
  t.write("y/rulesets.rules", "rulesets\n");
  t.write("y/notes.txt", "ruleset \"no\"\n");
  std::string given = t.write("q/extra.rules", "include \"x\"\n");
  Diagnostics d;
  auto roots = find_root_files({t.dir.string(), given, given}, d);
  CHECK_FALSE(d.has_errors());
  REQUIRE(roots.size() == 3);
  CHECK(base(roots[0]) == "a.rules");
  CHECK(roots[1].ends_with("z/b.rules"));
  CHECK(base(roots[2]) == "extra.rules");

  Diagnostics d2;
  auto none = find_root_files({(t.dir / "missing").string(), (t.dir / "y").string()}, d2);
  CHECK(none.empty());
  CHECK(d2.error_count() == 2);
}
