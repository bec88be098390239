// Syntax errors: where they point, what they say, and recovery to report more than one.
#include "parser.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace tr;

namespace {

struct Parsed {
  SourceFiles files;
  Diagnostics diags;
  File file;
  bool ok = false;
};

std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->ok = parse_text(p->files, "t.rules", std::move(text), p->file, p->diags);
  return p;
}

// "line:col: message" of the first error.
std::string first(const std::string& text) {
  auto p = parse(text);
  if (p->diags.all().empty()) return "no error";
  const auto& d = p->diags.all()[0];
  return std::to_string(d.span.begin.line) + ":" + std::to_string(d.span.begin.col) + ": " + d.message;
}

std::string first_hint(const std::string& text) {
  auto p = parse(text);
  return p->diags.all().empty() ? "no error" : p->diags.all()[0].hint;
}

}  // namespace

TEST_CASE("errors say what was expected and what was found, at the exact place", "[parser][errors]") {
  CHECK(first("metric attendance {\n  type percent\n}\n") ==
        "1:19: expected a label in double quotes after the metric name, found '{'");
  CHECK(first("metric \"Attendance\" {\n}\n") ==
        "1:8: expected a name for the metric after 'metric' (letters, digits and _, starting with a letter), "
        "found a label in quotes");
  CHECK(first("metric a \"A\" {\n  type percentage\n}\n") ==
        "2:8: expected a metric type: percent, score, count, rate, number, yesno or grade on SCALE, found "
        "'percentage'");
  CHECK(first_hint("metric a \"A\" {\n  type percnt\n}\n") == "did you mean 'percent'?");
  CHECK(first("metric a \"A\" {\n  type grade ofsted\n}\n") ==
        "2:14: expected 'on' and a scale after 'grade', as in type grade on ofsted, found 'ofsted'");
  CHECK(first("metric a \"A\" {\n  better up\n}\n") == "2:10: expected 'higher' or 'lower' after 'better', found 'up'");
  CHECK(first("floor f \"F\" {\n  met when attendance at least\n}\n") ==
        "2:31: expected a value after 'at least', found the end of the line");
  CHECK(first("floor f \"F\" {\n  met when attendance >=\n}\n") ==
        "2:25: expected a value after '>=', found the end of the line");
  CHECK(first("define x = (a + b\n") == "1:18: expected ')' to close the bracket, found the end of the file");
  CHECK(first("define x = f(a b)\n") == "1:16: expected ',' or ')' to close the call, found 'b'");
  CHECK(first("define x = if a then b\n") ==
        "1:23: expected 'else' and the value for when the condition does not hold, found the end of the file");
  CHECK(first("define x = a between 1 or 2\n") ==
        "1:24: expected 'and' in 'between … and …', found 'or'");
  CHECK(first("define x = a in b\n") ==
        "1:17: expected a list in square brackets after 'in', such as [good, outstanding], found 'b'");
  CHECK(first("define x = [a, b]\n") ==
        "1:12: a list in [ ] can only follow 'in', as in: teaching in [good, outstanding]");
  CHECK(first("param p \"P\" 2\n") == "1:13: expected '=' and the value, found '2'");
  CHECK(first("tiers {\n  assign by worst fit\n}\n") ==
        "2:13: expected an assignment policy: 'best fit', 'first match' or 'at least N of', found 'worst'");
  CHECK(first("tiers {\n  tier 1 \"A\" {\n    led by council\n  }\n}\n") ==
        "3:12: expected 'academy' or 'trust' after 'led by', found 'council'");
  CHECK(first("tiers {\n  tier 1 \"A\" {\n    support s \"S\" every fortnight\n  }\n}\n") ==
        "3:25: expected 'week', 'term', 'year' or a number after 'every', found 'fortnight'");
  CHECK(first("floor f \"F\" {\n  on breach tier 3\n}\n") == "2:18: expected 'at', found '3'");
  CHECK(first("test \"T\" {\n  given school abc {\n  }\n}\n") ==
        "2:16: expected the school's URN (a number) after 'given school', found 'abc'");
  CHECK(first("source s \"S\" {\n  period last year\n}\n") ==
        "2:10: expected a period: an academic year (2018-19), a term (2024-25 autumn), 'from file name', "
        "'from column C' or 'from columns Y, T', found 'last'");
}

TEST_CASE("a missing ':' names what it follows", "[parser][errors]") {
  CHECK(first("source s \"S\" {\n  columns {\n    attendance PTRWM\n  }\n}\n") ==
        "3:16: expected ':' after 'attendance', found 'PTRWM'");
  CHECK(first_hint("test \"t\" {\n  given school 1 {\n    attendance = 5%\n  }\n}\n") ==
        "a name and its value are separated by ':', as in attendance: 94%");
}

TEST_CASE("unknown items and unclosed blocks", "[parser][errors]") {
  CHECK(first("metric a \"A\" {\n  type percent\n  tpye score\n}\n") == "3:3: unknown metric item 'tpye'");
  CHECK(first_hint("metric a \"A\" {\n  tpye score\n}\n") ==
        "did you mean 'type'? (a metric block holds type, better, groups, cadence, confidence and 'valid for')");
  CHECK(first_hint("metric a \"A\" {\n  colour red\n}\n") ==
        "a metric block holds type, better, groups, cadence, confidence and 'valid for'");
  CHECK(first("tiers {\n  tier 1 \"A\" {\n    led by academy\n") ==
        "3:19: expected '}' to close the tier block opened at line 2, but the file ends");
  CHECK(first("metric a \"A\" {\n  type percent\n\nmetric b \"B\" {\n}\n") ==
        "4:1: expected '}' to close the metric block opened at line 1 before this 'metric'");
  CHECK(first("floor f \"F\" {\n  applies if x\n}\n") == "2:11: expected 'when', found 'if'");
  CHECK(first("metric a \"A\" {\n  type percent score\n}\n") == "2:16: unexpected 'score' after the end of this item");
  CHECK(first("}\n") == "1:1: unexpected '}': there is no open block to close");
  CHECK(first("metrc a \"A\" {}\n") == "1:1: unknown declaration 'metrc'");
  CHECK(first_hint("metrc a \"A\" {}\n") == "did you mean 'metric'?");
  CHECK(first_hint("descriptor \"A\": x\n") == "'descriptor' belongs inside a tier block { … }");
  CHECK(first("tiers {\n  tier 2 \"Grow\"\n}\n") == "2:16: expected '{' to open the tier's block, found the end of the line");
}

