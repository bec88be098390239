// The sandbox against hostile scripts: each must be stopped cleanly, with the
// right error located in the script, and leave the sandbox usable for the next
// call. Each is meant to finish well within a second; that is measured with
// `trustrules_tests "[lua]" --durations yes` (docs/lua.md), not asserted here:
// the build machines are shared, and a timing check would measure the neighbours.
#include "lua_sandbox.h"
#include "lua_test_util.h"

#include <catch2/catch.hpp>

#include <string>

using namespace tr;
using namespace tr::test;

TEST_CASE("an endless loop hits the instruction limit, with its line", "[lua]") {
  LuaCallResult r = run1("function f()\n  local n = 0\n  while true do n = n + 1 end\nend\n");
  REQUIRE(r.error.kind == LuaErrorKind::InstructionLimit);
  CHECK(r.error.script == "hostile.lua");
  CHECK(r.error.line == 3);
  CHECK(r.error.function == "f");
  CHECK(contains(r.error.to_string(), "hostile.lua:3: in f: instruction limit"));
}

TEST_CASE("the instruction limit is configurable", "[lua]") {
  LuaLimits limits;
  limits.instructions = 50'000;
  LuaSandbox sb(limits);
  REQUIRE(sb.load_string("function f(n) local s = 0 for i = 1, n do s = s + i end return s end",
                         "count.lua"));
  std::vector<LuaValue> small{LuaValue::num(1000)}, big{LuaValue::num(1e6)};
  CHECK(sb.call("f", small).ok());
  CHECK(sb.call("f", big).error.kind == LuaErrorKind::InstructionLimit);
  CHECK(sb.call("f", small).ok());  // the budget is per call
}

TEST_CASE("a loop inside a coroutine is stopped", "[lua]") {
  SECTION("resume") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local co = coroutine.create(function() while true do end end)\n"
        "  local ok, err = coroutine.resume(co)\n"
        "  return 'survived: ' .. tostring(err)\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("wrap") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local g = coroutine.wrap(function() while true do coroutine.yield(1) end end)\n"
        "  local n = 0\n"
        "  while true do n = n + g() end\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("nested coroutines under pcall") {
    LuaCallResult r = run1(
        "function f()\n"
        "  for i = 1, 100 do\n"
        "    pcall(coroutine.wrap(function()\n"
        "      local inner = coroutine.create(function() while true do end end)\n"
        "      coroutine.resume(inner)\n"
        "    end))\n"
        "  end\n"
        "  return 'survived'\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
}

TEST_CASE("endless recursion ends in a clean stack overflow", "[lua]") {
  SECTION("Lua stack") {
    LuaCallResult r = run1("function f() return 1 + f() end");
    REQUIRE_FALSE(r.ok());
    // Whichever budget gives first, the state survives and the error is named.
    if (r.error.kind == LuaErrorKind::Runtime) CHECK(contains(r.error.message, "stack overflow"));
    else CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
  }
  SECTION("C stack, through metamethods") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local t = setmetatable({}, {__index = function(t, k) return t[k] end})\n"
        "  return t.x\n"
        "end\n");
    REQUIRE(r.error.kind == LuaErrorKind::Runtime);
    CHECK(contains(r.error.message, "stack overflow"));
  }
  SECTION("C stack, through pcall") {
    LuaCallResult r = run1("function f() local function g() return pcall(g) end return g() end");
    CHECK(r.ok());  // the innermost pcall catches the overflow; nothing escapes
  }
  SECTION("C stack, through tostring") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local t = setmetatable({}, {})\n"
        "  getmetatable(t).__tostring = function(x) return tostring(x) end\n"
        "  return tostring(t)\n"
        "end\n");
    REQUIRE(r.error.kind == LuaErrorKind::Runtime);
    CHECK(contains(r.error.message, "stack overflow"));
  }
}

