// The checker on small rule texts: names, types and units, defines, built-ins,
// kpi contexts and Lua. Declarations, tiers and tests: checker_decls_test.cc.
#include "check_test_util.h"
#include "checker.h"

using namespace tr;
using namespace tr::test;
namespace fs = std::filesystem;

TEST_CASE("checker: a well-formed ruleset is clean and its tables are filled", "[checker]") {
  auto r = check_rules(R"(benchmark national "England, state-funded schools"
standard gap_rule "Close the gap" {
  applies when phase is "primary"
  met when gap(rwm_expected) <= 0 points and small_school is no
}
floor attendance_floor "Attendance" {
  met when attendance at least attendance_target and close_to(attendance, national(attendance))
  on breach tier at least 2
}
tiers "T" {
  assign by best fit, ties to more support
  tier 1 "Lead" {
    descriptor "Safe": safeguarding is effective and teaching is good and inspection at least good
    support ceo "CEO 1:1" every 4 weeks
  }
  tier 2 "Grow" {
    descriptor "Reading": read_progress.lower > 0 and known(rwm_expected.disadvantaged)
    descriptor "Trend": improving(attendance, 3 terms) or declining(rwm_expected, 2 years)
    descriptor "Exclusions": exclusions below national(exclusions) and not sixth_form
    support ceo "CEO 1:1" every 2 weeks
  }
}
kpi floor_share "Floors" {
  value share(floors_met)
  better higher
}
kpi attendance_mean "Mean attendance" {
  value mean(attendance)
  met when value at least attendance_target and value > previous(value)
}
kpi gap_count "Schools meeting the gap rule" {
  value count(gap_rule) + count(attendance_floor)
}
kpi spread_kpi "Spread" {
  value spread(rwm_expected)
  met when value < 10 points
}
test "A weak school" {
  given school 900001 "Test Primary" phase "primary" {
    attendance: 89%
    safeguarding: ineffective
    teaching: good
    inspection: good
    rwm_expected.disadvantaged: SUPP
    national(attendance): 94%
    attendance in 2024-25: 91%
    sixth_form: yes
  }
  expect tier 2
  expect gap_rule unknown
  expect attendance_floor not met
  expect gap(rwm_expected) = 5 points
}
)");
  expect_clean(*r);
  const Ruleset& rs = *r->rs;
  REQUIRE(rs.header);
  CHECK(rs.header->year == "2025-26");
  REQUIRE(rs.benchmark_ids.size() == 3);
  CHECK(rs.benchmark_ids[0] == "national");
  CHECK(rs.benchmark_ids[1] == "local_authority");
  CHECK(rs.benchmark_ids[2] == "trust_target");
  REQUIRE(rs.benchmarks[0]);
  CHECK(rs.benchmarks[0]->label == "England, state-funded schools");
  CHECK(rs.benchmarks[1] == nullptr);
  CHECK(rs.find(rs.benchmark_index, "trust_target") == 2);
  CHECK(rs.metrics.size() == 10);
  CHECK(rs.find(rs.metric_index, "attendance") == 2);
  CHECK(rs.rules.size() == 3);  // with the prelude's
  CHECK(rs.kpis.size() == 4);
  CHECK(rs.tests.size() == 1);
  CHECK(rs.data_sources.size() == 1);
  REQUIRE(rs.tiers);
  int ofsted = rs.find(rs.scale_index, "ofsted");
  CHECK(rs.grade_rank(ofsted, "good") == 1);
  CHECK(rs.grade_rank(ofsted, "Requires improvement") == 2);
  CHECK(rs.grade_rank(ofsted, "REQUIRES_IMPROVEMENT") == 2);
  CHECK(rs.grade_rank(ofsted, "effective") == -1);
  CHECK(rs.grade_rank(99, "good") == -1);

  // The checker's fields: `gap(rwm_expected) <= 0 points` is points vs points.
  const Expr& met = met_of(*r, "gap_rule");
  CHECK(met.type == Type::Bool);
  const Expr& cmp = *met.args[0];
  const Expr& call = *cmp.args[0];
  CHECK(call.ref == RefKind::Define);
  CHECK(call.type == Type::Points);
  CHECK(call.args[0]->ref == RefKind::Metric);
  CHECK(call.args[0]->ref_index == 0);
  // `safeguarding is effective` resolves `effective` on safeguarding_scale;
  // `teaching is good` resolves `good` on teaching_scale although ofsted has a `good`.
  const Expr& d1 = *rs.tiers->tiers[0].descriptors[0].expr;
  const Expr& teaching_good = *d1.args[0]->args[1]->args[1];
  CHECK(teaching_good.ref == RefKind::Grade);
  CHECK(teaching_good.scale == "teaching_scale");
  CHECK(teaching_good.ref_index == 1);
  const Expr& inspection_good = *d1.args[1]->args[1];
  CHECK(inspection_good.scale == "ofsted");
  // read_progress.lower: bound 1
  const Expr& d2 = *rs.tiers->tiers[1].descriptors[0].expr;
  const Expr& lower = *d2.args[0]->args[0];
  CHECK(lower.ref == RefKind::Metric);
  CHECK(lower.bound == 1);
  CHECK(lower.type == Type::Score);
  const Expr& known = *d2.args[1]->args[0];
  CHECK(known.group == 1);
  // Benchmarks: ref Benchmark with the index, the metric on the argument.
  const Expr& bench = *met_of(*r, "attendance_floor").args[1]->args[1];
  CHECK(bench.ref == RefKind::Benchmark);
  CHECK(bench.ref_index == 0);
  CHECK(bench.type == Type::Percent);
  // Define bodies are filled generically: parameters as DefineParam.
  const Define& gap = *rs.defines[rs.find(rs.define_index, "gap")];
  CHECK(gap.body->args[0]->args[0]->ref == RefKind::DefineParam);
  CHECK(gap.body->args[0]->args[0]->ref_index == 0);
  // kpi value types
  CHECK(rs.kpis[0]->value->type == Type::Percent);
  CHECK(rs.kpis[2]->value->type == Type::Count);
  CHECK(rs.kpis[3]->value->type == Type::Points);
  CHECK(rs.kpis[1]->met->args[1]->args[1]->ref == RefKind::Builtin);
  CHECK(rs.kpis[1]->met->args[0]->args[0]->ref == RefKind::KpiValue);
}

