// The checker on declarations: duplicates, tiers, unused names, the header,
// sources, params, benchmarks, tests; and check_expression for the planner.
#include "check_test_util.h"
#include "checker.h"

using namespace tr;
using namespace tr::test;
namespace fs = std::filesystem;

TEST_CASE("checker: duplicate declarations", "[checker]") {
  auto r = check_rules(R"(metric attendance "Again" {
  type percent
}
define cohort = 5
scale ofsted "Again" {
  good "Good"
}
scale twice "Twice" {
  good "Good"
  fine "Fine"
  good "Good again"
}
metric groupy "Groups" {
  type percent
  groups boys, girls, boys
}
standard s "S" {
  met when attendance > 90%
}
floor s "S again" {
  met when attendance > 90%
}
define mean(x) = x
tiers "T" {
  tier 1 "One" {
    descriptor "d": attendance > 90%
    support ceo "CEO"
    support ceo "CEO again"
  }
  tier 2 "Two" {
    descriptor "d": attendance > 80%
    support ceo "CEO"
  }
}
)");
  expect_diag(*r, "metric 'attendance' is declared twice", 3, 8);
  const auto& all = r->diags.all();
  auto it = std::find_if(all.begin(), all.end(), [](const Diagnostic& d) {
    return d.message == "metric 'attendance' is declared twice";
  });
  REQUIRE(it + 1 != all.end());
  CHECK((it + 1)->severity == Severity::Note);
  CHECK(fs::path(r->rs->sources.path((it + 1)->span.begin.file)).filename() == "prelude.rules");
  CHECK((it + 1)->span.begin.line == 27);
  expect_diag(*r, "'cohort' is already the name of a metric", 6, 8, "give the define another name");
  expect_diag(*r, "scale 'ofsted' is declared twice", 7, 7);
  expect_diag(*r, "grade 'good' appears twice in scale 'twice'", 13, 3);
  expect_diag(*r, "group 'boys' is listed twice", 17, 23);
  expect_diag(*r, "'s' is already the name of a standard", 22, 7);
  expect_diag(*r, "'mean' is a built-in function and cannot name a define", 25, 8);
  expect_diag(*r, "support 'ceo' is listed twice in tier 1", 30, 13);
  check_errors(*r, 8);  // `ceo` in tier 1 and tier 2 is one capacity line
}

TEST_CASE("checker: tiers structure and floor consequences", "[checker]") {
  auto r = check_rules(R"(floor f "F" {
  met when attendance > 90%
  on breach tier at least 5
}
tiers "T" {
  assign by at least 3 of
  otherwise tier 7
  tier 1 "Lead" {
    descriptor "a": attendance > 95%
    descriptor "b": attendance > 96%
    descriptor "c": attendance > 97%
  }
  tier 3 "Reinvent" {
    descriptor "a": attendance > 85%
  }
  tier 4 "Stabilise" {
  }
}
tiers "Second" {
  tier 1 "x" {
    descriptor "y": attendance > 1%
  }
}
)");
  expect_diag(*r, "floor 'f' moves a breaching school to tier 5 or above, but there are only 3 tiers", 5, 3,
              "the tiers are: 1 Lead, 3 Reinvent, 4 Stabilise");
  expect_diag(*r, "'otherwise tier 7': there is no tier 7", 9, 3, "the tiers are:");
  expect_diag(*r, "tier 3 follows tier 1; tier 2 is missing", 15, 8, "without gaps");
  expect_diag(*r, "tier 3 has 1 descriptor, so 'at least 3 of' can never place a school in it", 15, 8, "",
              Severity::Warning);
  expect_diag(*r, "tier 4 has no descriptors", 18, 8);
  expect_diag(*r, "a ruleset has one tiers block, and this is a second one", 21, 1);
  check_errors(*r, 5);

  auto p = check_rules(R"(tiers "T" {
  assign by at least 2 of
  tier 2 "Two" {
    descriptor "a": attendance > 95%
  }
}
)");
  expect_diag(*p, "'at least 2 of' can never be met: no tier has more than 1 descriptor", 4, 3);
  expect_diag(*p, "the first tier must be tier 1, not tier 2", 5, 8);

  auto none = check_rules("floor f \"F\" {\n  met when attendance > 90%\n  on breach tier at least 2\n}\n");
  expect_diag(*none, "floor 'f' moves a breaching school to tier 2 or above, but there are no tiers", 5, 3);
}

