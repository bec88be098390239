// End-to-end evaluation: rule text + small CSV fixtures (tests/fixtures/eval/) ->
// statuses, reasons, tiers, floors, overrides, KPIs, as-of ages, time functions,
// and byte-identical output whatever the thread count.
#include "eval_run.h"
#include "kpi.h"
#include "report.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace tr;

namespace {

const std::string kFixture = std::string(TRUSTRULES_SOURCE_DIR) + "/tests/fixtures/eval";

struct Evaluated {
  Run run;
  EvaluationResult result;
  std::string messages;
  int rc = -1;
};

std::unique_ptr<Evaluated> evaluate_fixture(const std::string& rules = kFixture + "/eval.rules",
                                            const std::string& as_of = "", int jobs = 1,
                                            const std::string& data = kFixture + "/data") {
  auto e = std::make_unique<Evaluated>();
  RunOptions o;
  o.rules = rules;
  o.data = {data};
  o.as_of = as_of;
  e->rc = prepare_run(o, e->run, e->messages);
  if (e->rc != 0) return e;
  e->result = evaluate(e->run.plan, eval_options(e->run, jobs));
  return e;
}

const SchoolResult& school(const EvaluationResult& r, const std::string& urn) {
  for (const auto& s : r.schools)
    if (s.urn == urn) return s;
  FAIL("no school " << urn);
  return r.schools.front();
}

const RuleResult& result(const SchoolResult& s, const std::string& id) {
  for (const auto& r : s.results)
    if (r.id == id) return r;
  FAIL("no result " << id << " for " << s.urn);
  return s.results.front();
}

Status status(const EvaluationResult& r, const std::string& urn, const std::string& id) {
  return result(school(r, urn), id).status;
}

bool has_reason(const Reasons& rs, const std::string& part) {
  for (const auto& r : rs)
    if (r.find(part) != std::string::npos) return true;
  return false;
}

// The fixture rules with extra declarations appended, in a temporary folder.
std::string rules_with(const std::string& extra, const std::string& name) {
  std::ifstream in(kFixture + "/eval.rules");
  std::stringstream text;
  text << in.rdbuf() << "\n" << extra << "\n";
  auto dir = std::filesystem::temp_directory_path() / ("trustrules_eval_" + name);
  std::filesystem::create_directories(dir);
  std::string path = (dir / "eval.rules").string();
  std::ofstream(path) << text.str();
  return path;
}

}  // namespace

TEST_CASE("standards: three-valued statuses with reasons and provenance", "[eval][e2e]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  const auto& r = e->result;
  CHECK(to_string(r.as_of) == "2024-25 summer");  // the latest period in the data
  REQUIRE(r.schools.size() == 5);

  CHECK(status(r, "100001", "attendance_gap") == Status::NotMet);
  const RuleResult& gap = result(school(r, "100002"), "attendance_gap");
  CHECK(gap.status == Status::Unknown);
  CHECK(gap.reasons == Reasons{"AttDis is SUPP (suppressed) in attendance.csv row 5"});
  // Every value used, with its cell.
  REQUIRE(gap.values.size() == 2);
  CHECK(gap.values[0].name == "attendance.not_disadvantaged");
  CHECK(gap.values[0].text == "94.5%");
  CHECK(gap.values[0].period == "2024-25 summer");
  CHECK(gap.values[0].row == 5);
  CHECK(gap.values[0].column == "AttNotDis");
  CHECK(gap.values[1].text == "SUPP");

  CHECK(status(r, "100001", "rwm_above_national") == Status::Met);
  const RuleResult& na = result(school(r, "100003"), "rwm_above_national");
  CHECK(na.status == Status::NotApplicable);
  CHECK(na.reasons == Reasons{"it applies only when phase is \"primary\""});

  // known() is never unknown; a SUPP cell is simply not known.
  CHECK(status(r, "100001", "disadvantaged_known") == Status::NotMet);
  CHECK(status(r, "100002", "disadvantaged_known") == Status::Met);
  CHECK(status(r, "100001", "progress_not_below") == Status::Met);
  CHECK(status(r, "100002", "progress_not_below") == Status::NotMet);

  // Benchmarks come from the same period as the school's value.
  const RuleResult& above = result(school(r, "100001"), "rwm_above_national");
  REQUIRE(above.values.size() == 2);
  CHECK(above.values[1].name == "national(rwm)");
  CHECK(above.values[1].text == "61%");
  CHECK(above.values[1].from == ValueUse::From::Benchmark);
}

