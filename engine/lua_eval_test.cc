// `use lua` end to end: the shipped Lua rules on the sample trust (a KPI over a
// Lua aggregate, a `met by lua` standard and its reason in `explain`), a Lua
// function named like a built-in, and located errors from a whole-rule script.
#include "eval_lua.h"
#include "eval_run.h"
#include "kpi.h"
#include "lua_test_util.h"
#include "report.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace tr;

namespace {

namespace fs = std::filesystem;

const std::string kSource = TRUSTRULES_SOURCE_DIR;

// "attendance_risk.lua:N:": where the shipped rule's error for a missing
// persistently_absent is located.
std::string risk_error_at() {
  return "attendance_risk.lua:" + std::to_string(test::shipped_script_line("attendance_risk.lua", test::kRiskMetricCall)) + ":";
}

struct Evaluated {
  Run run;
  EvaluationResult result;
  std::string messages;
  int rc = -1;
};

std::unique_ptr<Evaluated> run_rules(const std::string& rules, const std::string& data) {
  auto e = std::make_unique<Evaluated>();
  RunOptions o;
  o.rules = rules;
  o.data = {data};
  o.jobs = 2;
  e->rc = prepare_run(o, e->run, e->messages);
  if (e->rc != 0) return e;
  e->result = evaluate(e->run.plan, eval_options(e->run, 2));
  return e;
}

const KpiResult& kpi(const EvaluationResult& r, const std::string& id) {
  for (const auto& k : r.kpis)
    if (k.id == id) return k;
  FAIL("no kpi " << id);
  return r.kpis.front();
}

const RuleResult* result_of(const SchoolResult& s, const std::string& id) {
  for (const auto& r : s.results)
    if (r.id == id) return &r;
  return nullptr;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string joined(const Reasons& rs) {
  std::string s;
  for (const auto& r : rs) s += r + "\n";
  return s;
}

// How many schools' `id` results are unknown because the script read a view
// kept from an earlier call; every unknown one must be that.
size_t kept_view_refusals(const EvaluationResult& r, const std::string& id) {
  size_t refused = 0;
  for (const auto& s : r.schools) {
    const RuleResult* k = result_of(s, id);
    REQUIRE(k);
    if (k->status != Status::Unknown) continue;
    CHECK(contains(joined(k->reasons), "a school view can only be read during the call it was given to"));
    ++refused;
  }
  return refused;
}

// A folder with the eval fixture's rules plus `extra`, and the files given.
std::string scratch_rules(const std::string& name, const std::string& extra,
                          const std::vector<std::pair<std::string, std::string>>& files = {}) {
  fs::path dir = fs::temp_directory_path() / ("trustrules_lua_eval_" + name);
  fs::create_directories(dir);
  std::ifstream in(kSource + "/tests/fixtures/eval/eval.rules");
  std::stringstream text;
  text << in.rdbuf() << "\n" << extra << "\n";
  std::ofstream(dir / "eval.rules") << text.str();
  for (const auto& [file, body] : files) std::ofstream(dir / file) << body;
  return (dir / "eval.rules").string();
}

// The eval fixture with a standard met by the shipped attendance_risk_rule. The
// fixture has attendance but no persistently_absent, so the script stops at its
// metric() check (rules/lua/attendance_risk.lua, `local pa = metric(...)`) for every school.
std::string risk_rules(const std::string& name) {
  std::string script = kSource + "/rules/lua/attendance_risk.lua";
  return scratch_rules(name, "use lua \"" + script + "\"\n"
                             "standard lua_risk \"Attendance risk (Lua)\" {\n"
                             "  met by lua \"attendance_risk_rule\"\n"
                             "}\n");
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("sample trust: the Lua variability KPI agrees with the built-in", "[lua][eval]") {
  auto e = run_rules(kSource + "/rules/trust.rules", kSource + "/samples/trust");
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  CHECK(e->result.script_errors.empty());
  const KpiResult& built_in = kpi(e->result, "attendance_variability");
  const KpiResult& lua = kpi(e->result, "attendance_variability_lua");
  INFO(joined(lua.reasons));
  REQUIRE(built_in.value.known());
  REQUIRE(lua.value.known());
  CHECK(lua.value.num == Approx(built_in.value.num));
  CHECK(lua.value.type == Type::Percent);  // tr.declare("variability_index", "percent")
  REQUIRE(built_in.previous.known());
  REQUIRE(lua.previous.known());
  CHECK(lua.previous.num == Approx(built_in.previous.num));
  CHECK(lua.status == built_in.status);
  CHECK(lua.aggregate == "variability_index");
  CHECK(lua.schools == built_in.schools);
  CHECK(lua.known + lua.unknown + lua.not_applicable == lua.schools);
}

TEST_CASE("sample trust: the Lua attendance risk standard gives its reason in explain", "[lua][eval]") {
  auto e = run_rules(kSource + "/rules/trust.rules", kSource + "/samples/trust");
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  int judged = 0;
  for (const auto& s : e->result.schools) {
    const RuleResult* r = result_of(s, "attendance_risk_low");
    REQUIRE(r);
    INFO(s.urn << ": " << joined(r->reasons));
    // Never an error: the script finds every metric it asks for.
    CHECK_FALSE(contains(joined(r->reasons), "has no '"));
    if (r->status == Status::Met || r->status == Status::NotMet) {
      ++judged;
      REQUIRE(r->reasons.size() == 1);
      CHECK(contains(r->reasons[0], "risk "));
      CHECK(contains(r->reasons[0], " of 5"));
    }
  }
  CHECK(judged > 0);

  int school = -1;
  for (size_t i = 0; i < e->run.data.schools.size(); ++i)
    if (e->run.data.schools[i].urn == "990008") school = static_cast<int>(i);
  REQUIRE(school >= 0);
  auto lua = e->run.lua();
  Evaluator ev(e->run.plan, e->run.as_of, lua.get());
  SchoolTrace trace;
  SchoolResult sr = evaluate_school(ev, e->run.plan, school, &trace);
  std::string text = explain_school(e->run.plan, e->result, sr, trace);
  INFO(text);
  CHECK(contains(text, "(attendance_risk_low is judged by the Lua function attendance_risk_rule)"));
  CHECK(contains(text, ": risk "));
}

TEST_CASE("a Lua function named like a built-in is an error at its `use lua`", "[lua][checker]") {
  std::string rules = scratch_rules("builtin_name", "use lua \"clash.lua\"\n",
                                    {{"clash.lua", "function variability(xs) return 1 end\n"
                                                   "function mean(xs) return 2 end\n"
                                                   "function fine(x) return x end\n"}});
  auto e = run_rules(rules, kSource + "/tests/fixtures/eval/data");
  CHECK(e->rc != 0);
  CHECK(contains(e->messages, "'variability' in clash.lua has the name of a built-in function"));
  CHECK(contains(e->messages, "'mean' in clash.lua has the name of a built-in function"));
  CHECK(contains(e->messages, "rename the Lua function"));
}

TEST_CASE("a kpi calls a Lua function with a list across schools", "[lua][eval]") {
  std::string rules = scratch_rules("kpi_list", R"rules(use lua "count.lua"
kpi lua_known "Known attendance values (Lua)" {
  value known_count(attendance)
}
kpi lua_broken "A Lua aggregate that fails" {
  value broken(attendance)
}
)rules",
                                    {{"count.lua", "tr.declare('known_count', 'count')\n"
                                                   "function known_count(xs)\n"
                                                   "  local n = 0\n"
                                                   "  for _, x in ipairs(xs) do if tr.known(x) then n = n + 1 end end\n"
                                                   "  return n\n"
                                                   "end\n"
                                                   "function broken(xs)\n"
                                                   "  return xs[1].nope\n"
                                                   "end\n"}});
  auto e = run_rules(rules, kSource + "/tests/fixtures/eval/data");
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  const KpiResult& k = kpi(e->result, "lua_known");
  REQUIRE(k.value.known());
  CHECK(k.value.type == Type::Count);
  CHECK(k.value.num == k.known);
  const KpiResult& b = kpi(e->result, "lua_broken");
  CHECK_FALSE(b.value.known());
  std::string why = joined(b.value.reasons);
  CHECK(contains(why, "count.lua:8:"));
  CHECK(contains(why, "in broken"));
  CHECK(contains(why, "rule lua_broken"));
  REQUIRE(e->result.script_errors.size() == 1);  // the run is not valid: `evaluate` exits 1
  CHECK(contains(e->result.script_errors[0], "count.lua:8: in broken:"));
}

TEST_CASE("a whole-rule script asking for a metric the school lacks: a located error", "[lua][eval]") {
  std::string rules = risk_rules("missing_metric");
  auto e = run_rules(rules, kSource + "/tests/fixtures/eval/data");
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  REQUIRE_FALSE(e->result.schools.empty());
  const SchoolResult& s = e->result.schools.front();
  const RuleResult* r = result_of(s, "lua_risk");
  REQUIRE(r);
  CHECK(r->status == Status::Unknown);
  std::string why = joined(r->reasons);
  INFO(why);
  CHECK(contains(why, risk_error_at()));
  CHECK(contains(why, "in attendance_risk_rule"));
  CHECK(contains(why, "has no 'persistently_absent' value"));
  CHECK(contains(why, "(rule lua_risk, school " + s.urn + ")"));
  // One located error per school, and `evaluate` would exit 1 and record nothing.
  CHECK(e->result.script_errors.size() == e->result.schools.size());
  REQUIRE_FALSE(e->result.script_errors.empty());
  CHECK(contains(e->result.script_errors[0], risk_error_at() + " in attendance_risk_rule:"));
}

TEST_CASE("evaluate exits 1 and records nothing when a Lua script fails", "[lua][cli]") {
  std::string rules = risk_rules("cli_failure");
  fs::path dir = fs::path(rules).parent_path();
  fs::path store = dir / "history.db", err = dir / "stderr.txt";
  fs::remove(store);
  std::string cmd = std::string("'") + TRUSTRULES_BINARY + "' evaluate --quiet --record --store '" + store.string() +
                    "' --rules '" + rules + "' --data '" + kSource + "/tests/fixtures/eval/data' >/dev/null 2>'" +
                    err.string() + "'";
  int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  std::string text = slurp(err);
  INFO(text);
  CHECK(contains(text, risk_error_at() + " in attendance_risk_rule: runtime error:"));
  CHECK(contains(text, "(rule lua_risk, school 100001)"));
  CHECK(contains(text, "a Lua script failed; nothing was recorded"));
  // The store may have been opened for approvals, but holds no run.
  fs::path hist = dir / "history.txt";
  std::string list = std::string("'") + TRUSTRULES_BINARY + "' history --store '" + store.string() + "' >'" +
                     hist.string() + "' 2>&1";
  CHECK(std::system(list.c_str()) == 0);
  CHECK(contains(slurp(hist), "No runs recorded"));

  // Not recorded, JSON to a file: the schools stream out as they are evaluated,
  // but a failed script still leaves the old file, whole, and no temporary.
  fs::path out = dir / "out" / "run.json";
  fs::create_directories(out.parent_path());
  std::ofstream(out) << "last term's run";
  std::string json = std::string("'") + TRUSTRULES_BINARY + "' evaluate --quiet --format json --out '" + out.string() +
                     "' --rules '" + rules + "' --data '" + kSource + "/tests/fixtures/eval/data' 2>/dev/null";
  status = std::system(json.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(slurp(out) == "last term's run");
  size_t files = 0;
  for (auto& e : fs::directory_iterator(out.parent_path())) (void)e, ++files;
  CHECK(files == 1);
}

TEST_CASE("check reports a Lua syntax or load error at the script's file:line", "[lua][checker]") {
  install_sandbox_lua_lister();  // a checker test in the same process may have replaced it
  std::string rules = scratch_rules("syntax", "use lua \"broken.lua\"\nuse lua \"loads_badly.lua\"\n",
                                    {{"broken.lua", "function f(a)\n  return a +\nend\n"},
                                     {"loads_badly.lua", "local x = 1\nerror('refused at load')\n"}});
  auto e = run_rules(rules, kSource + "/tests/fixtures/eval/data");
  CHECK(e->rc != 0);
  INFO(e->messages);
  CHECK(contains(e->messages, "broken.lua:3: syntax error:"));
  CHECK(contains(e->messages, "loads_badly.lua:2: "));
  CHECK(contains(e->messages, "refused at load"));
  CHECK(contains(e->messages, "the rules have errors; nothing was evaluated"));
}

// The school view a whole rule gets is filled as the script reads it. pairs()
// must still see every key an eager view held, and a view kept past its call
// must refuse to be read rather than read a school that is gone.
TEST_CASE("the lazy school view: pairs sees every key; a kept view errors in a later call", "[lua][eval]") {
  std::string lua = R"(
function view_keys(school)
  local names, hist, bench = {}, {}, {}
  for k in pairs(school) do names[#names + 1] = k end
  for k in pairs(school.history) do hist[#hist + 1] = k end
  for k in pairs(school.benchmarks) do bench[#bench + 1] = k end
  return tr.met(table.concat(names, ",") .. " | " .. table.concat(hist, ",") .. " | " .. table.concat(bench, ","))
end
local kept = nil
function keep_view(school)
  if kept == nil then
    kept = school
    return tr.met("kept")
  end
  return tr.met("earlier school's progress: " .. tostring(kept.progress))
end
local kept_history = nil
function keep_history(school)
  if kept_history == nil then
    kept_history = school.history  -- the lazy part, nothing in it read yet
    return tr.met("kept")
  end
  local n = 0
  for _ in pairs(kept_history) do n = n + 1 end
  return tr.met("earlier history: " .. n)
end
)";
  std::string rules = scratch_rules("lazy_view",
                                    "use lua \"view.lua\"\n"
                                    "standard keys \"Keys\" {\n  met by lua \"view_keys\"\n}\n"
                                    "standard keep \"Keep\" {\n  met by lua \"keep_view\"\n}\n"
                                    "standard keep_history \"Keep history\" {\n  met by lua \"keep_history\"\n}\n",
                                    {{"view.lua", lua}});
  auto e = run_rules(rules, kSource + "/tests/fixtures/eval/data");
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  REQUIRE(e->result.schools.size() == 5);
  const RuleResult* keys = result_of(e->result.schools.front(), "keys");
  REQUIRE(keys);
  CHECK(keys->status == Status::Met);
  std::string listed = joined(keys->reasons);
  INFO(listed);
  // Scalars, metrics and groups, then the two sub-views; the history of the
  // metrics the school has; the fixture's national rows.
  CHECK(contains(listed, "as_of,attendance,attendance.disadvantaged,attendance.not_disadvantaged,benchmarks,history,"));
  CHECK(contains(listed, ",urn | attendance,"));
  CHECK(contains(listed, " | national"));

  // With two workers each keeps its first school; every later school reads a kept view.
  size_t refused = kept_view_refusals(e->result, "keep");
  CHECK(refused >= 3);
  for (const auto& s : e->result.schools)
    if (result_of(s, "keep")->status != Status::Unknown) CHECK(joined(result_of(s, "keep")->reasons) == "kept\n");
  // The same for a part of the view: pairs() on a kept history refuses too.
  size_t history_refused = kept_view_refusals(e->result, "keep_history");
  CHECK(history_refused == refused);
  CHECK(e->result.script_errors.size() == refused + history_refused);
}

// A history list in the lazy view makes its points as they are read; to a
// script it must behave as the whole list: length, ends, ipairs and pairs in
// order, the same point each time, read-only, and refused once its call is over.
TEST_CASE("the lazy school view: a history list reads as the whole list", "[lua][eval]") {
  std::string lua = R"(
local function periods(list, iter)
  local out = {}
  for _, p in iter(list) do out[#out + 1] = p.period end
  return table.concat(out, ",")
end
function history_list(school)
  local h = school.history.attendance
  if h == nil then return tr.met("no history") end
  local n = #h
  local last, before = h[n], h[n - 1]
  local ok = pcall(function() h[1] = 5 end)
  local same = h[n] == last and h[n * 1.0] == last
  return tr.met(string.format("n=%d last=%s/%s before=%s zero=%s past=%s same=%s write=%s ipairs=%s pairs=%s",
    n, last.period, tostring(last.value), before and before.period or "none", tostring(h[0]), tostring(h[n + 1]),
    tostring(same), tostring(ok), periods(h, ipairs), periods(h, pairs)))
end
local kept = nil
function keep_list(school)
  if kept == nil then
    kept = school.history.attendance
    return tr.met("kept")
  end
  return tr.met("earlier list has " .. #kept)
end
)";
  std::string rules = scratch_rules("lazy_history",
                                    "use lua \"hist.lua\"\n"
                                    "standard hist \"History\" {\n  met by lua \"history_list\"\n}\n"
                                    "standard keep \"Keep\" {\n  met by lua \"keep_list\"\n}\n",
                                    {{"hist.lua", lua}});
  auto e = run_rules(rules, kSource + "/tests/fixtures/eval/data");
  INFO(e->messages);
  REQUIRE(e->rc == 0);
  size_t lists = 0;
  for (const auto& s : e->result.schools) {
    const RuleResult* h = result_of(s, "hist");
    REQUIRE(h);
    std::string said = joined(h->reasons);
    INFO(s.urn << ": " << said);
    CHECK(h->status == Status::Met);
    if (contains(said, "no history")) continue;
    ++lists;
    // Both iterations see every point, oldest first, and h[#h] is the last of them.
    CHECK(contains(said, "zero=nil past=nil same=true write=false"));
    size_t ip = said.find("ipairs="), pp = said.find(" pairs=");
    REQUIRE(ip != std::string::npos);
    REQUIRE(pp != std::string::npos);
    std::string by_ipairs = said.substr(ip + 7, pp - ip - 7), by_pairs = said.substr(pp + 7);
    while (!by_pairs.empty() && by_pairs.back() == '\n') by_pairs.pop_back();
    CHECK(by_ipairs == by_pairs);
    CHECK(contains(said, "last=" + by_ipairs.substr(by_ipairs.rfind(',') + 1) + "/"));
    CHECK(contains(said, "n=" + std::to_string(std::count(by_ipairs.begin(), by_ipairs.end(), ',') + 1) + " "));
  }
  CHECK(lists >= 3);
  CHECK(kept_view_refusals(e->result, "keep") >= 3);  // `#kept` on a list from an earlier call
}
