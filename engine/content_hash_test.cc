// The content hash follows meaning: layout and comments keep it, any change to
// what the board approves (threshold, label, support, Lua) changes it.
#include "content_hash.h"

#include "parser.h"
#include "ruleset.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace tr;
namespace fs = std::filesystem;

namespace {

// A copy of the shipped rules/ folder in a scratch folder, removed at the end.
struct RulesCopy {
  fs::path dir;
  explicit RulesCopy(const std::string& name = "rules") {
    static int n = 0;
    dir = fs::temp_directory_path() /
          ("trustrules_hash_" + std::to_string(::getpid()) + "_" + std::to_string(n++)) / name;
    fs::remove_all(dir.parent_path());
    fs::create_directories(dir);
    fs::copy(fs::path(TRUSTRULES_SOURCE_DIR) / "rules", dir, fs::copy_options::recursive);
  }
  ~RulesCopy() { fs::remove_all(dir.parent_path()); }
  std::string read(const std::string& rel) const {
    std::ifstream in(dir / rel, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void write(const std::string& rel, const std::string& text) const {
    std::ofstream(dir / rel, std::ios::binary | std::ios::trunc) << text;
  }
  // Replaces the first occurrence of `from`; fails the test when it is not there.
  void edit(const std::string& rel, const std::string& from, const std::string& to) const {
    std::string t = read(rel);
    size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
    write(rel, t);
  }
  std::string hash() const {
    Diagnostics d;
    auto rs = load_ruleset((dir / "trust.rules").string(), d);
    REQUIRE(rs);
    INFO(d.render(rs->sources));
    REQUIRE_FALSE(d.has_errors());
    ContentHash h = content_hash(*rs);
    INFO(h.error);
    REQUIRE(h.ok());
    return h.hash;
  }
};

}  // namespace

TEST_CASE("content hash: sha256 of the meaning, independent of where the folder is", "[content_hash]") {
  RulesCopy a("rules"), b("elsewhere");
  std::string h = a.hash();
  CHECK(h.rfind("sha256:", 0) == 0);
  CHECK(h.size() == 7 + 64);
  CHECK(b.hash() == h);
  CHECK(short_hash(h) == h.substr(0, 19));
}

TEST_CASE("content hash: comments, blank lines and layout keep it", "[content_hash]") {
  RulesCopy r;
  std::string before = r.hash();
  SECTION("comment edits") {
    r.edit("trust/framework.rules", "# ---- thresholds approved by the board",
           "# The board's thresholds, revised wording\n# ---- thresholds approved by the board");
    r.edit("trust/tiers.rules", "support ceo_meeting \"CEO 1:1\" every 4 weeks",
           "support ceo_meeting \"CEO 1:1\" every 4 weeks  # monthly, near enough");
    r.edit("trust.rules", "# Meridian Learning Trust", "# MERIDIAN Learning Trust");
  }
  SECTION("spacing, indentation and blank lines") {
    r.edit("trust/framework.rules", "param close_margin \"How", "\n\nparam   close_margin    \"How");
    std::string t = r.read("trust/tiers.rules");
    std::string flat;  // every line's indentation removed
    std::istringstream in(t);
    for (std::string line; std::getline(in, line);) flat += line.substr(std::min(line.find_first_not_of(' '), line.size())) + "\n\n";
    r.write("trust/tiers.rules", flat);
  }
  CHECK(r.hash() == before);
}

TEST_CASE("content hash: any change to what is approved changes it", "[content_hash]") {
  RulesCopy r;
  std::string before = r.hash();
  SECTION("a threshold") { r.edit("trust/framework.rules", "= 2 points", "= 3 points"); }
  SECTION("a param label") {
    r.edit("trust/framework.rules", "\"Trust attendance target\"", "\"Trust attendance goal\"");
  }
  SECTION("a tier label") { r.edit("trust/tiers.rules", "tier 2 \"Grow\"", "tier 2 \"Growing\""); }
  SECTION("a support frequency") {
    r.edit("trust/tiers.rules", "support ceo_meeting \"CEO 1:1\" every 4 weeks",
           "support ceo_meeting \"CEO 1:1\" every 3 weeks");
  }
  SECTION("the ruleset version") { r.edit("trust.rules", "version \"2025.1\"", "version \"2025.2\""); }
  SECTION("a Lua script, even in a comment") {
    r.edit("lua/attendance_risk.lua", "-- Attendance risk", "-- The attendance risk");
  }
  CHECK(r.hash() != before);
}

TEST_CASE("content hash: a missing Lua script is an error, not a hash", "[content_hash]") {
  RulesCopy r;
  fs::remove(r.dir / "lua" / "attendance_risk.lua");
  Diagnostics d;
  auto rs = load_ruleset((r.dir / "trust.rules").string(), d);
  REQUIRE(rs);
  ContentHash h = content_hash(*rs);
  CHECK_FALSE(h.ok());
  CHECK(h.hash.empty());
  CHECK(h.error.find("attendance_risk.lua") != std::string::npos);
}

TEST_CASE("canonical text drops comments and blank lines", "[content_hash]") {
  SourceFiles files;
  File f;
  Diagnostics d;
  REQUIRE(parse_text(files, "x.rules",
                     "# a scale\nscale  review {  strong;   weak }  # trailing\n\n\nparam m \"M\" = 2 points\n", f, d));
  CHECK(canonical_text(f, files) == "scale review {\n  strong\n  weak\n}\nparam m \"M\" = 2 points\n");
}
