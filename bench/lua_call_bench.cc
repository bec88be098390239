// What a Lua extension costs per call, against the same test written in C++:
// the figure that decides whether a trust's Lua function can sit inside a
// descriptor evaluated for every school in every run (it can: see the output).
//
//   lua_call_bench [calls] [source dir]   (default 200000 Lua calls; the source
//                                          dir holds tests/fixtures/eval, default .)
#include "eval_run.h"
#include "lua_sandbox.h"

#include <lua.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace tr;
using Clock = std::chrono::steady_clock;

namespace {

double ns_per(Clock::duration d, long n) {
  return std::chrono::duration<double, std::nano>(d).count() / static_cast<double>(n);
}

// Keeps the compiler from folding the C++ baseline away.
volatile double sink_in = 1.5;
volatile long sink_out = 0;

LuaSchool school_view(int metrics, int years) {
  LuaSchool s;
  s.urn = "100001";
  s.name = "Bench Primary";
  s.phase = "primary";
  s.as_of = "2024-25";
  for (int m = 0; m < metrics; ++m) {
    std::string name = m == 0 ? "attendance" : "metric_" + std::to_string(m);
    s.values.push_back({name, LuaValue::num(90 + m % 7, LuaNumTag::Percent)});
    LuaSeries series{name, {}};
    for (int y = 0; y < years; ++y)
      series.points.push_back({std::to_string(2020 + y) + "-" + std::to_string(21 + y),
                               LuaValue::num(88 + y, LuaNumTag::Percent)});
    s.history.push_back(std::move(series));
  }
  s.benchmarks.push_back({"national", {{"attendance", LuaValue::num(94, LuaNumTag::Percent)}}});
  return s;
}

// The same view, filled as the rule reads it (what the engine hands a `met by
// lua` rule): the keys are named, a value or history is made when asked for.
class BenchSource : public LuaSchoolSource {
 public:
  explicit BenchSource(const LuaSchool& eager) : eager_(eager) {
    for (const auto& f : eager.values) keys_.push_back(f.name);
    std::sort(keys_.begin(), keys_.end());
  }
  size_t size() const override { return keys_.size(); }
  const std::string& key(size_t i) const override { return keys_[i]; }
  const LuaValue& value(size_t i) const override {
    for (const auto& f : eager_.values)
      if (f.name == keys_[i]) value_ = f.value;
    return value_;
  }
  const std::vector<LuaPoint>& history(size_t i) const override {
    points_.clear();
    for (const auto& h : eager_.history)
      if (h.metric == keys_[i]) points_ = h.points;
    return points_;
  }
  const std::vector<LuaBenchmark>& benchmarks() const override { return eager_.benchmarks; }

 private:
  const LuaSchool& eager_;
  std::vector<std::string> keys_;
  mutable LuaValue value_;
  mutable std::vector<LuaPoint> points_;
};

// The same standard in the rules language and through a Lua function, judged by
// the evaluator for the eval fixture's schools: ns per judgement of each, or a
// negative figure when the fixture cannot be read.
std::pair<double, double> language_vs_lua(const std::string& source, long calls) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "trustrules_lua_call_bench";
  fs::create_directories(dir);
  std::ifstream in(source + "/tests/fixtures/eval/eval.rules");
  if (!in) return {-1, -1};
  std::stringstream text;
  text << in.rdbuf() << "\nuse lua \"bench.lua\"\n"
       << "standard bench_language \"Attendance above 92%\" {\n  met when attendance > 92%\n}\n"
       << "standard bench_lua \"Attendance above 92% (Lua)\" {\n  met when higher_than(attendance, 92%)\n}\n";
  std::ofstream(dir / "eval.rules") << text.str();
  std::ofstream(dir / "bench.lua") << "function higher_than(a, b)\n"
                                      "  if tr.is_unknown(a) then return a end\n"
                                      "  return a > b\n"
                                      "end\n";
  RunOptions o;
  o.rules = (dir / "eval.rules").string();
  o.data = {source + "/tests/fixtures/eval/data"};
  Run run;
  std::string messages;
  if (prepare_run(o, run, messages) != 0) {
    fprintf(stderr, "lua_call_bench: %s", messages.c_str());
    return {-1, -1};
  }
  int language = -1, lua = -1;
  for (size_t r = 0; r < run.plan.rules.size(); ++r) {
    if (run.plan.rules[r].id == "bench_language") language = static_cast<int>(r);
    if (run.plan.rules[r].id == "bench_lua") lua = static_cast<int>(r);
  }
  auto bridge = run.lua();
  Evaluator ev(run.plan, run.as_of, bridge.get());
  int schools = static_cast<int>(run.data.schools.size());
  auto time = [&](int rule) {
    Reasons reasons;
    auto t0 = Clock::now();
    for (long i = 0; i < calls; ++i) {
      ev.set_school(static_cast<int>(i % schools));
      reasons.clear();
      sink_out = sink_out + static_cast<long>(ev.rule(rule, reasons));
    }
    return ns_per(Clock::now() - t0, calls);
  };
  if (language < 0 || lua < 0 || schools == 0) return {-1, -1};
  return {time(language), time(lua)};
}

}  // namespace

