// The Lua rules shipped in rules/lua, through the sandbox API the evaluator uses.
#include "lua_sandbox.h"
#include "lua_test_util.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace tr;

namespace {

const std::string kRules = std::string(TRUSTRULES_SOURCE_DIR) + "/rules/lua/";

LuaValue pct(double v) { return LuaValue::num(v, LuaNumTag::Percent); }

LuaSandbox& load(LuaSandbox& sb, const char* file) {
  LuaError err;
  bool ok = sb.load_file(kRules + file, &err);
  INFO(err.to_string());
  REQUIRE(ok);
  return sb;
}

LuaCallResult risk(LuaSandbox& sb, std::vector<LuaValue> args) {
  return sb.call("attendance_risk", args);
}

LuaSchool school(const std::string& urn, LuaValue att, LuaValue previous_att, LuaValue pa = pct(15),
                 LuaValue previous_pa = pct(15)) {
  LuaSchool s;
  s.urn = urn;
  s.name = "School " + urn;
  s.phase = "primary";
  s.as_of = "2024-25";
  s.values = {{"attendance", att}, {"persistently_absent", pa}};
  s.history = {{"attendance", {{"2023-24", previous_att}, {"2024-25", att}}},
               {"persistently_absent", {{"2023-24", previous_pa}, {"2024-25", pa}}}};
  s.benchmarks = {{"national", {{"attendance", pct(94)}, {"persistently_absent", pct(18)}}}};
  return s;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("attendance_risk scores 0 to 5", "[lua]") {
  LuaSandbox sb;
  load(sb, "attendance_risk.lua");
  CHECK(sb.functions() == std::vector<std::string>{"attendance_risk", "attendance_risk_rule"});
  CHECK(sb.declared_return(sb.function_id("attendance_risk"))->kind == LuaKind::Number);
  // At or above national on both: no risk.
  CHECK(risk(sb, {pct(95), pct(15), pct(94), pct(18)}).value == LuaValue::num(0));
  // Just below national attendance: 1. Exactly 2 points below is still "close".
  CHECK(risk(sb, {pct(93.5), pct(15), pct(94), pct(18)}).value == LuaValue::num(1));
  CHECK(risk(sb, {pct(93.1), pct(15), pct(95.1), pct(18)}).value == LuaValue::num(1));
  // Well below on attendance (2) and well above on persistent absence (2).
  CHECK(risk(sb, {pct(90), pct(25), pct(94), pct(18)}).value == LuaValue::num(4));
  // ...and the gap widened since last year: 5.
  CHECK(risk(sb, {pct(90), pct(25), pct(94), pct(18), pct(91), pct(24)}).value == LuaValue::num(5));
  // Improving: the gap narrowed, no trend point.
  CHECK(risk(sb, {pct(90), pct(25), pct(94), pct(18), pct(89), pct(26)}).value == LuaValue::num(4));
  // Against last year's national figures when given.
  CHECK(risk(sb, {pct(92), pct(15), pct(94), pct(18), pct(92), pct(15), pct(93), pct(18)}).value ==
        LuaValue::num(2));
}

TEST_CASE("attendance_risk: unknown in, unknown out", "[lua]") {
  LuaSandbox sb;
  load(sb, "attendance_risk.lua");
  LuaCallResult r = risk(sb, {pct(90), LuaValue::unknown("PA is SUPP in att.csv row 4"), pct(94),
                              LuaValue::unknown("no national PA for 2024-25")});
  REQUIRE(r.ok());
  CHECK(r.value == LuaValue::unknown("PA is SUPP in att.csv row 4; no national PA for 2024-25"));
  r = risk(sb, {pct(90), pct(20), pct(94), pct(18), LuaValue::unknown("no 2023-24 return"), pct(19)});
  CHECK(r.value == LuaValue::unknown("no 2023-24 return"));
  r = risk(sb, {pct(90), LuaValue::str("high"), pct(94), pct(18)});
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message, "attendance_risk: persistent absence must be a number, not string"));
  r = risk(sb, {pct(90), pct(20)});  // the national values are required
  CHECK(contains(r.error.message, "national attendance must be a number, not nil"));
}