TEST_CASE("a memory bomb hits the memory limit", "[lua]") {
  SECTION("table growth") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local t = {}\n"
        "  while true do t[#t + 1] = {1, 2, 3, 4, 5, 6, 7, 8} end\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
    CHECK(contains(r.error.message, "64 MiB"));
  }
  SECTION("string doubling") {
    LuaCallResult r = run1("function f() local s = 'x' while true do s = s .. s end end");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
  }
  SECTION("a smaller configured limit") {
    LuaLimits limits;
    limits.memory = 4 << 20;
    LuaCallResult r = run1(
        "function f() local t = {} for i = 1, 1e7 do t[i] = i end return #t end", limits);
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
    CHECK(contains(r.error.message, "4 MiB"));
  }
}

TEST_CASE("string.rep bombs fail cleanly", "[lua]") {
  LuaCallResult r = run1("function f() return ('x'):rep(1e9) end");
  REQUIRE(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message, "string.rep"));
  CHECK(r.error.line == 1);
  r = run1("function f() return string.rep('abc', 1e6, ', ') end");
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  r = run1("function f() local s = ('x'):rep(1e5) return #s end");
  CHECK(r.value == LuaValue::num(1e5));
}

TEST_CASE("costly patterns are refused before they run", "[lua]") {
  LuaCallResult r = run1("function f() return (('a'):rep(5000)):find(('a*'):rep(10) .. 'b') end");
  REQUIRE(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message, "pattern too costly"));
  r = run1("function f() return (('a'):rep(1e5)):find('a*b', 1, true) == nil end");  // plain
  CHECK(r.value == LuaValue::yesno(true));
  r = run1("function f() return ('  attendance  '):match('^%s*(.-)%s*$') end");
  CHECK(r.value == LuaValue::str("attendance"));
}

TEST_CASE("C loops over huge ranges are refused", "[lua]") {
  LuaCallResult r = run1("function f() return table.move({}, 1, 1e12, 1) end");
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  r = run1(
      "function f()\n"
      "  local t = setmetatable({}, {__len = function() return 1e15 end})\n"
      "  table.insert(t, 1, 'x')\n"
      "end\n");
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message, "too long"));
}

TEST_CASE("no os, io, require, debug, dofile, collectgarbage or random", "[lua]") {
  for (const char* global : {"os", "io", "require", "debug", "package", "dofile", "loadfile",
                             "collectgarbage", "warn"}) {
    INFO(global);
    LuaCallResult r = run1(std::string("function f() return ") + global + " end");
    REQUIRE(r.error.kind == LuaErrorKind::Runtime);
    CHECK(contains(r.error.message, std::string("undefined global '") + global + "'"));
  }
  LuaCallResult r = run1("function f() return os.execute('echo pwned') end");
  CHECK(contains(r.error.message, "undefined global 'os'"));
  r = run1("function f() return io.open('/etc/passwd') end");
  CHECK(contains(r.error.message, "undefined global 'io'"));
  r = run1("function f() return math.random == nil and math.randomseed == nil end");
  CHECK(r.value == LuaValue::yesno(true));
}

TEST_CASE("bytecode cannot be loaded or made", "[lua]") {
  LuaCallResult r = run1("function f() return string.dump == nil and ('').dump == nil end");
  CHECK(r.value == LuaValue::yesno(true));
  r = run1(
      "function f()\n"
      "  local fn, err = load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n\\4\\8\\8')\n"
      "  return fn == nil and err\n"
      "end\n");
  REQUIRE(r.value.kind == LuaKind::Text);
  CHECK(contains(r.value.text, "binary"));
  LuaSandbox sb;
  LuaError err;
  CHECK_FALSE(sb.load_string("\x1bLuaT\0garbage", "binary.lua", &err));
  CHECK(err.kind == LuaErrorKind::Syntax);
  CHECK(contains(err.message, "binary"));
}

TEST_CASE("load compiles text into the script's own environment", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "local secret = 42\n"
      "function f() return load('return 6 * 7')() end\n"
      "function g() return load('return os')() end\n"
      "function h() return load('x = 1')() end\n",
      "load.lua"));
  CHECK(sb.call("f", {}).value == LuaValue::num(42));
  CHECK(contains(sb.call("g", {}).error.message, "undefined global 'os'"));
  CHECK(contains(sb.call("h", {}).error.message, "read-only"));
}

