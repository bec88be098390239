// Helpers for the Lua tests: hostile scripts (lua_sandbox_test.cc,
// lua_hostile_test.cc) and the shipped scripts' located errors.
#pragma once

#include "lua_sandbox.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>

namespace tr::test {

// The 1-based line of the shipped script rules/lua/<file> that holds `text`, 0
// if none: a test of where a script's error is located finds the line rather
// than naming a number that moves whenever the script is edited.
inline int shipped_script_line(const std::string& file, const std::string& text) {
  std::ifstream in(std::string(TRUSTRULES_SOURCE_DIR) + "/rules/lua/" + file);
  int n = 0;
  for (std::string line; std::getline(in, line);)
    if (++n, line.find(text) != std::string::npos) return n;
  return 0;
}
// Where attendance_risk_rule stops for a school without persistently_absent.
inline const char* const kRiskMetricCall = "local pa = metric(school, \"persistently_absent\")";

// Loads `code` as hostile.lua and calls f(). A failure must be located: the
// script and a line in it, in the rendered message too.
inline LuaCallResult run(LuaSandbox& sb, const std::string& code, const char* fn = "f") {
  LuaError err;
  bool loaded = sb.load_string(code, "hostile.lua", &err);
  INFO(err.to_string());
  REQUIRE(loaded);
  LuaCallResult r = sb.call(fn, {});
  if (!r.ok()) {
    INFO(r.error.to_string());
    CHECK(r.error.script == "hostile.lua");
    CHECK(r.error.line > 0);
    CHECK(r.error.function == fn);
    CHECK(r.error.to_string().rfind("hostile.lua:" + std::to_string(r.error.line) + ": in " + fn + ": ", 0) == 0);
  }
  // The sandbox still works after whatever happened.
  if (sb.function_id("still_alive") < 0)
    REQUIRE(sb.load_string("function still_alive() return 1 + 1 end", "alive.lua"));
  LuaCallResult alive = sb.call("still_alive", {});
  CHECK(alive.ok());
  CHECK(alive.value == LuaValue::num(2));
  return r;
}

inline LuaCallResult run1(const std::string& code, const LuaLimits& limits = {}) {
  LuaSandbox sb(limits);
  return run(sb, code);
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace tr::test
