// The value bridge: round trips, unknowns, grades, read-only views, the school
// view, deterministic iteration and the shapes of whole-rule results.
#include "lua_sandbox.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace tr;

namespace {

LuaSandbox& loaded(LuaSandbox& sb, const std::string& code) {
  LuaError err;
  bool ok = sb.load_string(code, "test.lua", &err);
  INFO(err.to_string());
  REQUIRE(ok);
  return sb;
}

LuaCallResult call1(LuaSandbox& sb, const char* fn, const LuaValue& arg) {
  std::vector<LuaValue> args{arg};
  return sb.call(fn, args);
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

LuaSchool sample_school() {
  LuaSchool s;
  s.urn = "100001";
  s.name = "Test Primary";
  s.phase = "primary";
  s.type = "academy";
  s.as_of = "2024-25";
  s.values = {{"attendance", LuaValue::num(93.5, LuaNumTag::Percent)},
              {"persistent_absence", LuaValue::unknown("PA is SUPP in att.csv row 4")},
              {"safeguarding", LuaValue::grade("safeguarding_scale", "effective", 0)},
              {"rwm_expected.disadvantaged", LuaValue::num(61, LuaNumTag::Percent)}};
  s.history = {{"attendance",
                {{"2022-23", LuaValue::num(92.0, LuaNumTag::Percent)},
                 {"2023-24", LuaValue::unknown("no return")},
                 {"2024-25", LuaValue::num(93.5, LuaNumTag::Percent)}}}};
  s.benchmarks = {{"national", {{"attendance", LuaValue::num(94.1, LuaNumTag::Percent)}}}};
  return s;
}

}  // namespace

TEST_CASE("values round-trip through Lua", "[lua]") {
  LuaSandbox sb;
  loaded(sb, "function id(x) return x end\nfunction kind(x) return math.type(x) or type(x) end");
  std::vector<LuaValue> values = {
      LuaValue::num(94.25),
      LuaValue::yesno(true),
      LuaValue::yesno(false),
      LuaValue::str("Requires improvement"),
      LuaValue::grade("ofsted", "good", 1),
      LuaValue::unknown("PTRWM_EXP_FSM6CLA1A is SUPP"),
      LuaValue::list({LuaValue::num(1), LuaValue::unknown("r"), LuaValue::str("x")}),
      LuaValue::list({}),
      LuaValue::record({{"a", LuaValue::num(1)}, {"b", LuaValue::list({LuaValue::yesno(true)})}}),
  };
  for (const LuaValue& v : values) {
    INFO(v.to_string());
    LuaCallResult r = call1(sb, "id", v);
    REQUIRE(r.ok());
    CHECK(r.value == v);
  }
  // Tags stay on the engine side; the expected type puts one back.
  LuaType percent = *parse_lua_type("percent");
  std::vector<LuaValue> args{LuaValue::num(95, LuaNumTag::Percent)};
  CHECK(sb.call("id", args).value == LuaValue::num(95));
  CHECK(sb.call("id", args, &percent).value == LuaValue::num(95, LuaNumTag::Percent));
  // Whole numbers arrive as integers, others as floats.
  CHECK(call1(sb, "kind", LuaValue::num(12, LuaNumTag::Count)).value == LuaValue::str("integer"));
  CHECK(call1(sb, "kind", LuaValue::num(12.5)).value == LuaValue::str("float"));
  CHECK(call1(sb, "kind", LuaValue::unknown("x")).value == LuaValue::str("userdata"));
  CHECK(call1(sb, "kind", LuaValue::list({})).value == LuaValue::str("table"));
}

TEST_CASE("types parse and check", "[lua]") {
  CHECK(to_string(*parse_lua_type("grade ofsted")) == "grade ofsted");
  CHECK(parse_lua_type("yesno")->kind == LuaKind::YesNo);
  CHECK_FALSE(parse_lua_type("boolean"));
  CHECK_FALSE(parse_lua_type("grade a b"));
  LuaType ofsted = *parse_lua_type("grade ofsted");
  CHECK(lua_type_accepts(ofsted, LuaValue::grade("ofsted", "good", 1)));
  CHECK_FALSE(lua_type_accepts(ofsted, LuaValue::grade("safeguarding", "effective", 0)));
  CHECK(lua_type_accepts(ofsted, LuaValue::unknown("why")));
  CHECK(LuaValue::num(5, LuaNumTag::Percent).to_string() == "5%");
}

TEST_CASE("arithmetic on unknowns propagates them with their reasons", "[lua]") {
  LuaSandbox sb;
  loaded(sb,
         "function add(a, b) return a + b end\n"
         "function gap(a, b) return (a - b) * 2 / 1 end\n"
         "function neg(a) return -a end\n"
         "function gt(a, b) return a > b end\n"
         "function eq(a, b) return a == b end\n"
         "function cat(a) return 'x' .. a end\n"
         "function idx(a) return a.value end\n"
         "function floor(a) return math.floor(a) end\n"
         "function any(...) return tr.any_unknown(...) or 'all known' end\n"
         "function show(a) return tostring(a) end\n"
         "function info(a) return {is = tr.is_unknown(a), known = tr.known(a), reason = tr.reason(a) or 'none'} end\n"
         "function make() return tr.unknown('no pupils on roll') end\n");
  LuaValue a = LuaValue::unknown("attendance is SUPP"), b = LuaValue::unknown("national missing");
  std::vector<LuaValue> ua{a, LuaValue::num(3)}, an{LuaValue::num(3), a}, ab{a, b}, aa{a, a};
  CHECK(sb.call("add", ua).value == a);
  CHECK(sb.call("add", an).value == a);
  CHECK(sb.call("gap", ab).value == LuaValue::unknown("attendance is SUPP; national missing"));
  CHECK(sb.call("gap", aa).value == a);  // a reason is not repeated
  CHECK(call1(sb, "neg", a).value == a);
  CHECK(sb.call("make", {}).value == LuaValue::unknown("no pupils on roll"));

  LuaCallResult r = sb.call("gt", ua);
  REQUIRE(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message,
                 "cannot compare an unknown value (attendance is SUPP); test tr.is_unknown(x) first"));
  CHECK(contains(sb.call("eq", ab).error.message, "cannot compare an unknown value"));
  CHECK(contains(call1(sb, "cat", a).error.message, "cannot use an unknown value"));
  CHECK(contains(call1(sb, "idx", a).error.message, "cannot use an unknown value"));
  CHECK(contains(call1(sb, "floor", a).error.message, "number expected, got unknown"));