TEST_CASE("library tables and metatables cannot be changed", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "function tamper()\n"
      "  local results = {}\n"
      "  local function try(name, fn) results[#results + 1] = name .. '=' .. tostring(pcall(fn)) end\n"
      "  try('assign', function() string.rep = function() return 'pwned' end end)\n"
      "  try('rawset', function() rawset(string, 'rep', function() return 'pwned' end) end)\n"
      "  try('rawset tr', function() rawset(tr, 'unknown', print) end)\n"
      "  try('setmetatable _G', function() setmetatable(_G, {}) end)\n"
      "  try('setmetatable string', function() setmetatable(string, {}) end)\n"
      "  try('string metatable', function() getmetatable('').__index.rep = nil end)\n"
      "  try('math', function() math.pi = 3 end)\n"
      "  try('table.insert', function() table.insert(math, 1) end)\n"
      "  return table.concat(results, ' ')\n"
      "end\n",
      "tamper.lua"));
  REQUIRE(sb.load_string("function rep3() return ('x'):rep(3) .. string.rep('y', 2) end",
                         "victim.lua"));
  LuaCallResult r = sb.call("tamper", {});
  REQUIRE(r.ok());
  CHECK(r.value.text ==
        "assign=false rawset=false rawset tr=false setmetatable _G=false "
        "setmetatable string=false string metatable=false math=false table.insert=false");
  CHECK(sb.call("rep3", {}).value == LuaValue::str("xxxyy"));
  LuaCallResult mt = run(sb, "function f() return getmetatable('') end");
  CHECK(mt.value == LuaValue::str("string"));
}

TEST_CASE("scripts do not see each other's globals", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string("helper = 1\nfunction a() return helper end", "a.lua"));
  REQUIRE(sb.load_string("function b() return helper end", "b.lua"));
  CHECK(sb.call("a", {}).value == LuaValue::num(1));
  CHECK(contains(sb.call("b", {}).error.message, "undefined global 'helper'"));
}

TEST_CASE("pcall cannot keep a script running past a limit", "[lua]") {
  SECTION("pcall in a loop") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local n = 0\n"
        "  for i = 1, 1000 do pcall(function() while true do end end) n = n + 1 end\n"
        "  return n\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("catch and return") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local ok, err = pcall(function() while true do end end)\n"
        "  return 'survived'\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("xpcall with a handler that loops") {
    LuaCallResult r = run1(
        "function f()\n"
        "  return xpcall(function() while true do end end, function() while true do end end)\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("a memory error caught by pcall") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local ok = pcall(function() local s = 'x' while true do s = s .. s end end)\n"
        "  return 'survived'\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
  }
  SECTION("a memory error caught by coroutine.resume") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local co = coroutine.create(function()\n"
        "    local t = {} while true do t[#t+1] = {1, 2, 3, 4, 5, 6, 7, 8} end\n"
        "  end)\n"
        "  local ok = coroutine.resume(co)\n"
        "  return 'survived'\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::MemoryLimit);
  }
  SECTION("xpcall inside a coroutine") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local co = coroutine.wrap(function()\n"
        "    return xpcall(function() while true do end end, function(e) while true do end end)\n"
        "  end)\n"
        "  return pcall(co)\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("a dead coroutine's __close cannot run unhooked later") {
    // The hook's error leaves hooks off in the dead coroutine; closing it must
    // not run its __close, in this call or a later one.
    LuaSandbox sb;
    LuaCallResult r = run(sb,
        "local saved\n"
        "local function looping_close()\n"
        "  return setmetatable({}, {__close = function() while true do end end})\n"
        "end\n"
        "function f()\n"
        "  saved = coroutine.create(function()\n"
        "    local guard <close> = looping_close()\n"
        "    while true do end\n"
        "  end)\n"
        "  coroutine.resume(saved)\n"
        "end\n"
        "function g() return coroutine.close(saved) end\n"
        "function h()\n"
        "  coroutine.wrap(function() local guard <close> = looping_close() while true do end end)()\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
    CHECK(sb.call("g", {}).value == LuaValue::yesno(false));
    CHECK(sb.call("h", {}).error.kind == LuaErrorKind::InstructionLimit);
  }
  SECTION("a to-be-closed variable that loops while unwinding") {
    LuaCallResult r = run1(
        "function f()\n"
        "  local guard <close> = setmetatable({}, {__close = function() while true do end end})\n"
        "  while true do end\n"
        "end\n");
    CHECK(r.error.kind == LuaErrorKind::InstructionLimit);
  }
}

TEST_CASE("finalizers and weak tables are refused", "[lua]") {
  LuaCallResult r = run1("function f() setmetatable({}, {__gc = function() end}) end");
  CHECK(contains(r.error.message, "__gc"));
  r = run1("function f() setmetatable({}, {__mode = 'k'}) end");
  CHECK(contains(r.error.message, "weak tables"));
}

TEST_CASE("globals are read-only after loading; undefined globals are errors", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "count = 0\n"
      "function bump() count = count + 1 return count end\n"
      "function sneak() rawset(_G, 'count', 99) end\n"
      "function typo() return attendence end\n",
      "state.lua"));
  LuaCallResult r = sb.call("bump", {});
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  CHECK(contains(r.error.message, "cannot set global 'count'"));
  CHECK(contains(sb.call("sneak", {}).error.message, "read-only"));
  r = sb.call("typo", {});
  CHECK(contains(r.error.message, "undefined global 'attendence'"));
  CHECK(r.error.line == 4);
}