TEST_CASE("an operator left at the end of a line is reported there", "[parser][errors]") {
  CHECK(first("floor f \"F\" {\n  met when attendance at least\n  on breach tier at least 3\n}\n") ==
        "2:31: expected a value after 'at least', found the end of the line");
  CHECK(first_hint("floor f \"F\" {\n  met when attendance at least\n  on breach tier at least 3\n}\n") ==
        "the next line starts a new item ('on'), so nothing follows 'at least'");
  CHECK(first("tiers {\n tier 1 \"A\" {\n  descriptor \"D\":\n  support s \"S\"\n }\n}\n") ==
        "3:18: expected a value after ':', found the end of the line");
  CHECK(first("kpi k \"K\" {\n  value mean(x) +\n  better higher\n}\n") ==
        "2:18: expected a value after '+', found the end of the line");
}

TEST_CASE("labels: unterminated, bad escapes, bad UTF-8", "[parser][errors]") {
  CHECK(first("metric a \"Attendance {\n  type percent\n}\n") == "1:10: this label has no closing double quote");
  auto p = parse("metric a \"Attendance {\n");
  REQUIRE(!p->diags.all().empty());
  CHECK(p->diags.all()[0].span.end.col == 23);
  CHECK(first("\"") == "1:1: expected a declaration, found a label in quotes");
  CHECK(first("include \"") == "1:9: this label has no closing double quote");
  CHECK(first("include \"a\\nb\"\n") == "1:11: '\\n' is not allowed in a label");
  CHECK(first("include \"a\xFF\"\n") == "1:11: this label contains bytes that are not valid UTF-8");
}

TEST_CASE("hints for habits from other languages", "[parser][errors]") {
  CHECK(first_hint("define x = a && b\n") == "write 'and' instead of '&&'");
  CHECK(first_hint("define x = a == b\n") == "write '=' once to compare: attendance = 95%");
  CHECK(first_hint("define x = a AND b\n") == "keywords are written in lower case: 'and'");
  CHECK(first_hint("define x = a at 3\n") == "write 'at least' or 'at most'");
  CHECK(first_hint("define x = \xE2\x80\x9C" "a\xE2\x80\x9D\n") ==
        "labels use plain double quotes \"like this\", not curly quotes");
  CHECK(first_hint("define gap (m) = m\n") == "write a name and its '(' together, with no space: abs(x), define gap(m)");
  CHECK(first_hint("define x = abs (y)\n") == "write a name and its '(' together, with no space: abs(x), define gap(m)");
  CHECK(first("define x = a and then\n") == "1:18: expected a value after 'and', found 'then'");
  CHECK(first_hint("define x = a and then\n") == "'then' is a keyword and cannot be used as a name");
}

TEST_CASE("recovery reports an error in each broken declaration", "[parser][errors]") {
  auto p = parse(
      "metric a \"A\" {\n"
      "  type percentage\n"
      "}\n"
      "metric b \"B\" {\n"
      "  type percent\n"
      "}\n"
      "floor f \"F\" {\n"
      "  met when x >=\n"
      "}\n"
      "  define ok = 1\n"
      "kpi k {\n"
      "}\n");
  CHECK_FALSE(p->ok);
  REQUIRE(p->diags.all().size() == 3);
  CHECK(p->diags.all()[0].span.begin.line == 2);
  CHECK(p->diags.all()[1].span.begin.line == 8);
  CHECK(p->diags.all()[2].span.begin.line == 11);
  // The declarations that parsed are kept.
  REQUIRE(p->file.decls.size() == 2);
  CHECK(std::get<Metric>(p->file.decls[0]).id.text == "b");
  CHECK(std::get<Define>(p->file.decls[1]).id.text == "ok");
}

TEST_CASE("too many errors stop with a note", "[parser][errors]") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "metric m \n";
  auto p = parse(text);
  CHECK(p->diags.error_count() == 20);
  REQUIRE(p->diags.all().size() == 21);
  CHECK(p->diags.all().back().severity == Severity::Note);
}

TEST_CASE("nesting is capped with a clear error", "[parser][errors]") {
  std::string deep = "define x = " + std::string(100000, '(') + "1" + std::string(100000, ')') + "\n";
  CHECK(first(deep).find("nested too deeply (more than 64 levels") != std::string::npos);
  std::string nots = "define x = ";
  for (int i = 0; i < 10000; ++i) nots += "not ";
  CHECK(first(nots + "a\n").find("nested too deeply") != std::string::npos);
  std::string chain = "define x = a";
  for (int i = 0; i < 100000; ++i) chain += " + a";
  CHECK(first(chain + "\n").find("too long or nested too deeply (more than 256 levels)") != std::string::npos);
  std::string members = "define x = a";
  for (int i = 0; i < 1000; ++i) members += ".b";
  CHECK(first(members + "\n").find("too long") != std::string::npos);
  std::string ok = "define x = a";
  for (int i = 0; i < 200; ++i) ok += " + a";
  CHECK(first(ok + "\n") == "no error");
}