TEST_CASE("time functions across missing years", "[eval][e2e]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  const auto& r = e->result;
  CHECK(status(r, "100001", "rwm_improving") == Status::Met);       // 70, 72, 75
  CHECK(status(r, "100004", "rwm_improving") == Status::NotMet);    // 55, 50, 45
  const RuleResult& beta = result(school(r, "100002"), "rwm_improving");  // 60, SUPP, 58
  CHECK(beta.status == Status::Unknown);
  CHECK(has_reason(beta.reasons, "PTRWM_EXP is SUPP (suppressed) in 2023-2024_ks2.csv row 3"));
  // every_year: 2024-25 fails outright, so the unknown year does not matter.
  CHECK(status(r, "100002", "rwm_every_year") == Status::NotMet);
  CHECK(status(r, "100001", "rwm_every_year") == Status::Met);
  CHECK(status(r, "100001", "rwm_change") == Status::Met);      // 75 - 70
  CHECK(status(r, "100002", "rwm_change") == Status::NotMet);   // 58 - 60
  CHECK(status(r, "100002", "rwm_previous") == Status::Unknown);
  CHECK(status(r, "100004", "rwm_previous") == Status::NotMet);
  // No data at all: unknown, saying which period was missing.
  const RuleResult& gamma = result(school(r, "100003"), "rwm_improving");
  CHECK(gamma.status == Status::Unknown);
  CHECK(has_reason(gamma.reasons, "no rwm value at or before 2024-25 summer"));
  CHECK(has_reason(gamma.reasons, "no rwm value for 2023-24"));
}

TEST_CASE("as of a period: latest value at or before it, and its age", "[eval][e2e]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  // Delta's attendance was last recorded in spring: one term old by the summer.
  const RuleResult& floor = result(school(e->result, "100004"), "attendance_floor");
  REQUIRE(!floor.values.empty());
  CHECK(floor.values[0].period == "2024-25 spring");
  CHECK(floor.values[0].age == 1);
  CHECK(floor.values[0].age_unit == "term");
  CHECK(floor.status == Status::NotMet);  // 91% < 92%

  auto autumn = evaluate_fixture(kFixture + "/eval.rules", "2024-25 autumn");
  REQUIRE(autumn->rc == 0);
  const RuleResult& alpha = result(school(autumn->result, "100001"), "attendance_floor");
  REQUIRE(!alpha.values.empty());
  CHECK(alpha.values[0].period == "2023-24 summer");
  CHECK(alpha.values[0].age == 1);  // summer to the next autumn
  CHECK(alpha.values[0].text == "95%");
  // Annual results of 2024-25 are not out by the autumn: last year's, one year old.
  const RuleResult& rwm = result(school(autumn->result, "100001"), "rwm_above_national");
  REQUIRE(!rwm.values.empty());
  CHECK(rwm.values[0].period == "2023-24");
  CHECK(rwm.values[0].age == 1);
  CHECK(rwm.values[0].age_unit == "year");
}

TEST_CASE("tiers: best fit, floor consequence, override, all unknown", "[eval][e2e]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  const auto& r = e->result;
  const TierResult& alpha = school(r, "100001").tier;
  CHECK(alpha.number == 1);
  CHECK(alpha.decided_by == std::vector<std::string>{"tier1.d1", "tier1.d2"});
  CHECK(school(r, "100001").support.size() == 1);

  const TierResult& beta = school(r, "100002").tier;  // placed 2, overridden to 3
  CHECK(beta.placed == 2);
  CHECK(beta.number == 3);
  REQUIRE(beta.override_);
  CHECK(beta.override_->from == 2);
  CHECK(beta.override_->approved_by == "Chair of trustees");
  CHECK(beta.override_->reason == "Headteacher left; interim leadership");
  CHECK(beta.override_->date == "2025-02-01");

  const TierResult& gamma = school(r, "100003").tier;  // placed 3; the floor changes nothing
  CHECK(gamma.number == 3);
  CHECK(!gamma.raised_by_floor);
  // Schools in one tier share its package (one copy a run, not one a school).
  REQUIRE_FALSE(school(r, "100003").support.empty());
  CHECK(&school(r, "100003").support.items() == &school(r, "100002").support.items());
  CHECK(&school(r, "100003").support.items() != &school(r, "100001").support.items());
  CHECK(school(r, "100003").floors_breached == std::vector<std::string>{"attendance_floor"});

  const TierResult& delta = school(r, "100004").tier;  // teaching unknown; placed 2, raised to 3
  CHECK(delta.placed == 2);
  CHECK(delta.number == 3);
  CHECK(delta.raised_by_floor);
  CHECK(delta.not_judged.size() == 3);
  REQUIRE(delta.floors.size() == 1);
  CHECK(delta.floors[0].from == 2);
  CHECK(delta.floors[0].to == 3);

  const SchoolResult& eps = school(r, "100005");  // nothing known at all
  CHECK(eps.tier.number == 0);
  CHECK(!eps.tier.reasons.empty());
  CHECK(eps.floors_met == Status::Unknown);
  CHECK(eps.support.empty());
}