TEST_CASE("syntax errors give the script and line", "[lua]") {
  LuaSandbox sb;
  LuaError err;
  CHECK_FALSE(sb.load_string("function f()\n  return 1 +\nend\n", "rules/lua/broken.lua", &err));
  CHECK(err.kind == LuaErrorKind::Syntax);
  CHECK(err.script == "rules/lua/broken.lua");
  CHECK(err.line == 3);
  CHECK(contains(err.message, "unexpected symbol near 'end'"));
  CHECK(err.to_string() ==
        "rules/lua/broken.lua:3: syntax error: unexpected symbol near 'end'");
  CHECK(sb.functions().empty());

  CHECK_FALSE(sb.load_file("rules/lua/does_not_exist.lua", &err));
  CHECK(err.kind == LuaErrorKind::Io);
}

TEST_CASE("errors at load time and long paths", "[lua]") {
  LuaSandbox sb;
  LuaError err;
  CHECK_FALSE(sb.load_string("function f() end\nerror('not today')\n", "top.lua", &err));
  CHECK(err.kind == LuaErrorKind::Load);
  CHECK(err.line == 2);
  CHECK(err.message == "not today");
  CHECK(sb.function_id("f") == -1);  // nothing of a failed script stays callable

  std::string long_path = "/very/long/path/to/the/trust/rules/folder/with/many/levels/lua/x.lua";
  CHECK_FALSE(sb.load_string("\n\nlocal x = = 1", long_path, &err));
  CHECK(err.script == long_path);
  CHECK(err.line == 3);
  REQUIRE(sb.load_string("function boom()\n  error('bang')\nend", long_path));
  LuaCallResult r = sb.call("boom", {});
  CHECK(r.error.script == long_path);
  CHECK(r.error.line == 2);
  CHECK(r.error.message == "bang");
}

TEST_CASE("runtime errors name script, line and function", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "local function helper(x)\n"
      "  return x.missing.field\n"
      "end\n"
      "function outer(x) local v = helper(x) return v end\n"
      "function check_arg(x) if type(x) ~= 'number' then error('need a number', 2) end end\n"
      "function caller() check_arg('x') end\n"
      "function table_error() error({code = 1}) end\n",
      "errors.lua"));
  std::vector<LuaValue> args{LuaValue::record({})};
  LuaCallResult r = sb.call("outer", args);
  CHECK(r.error.kind == LuaErrorKind::Runtime);
  CHECK(r.error.script == "errors.lua");
  CHECK(r.error.line == 2);
  CHECK(r.error.function == "outer");
  CHECK(contains(r.error.message, "attempt to index a nil value (field 'missing')"));
  CHECK(contains(r.error.traceback, "errors.lua:4"));
  r.error.rule_id = "attendance_floor";
  r.error.urn = "100001";
  CHECK(r.error.to_string() ==
        "errors.lua:2: in outer: runtime error: attempt to index a nil value (field 'missing') "
        "(rule attendance_floor, school 100001)");
  r = sb.call("caller", {});
  CHECK(r.error.line == 6);  // error(msg, 2) blames the caller
  r = sb.call("table_error", {});
  CHECK(r.error.line == 7);
  CHECK(r.error.message == "(error object is a table value)");
  r = sb.call("nope", {});
  CHECK(r.error.kind == LuaErrorKind::NoFunction);
  CHECK(r.error.function == "nope");
}