TEST_CASE("checker: unused metrics and params are warnings", "[checker]") {
  auto r = check_rules(R"(metric used_in_rule "A" {
  type percent
}
metric only_bound "B" {
  type percent
}
metric used_in_test "C" {
  type count
}
metric used_in_benchmark "D" {
  type percent
}
param used_param = 5%
param unused_param = 2 points
source s "S" {
  files "*.csv"
  key URN
  columns {
    only_bound: COL
  }
}
benchmark target "T" {
  used_in_benchmark: 5%
}
standard a "A" {
  met when used_in_rule > used_param
}
test "t" {
  given school 1 "S" {
    used_in_test: 3
  }
  expect a met
}
)",
                       false);
  CHECK(r->ok);  // warnings only
  expect_diag(*r, "metric 'only_bound' is declared but never used", 6, 8, "a source binding alone is not a use",
              Severity::Warning);
  expect_diag(*r, "param 'unused_param' is declared but never used", 16, 7, "", Severity::Warning);
  CHECK(r->diags.warning_count() == 2);
}

TEST_CASE("checker: header and includes", "[checker]") {
  auto r = check_rules("include \"sub.rules\"\n", false,
                       {{"sub.rules", "ruleset \"Sub\" version \"1\" year 2025-26\n"}});
  expect_diag(*r, "has its own ruleset header, but it is included by", 1, 1,
              "only the root file of a ruleset starts with `ruleset`", Severity::Error, "sub.rules");

  fs::path dir = scratch() / "noheader";
  write(dir / "plain.rules", "param x = 5%\n");
  Diagnostics d;
  auto rs = load_ruleset((dir / "plain.rules").string(), d);
  REQUIRE(rs);
  CHECK_FALSE(check_ruleset(*rs, d));
  REQUIRE(d.error_count() >= 1);
  CHECK(d.all()[0].message.find("has no `ruleset` header") != std::string::npos);
  CHECK(d.all()[0].span.begin.line == 1);
}

TEST_CASE("checker: sources", "[checker]") {
  auto r = check_rules(R"(source s "S" {
  files "*.csv"
  key URN
  school type from rows
  missing {
    SUPP: "suppressed"
    NE: "no entries"
    SUPP: "again"
  }
  columns {
    attendence: ATT
    rwm_expected.disadvantged: X
    attendance.lower: Y
    rwm_expected: A
    rwm_expected: B
  }
}
source t "T" {
  files "*.csv"
  key URN
  rows by R {
    1: nationl
    2: skip
  }
  columns {
    cohort: C
  }
}
source o "Overrides" {
  role overrides
  files "o.csv"
  key URN
  columns {
    reason: Reason
    aproved_by: By
  }
}
)");
  expect_diag(*r, "`school type from rows` needs a `rows by COLUMN", 6, 3);
  expect_diag(*r, "missing code 'SUPP' is listed twice", 10, 5);
  expect_diag(*r, "unknown metric 'attendence'", 13, 5, "did you mean 'attendance'?");
  expect_diag(*r, "'rwm_expected' has no group 'disadvantged'", 14, 18, "did you mean 'disadvantaged'?");
  expect_diag(*r, "'attendance' has no confidence interval, so it has no .lower", 15, 16, "confidence interval");
  expect_diag(*r, "'rwm_expected' is bound twice in source 's'", 17, 5, "PTRWM_EXP | PTRWMEXP");
  expect_diag(*r, "unknown benchmark 'nationl'", 24, 8, "did you mean 'national'?");
  expect_diag(*r, "an overrides source binds only tier, reason, approved_by and date, not 'aproved_by'", 37, 5,
              "did you mean 'approved_by'?");
  expect_diag(*r, "overrides source 'o' does not bind 'tier'", 31, 8, "tier: COLUMN");
  check_errors(*r, 9);
}

TEST_CASE("checker: params and benchmark values", "[checker]") {
  auto r = check_rules(R"(param p1 = attendance
param p2 = 4 weeks
param p3 = 3 years
benchmark b "B" {
  attendance: 96
  read_progress.lower: 1
  cohort: 5 in 2024-25, 6 in 2024-25
  safeguarding: good
}
standard s "S" {
  met when change(attendance, p3) > 0 points and attendance > p3
}
)");
  expect_diag(*r, "a param's value must be a number with its unit, not 'attendance'", 3, 12);
  expect_diag(*r, "a param cannot be a number of weeks", 4, 12);
  expect_diag(*r, "'attendance' is a percent but '96' has no unit", 7, 15, "did you mean 96%?");
  expect_diag(*r, "a confidence limit (.lower) cannot be given here", 8, 17);
  expect_diag(*r, "benchmark 'b' gives 'cohort' twice for 2024-25", 9, 25);
  expect_diag(*r, "'safeguarding' is graded on safeguarding_scale but 'good' is a grade on ofsted, teaching_scale",
              10, 17);
  expect_diag(*r, "param 'p3' is a length of time", 13, 63);
  check_errors(*r, 7);
}