TEST_CASE("trust KPIs and support capacity", "[eval][e2e]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  const auto& k = e->result.kpis;
  REQUIRE(k.size() == 3);
  CHECK(k[0].id == "attendance_mean");
  CHECK(k[0].value.num == Approx((97 + 94 + 89 + 91) / 4.0));
  CHECK(k[0].previous.num == Approx((95 + 93 + 90 + 92) / 4.0));
  CHECK(k[0].direction == "improved");
  CHECK(k[0].status == Status::NotMet);
  CHECK(k[0].known == 4);
  CHECK(k[0].unknown == 1);
  CHECK(k[1].value.num == Approx(50));    // 2 of the 4 schools with a known answer
  CHECK(k[1].previous.num == Approx(75));  // Delta met the floor in 2023-24
  CHECK(k[1].direction == "declined");
  CHECK(k[1].status == Status::NotMet);
  CHECK(k[2].aggregate == "variability");
  CHECK(k[2].status == Status::NotApplicable);

  const auto& cap = e->result.capacity;
  REQUIRE(cap.size() == 3);
  CHECK(cap[0].id == "ceo");
  CHECK(cap[0].per_term == Approx(13.0 / 4 + 13 * 3));  // Alpha tier 1, three schools in tier 3
  CHECK(cap[0].schools == 4);
  CHECK(cap[2].id == "review");
  CHECK(cap[2].per_term == Approx(3 * 2.0 / 3));
}

TEST_CASE("output is byte-identical whatever the thread count", "[eval][e2e]") {
  auto serial = evaluate_fixture(kFixture + "/eval.rules", "", 1);
  REQUIRE(serial->rc == 0);
  std::string json = report_json(serial->result), csv = report_csv(serial->result),
              table = report_table(serial->result);
  for (int jobs : {2, 3, 8}) {
    EvalOptions eo;
    eo.as_of = serial->run.as_of;
    eo.jobs = jobs;
    EvaluationResult p = evaluate(serial->run.plan, eo);
    CHECK(report_json(p) == json);
    CHECK(report_csv(p) == csv);
    CHECK(report_table(p) == table);
  }
}

TEST_CASE("operators end to end: defines, count_of ranges, if/year, between, in", "[eval][e2e]") {
  std::string extra = R"(
define below_count = count_of(rwm < 60%, progress < -1, attendance < 92%)
standard two_weak "At least two weak signs" {
  met when below_count >= 2
}
standard recent_rule "Year-dependent threshold" {
  met when if year <= 2023-24 then rwm >= 70% else rwm >= 74%
}
standard in_band "Attendance in band" {
  met when attendance between 93% and 95%
}
standard teaching_ok "Teaching secure or better" {
  met when teaching in [strong, secure]
}
standard not_weak "Not weak teaching" {
  met when not (teaching is weak)
}
standard yearly_rule "Each year judged by its own threshold" {
  met when every_year(if year <= 2022-23 then rwm >= 69% else rwm >= 71%, 3)
}
)";
  auto e = evaluate_fixture(rules_with(extra, "ops"));
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  const auto& r = e->result;
  // Beta: rwm 58 (< 60), progress -3 (< -1), attendance 94: two of three, certainly.
  CHECK(status(r, "100002", "two_weak") == Status::Met);
  // Epsilon: all three unknown: 0..3, undecided.
  CHECK(status(r, "100005", "two_weak") == Status::Unknown);
  // Gamma: rwm and progress unknown, attendance 89 below: 1..3, undecided.
  CHECK(status(r, "100003", "two_weak") == Status::Unknown);
  // Alpha: none below: exactly 0.
  CHECK(status(r, "100001", "two_weak") == Status::NotMet);
  CHECK(status(r, "100001", "recent_rule") == Status::Met);    // 75 >= 74 in 2024-25
  CHECK(status(r, "100002", "in_band") == Status::Met);        // 94
  CHECK(status(r, "100001", "in_band") == Status::NotMet);     // 97
  CHECK(status(r, "100005", "in_band") == Status::Unknown);
  CHECK(status(r, "100002", "teaching_ok") == Status::Met);
  CHECK(status(r, "100003", "teaching_ok") == Status::NotMet);
  CHECK(status(r, "100004", "teaching_ok") == Status::Unknown);  // blank in spring
  CHECK(status(r, "100003", "not_weak") == Status::NotMet);
  // every_year shifts `year` with the metrics: 70 >= 69 (2022-23), 72 >= 71, 75 >= 71.
  CHECK(status(r, "100001", "yearly_rule") == Status::Met);
}