TEST_CASE("functions() lists global functions of every script, sorted", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "local function hidden() end\n"
      "function zeta() end\n"
      "alpha = function() end\n"
      "not_a_function = 3\n",
      "one.lua"));
  REQUIRE(sb.load_string("function mid() end", "two.lua"));
  CHECK(sb.functions() == std::vector<std::string>{"alpha", "mid", "zeta"});
  CHECK(sb.script_of(sb.function_id("mid")) == "two.lua");
  LuaError err;
  CHECK_FALSE(sb.load_string("function zeta() end", "three.lua", &err));
  CHECK(err.kind == LuaErrorKind::Load);
  CHECK(err.message == "function 'zeta' is already defined by one.lua");
  CHECK(sb.script_of(sb.function_id("zeta")) == "one.lua");
}

TEST_CASE("declared return types are checked and tag numbers", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "tr.declare('share', 'percent')\n"
      "tr.declare('label', 'yesno')\n"
      "function share(a, b) return a / b * 100 end\n"
      "function label() return 'oops' end\n"
      "function late() tr.declare('late', 'number') end\n",
      "typed.lua"));
  std::vector<LuaValue> args{LuaValue::num(1), LuaValue::num(4)};
  LuaCallResult r = sb.call("share", args);
  CHECK(r.value == LuaValue::num(25, LuaNumTag::Percent));
  CHECK(sb.declared_return(sb.function_id("share"))->tag == LuaNumTag::Percent);
  CHECK_FALSE(sb.declared_return(sb.function_id("late")));
  r = sb.call("label", {});
  CHECK(r.error.kind == LuaErrorKind::BadReturn);
  CHECK(r.error.function == "label");
  CHECK(r.error.message == "label returned text \"oops\", expected yesno");
  LuaType want = *parse_lua_type("score");
  r = sb.call("share", args, &want);
  CHECK(r.value.tag == LuaNumTag::Score);
  CHECK(contains(sb.call("late", {}).error.message, "only allowed while the script loads"));
  LuaError err;
  CHECK_FALSE(sb.load_string("tr.declare('ghost', 'number')", "ghost.lua", &err));
  CHECK(contains(err.message, "'ghost', which is not a global function"));
  CHECK_FALSE(sb.load_string("tr.declare('g', 'percentage') function g() end", "bad.lua", &err));
  CHECK(contains(err.message, "'percentage' is not a type"));
}

TEST_CASE("wrong return values are errors naming the function", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string(
      "function nothing() end\n"
      "function nan() return 0/0 end\n"
      "function fn() return print end\n"
      "function mixed() return {1, 2, x = 3} end\n"
      "function holes() return {1, nil, 3} end\n"
      "function cyclic() local t = {} t[1] = t return t end\n",
      "returns.lua"));
  CHECK(sb.call("nothing", {}).error.message == "nothing returned nil");
  CHECK(contains(sb.call("nan", {}).error.message, "nan returned a number that is not finite"));
  CHECK(sb.call("fn", {}).error.message == "fn returned a function");
  CHECK(contains(sb.call("mixed", {}).error.message, "mixing list items and named fields"));
  CHECK(contains(sb.call("holes", {}).error.message, "holes"));
  CHECK(contains(sb.call("cyclic", {}).error.message, "nested too deeply"));
  CHECK(sb.call("cyclic", {}).error.kind == LuaErrorKind::BadReturn);
}

TEST_CASE("print goes to a bounded buffer, without addresses", "[lua]") {
  LuaSandbox sb;
  REQUIRE(sb.load_string("function f() print('hello', 1, {}, print) return true end", "print.lua"));
  CHECK(sb.call("f", {}).ok());
  CHECK(sb.take_output() == "hello\t1\ttable\tfunction\n");
  CHECK(sb.take_output().empty());
}
