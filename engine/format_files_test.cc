// fmt on files: every shipped rule file round-trips, --check writes nothing, files
// are replaced only when they change, and a file that does not parse is never touched.
#include "ast_equal.h"
#include "format.h"
#include "parser.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace tr;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh folder under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("trustrules-fmt-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::vector<std::string> comment_texts(const File& f) {
  std::vector<std::string> out;
  for (const auto& c : f.comments) out.push_back(c.text.substr(0, c.text.find_last_not_of(" \t") + 1));
  return out;
}

const char* kMessy = "metric   m \"M\"{\n  type percent   # kind\n\n\n  better higher\n}\nparam p=2 points\n";
const char* kTidy = "metric m \"M\" {\n  type percent  # kind\n\n  better higher\n}\n\nparam p = 2 points\n";

}  // namespace

TEST_CASE("fmt: every rule file under rules/ round-trips and is stable", "[fmt][rules]") {
  std::vector<fs::path> files;
  fs::path root = fs::path(TRUSTRULES_SOURCE_DIR) / "rules";
  REQUIRE(fs::is_directory(root));
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".rules") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());  // the shipped rules must exist for this test to mean anything

  for (const auto& path : files) {
    INFO(path.string());
    std::string text = slurp(path);
    SourceFiles sources;
    Diagnostics diags;
    File before;
    bool ok = parse_text(sources, path.string(), text, before, diags);
    INFO(diags.render(sources));
    REQUIRE(ok);

    std::string once = format_file(before, sources);
    File after;
    Diagnostics diags2;
    REQUIRE(parse_text(sources, path.string() + " (formatted)", once, after, diags2));
    std::string why;
    CHECK(ast_equal(before, after, &why));
    CHECK(why == "");
    CHECK(comment_texts(before) == comment_texts(after));
    CHECK(format_file(after, sources) == once);  // idempotent

    // The library entry point agrees and proves the same.
    std::string out;
    SourceFiles s3;
    Diagnostics d3;
    CHECK(format_text(path.string(), text, out, s3, d3));
    CHECK(out == once);
  }
}

// Shipped rule files with their layout scrambled and comments added at the end of
// random lines and on lines of their own: whatever parses must format to the same
// meaning and comments (format_text proves both) and be stable on a second run.
TEST_CASE("fmt: scrambled layouts and comments everywhere still format safely", "[fmt][rules]") {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(TRUSTRULES_SOURCE_DIR) / "rules"))
    if (e.is_regular_file() && e.path().extension() == ".rules") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE_FALSE(files.empty());
  std::mt19937 rng(20260101);
  int tried = 0, parsed = 0;
  for (const auto& path : files) {
    std::string text = slurp(path);
    for (int round = 0; round < 4; ++round) {
      std::string v;
      std::istringstream in(text);
      std::string line;
      int n = 0;
      while (std::getline(in, line)) {
        ++n;
        // Runs of blanks outside labels become 1-3 blanks; indentation is random.
        std::string l;
        bool label = false;
        for (size_t i = 0; i < line.size(); ++i) {
          char c = line[i];
          if (c == '"' && (i == 0 || line[i - 1] != '\\')) label = !label;
          if (c == '#' && !label) {
            l += line.substr(i);
            break;
          }
          if (c == ' ' && !label) {
            while (i + 1 < line.size() && line[i + 1] == ' ') ++i;
            l += std::string(1 + rng() % 3, ' ');
          } else {
            l += c;
          }
        }
        size_t first = l.find_first_not_of(' ');
        l = first == std::string::npos ? "" : std::string(rng() % 5, ' ') + l.substr(first);
        if (rng() % 7 == 0) v += std::string(rng() % 3, ' ') + "# own line " + std::to_string(n) + "\n";
        if (rng() % 9 == 0) v += "\n";
        v += l;
        if (rng() % 5 == 0 && l.find('#') == std::string::npos) v += "   # end of line " + std::to_string(n);
        v += "\n";
      }
      ++tried;
      SourceFiles s0;
      Diagnostics d0;
      File f0;
      if (!parse_text(s0, "v.rules", v, f0, d0)) continue;
      ++parsed;
      INFO(path.string() << " round " << round << "\n" << v);
      std::string once, twice;
      SourceFiles s1, s2;
      Diagnostics d1, d2;
      REQUIRE(format_text("v.rules", v, once, s1, d1));
      REQUIRE(format_text("v.rules", once, twice, s2, d2));
      CHECK(twice == once);
    }
  }
  // Most variants must parse, or this test proves little.
  CHECK(parsed * 10 >= tried * 9);
}