TEST_CASE("checker: unknown names with did-you-mean", "[checker]") {
  auto r = check_rules(R"(standard s "S" {
  met when atendance > 90% and rwm_expected.disadvantged > 50%
}
standard t "T" {
  met when attendance > attendance_targt and gapp(rwm_expected) > 0 points and zzz_qqq
}
)");
  CHECK_FALSE(r->ok);
  expect_diag(*r, "unknown metric 'atendance'", 4, 12, "did you mean 'attendance'?");
  expect_diag(*r, "'rwm_expected' has no group 'disadvantged'", 4, 45, "did you mean 'disadvantaged'?");
  expect_diag(*r, "unknown param 'attendance_targt'", 7, 25, "did you mean 'attendance_target'?");
  expect_diag(*r, "unknown define 'gapp'", 7, 46, "did you mean 'gap'?");
  expect_diag(*r, "unknown name 'zzz_qqq'", 7, 80);
  // Every error of the run is reported, not only the first.
  check_errors(*r, 5);
}

TEST_CASE("checker: grades resolve on the other side's scale and compare only within it", "[checker]") {
  auto r = check_rules(R"(standard a "A" {
  met when teaching >= effective
}
standard b "B" {
  met when safeguarding is outstandin or good
}
standard c "C" {
  met when teaching in [strong, ineffective] and inspection between good and outstanding
}
standard d "D" {
  met when teaching at least good and inspection at least good and safeguarding is effective
}
)");
  expect_diag(*r, "'teaching' is graded on teaching_scale but 'effective' is a grade on safeguarding_scale", 4, 24,
              "teaching_scale has: strong, good, poor");
  expect_diag(*r, "'outstandin' is not a grade on safeguarding_scale", 7, 28, "safeguarding_scale has: effective");
  expect_diag(*r, "'good' is a grade on several scales (ofsted, teaching_scale)", 7, 42);
  expect_diag(*r, "'teaching' is graded on teaching_scale but 'ineffective'", 10, 33);
  expect_diag(*r, "`between` compares numbers, but 'inspection' is a grade on ofsted", 10, 50,
              "inspection at least outstanding and inspection at most good");
  CHECK(find(*r, "teaching at least good") == nullptr);  // standard d is fine
  check_errors(*r, 5);
}