  std::vector<LuaValue> mixed{LuaValue::num(1), a, LuaValue::num(2), b};
  CHECK(sb.call("any", mixed).value == LuaValue::unknown("attendance is SUPP; national missing"));
  std::vector<LuaValue> known{LuaValue::num(1), LuaValue::str("x")};
  CHECK(sb.call("any", known).value == LuaValue::str("all known"));
  CHECK(call1(sb, "show", a).value == LuaValue::str("unknown (attendance is SUPP)"));
  LuaValue info = call1(sb, "info", a).value;
  CHECK(*info.field("is") == LuaValue::yesno(true));
  CHECK(*info.field("known") == LuaValue::yesno(false));
  CHECK(*info.field("reason") == LuaValue::str("attendance is SUPP"));
  info = call1(sb, "info", LuaValue::num(0)).value;
  CHECK(*info.field("known") == LuaValue::yesno(true));
  CHECK(*info.field("reason") == LuaValue::str("none"));
}

TEST_CASE("grades compare within their scale, better is greater", "[lua]") {
  LuaSandbox sb;
  sb.add_scale("ofsted", {"outstanding", "good", "requires_improvement", "inadequate"});
  loaded(sb,
         "function at_least_good(g) return g >= tr.grade('ofsted', 'good') end\n"
         "function parts(g) return {scale = g.scale, grade = g.grade, rank = g.rank, text = tostring(g)} end\n"
         "function same(a, b) return a == b end\n"
         "function cross(a, b) return a < b end\n"
         "function bad() return tr.grade('ofsted', 'excellent') end\n");
  LuaValue good = LuaValue::grade("ofsted", "good", 1), ri = LuaValue::grade("ofsted", "requires_improvement", 2);
  CHECK(call1(sb, "at_least_good", good).value == LuaValue::yesno(true));
  CHECK(call1(sb, "at_least_good", ri).value == LuaValue::yesno(false));
  CHECK(call1(sb, "at_least_good", LuaValue::grade("ofsted", "outstanding", 0)).value ==
        LuaValue::yesno(true));
  LuaValue p = call1(sb, "parts", ri).value;
  CHECK(*p.field("rank") == LuaValue::num(2));
  CHECK(*p.field("text") == LuaValue::str("requires_improvement"));
  std::vector<LuaValue> gg{good, LuaValue::grade("ofsted", "good", 1)};
  CHECK(sb.call("same", gg).value == LuaValue::yesno(true));
  std::vector<LuaValue> xs{good, LuaValue::grade("safeguarding", "effective", 0)};
  CHECK(contains(sb.call("cross", xs).error.message, "different scales"));
  CHECK(contains(sb.call("bad", {}).error.message, "scale 'ofsted' has no grade 'excellent'"));
}

