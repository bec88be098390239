// The checker on small rule texts: each test writes a root file (line 1 the
// header, line 2 `include "prelude.rules"`, the snippet from line 3) and asserts
// the message, its line:col and its hint.
#include "check_internal.h"
#include "checker.h"
#include "ruleset.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace {

namespace fs = std::filesystem;
using namespace tr;

const char* kPrelude = R"(scale ofsted "Ofsted judgement" {
  outstanding "Outstanding"
  good "Good"
  requires_improvement "Requires improvement"
  inadequate "Inadequate"
}
scale teaching_scale "Teaching" {
  strong "Strong"
  good "Good"
  poor "Poor"
}
scale safeguarding_scale "Safeguarding" {
  effective "Effective"
  ineffective "Ineffective"
}
metric rwm_expected "RWM" {
  type percent
  better higher
  groups disadvantaged, not_disadvantaged
  cadence annual
}
metric read_progress "Reading progress" {
  type score
  better higher
  confidence interval
}
metric attendance "Attendance" {
  type percent
  better higher
  cadence termly
}
metric persistent_absence "Persistent absence" {
  type percent
  better lower
  cadence termly
}
metric cohort "Cohort" {
  type count
}
metric exclusions "Exclusions" {
  type rate
  better lower
}
metric safeguarding "Safeguarding" {
  type grade on safeguarding_scale
}
metric teaching "Teaching" {
  type grade on teaching_scale
}
metric inspection "Inspection" {
  type grade on ofsted
}
metric sixth_form "Has a sixth form" {
  type yesno
}
source ks2 "KS2" {
  files "*.csv"
  key URN
  period from file name
  rows by RECTYPE {
    1: school "mainstream"
    5: national
  }
  missing {
    SUPP: "suppressed"
    blank: "missing"
  }
  columns {
    rwm_expected: PTRWM_EXP
  }
}
benchmark trust_target "Trust targets" {
  attendance: 96%
}
param close_margin "Close" = 2 points
param attendance_target "Target" = 95%
param min_cohort "Smallest cohort" = 11
define gap(m) "Gap" = m.not_disadvantaged - m.disadvantaged
define close_to(x, y) = abs(x - y) <= close_margin
define small_school = cohort < min_cohort
standard prelude_uses "Uses every name above, so that tests see no unused warnings" {
  met when read_progress > 0 and persistent_absence < 10% and exclusions < 1 and safeguarding is effective and teaching is good and inspection is good and sixth_form is yes and attendance > attendance_target
}
)";

fs::path scratch() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("trustrules_checker_test_" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

struct Run {
  std::unique_ptr<Ruleset> rs;
  Diagnostics diags;
  std::string rendered;
  bool ok = false;
};

// Loads and checks `body` as the root file; `files` are written next to it.
std::unique_ptr<Run> check_rules(const std::string& body, bool prelude = true,
                                 const std::map<std::string, std::string>& files = {}) {
  static int n = 0;
  fs::path dir = scratch() / std::to_string(++n);
  if (prelude) write(dir / "prelude.rules", kPrelude);
  for (const auto& [name, text] : files) write(dir / name, text);
  std::string root = "ruleset \"Test\" version \"1\" year 2025-26\n";
  root += prelude ? "include \"prelude.rules\"\n" : "\n";
  write(dir / "t.rules", root + body);
  auto r = std::make_unique<Run>();
  r->rs = load_ruleset((dir / "t.rules").string(), r->diags);
  REQUIRE(r->rs);
  INFO(r->diags.render(r->rs->sources));
  REQUIRE_FALSE(r->diags.has_errors());
  r->ok = check_ruleset(*r->rs, r->diags);
  r->rendered = r->diags.render(r->rs->sources);
  return r;
}

const Diagnostic* find(const Run& r, std::string_view msg, Severity sev = Severity::Error) {
  for (const auto& d : r.diags.all())
    if (d.severity == sev && d.message == msg) return &d;
  for (const auto& d : r.diags.all())
    if (d.severity == sev && d.message.find(msg) != std::string::npos) return &d;
  return nullptr;
}

// Asserts a diagnostic whose message contains `msg`, at line:col of the root
// file (or of `file` when given), with `hint` in its hint.
void expect_diag(const Run& r, std::string_view msg, uint32_t line, uint32_t col, std::string_view hint = {},
                 Severity sev = Severity::Error, std::string_view file = "t.rules") {
  INFO(r.rendered);
  INFO("looking for: " << msg);
  const Diagnostic* d = nullptr;
  for (const auto& x : r.diags.all())
    if (!d && x.severity == sev && x.span.begin.line == line && x.message.find(msg) != std::string::npos) d = &x;
  if (!d) d = find(r, msg, sev);
  REQUIRE(d);
  CHECK(d->span.begin.line == line);
  CHECK(d->span.begin.col == col);
  CHECK(fs::path(r.rs->sources.path(d->span.begin.file)).filename() == file);
  if (!hint.empty()) CHECK(d->hint.find(hint) != std::string::npos);
}

void check_errors(const Run& r, size_t n) {
  INFO(r.rendered);
  CHECK(r.diags.error_count() == n);
}

void expect_clean(const Run& r) {
  INFO(r.rendered);
  CHECK(r.ok);
  CHECK(r.diags.error_count() == 0);
}

const Expr& met_of(const Run& r, const std::string& rule) {
  int i = r.rs->find(r.rs->rule_index, rule);
  REQUIRE(i >= 0);
  return *r.rs->rules[i]->met;
}

}  // namespace

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
  expect_diag(*r, "unknown function 'gapp'", 7, 46, "did you mean 'gap'?");
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
  check_errors(*r, 10);
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
                    "function weighted_review() return true end\nfunction M.not_global() end\n";
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