TEST_CASE("explain tells the whole story of one school", "[eval][e2e]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  int idx = e->run.data.school_index("100004");
  REQUIRE(idx >= 0);
  Evaluator ev(e->run.plan, e->run.as_of);
  SchoolTrace trace;
  SchoolResult s = evaluate_school(ev, e->run.plan, idx, &trace);
  std::string text = explain_school(e->run.plan, e->result, s, trace);
  INFO(text);
  CHECK(text.find("floor attendance_floor \"attendance\": NOT MET") != std::string::npos);
  CHECK(text.find("attendance = 91%  (2024-25 spring, ") != std::string::npos);
  CHECK(text.find("1 term old") != std::string::npos);
  CHECK(text.find("national(attendance) = 92%") != std::string::npos);
  CHECK(text.find("Tier 2 Grow fits best: 1 of its 1 known descriptors is met (100%).") != std::string::npos);
  CHECK(text.find("Then the attendance floor was breached, which requires tier at least 3: raised from Tier 2 Grow to Tier 3 Reinvent.") != std::string::npos);
  CHECK(text.find("Teaching is blank (not recorded) in attendance.csv row 9") != std::string::npos);
  // How three-valued logic resolved.
  Evaluated& ev2 = *e;
  int beta = ev2.run.data.school_index("100002");
  SchoolTrace t2;
  SchoolResult b = evaluate_school(ev, ev2.run.plan, beta, &t2);
  std::string bt = explain_school(ev2.run.plan, ev2.result, b, t2);
  CHECK(bt.find("it fails in at least one of the last 3 years") != std::string::npos);
  CHECK(bt.find("Finally, an in-year override on 2025-02-01, approved by Chair of trustees, sets Tier 3 Reinvent (was Tier 2 Grow)") != std::string::npos);
}

TEST_CASE("rules or data with errors: nothing is evaluated", "[eval][e2e]") {
  auto bad = evaluate_fixture(rules_with("standard broken \"x\" {\n  met when atendance > 1\n}\n", "bad"));
  CHECK(bad->rc == 1);
  CHECK(bad->messages.find("atendance") != std::string::npos);
  auto missing = evaluate_fixture(kFixture + "/no_such.rules");
  CHECK(missing->rc == 2);
  auto as_of = evaluate_fixture(kFixture + "/eval.rules", "last tuesday");
  CHECK(as_of->rc == 2);
}

// `valid for`: a value older than its metric allows is stale, so unknown with the
// reason, and time functions step back from the present, not from the stale value.
TEST_CASE("valid for: stale values are unknown, with their age and the limit", "[eval][e2e]") {
  std::ifstream in(kFixture + "/eval.rules");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto limit = [&](const std::string& metric, const std::string& cadence, const std::string& line) {
    size_t at = text.find("metric " + metric + " ");
    REQUIRE(at != std::string::npos);
    at = text.find("  cadence " + cadence + "\n", at);
    REQUIRE(at != std::string::npos);
    text.insert(at, "  " + line + "\n");
  };
  limit("rwm", "annual", "valid for 1 year");
  limit("attendance", "termly", "valid for 1 term");
  auto dir = std::filesystem::temp_directory_path() / "trustrules_eval_valid_for";
  std::filesystem::create_directories(dir);
  std::string path = (dir / "eval.rules").string();
  std::ofstream(path) << text;

  // Summer 2024-25: Delta's attendance is from spring, one term old: stale.
  auto summer = evaluate_fixture(path, "2024-25 summer");
  INFO(summer->messages);
  REQUIRE(summer->rc == 0);
  const RuleResult& floor = result(school(summer->result, "100004"), "attendance_floor");
  CHECK(floor.status == Status::Unknown);
  CHECK(has_reason(floor.reasons,
                   "the latest attendance value is from 2024-25 spring, 1 term old; it is valid for 1 term"));
  CHECK(status(summer->result, "100001", "attendance_floor") == Status::Met);  // this term's: 97%

  // Autumn 2025-26: this year's results are not out yet, so 2024-25's are current.
  auto autumn = evaluate_fixture(path, "2025-26 autumn");
  REQUIRE(autumn->rc == 0);
  CHECK(status(autumn->result, "100001", "rwm_above_national") == Status::Met);  // 75% > 61%
  CHECK(status(autumn->result, "100001", "rwm_previous") == Status::Met);        // 75% > 72%

  // The whole of 2025-26: the 2024-25 results are a year old, past their validity.
  auto year = evaluate_fixture(path, "2025-26");
  REQUIRE(year->rc == 0);
  const RuleResult& rwm = result(school(year->result, "100001"), "rwm_above_national");
  CHECK(rwm.status == Status::Unknown);
  CHECK(has_reason(rwm.reasons, "the latest rwm value is from 2024-25, 1 year old; it is valid for 1 year"));
  // every_year looks back from 2025-26, which has no value: unknown, not judged on 2024-25.
  CHECK(status(year->result, "100001", "rwm_every_year") == Status::Unknown);
}