TEST_CASE("values passed in are read-only", "[lua]") {
  LuaSandbox sb;
  loaded(sb,
         "function assign(t) t[1] = 0 end\n"
         "function raw(t) rawset(t, 1, 0) end\n"
         "function insert(t) table.insert(t, 4) end\n"
         "function sort(t) table.sort(t) end\n"
         "function meta(t) setmetatable(t, {}) end\n"
         "function read(t) return {n = #t, first = t[1], raw = rawget(t, 2), kind = type(t), "
         "len = rawlen(t), joined = table.concat(t, ',')} end\n"
         "function field(r) r.extra = 1 end\n"
         "function loop(t) local s = 0 for i, v in ipairs(t) do s = s + i * v end return s end\n");
  LuaValue list = LuaValue::list({LuaValue::num(3), LuaValue::num(1), LuaValue::num(2)});
  for (const char* fn : {"assign", "raw", "insert", "sort", "meta"}) {
    INFO(fn);
    CHECK(contains(call1(sb, fn, list).error.message, "read-only table"));
  }
  CHECK(contains(call1(sb, "field", LuaValue::record({})).error.message, "read-only table"));
  LuaValue r = call1(sb, "read", list).value;
  CHECK(*r.field("n") == LuaValue::num(3));
  CHECK(*r.field("first") == LuaValue::num(3));
  CHECK(*r.field("raw") == LuaValue::num(1));
  CHECK(*r.field("kind") == LuaValue::str("table"));
  CHECK(*r.field("len") == LuaValue::num(3));
  CHECK(*r.field("joined") == LuaValue::str("3,1,2"));
  CHECK(call1(sb, "loop", list).value == LuaValue::num(3 + 2 + 6));
}

TEST_CASE("pairs visits keys in sorted order, every time", "[lua]") {
  const char* code =
      "function keys(t)\n"
      "  local out = {}\n"
      "  for k, v in pairs(t) do out[#out + 1] = tostring(k) .. '=' .. tostring(v) end\n"
      "  return table.concat(out, ' ')\n"
      "end\n"
      "function built()\n"
      "  local t = {}\n"
      "  for _, k in ipairs({'zeta', 'alpha', 'mid', 'Beta', 'alpha2'}) do t[k] = #k end\n"
      "  t[10] = 'ten' t[2] = 'two' t[1.5] = 'x' t[true] = 'yes' t[false] = 'no'\n"
      "  return keys(t)\n"
      "end\n"
      "function first(t) return next(t) end\n"
      "function after(t, k) return next(t, k) end\n"
      "function empty() return next({}) == nil end\n"
      "function bad_key() local t = {[{}] = 1} for k in pairs(t) do end end\n"
      "function removing()\n"
      "  local t = {a = 1, b = 2, c = 3}\n"
      "  local seen = {}\n"
      "  for k in pairs(t) do seen[#seen + 1] = k t.b = nil end\n"
      "  return table.concat(seen, ',')\n"
      "end\n";
  const char* expected = "1.5=x 2=two 10=ten Beta=4 alpha=5 alpha2=6 mid=3 zeta=4 false=no true=yes";
  for (int round = 0; round < 3; ++round) {  // fresh states hash differently
    LuaSandbox sb;
    loaded(sb, code);
    CHECK(sb.call("built", {}).value == LuaValue::str(expected));
    LuaValue rec = LuaValue::record({{"b", LuaValue::num(2)}, {"a", LuaValue::num(1)}});
    CHECK(call1(sb, "keys", rec).value == LuaValue::str("a=1 b=2"));
    CHECK(call1(sb, "first", rec).value == LuaValue::str("a"));
    std::vector<LuaValue> args{rec, LuaValue::str("a")};
    CHECK(sb.call("after", args).value == LuaValue::str("b"));
    CHECK(sb.call("empty", {}).value == LuaValue::yesno(true));
    CHECK(contains(sb.call("bad_key", {}).error.message, "a table key has no order"));
    CHECK(sb.call("removing", {}).value == LuaValue::str("a,c"));
  }
}

TEST_CASE("tostring and string.format show no addresses", "[lua]") {
  LuaSandbox sb;
  loaded(sb,
         "function show() return tostring({}) .. ' ' .. tostring(print) .. ' ' .. "
         "string.format('%s', {}) .. ' ' .. tostring(setmetatable({}, {__tostring = function() return 'me' end})) end\n"
         "function pointer() return string.format('%p', {}) end\n");
  CHECK(sb.call("show", {}).value == LuaValue::str("table function table me"));
  CHECK(contains(sb.call("pointer", {}).error.message, "%p is not allowed"));
}