TEST_CASE("attendance_risk_rule explains its status", "[lua]") {
  LuaSandbox sb;
  load(sb, "attendance_risk.lua");
  LuaRuleResult r = sb.call_rule("attendance_risk_rule", school("100001", pct(90), pct(91), pct(25), pct(24)));
  REQUIRE(r.ok());
  CHECK(r.status == Status::NotMet);
  CHECK(r.reason ==
        "attendance 90.0% is 4.0 points below national 94.0%; persistent absence 25.0% is 7.0 "
        "points above national 18.0%; the gap to national widened since 2023-24: risk 5 of 5");
  CHECK(r.values.size() == 5);
  CHECK(r.values[1] == LuaField{"national_attendance", LuaValue::num(94)});
  CHECK(r.values[4] == LuaField{"risk", LuaValue::num(5)});

  r = sb.call_rule("attendance_risk_rule", school("100002", pct(95), pct(94)));
  CHECK(r.status == Status::Met);
  CHECK(contains(r.reason, "did not widen since 2023-24: risk 0 of 5"));

  r = sb.call_rule("attendance_risk_rule",
                   school("100003", LuaValue::unknown("attendance is NE in att.csv row 9"), pct(94)));
  CHECK(r.status == Status::Unknown);
  CHECK(r.reason == "attendance is NE in att.csv row 9");

  LuaSchool no_national = school("100004", pct(95), pct(94));
  no_national.benchmarks.clear();
  r = sb.call_rule("attendance_risk_rule", no_national);
  CHECK(r.status == Status::Unknown);
  CHECK(r.reason == "no national attendance benchmark for primary schools");

  LuaSchool no_metric = school("100005", pct(95), pct(94));
  no_metric.values.pop_back();
  r = sb.call_rule("attendance_risk_rule", no_metric);
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message, "school 100005 has no 'persistently_absent' value"));
  // Located at the caller's line (error level 2), in the rule function.
  CHECK(contains(r.error.script, "attendance_risk.lua"));
  CHECK(r.error.line == test::shipped_script_line("attendance_risk.lua", test::kRiskMetricCall));
  CHECK(r.error.function == "attendance_risk_rule");
}

TEST_CASE("variability_index: coefficient of variation across schools", "[lua]") {
  LuaSandbox sb;
  load(sb, "variability.lua");
  std::vector<LuaValue> values{pct(90), pct(94), LuaValue::unknown("SUPP"), pct(98)};
  std::vector<LuaValue> args{LuaValue::list(values)};
  LuaCallResult r = sb.call("variability_index", args);
  REQUIRE(r.ok());
  double sd = std::sqrt(32.0 / 3.0);  // mean 94, deviations -4, 0, 4
  CHECK(r.value.tag == LuaNumTag::Percent);
  CHECK(r.value.number == Approx(sd / 94 * 100));
  args = {LuaValue::list({pct(90), LuaValue::unknown("SUPP")})};
  r = sb.call("variability_index", args);
  CHECK(r.value == LuaValue::unknown("only 1 known value (1 unknown)"));
  args = {LuaValue::list({pct(0), pct(0)})};
  r = sb.call("variability_index", args);
  CHECK(r.value.kind == LuaKind::Unknown);
}

TEST_CASE("variability_kpi: falling year on year", "[lua]") {
  LuaSandbox sb;
  load(sb, "variability.lua");
  std::vector<LuaSchool> schools{
      school("100001", pct(92), pct(90)), school("100002", pct(94), pct(94)),
      school("100003", LuaValue::unknown("attendance is SUPP"), LuaValue::unknown("no return")),
      school("100004", pct(96), pct(98))};
  std::vector<LuaValue> metric{LuaValue::str("attendance")};
  LuaRuleResult r = sb.call_kpi("variability_kpi", schools, metric);
  INFO(r.error.to_string());
  REQUIRE(r.ok());
  CHECK(r.status == Status::Met);  // spread 92-96 this year, 90-98 last year
  REQUIRE(r.value);
  CHECK(r.value->number == Approx(std::sqrt(8.0 / 3.0) / 94 * 100));
  CHECK(contains(r.reason, "variability of attendance across 4 schools is 1.74%"));
  CHECK(contains(r.reason, "1 unknown, skipped: 100003 (attendance is SUPP)"));
  CHECK(contains(r.reason, "the year before it was 3.47%"));
  auto field = [&](const char* name) {
    for (const LuaField& f : r.values)
      if (f.name == name) return f.value;
    return LuaValue::str("absent");
  };
  CHECK(field("known") == LuaValue::num(3));
  CHECK(field("unknown") == LuaValue::num(1));
  CHECK(field("mean") == LuaValue::num(94));

  // Diverging schools: not met. Too few known: unknown.
  schools = {school("100001", pct(90), pct(93)), school("100002", pct(98), pct(95))};
  CHECK(sb.call_kpi("variability_kpi", schools, metric).status == Status::NotMet);
  schools = {school("100001", pct(90), pct(93))};
  r = sb.call_kpi("variability_kpi", schools, metric);
  CHECK(r.status == Status::Unknown);
  CHECK(r.value == LuaValue::unknown("only 1 known value (0 unknown)"));
}
