// fmt's expression printer on hand-built trees (parentheses only where the grammar
// needs them, canonical numbers and labels) and the AST equality fmt relies on.
#include "ast_equal.h"
#include "format.h"
#include "parser.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace tr;

namespace {

ExprPtr num(double v, Unit u = Unit::None) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Number;
  e->number = v;
  e->unit = u;
  return e;
}

ExprPtr id(const char* s) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Ident;
  e->text = s;
  return e;
}

ExprPtr bin(Op op, ExprPtr a, ExprPtr b, const char* w = "") {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Binary;
  e->op = op;
  e->written = w;
  e->args.push_back(std::move(a));
  e->args.push_back(std::move(b));
  return e;
}

ExprPtr un(Op op, ExprPtr a) {
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Unary;
  e->op = op;
  e->args.push_back(std::move(a));
  return e;
}

// True when the two texts parse to different ASTs and ast_equal says where.
bool differ(const std::string& a, const std::string& b) {
  SourceFiles files;
  Diagnostics diags;
  File x, y;
  REQUIRE(parse_text(files, "a.rules", a, x, diags));
  REQUIRE(parse_text(files, "b.rules", b, y, diags));
  std::string why;
  bool eq = ast_equal(x, y, &why);
  INFO(why);
  return !eq && !why.empty();
}

}  // namespace

TEST_CASE("fmt: expressions built by hand get exactly the parentheses they need", "[fmt]") {
  CHECK(format_expr(*bin(Op::Mul, bin(Op::Add, id("a"), id("b")), id("c"))) == "(a + b) * c");
  CHECK(format_expr(*bin(Op::Sub, id("a"), bin(Op::Sub, id("b"), id("c")))) == "a - (b - c)");
  CHECK(format_expr(*bin(Op::Sub, bin(Op::Sub, id("a"), id("b")), id("c"))) == "a - b - c");
  CHECK(format_expr(*bin(Op::And, id("a"), bin(Op::Or, id("b"), id("c")))) == "a and (b or c)");
  CHECK(format_expr(*bin(Op::Or, bin(Op::And, id("a"), id("b")), id("c"))) == "a and b or c");
  CHECK(format_expr(*un(Op::Not, bin(Op::Ge, id("x"), num(65, Unit::Percent), "at least"))) ==
        "not x at least 65%");
  CHECK(format_expr(*bin(Op::Eq, un(Op::Not, id("x")), id("y"))) == "(not x) = y");
  CHECK(format_expr(*bin(Op::Eq, bin(Op::Lt, id("a"), id("b")), id("c"))) == "(a < b) = c");
  CHECK(format_expr(*un(Op::Neg, bin(Op::Add, id("a"), id("b")))) == "-(a + b)");
  CHECK(format_expr(*un(Op::Neg, num(2))) == "- 2");
  CHECK(format_expr(*un(Op::Neg, num(-2))) == "- -2");

  CHECK(format_number(65, Unit::Percent) == "65%");
  CHECK(format_number(2, Unit::Points) == "2 points");
  CHECK(format_number(1, Unit::Points) == "1 point");
  CHECK(format_number(-2.5, Unit::None) == "-2.5");
  CHECK(format_number(0.1, Unit::None) == "0.1");
  CHECK(format_number(1, Unit::Years) == "1 year");
  CHECK(format_number(3, Unit::Terms) == "3 terms");
  CHECK(format_number(4, Unit::Weeks) == "4 weeks");
  CHECK(format_year(2099) == "2099-00");
  CHECK(format_year(2019, 1) == "2019-20 autumn");
  CHECK(quote_label("a \"b\" \\ c") == "\"a \\\"b\\\" \\\\ c\"");
}

TEST_CASE("fmt: AST equality sees meaning and ignores layout", "[fmt]") {
  CHECK(differ("define x = a - (b - c)", "define x = a - b - c"));
  CHECK(differ("define x = a and (b or c)", "define x = a and b or c"));
  CHECK(differ("param p = 2 points", "param p = 2%"));
  CHECK(differ("define x = a at least b", "define x = a >= b"));  // the words are kept
  CHECK(differ("metric m \"M\" {\n better higher\n}", "metric m \"M\" {\n better lower\n}"));
  CHECK(differ("scale s { a; b }", "scale s { b; a }"));
  CHECK_FALSE(differ("define x = (a) + b  # c", "\n\ndefine   x=a+b"));
}

TEST_CASE("fmt: a hand-built file with no source prints canonically and parses back", "[fmt]") {
  File f;
  f.header = Header{"Trust", "1", "2025-26", {}};
  Metric m;
  m.id.text = "attendance";
  m.label = "Attendance";
  m.type = MetricType::Percent;
  m.better = Direction::Higher;
  m.groups = {Name{"disadvantaged", {}}};
  m.cadence = Cadence::Termly;
  f.decls.push_back(std::move(m));
  Source s;
  s.id.text = "overrides";
  s.label = "Overrides";
  s.role = SourceRole::Overrides;
  s.files = {"o.csv"};
  s.key.text = "URN";
  s.period.from = PeriodFrom::Columns;
  s.period.column.text = "Year";
  s.period.term_column.text = "Term Name";
  s.columns.push_back(ColumnBinding{{"tier", {}}, {}, {}, {Name{"Tier", {}}}, {}});
  f.decls.push_back(std::move(s));
  Param p;
  p.id.text = "target";
  p.value = num(95, Unit::Percent);
  f.decls.push_back(std::move(p));
  Tiers t;
  t.policy.kind = PolicyKind::FirstMatch;
  t.policy.otherwise = 2;
  Tier one;
  one.number = 1;
  one.label = "Lead";
  one.led_by = LedBy::Trust;
  one.support.push_back(Support{{"visit", {}}, "Visit", Frequency{FreqUnit::Week, 2, 1, "every 2 weeks"}, {}});
  t.tiers.push_back(std::move(one));
  f.decls.push_back(std::move(t));

  SourceFiles none;
  std::string out = format_file(f, none);
  CHECK(out == R"~(ruleset "Trust" version "1" year 2025-26

metric attendance "Attendance" {
  type percent
  better higher
  groups disadvantaged
  cadence termly
}

source overrides "Overrides" {
  role overrides
  files "o.csv"
  key URN
  period from columns Year, "Term Name"
  columns {
    tier: Tier
  }
}

param target = 95%

tiers {
  assign by first match
  otherwise tier 2
  tier 1 "Lead" {
    led by trust
    support visit "Visit" every 2 weeks
  }
}
)~");
  SourceFiles files;
  Diagnostics diags;
  File back;
  REQUIRE(parse_text(files, "t.rules", out, back, diags));
  std::string why;
  CHECK(ast_equal(f, back, &why));
  CHECK(why == "");
}