TEST_CASE("checker: types and units", "[checker]") {
  auto r = check_rules(R"(standard a "A" {
  met when inspection + 1 > 2
}
standard b "B" {
  met when attendance > read_progress or cohort > 5% or exclusions = attendance
}
standard c "C" {
  met when attendance > 0.95 and gap(rwm_expected) < 2 and attendance < 95
}
standard d "D" {
  met when attendance - 3 years > 90%
}
standard e "E" {
  met when attendance
}
standard f "F" {
  met when attendance and not cohort
}
standard g "G" {
  met when (if year <= 2016-17 then attendance else read_progress) > 0 and year >= 2018
}
standard h "H" {
  met when phase < "primary" or sixth_form > no or attendance between 95% and 90%
}
)");
  expect_diag(*r, "grades have no arithmetic: 'inspection' is a grade on ofsted", 4, 12, "compare grades instead");
  expect_diag(*r, "'attendance' is a percent and 'read_progress' is a score, so they cannot be compared", 7, 12);
  expect_diag(*r, "'cohort' is a count and '5%' is a percent", 7, 42);
  expect_diag(*r, "'exclusions' is a rate and 'attendance' is a percent", 7, 57);
  expect_diag(*r, "'attendance' is a percent but '0.95' has no unit", 10, 25, "did you mean 95%?");
  expect_diag(*r, "'gap(rwm_expected)' is a difference in points but '2' has no unit", 10, 54,
              "did you mean 2 points?");
  expect_diag(*r, "'attendance' is a percent but '95' has no unit", 10, 73, "did you mean 95%?");
  expect_diag(*r, "'3 years' is a length of time", 13, 25, "change(attendance, 3 years)");
  expect_diag(*r, "`met when` needs a yes/no condition, but 'attendance' is a percent", 16, 12);
  expect_diag(*r, "`and` needs yes/no on both sides, but 'attendance' is a percent", 19, 12);
  expect_diag(*r, "`not` needs a yes/no condition, but 'cohort' is a count", 19, 31);
  expect_diag(*r, "the two branches of `if` differ: 'attendance' is a percent but 'read_progress' is a score", 22, 12);
  expect_diag(*r, "'year' is an academic year and '2018' is a number", 22, 76, "2018-19");
  expect_diag(*r, "'phase' is text, which has no order", 25, 12);
  expect_diag(*r, "'sixth_form' is yes/no, which has no order", 25, 33, "use `is` or `is not`");
  expect_diag(*r, "the range is empty: '95%' is above '90%'", 25, 52);
  check_errors(*r, 16);
}

TEST_CASE("checker: unit arithmetic", "[checker]") {
  auto r = check_rules(R"(standard a "A" {
  met when attendance - national(attendance) > -2 points and attendance + 1 point > 90% and (attendance + persistent_absence) / 2 > 50%
}
standard b "B" {
  met when read_progress - 1 point > 0 and change(rwm_expected, 2 years) > 0 points and change(cohort, 1 year) > 0
}
standard c "C" {
  met when attendance * 2 > 100% and attendance / persistent_absence > 1 and attendance * attendance > 1
}
)");
  const Expr& a = met_of(*r, "a");
  CHECK(a.args[0]->args[0]->args[0]->type == Type::Points);  // percent − percent
  CHECK(a.args[0]->args[1]->args[0]->type == Type::Percent);  // percent + points
  const Expr& b = met_of(*r, "b");
  CHECK(b.args[0]->args[0]->args[0]->type == Type::Score);
  CHECK(b.args[0]->args[1]->args[0]->type == Type::Points);  // change of a percent
  CHECK(b.args[1]->args[0]->type == Type::Count);
  expect_diag(*r, "'attendance' is a percent and 'attendance' is a percent, so they cannot be multiplied", 10, 78);
  check_errors(*r, 1);
}

