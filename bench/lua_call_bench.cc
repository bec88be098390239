// What a Lua extension costs per call, against the same test written in C++:
// the figure that decides whether a trust's Lua function can sit inside a
// descriptor evaluated for every school in every run (it can: see the output).
//
//   lua_call_bench [calls]     (default 200000 Lua calls)
#include "lua_sandbox.h"

#include <lua.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

}  // namespace

int main(int argc, char** argv) {
  long calls = argc > 1 ? std::atol(argv[1]) : 200000;
  if (calls <= 0) calls = 200000;

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
  sink_out = count;

  printf("lua_call_bench: cost per call (%ld Lua calls, %s)\n", calls, LUA_RELEASE);
  printf("  C++  a - b > 2                                     %10.1f ns\n", cpp_ns);
  printf("  Lua  f(a, b) = a - b > 2, LuaSandbox::call(id)     %10.1f ns  (%.0fx C++)\n", lua_ns,
         lua_ns / cpp_ns);
  printf("  Lua  the same, called by name                      %10.1f ns\n", by_name_ns);
  printf("  Lua  whole rule on a school view (20 metrics x 5 years of history) %10.1f ns\n",
         rule_ns);
  printf("  peak Lua memory %zu KiB\n", sb.stats().peak_memory >> 10);
  return 0;
}