namespace {

// The fixture's five schools, repeated with new URNs until there are `n`: enough
// for the JSON writer's chunks and windows to matter.
EvaluationResult widened(const EvaluationResult& r, size_t n) {
  EvaluationResult w = r;
  w.schools.clear();
  for (size_t i = 0; i < n; ++i) {
    SchoolResult s = r.schools[i % r.schools.size()];
    s.urn = std::to_string(200000 + i);
    w.schools.push_back(std::move(s));
  }
  return w;
}

}  // namespace

TEST_CASE("JSON streams in pieces with the same bytes whatever the thread count", "[eval][json]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  EvaluationResult wide = widened(e->result, 1000);
  std::string whole = report_json(wide);
  CHECK(nlohmann::json::parse(whole)["schools"].size() == 1000);
  for (int jobs : {1, 2, 3}) {
    std::string joined;
    size_t pieces = 0;
    CHECK(write_json(wide, JsonOptions{false, jobs}, [&](std::string_view p) {
      joined += p;
      ++pieces;
      return true;
    }));
    CHECK(joined == whole);
    CHECK(pieces > 3);  // a head, several chunks of schools, a tail: never one string
  }
  // A sink that fails stops the stream at once.
  size_t calls = 0;
  CHECK_FALSE(write_json(wide, JsonOptions{false, 2}, [&](std::string_view) { return ++calls < 2; }));
  CHECK(calls == 2);
}

TEST_CASE("compact JSON is the same document, one school per line", "[eval][json]") {
  auto e = evaluate_fixture();
  REQUIRE(e->rc == 0);
  EvaluationResult wide = widened(e->result, 150);
  std::string pretty = report_json(wide), compact = report_json(wide, JsonOptions{true, 2});
  CHECK(nlohmann::json::parse(compact) == nlohmann::json::parse(pretty));
  CHECK(compact.size() * 3 < pretty.size() * 2);
  CHECK(std::count(compact.begin(), compact.end(), '\n') == 150 + 2);
  size_t second = compact.find('\n') + 1;
  CHECK(compact.compare(second, 8, "{\"urn\":\"") == 0);
}

TEST_CASE("summary detail (evaluate --detail summary): the same decisions without the values", "[eval][json]") {
  auto full = evaluate_fixture();
  REQUIRE(full->rc == 0);
  EvalOptions eo;
  eo.as_of = full->run.as_of;
  eo.lua = full->run.lua;
  eo.values = false;
  EvaluationResult summary = evaluate(full->run.plan, eo);
  REQUIRE(summary.schools.size() == full->result.schools.size());
  size_t values = 0;
  for (size_t i = 0; i < summary.schools.size(); ++i) {
    const SchoolResult &s = summary.schools[i], &f = full->result.schools[i];
    CHECK(s.tier.number == f.tier.number);
    CHECK(s.tier.steps == f.tier.steps);
    REQUIRE(s.results.size() == f.results.size());
    for (size_t k = 0; k < s.results.size(); ++k) {
      CHECK(s.results[k].status == f.results[k].status);
      CHECK(s.results[k].reasons == f.results[k].reasons);
      CHECK(s.results[k].values.empty());
      values += f.results[k].values.size();
    }
  }
  CHECK(values > 20);  // the full run did record them
  auto js = nlohmann::json::parse(report_json(summary)), jf = nlohmann::json::parse(report_json(full->result));
  CHECK(js["detail"] == "summary");
  CHECK(jf["detail"] == "full");
  CHECK_FALSE(js["schools"][0]["results"][0].contains("values"));
  CHECK(jf["schools"][0]["results"][0].contains("values"));
  CHECK(js["trust"] == jf["trust"]);  // the KPIs do not depend on the detail
}