TEST_CASE("checker: defines: arity, errors at the call site, cycles", "[checker]") {
  auto r = check_rules(R"(define twice(a, b) = gap(a) + gap(b)
define loop_a(x) = loop_b(x) + 1
define loop_b(y) = loop_a(y)
define broken(x) = x + unknown_thing
standard a "A" {
  met when gap(rwm_expected, attendance) > 0 points
}
standard b "B" {
  met when gap(attendance) > 0 points or gap(attendance) < 5 points
}
standard c "C" {
  met when twice(rwm_expected, safeguarding) > 0 points
}
standard d "D" {
  met when broken(attendance) > 0% and broken(cohort) > 0 and gap > 0 points
}
)");
  expect_diag(*r, "'gap' takes 1 argument but was given 2", 8, 12, "it is defined as gap(m)");
  // The body's error is reported at each call site, with a note into the body.
  const auto& all = r->diags.all();
  int at_call = 0;
  for (size_t i = 0; i < all.size(); ++i)
    if (all[i].message == "'attendance' has no group 'not_disadvantaged'") {
      ++at_call;
      CHECK(all[i].span.begin.line == 11);
      REQUIRE(i + 1 < all.size());
      CHECK(all[i + 1].severity == Severity::Note);
      CHECK(all[i + 1].message == "in define 'gap', where m is 'attendance' (a percent)");
      CHECK(fs::path(r->rs->sources.path(all[i + 1].span.begin.file)).filename() == "prelude.rules");
      CHECK(all[i + 1].span.begin.line == 78);
      CHECK(all[i + 1].span.begin.col == 25);
    }
  CHECK(at_call == 2);
  // Nested: twice(…, safeguarding) → gap(b) → b.not_disadvantaged.
  expect_diag(*r, "'safeguarding' has no group 'not_disadvantaged'", 14, 12);
  expect_diag(*r, "define 'loop_a' depends on itself: loop_a → loop_b → loop_a", 4, 8,
              "a define cannot use itself");
  CHECK(find(*r, "loop_b' depends on itself") == nullptr);  // one cycle, one report
  // An error that does not depend on the arguments is reported once, in the body.
  expect_diag(*r, "unknown name 'unknown_thing'", 6, 24);
  int unknown = 0;
  for (const auto& d : all) unknown += d.message.find("unknown_thing") != std::string::npos;
  CHECK(unknown == 1);
  expect_diag(*r, "'gap' takes 1 argument", 17, 63, "write gap(m)");
}

TEST_CASE("checker: built-in functions", "[checker]") {
  auto r = check_rules(R"(standard a "A" {
  met when change(attendance) > 0 points or improving(cohort, 3 years) or improving(rwm_expected, 2 terms)
}
standard b "B" {
  met when change(attendance, 3) > 0 points or every_year(attendance, 3) or known(attendance) > 1
}
standard c "C" {
  met when count_of(attendance > 90%, cohort) > 1 or min(attendance, 90%) > 80% or abs(teaching) > 1
}
standard d "D" {
  met when improving(gap(rwm_expected), 2 years) or change(attendance, 2 weeks) > 0 points
}
standard e "E" {
  met when declining(attendance, 1 term)
}
)");
  expect_diag(*r, "'change' takes 2 arguments but was given 1", 4, 12, "change(x, N years)");
  expect_diag(*r, "'improving' needs to know which way is better, but metric 'cohort' has no `better`", 4, 55,
              "add `better higher` or `better lower` to metric cohort");
  expect_diag(*r, "'rwm_expected' is annual, so it has no termly values to compare", 4, 99,
              "improving(rwm_expected, 2 years)");
  expect_diag(*r, "'3' needs a unit here: years or terms", 7, 31, "did you mean 3 years?");
  expect_diag(*r, "`every_year` needs a yes/no condition, but 'attendance' is a percent", 7, 59);
  expect_diag(*r, "'known(attendance)' is yes/no and '1' is a number", 7, 77);
  expect_diag(*r, "`count_of` needs a yes/no condition, but 'cohort' is a count", 10, 39);
  expect_diag(*r, "'abs' needs a number, but 'teaching' is a grade on teaching_scale", 10, 88);
  expect_diag(*r, "'improving' needs a metric, so that it knows which way is better", 13, 22,
              "change(gap(rwm_expected), 2 years) < 0");
  expect_diag(*r, "'change' counts back in years or terms, not '2 weeks'", 13, 72);
  expect_diag(*r, "'declining' looks for a trend, which takes at least 2 years or terms, not '1 term'", 16, 34,
              "declining(…, 2 terms) compares this period with the one before");
  check_errors(*r, 11);
}