TEST_CASE("fmt: --check writes nothing; a rewrite is exact and then stable", "[fmt]") {
  TempDir dir;
  fs::path file = dir.path / "sub" / "deeper" / "messy.rules";
  fs::path tidy = dir.path / "tidy.rules";
  fs::path other = dir.path / "notes.txt";
  spit(file, kMessy);
  spit(tidy, kTidy);
  spit(other, "not a rule file {");
  ::chmod(file.c_str(), 0640);

  SECTION("check only") {
    FormatOptions opts;
    opts.check_only = true;
    FormatReport report;
    SourceFiles sources;
    Diagnostics diags;
    CHECK(format_paths({dir.path.string()}, opts, report, sources, diags));
    CHECK_FALSE(diags.has_errors());
    REQUIRE(report.changed == std::vector<std::string>{file.string()});
    CHECK(report.unchanged == std::vector<std::string>{tidy.string()});
    CHECK(report.failed.empty());
    CHECK(slurp(file) == kMessy);  // nothing written
    CHECK(report.diff.empty());
  }
  SECTION("diff") {
    FormatOptions opts;
    opts.check_only = true;
    opts.diff = true;
    FormatReport report;
    SourceFiles sources;
    Diagnostics diags;
    CHECK(format_path(file.string(), opts, report, sources, diags));
    CHECK(slurp(file) == kMessy);
    CHECK(report.diff.find("--- " + file.string()) == 0);
    CHECK(report.diff.find("\n-metric   m \"M\"{\n") != std::string::npos);
    CHECK(report.diff.find("\n+metric m \"M\" {\n") != std::string::npos);
  }
  SECTION("rewrite") {
    FormatOptions opts;
    FormatReport report;
    SourceFiles sources;
    Diagnostics diags;
    CHECK(format_paths({dir.path.string()}, opts, report, sources, diags));
    CHECK(report.changed == std::vector<std::string>{file.string()});
    CHECK(slurp(file) == kTidy);
    CHECK(slurp(other) == "not a rule file {");  // only *.rules are touched
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);  // permissions survive the rename
    // No temporary file is left behind.
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(file.parent_path())) ++n;
    CHECK(n == 1);

    FormatReport again;
    CHECK(format_paths({dir.path.string()}, opts, again, sources, diags));
    CHECK(again.changed.empty());
    CHECK(again.unchanged.size() == 2);
  }
}

TEST_CASE("fmt: a file with a syntax error is reported and left untouched", "[fmt]") {
  TempDir dir;
  fs::path bad = dir.path / "bad.rules";
  fs::path good = dir.path / "good.rules";
  const std::string bad_text = "metric   m \"M\" {\n  type percentage\n}\nparam p=1\n";
  spit(bad, bad_text);
  spit(good, kMessy);

  FormatOptions opts;
  FormatReport report;
  SourceFiles sources;
  Diagnostics diags;
  CHECK_FALSE(format_paths({dir.path.string()}, opts, report, sources, diags));
  CHECK(diags.has_errors());
  CHECK(diags.render(sources).find("bad.rules:2:") != std::string::npos);
  CHECK(report.failed == std::vector<std::string>{bad.string()});
  CHECK(slurp(bad) == bad_text);
  // The other files are still formatted.
  CHECK(report.changed == std::vector<std::string>{good.string()});
  CHECK(slurp(good) == kTidy);

  // format_text hands the text back unchanged too.
  std::string out;
  SourceFiles s2;
  Diagnostics d2;
  CHECK_FALSE(format_text("x.rules", bad_text, out, s2, d2));
  CHECK(out == bad_text);
}

TEST_CASE("fmt: a path that does not exist fails", "[fmt]") {
  FormatReport report;
  SourceFiles sources;
  Diagnostics diags;
  CHECK_FALSE(format_paths({"/nonexistent/trustrules/rules"}, {}, report, sources, diags));
  CHECK(report.failed.size() == 1);
  CHECK(diags.has_errors());
}

TEST_CASE("fmt: unified diff", "[fmt]") {
  CHECK(unified_diff("f", "a\nb\n", "a\nb\n") == "");
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += "line " + std::to_string(i) + "\n";
    after += (i == 5 ? "LINE 5" : i == 18 ? "LINE 18" : "line " + std::to_string(i)) + "\n";
  }
  std::string d = unified_diff("f.rules", before, after);
  CHECK(d.find("--- f.rules\n+++ f.rules (formatted)\n") == 0);
  CHECK(d.find("@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+LINE 5\n line 6\n") != std::string::npos);
  CHECK(d.find("@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+LINE 18\n") != std::string::npos);
  CHECK(unified_diff("f", "", "x\n") == "--- f\n+++ f (formatted)\n@@ -0,0 +1,1 @@\n+x\n");
}