TEST_CASE("a whole rule sees a read-only school", "[lua]") {
  LuaSandbox sb;
  loaded(sb,
         "function describe(s)\n"
         "  local h = s.history.attendance\n"
         "  return tr.met(s.urn .. ' ' .. s.name .. ' ' .. s.phase .. ' ' .. s.type .. ' ' .. s.as_of, {\n"
         "    attendance = s.attendance, pa = s.persistent_absence, grade = s.safeguarding,\n"
         "    disadvantaged = s['rwm_expected.disadvantaged'], points = #h,\n"
         "    first = h[1].period, middle = h[2].value, national = s.benchmarks.national.attendance,\n"
         "    missing = s.no_such_metric == nil })\n"
         "end\n"
         "function poke(s) s.attendance = 100 end\n"
         "function poke_history(s) s.history.attendance[1].value = 100 end\n"
         "function poke_national(s) s.benchmarks.national.attendance = 0 end\n");
  LuaSchool school = sample_school();
  LuaRuleResult r = sb.call_rule("describe", school);
  INFO(r.error.to_string());
  REQUIRE(r.ok());
  CHECK(r.status == Status::Met);
  CHECK(r.reason == "100001 Test Primary primary academy 2024-25");
  auto field = [&](const char* name) {
    for (const LuaField& f : r.values)
      if (f.name == name) return f.value;
    FAIL("no field " << name);
    return LuaValue();
  };
  CHECK(field("attendance") == LuaValue::num(93.5));
  CHECK(field("pa") == LuaValue::unknown("PA is SUPP in att.csv row 4"));
  CHECK(field("grade") == LuaValue::grade("safeguarding_scale", "effective", 0));
  CHECK(field("disadvantaged") == LuaValue::num(61));
  CHECK(field("points") == LuaValue::num(3));
  CHECK(field("first") == LuaValue::str("2022-23"));
  CHECK(field("middle") == LuaValue::unknown("no return"));
  CHECK(field("national") == LuaValue::num(94.1));
  CHECK(field("missing") == LuaValue::yesno(true));
  CHECK(r.values.front().name == "attendance");  // sorted by name
  for (const char* fn : {"poke", "poke_history", "poke_national"}) {
    INFO(fn);
    CHECK(contains(sb.call_rule(fn, school).error.message, "read-only table"));
  }
  school.values.push_back({"name", LuaValue::num(1)});
  LuaRuleResult bad = sb.call_rule("describe", school);
  CHECK(bad.error.kind == LuaErrorKind::BadArgument);
  CHECK(contains(bad.error.message, "metric 'name' has the name of a school field"));
}

TEST_CASE("whole-rule results take several shapes", "[lua]") {
  LuaSandbox sb;
  loaded(sb,
         "function yes(s) return true end\n"
         "function no(s) return false end\n"
         "function unk(s) return tr.unknown('attendance is SUPP') end\n"
         "function na(s) return tr.not_applicable('not a primary school') end\n"
         "function table_form(s) return {status = 'not met', reason = 'below', value = 3, values = {x = 1}} end\n"
         "function bare_unknown(s) return {status = 'unknown'} end\n"
         "function bad_status(s) return {status = 'maybe'} end\n"
         "function typo(s) return {status = 'met', reasons = 'x'} end\n"
         "function number(s) return 3 end\n"
         "function kpi_value(schools, metric) return #schools * 10 end\n"
         "function kpi_table(schools, metric) return {value = tr.unknown('too few'), reason = metric} end\n");
  LuaSchool s = sample_school();
  CHECK(sb.call_rule("yes", s).status == Status::Met);
  CHECK(sb.call_rule("no", s).status == Status::NotMet);
  LuaRuleResult r = sb.call_rule("unk", s);
  CHECK(r.status == Status::Unknown);
  CHECK(r.reason == "attendance is SUPP");
  r = sb.call_rule("na", s);
  CHECK(r.status == Status::NotApplicable);
  CHECK(r.reason == "not a primary school");
  r = sb.call_rule("table_form", s);
  CHECK(r.status == Status::NotMet);
  CHECK(r.reason == "below");
  CHECK(r.value == LuaValue::num(3));
  CHECK(r.values == std::vector<LuaField>{{"x", LuaValue::num(1)}});
  CHECK(sb.call_rule("bare_unknown", s).reason == "bare_unknown gave no reason for unknown");
  CHECK(contains(sb.call_rule("bad_status", s).error.message, "returned status \"maybe\""));
  CHECK(contains(sb.call_rule("typo", s).error.message, "field 'reasons'"));
  r = sb.call_rule("number", s);
  CHECK(r.error.kind == LuaErrorKind::BadReturn);
  CHECK(contains(r.error.message, "number returned number 3; a rule function returns"));

  std::vector<LuaSchool> schools{s, s};
  std::vector<LuaValue> extra{LuaValue::str("attendance")};
  r = sb.call_kpi("kpi_value", schools, extra);
  CHECK(r.value == LuaValue::num(20));
  CHECK_FALSE(r.status);
  r = sb.call_kpi("kpi_table", schools, extra);
  CHECK(r.value == LuaValue::unknown("too few"));
  CHECK(r.reason == "attendance");
}