TEST_CASE("checker: kpi contexts and aggregates", "[checker]") {
  auto r = check_rules(R"(floor f "F" {
  met when attendance > 90%
}
standard s "S" {
  met when share(attendance > 90%) > 50% or value > 1 or floors_met or f
}
kpi k1 "K1" {
  value attendance
}
kpi k2 "K2" {
  value 5%
}
kpi k3 "K3" {
  value share(attendance > 90%)
  met when value > 90 and attendance > 5% and previous(value) < value
}
kpi k4 "K4" {
  value mean(share(f)) + share(f) + mean(safeguarding is effective)
}
kpi k5 "K5" {
  value mean(gap(rwm_expected))
  met when gap(rwm_expected) > 0 points
}
)");
  expect_diag(*r, "'share' adds up across schools, so it can only be used in a kpi", 7, 12);
  expect_diag(*r, "'value' is a kpi's own value, so it can only be used in a kpi's `met when`", 7, 45);
  expect_diag(*r, "'floors_met' counts schools meeting every floor", 7, 58, "share(floors_met)");
  expect_diag(*r, "'f' is a floor; a rule's result can only be counted across schools in a kpi", 7, 72,
              "value share(f)");
  expect_diag(*r, "'attendance' is a metric for each school, but a kpi adds schools up", 10, 9,
              "wrap it in an aggregate, e.g. mean(attendance)");
  expect_diag(*r, "a kpi's value must add schools up, but '5%' does not", 13, 9);
  expect_diag(*r, "'value' is a percent but '90' has no unit", 17, 20, "did you mean 90%?");
  expect_diag(*r, "'attendance' is a metric for each school", 17, 27);
  expect_diag(*r, "'share' is inside another aggregate; aggregates do not nest", 20, 14);
  expect_diag(*r, "'mean' needs a number, but 'safeguarding is effective' is yes/no", 20, 42,
              "share(safeguarding is effective)");
  expect_diag(*r, "'gap(rwm_expected)' is worked out for each school, but a kpi adds schools up", 24, 12);
  check_errors(*r, 11);
}

TEST_CASE("checker: Lua functions come from `use lua` scripts", "[checker]") {
  const char* lua = "function attendance_risk(a, b)\n  return 1\nend\nlocal function hidden() end\n"
                    "function weighted_review() return true end\nlocal M = {}\nfunction M.not_global() end\n";
  auto r = check_rules(R"(use lua "lua/risk.lua"
standard a "A" {
  met when attendance_risk(attendance, persistent_absence) >= 3 and weighted_review()
}
standard b "B" {
  met by lua "weighted_review"
}
standard c "C" {
  met by lua "weighted_reviw"
}
standard d "D" {
  met when hidden() and not_global()
}
)",
                       true, {{"lua/risk.lua", lua}});
  CHECK(r->rs->lua_functions == std::vector<std::string>{"attendance_risk", "weighted_review"});
  REQUIRE(r->rs->lua_scripts.size() == 1);
  CHECK(fs::path(r->rs->lua_scripts[0]).filename() == "risk.lua");
  const Expr& a = met_of(*r, "a");
  CHECK(a.args[0]->args[0]->ref == RefKind::Lua);
  CHECK(a.args[0]->args[0]->type == Type::Number);
  CHECK(a.args[1]->type == Type::Bool);  // yes/no where a condition is wanted
  expect_diag(*r, "no `use lua` script defines a function 'weighted_reviw'", 11, 14,
              "did you mean 'weighted_review'?");
  expect_diag(*r, "unknown function 'hidden'", 14, 12);
  expect_diag(*r, "unknown function 'not_global'", 14, 25);
  check_errors(*r, 3);

  auto missing = check_rules("use lua \"nope.lua\"\n", false);
  expect_diag(*missing, "cannot read the Lua script: 'nope.lua'", 3, 1, "relative to this file");

  // The sandbox can replace the text scan.
  set_lua_function_lister([](const std::string&, std::vector<std::string>& names, std::string&) {
    names = {"from_sandbox"};
    return true;
  });
  auto s = check_rules("use lua \"any.lua\"\nstandard a \"A\" {\n  met when from_sandbox(attendance) > 1\n}\n");
  set_lua_function_lister(nullptr);
  check_errors(*s, 0);
}

TEST_CASE("checker: a grade name in a define resolves on its argument's scale at each call", "[checker]") {
  auto r = check_rules(R"(define at_least_good(x) = x at least good
define graded(x) = x in [good, strong]
standard a "A" {
  met when at_least_good(teaching) and at_least_good(inspection) and graded(teaching)
}
standard b "B" {
  met when at_least_good(safeguarding)
}
)");
  // No error in the bodies themselves: `good` waits for the argument's scale.
  expect_diag(*r, "'x' is graded on safeguarding_scale but 'good' is a grade on ofsted, teaching_scale", 9, 12);
  const auto& all = r->diags.all();
  auto it = std::find_if(all.begin(), all.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
  REQUIRE(it + 1 != all.end());
  CHECK((it + 1)->message == "in define 'at_least_good', where x is 'safeguarding' (a grade on safeguarding_scale)");
  CHECK((it + 1)->span.begin.line == 3);
  CHECK((it + 1)->span.begin.col == 38);
  check_errors(*r, 1);
}