TEST_CASE("checker: tests", "[checker]") {
  auto r = check_rules(R"(standard gap_rule "G" {
  met when gap(rwm_expected) <= 0 points
}
tiers "T" {
  tier 1 "One" {
    descriptor "d": attendance > 90%
  }
}
test "t" {
  given school 1 "S" {
    attendanc: 90%
    safeguarding: good
    attendance: 0.9
    rwm_expected: SUP
    nationl(attendance): 90%
    inspection: outstandin
  }
  expect tier 9
  expect gap_rul met
  expect gap(rwm_expected) = 5
}
test "two schools" {
  given school 1 "A" {
    attendance: 90%
  }
  given school 2 "B" {
    attendance: 90%
  }
  expect tier 1
  expect school 3 tier 1
}
)");
  expect_diag(*r, "unknown metric 'attendanc'", 13, 5, "did you mean 'attendance'?");
  expect_diag(*r, "'safeguarding' is graded on safeguarding_scale but 'good' is a grade on ofsted", 14, 19);
  expect_diag(*r, "'attendance' is a percent but '0.9' has no unit", 15, 17, "did you mean 90%?");
  expect_diag(*r, "'SUP' is not a missing-value code of any source", 16, 5, "did you mean 'SUPP'?");
  expect_diag(*r, "unknown benchmark 'nationl'", 17, 5, "did you mean 'national'?");
  expect_diag(*r, "'outstandin' is not a grade on ofsted", 18, 17, "did you mean 'outstanding'?");
  expect_diag(*r, "there is no tier 9", 20, 3, "the tiers are: 1 One");
  expect_diag(*r, "unknown rule 'gap_rul'", 21, 10, "did you mean 'gap_rule'?");
  expect_diag(*r, "'gap(rwm_expected)' is a difference in points but '5' has no unit", 22, 30);
  expect_diag(*r, "this test gives several schools, so the expectation must name one", 31, 3);
  expect_diag(*r, "this test gives no school 3", 32, 3, "its schools are: 1, 2");
  check_errors(*r, 11);
}

TEST_CASE("checker: check_expression types a tree after check_ruleset", "[checker]") {
  auto r = check_rules("standard s \"S\" {\n  met when attendance > 90%\n}\n");
  expect_clean(*r);
  // `gap(m)` with `m` substituted, as the planner does.
  auto e = std::make_unique<Expr>();
  e->kind = ExprKind::Binary;
  e->op = Op::Sub;
  for (const char* g : {"not_disadvantaged", "disadvantaged"}) {
    auto m = std::make_unique<Expr>();
    m->kind = ExprKind::Member;
    m->text = g;
    auto base = std::make_unique<Expr>();
    base->kind = ExprKind::Ident;
    base->text = "rwm_expected";
    m->args.push_back(std::move(base));
    e->args.push_back(std::move(m));
  }
  Diagnostics d;
  CHECK(check_expression(*r->rs, *e, ExprContext::School, d));
  CHECK(e->type == Type::Points);
  CHECK(e->args[0]->ref == RefKind::Metric);
  CHECK(e->args[0]->group == 2);
  CHECK(e->args[1]->group == 1);

  // A define call is instantiated from the checked ruleset.
  auto call = std::make_unique<Expr>();
  call->kind = ExprKind::Call;
  call->text = "gap";
  auto arg = std::make_unique<Expr>();
  arg->kind = ExprKind::Ident;
  arg->text = "rwm_expected";
  call->args.push_back(std::move(arg));
  CHECK(check_expression(*r->rs, *call, ExprContext::School, d));
  CHECK(call->type == Type::Points);

  auto bad = std::make_unique<Expr>();
  bad->kind = ExprKind::Ident;
  bad->text = "attendance";
  CHECK_FALSE(check_expression(*r->rs, *bad, ExprContext::Kpi, d));
  CHECK(d.error_count() == 1);
}