TEST_CASE("a shared define is worked out once a school and period: the same answers (the shipped trust rules)",
          "[eval][json]") {
  const std::string src = TRUSTRULES_SOURCE_DIR;
  auto full = evaluate_fixture(src + "/rules/trust.rules", "", 2, src + "/samples/trust");
  REQUIRE(full->rc == 0);
  // Which defines an evaluation may reuse: no parameters, no Lua, no rule.
  std::map<std::string, bool> shared;
  for (const PlanNode& n : full->run.plan.nodes)
    if (n.op == NodeOp::Define) shared[n.name] = n.shared;
  CHECK(shared.at("outcome_vs_national"));
  CHECK(shared.at("has_ks2"));
  CHECK_FALSE(shared.at("gap"));                    // takes a parameter
  CHECK_FALSE(shared.at("attendance_risk_score"));  // calls Lua
  // A summary run reuses them (nothing is recorded); the full run does not.
  EvalOptions eo = eval_options(full->run, 2);
  eo.values = false;
  EvaluationResult summary = evaluate(full->run.plan, eo);
  REQUIRE(summary.schools.size() == full->result.schools.size());
  for (size_t i = 0; i < summary.schools.size(); ++i) {
    const SchoolResult &s = summary.schools[i], &f = full->result.schools[i];
    INFO(f.urn);
    CHECK(s.tier.number == f.tier.number);
    CHECK(s.tier.steps == f.tier.steps);
    REQUIRE(s.results.size() == f.results.size());
    for (size_t k = 0; k < s.results.size(); ++k) {
      INFO(f.results[k].id);
      CHECK(s.results[k].status == f.results[k].status);
      CHECK(s.results[k].reasons == f.results[k].reasons);
    }
  }
  CHECK(nlohmann::json::parse(report_json(summary))["trust"] == nlohmann::json::parse(report_json(full->result))["trust"]);
}

TEST_CASE("evaluation in windows streams the same JSON and lets each window's results go", "[eval][json]") {
  auto whole = evaluate_fixture();
  REQUIRE(whole->rc == 0);
  const std::string expected = report_json(whole->result, JsonOptions{true, 1});
  // The fixture places tiers, so there is a tier explanation to let go of.
  REQUIRE_FALSE(whole->result.schools[0].tier.steps.empty());
  for (size_t window : {1, 2, 4, 100}) {
    EvalOptions eo;
    eo.as_of = whole->run.as_of;
    eo.jobs = 2;
    eo.window = window;
    std::string text;
    JsonStream js(JsonOptions{true, 2}, [&](std::string_view p) {
      text += p;
      return true;
    });
    std::vector<std::pair<size_t, size_t>> seen;
    eo.on_window = [&](EvaluationResult& r, size_t first, size_t count) {
      seen.emplace_back(first, count);
      if (first == 0) CHECK(js.head(r));
      for (size_t i = first; i < first + count; ++i) CHECK_FALSE(r.schools[i].results.empty());
      CHECK(js.schools(r, first, count));
    };
    EvaluationResult r = evaluate(whole->run.plan, eo);
    CHECK(js.tail(r));
    INFO("window " << window);
    CHECK(text == expected);
    CHECK(seen.size() == (5 + window - 1) / window);
    CHECK(seen.back().first + seen.back().second == 5);
    for (size_t i = 0; i < r.schools.size(); ++i) {
      CHECK(r.schools[i].results.empty());  // released once written
      CHECK(r.schools[i].tier.steps.empty());
      CHECK(r.schools[i].tier.scores.empty());
      CHECK(r.schools[i].kpi_now.empty());  // folded into the KPIs once evaluated
      CHECK(r.schools[i].kpi_before.empty());
      CHECK(r.schools[i].support.size() == whole->result.schools[i].support.size());
      CHECK(r.schools[i].tier.number == whole->result.schools[i].tier.number);
    }
    CHECK(nlohmann::json::parse(report_json(r))["trust"] == nlohmann::json::parse(expected)["trust"]);
  }
}
