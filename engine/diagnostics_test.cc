// Source positions, rendering with caret lines, and did-you-mean.
#include "diagnostics.h"
#include "edit_distance.h"

#include <catch2/catch.hpp>

using namespace tr;

TEST_CASE("positions count characters, not bytes", "[diagnostics]") {
  SourceFiles f;
  uint32_t id = f.add("a.rules", "ab\n“é” x\r\nlast");
  CHECK(f.pos(id, 0).line == 1);
  CHECK(f.pos(id, 0).col == 1);
  CHECK(f.pos(id, 2).col == 3);
  Pos x = f.pos(id, 3 + 3 + 2 + 3 + 1);  // after “é” and a space
  CHECK(x.line == 2);
  CHECK(x.col == 5);
  CHECK(f.line(id, 2) == "“é” x");
  CHECK(f.line(id, 3) == "last");
  CHECK(f.line(id, 4).empty());
  CHECK(f.pos(id, 1000).line == 3);
  CHECK(f.pos(id, 1000).col == 5);
}

TEST_CASE("a byte order mark takes no column", "[diagnostics]") {
  SourceFiles f;
  uint32_t id = f.add("a.rules", "\xEF\xBB\xBFmetric");
  CHECK(f.pos(id, 3).col == 1);
  CHECK(f.pos(id, 0).col == 1);
  CHECK(f.line(id, 1) == "metric");
}

TEST_CASE("render: location, source line, caret, hint", "[diagnostics]") {
  SourceFiles f;
  uint32_t id = f.add("rules/trust.rules", "floor f \"F\" {\n  met when atendance >= 95%\n}\n");
  Diagnostics d;
  d.error({{id, 2, 12}, {id, 2, 21}}, "unknown metric 'atendance'", "did you mean 'attendance'?");
  CHECK(d.render(f) ==
        "rules/trust.rules:2:12: error: unknown metric 'atendance'\n"
        "    2 |   met when atendance >= 95%\n"
        "      |            ^~~~~~~~~\n"
        "hint: did you mean 'attendance'?\n");
  CHECK(d.has_errors());
  CHECK(d.error_count() == 1);
}

TEST_CASE("render: warnings, tabs, Unicode, multi-line spans, unplaced", "[diagnostics]") {
  SourceFiles f;
  uint32_t id = f.add("t.rules", "\tdescriptor \"Attendance – close\": x\nnext\n");
  Diagnostics d;
  d.warning({{id, 1, 35}, {id, 1, 36}}, "unused");
  d.error({{id, 1, 2}, {id, 2, 3}}, "long");
  d.error_at("data/ks2.csv", "cannot read this file", "check the path");
  CHECK(d.warning_count() == 1);
  CHECK(d.error_count() == 2);
  std::string out = d.render(f);
  std::string src = "    1 | \tdescriptor \"Attendance – close\": x\n";
  CHECK(out == "data/ks2.csv: error: cannot read this file\n"
               "hint: check the path\n"
               "t.rules:1:35: warning: unused\n" +
                   src + "      | \t" + std::string(33, ' ') + "^\n" +
                   "t.rules:1:2: error: long\n" + src + "      | \t^" + std::string(33, '~') + "\n");
}

TEST_CASE("render: wide line numbers and color", "[diagnostics]") {
  SourceFiles f;
  std::string text;
  for (int i = 0; i < 123456; ++i) text += "\n";
  text += "x";
  uint32_t id = f.add("big.rules", text);
  Diagnostics d;
  d.note({{id, 123457, 1}, {id, 123457, 2}}, "here");
  CHECK(d.render(f) == "big.rules:123457:1: note: here\n123457 | x\n       | ^\n");
  CHECK(d.render(f, true).find("\033[") != std::string::npos);
  CHECK_FALSE(d.has_errors());
}

TEST_CASE("did you mean", "[diagnostics]") {
  std::vector<std::string> names = {"attendance", "persistent_absence", "rwm_expected", "type"};
  CHECK(did_you_mean("atendance", names) == "attendance");
  CHECK(did_you_mean("Attendance", names) == "attendance");
  CHECK(did_you_mean("rwm_expectd", names) == "rwm_expected");
  CHECK(did_you_mean("tpye", names) == "type");
  CHECK(did_you_mean("cohort", names).empty());
  CHECK(did_you_mean("x", names).empty());
  CHECK(did_you_mean("", names).empty());
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("ABC", "abc") == 0);
}