int main(int argc, char** argv) {
  long calls = argc > 1 ? std::atol(argv[1]) : 200000;
  if (calls <= 0) calls = 200000;
  std::string source = argc > 2 ? argv[2] : ".";

  LuaSandbox sb;
  LuaError err;
  if (!sb.load_string(
          "function f(a, b) return a - b > 2 end\n"
          "function rule(s) return s.attendance - s.benchmarks.national.attendance > -2 end\n",
          "bench.lua", &err)) {
    fprintf(stderr, "lua_call_bench: %s\n", err.to_string().c_str());
    return 1;
  }

  // C++: the same comparison, many more times for a measurable duration.
  long cpp_calls = calls * 100;
  auto t0 = Clock::now();
  long count = 0;
  for (long i = 0; i < cpp_calls; ++i) {
    double a = sink_in + static_cast<double>(i & 7), b = sink_in;
    count += a - b > 2;
  }
  sink_out = count;
  double cpp_ns = ns_per(Clock::now() - t0, cpp_calls);

  int id = sb.function_id("f");
  std::vector<LuaValue> args{LuaValue::num(95.5, LuaNumTag::Percent),
                             LuaValue::num(92.0, LuaNumTag::Percent)};
  count = 0;
  t0 = Clock::now();
  for (long i = 0; i < calls; ++i) {
    args[0].number = 90 + static_cast<double>(i & 7);
    LuaCallResult r = sb.call(id, args);
    count += r.ok() && r.value.yes;
  }
  double lua_ns = ns_per(Clock::now() - t0, calls);
  sink_out = count;

  t0 = Clock::now();
  for (long i = 0; i < calls; ++i) count += sb.call("f", args).ok();
  double by_name_ns = ns_per(Clock::now() - t0, calls);

  LuaSchool school = school_view(20, 5);
  long rule_calls = std::max(1L, calls / 20);
  t0 = Clock::now();
  for (long i = 0; i < rule_calls; ++i) count += sb.call_rule("rule", school).ok();
  double rule_ns = ns_per(Clock::now() - t0, rule_calls);
  BenchSource source_view(school);
  LuaSchool lazy;
  lazy.urn = school.urn;
  lazy.name = school.name;
  lazy.phase = school.phase;
  lazy.as_of = school.as_of;
  lazy.source = &source_view;
  t0 = Clock::now();
  for (long i = 0; i < rule_calls; ++i) count += sb.call_rule("rule", lazy).ok();
  double lazy_ns = ns_per(Clock::now() - t0, rule_calls);
  sink_out = count;

  printf("lua_call_bench: cost per call (%ld Lua calls, %s)\n", calls, LUA_RELEASE);
  printf("  C++  a - b > 2                                     %10.1f ns\n", cpp_ns);
  printf("  Lua  f(a, b) = a - b > 2, LuaSandbox::call(id)     %10.1f ns  (%.0fx C++)\n", lua_ns,
         lua_ns / cpp_ns);
  printf("  Lua  the same, called by name                      %10.1f ns\n", by_name_ns);
  printf("  Lua  whole rule on a school view (20 metrics x 5 years of history) %10.1f ns\n",
         rule_ns);
  printf("  Lua  the same rule on a lazy view (built as it reads)       %10.1f ns\n", lazy_ns);
  printf("  peak Lua memory %zu KiB\n", sb.stats().peak_memory >> 10);

  auto [language_ns, via_lua_ns] = language_vs_lua(source, calls);
  if (language_ns < 0) {
    printf("  (no rules-language figure: run from the source folder, or pass it as the second argument)\n");
    return 0;
  }
  printf("the same standard judged by the evaluator (attendance > 92%%, eval fixture schools)\n");
  printf("  rules language  met when attendance > 92%%             %10.1f ns\n", language_ns);
  printf("  Lua             met when higher_than(attendance, 92%%) %10.1f ns  (+%.1f ns per Lua call)\n",
         via_lua_ns, via_lua_ns - language_ns);
  return 0;
}
