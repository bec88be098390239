// More hostile scripts: error objects that try to run code after a limit, and
// bombs inside C library functions (string.format, table.concat, gsub). Each
// must fail located in the script and leave the sandbox usable (run()).
#include "lua_sandbox.h"
#include "lua_test_util.h"

#include <catch2/catch.hpp>

using namespace tr;
using namespace tr::test;

TEST_CASE("error objects whose metamethods try to run after a limit", "[lua]") {
  SECTION("__tostring that loops, raised as the error") {
    LuaCallResult r = run1(
        "function f()\n"
        "  error(setmetatable({}, {__tostring = function() while true do end end}))\n"
        "end\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error.line == 2);
  }
  SECTION("__tostring that loops, after an instruction limit") {
    LuaCallResult r = run1(
        "local bomb = setmetatable({}, {__tostring = function() while true do end end})\n"
        "function f()\n"
        "  local ok, e = pcall(function() while true do end end)\n"
        "  error(bomb)\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
    CHECK(r.error.line == 3);
  }
  SECTION("__tostring that returns a huge string") {
    LuaCallResult r = run1(
        "function f()\n"
        "  error(setmetatable({}, {__tostring = function() local s = 'x' while true do s = s .. s end end}))\n"
        "end\n");
    REQUIRE_FALSE(r.ok());
  }
  SECTION("__gc on an error object is refused") {
    LuaCallResult r = run1(
        "function f()\n"
        "  error(setmetatable({}, {__gc = function() while true do end end}))\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::Runtime);
    CHECK(contains(r.error.message, "__gc"));
    CHECK(r.error.line == 2);
  }
  SECTION("coroutine.wrap around a limit, then keep going") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local g = coroutine.wrap(function() while true do end end)\n"
        "  local ok = pcall(g)\n"
        "  local n = 0\n"
        "  for i = 1, 10 do n = n + i end\n"
        "  return n\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
    CHECK(r.error.line == 2);
  }
}

TEST_CASE("string.format, table.concat and gsub bombs", "[lua]") {
  SECTION("string.format with a huge width") {
    LuaCallResult r = run1("function f() return string.format('%99999d', 1) end");
    CHECK(r.error.kind == LuaErrorKind::Runtime);
    CHECK(r.error.line == 1);
    r = run1("function f() return #string.format('%099d', 1) end");
    CHECK(r.value == LuaValue::num(99));
  }
  SECTION("string.format of a string near the memory limit") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local s = ('x'):rep(1e6)\n"
        "  local parts = {}\n"
        "  for i = 1, 200 do parts[i] = string.format('%s%s', s, s) end\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
    CHECK(r.error.line == 4);
  }
  SECTION("table.concat of a huge table") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local t, s = {}, ('x'):rep(1e6)\n"
        "  for i = 1, 100 do t[i] = s end\n"
        "  return #table.concat(t)\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
    CHECK(r.error.line == 4);
  }
  SECTION("table.concat over a lying __len") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local t = setmetatable({}, {__len = function() return 1e15 end,\n"
        "                              __index = function() return 'x' end})\n"
        "  return #table.concat(t)\n"
        "end\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error.kind != LuaErrorKind::None);
  }
  SECTION("gsub that multiplies its subject") {
    LuaCallResult r = run1("function f() return #(('x'):rep(1e5)):gsub('.', ('y'):rep(1000)) end");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
    CHECK(r.error.line == 1);
  }
  SECTION("gsub with a replacement function that loops") {
    LuaCallResult r = run1("function f() return (('x'):rep(10)):gsub('.', function() while true do end end) end");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
    CHECK(r.error.line == 1);
  }
  SECTION("deeply nested pattern captures") {
    LuaCallResult r = run1(
        "function f() return (('a'):rep(300)):match(('('):rep(300) .. 'a' .. (')'):rep(300)) end");
    CHECK(r.error.kind == LuaErrorKind::Runtime);
    CHECK(r.error.line == 1);
  }
  SECTION("a backtracking pattern on a long subject") {
    LuaCallResult r = run1(
        "function f() return (('a'):rep(20000)):gsub('a-a-a-a-b', 'c') end");
    CHECK(r.error.kind == LuaErrorKind::Runtime);
    CHECK(contains(r.error.message, "pattern too costly"));
  }
}
