// Internals shared by lua_sandbox.cc (states, loading, calls), lua_value.cc (the
// value bridge and the `tr` library) and lua_sandbox_lib.cc (the safe standard
// library). Not for use outside those files.
//
// Lua is built as C here, so a Lua error is a longjmp: it skips C++ destructors.
// Two rules follow, and every function below keeps them:
//  - a C function called by Lua never has a C++ object with a destructor alive
//    when it calls anything that may raise (luaL_error, lua_push*, lua_call, ...);
//    C++ work happens in a try block that ends before such calls;
//  - C++ code outside protected mode only uses API calls that cannot raise
//    (type tests, to* on values of the right type, raw gets, lua_next, settop).
#pragma once

#include "lua_sandbox.h"

#include <lua.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tr::luab {

enum class Trip : uint8_t { None, Instructions, Memory };

struct ScaleDef {
  std::string id;
  std::vector<std::string> grades;  // best first
};

struct Script {
  std::string path;
  std::string short_src;  // the name Lua puts in front of its messages
};

struct Function {
  std::string name;
  int script = 0;
  std::optional<LuaType> declared;
  int ref = LUA_NOREF;  // the function value, in the registry
};

struct SandboxState {
  lua_State* L = nullptr;
  LuaLimits limits;

  // The instruction budget of the running call. The hook adds kHookInterval to
  // `used` each time it fires.
  static constexpr int kHookInterval = 1000;
  uint64_t used = 0;
  // Set when a budget runs out. Stays set until the next call starts, so the
  // hook raises again at every count and wrappers that catch errors re-raise.
  Trip tripped = Trip::None;
  int trip_line = 0;
  char trip_source[LUA_IDSIZE] = {};

  size_t mem = 0;   // bytes held by the state
  size_t peak = 0;

  int current_script = -1;  // whose environment `load` uses
  bool loading = false;     // tr.declare is only valid while a script loads
  std::vector<std::pair<std::string, std::string>> declarations;  // of the loading script

  std::string output;  // print()
  std::vector<ScaleDef> scales;
  std::vector<Script> scripts;
  std::vector<Function> functions;
  std::map<std::string, int, std::less<>> function_ids;
  bool collect_next = false;  // a memory trip left garbage: collect before the next call
  void* step = nullptr;       // the running protected step (lua_sandbox.cc)
  // Bumped after every call: a lazy school view (LuaSchoolSource) made in one
  // call refuses to read its source in a later one.
  uint64_t view_generation = 0;
};

inline SandboxState* state_of(lua_State* L) {
  return *static_cast<SandboxState**>(lua_getextraspace(L));
}

// Called by every wrapper that catches errors (pcall, xpcall, resume, wrap,
// load): records a memory error as a trip and says whether the error must
// propagate instead of being handed to the script.
bool limit_hit(lua_State* L, int status);

// Registry keys (their addresses are the keys).
extern char kBaseKey;    // the shared table of safe globals
extern char kEnvsKey;    // script environments (_ENV of its code), by script index + 1
extern char kStoresKey;  // the tables holding each script's globals, by script index + 1
extern char kEnvSetKey;  // environment -> its globals table
extern char kTrKey;      // the real `tr` table

// ---- lua_userdata.cc, lua_value.cc -----------------------------------------

enum class UdKind : uint8_t { None, Unknown, Grade, Proxy };
UdKind ud_kind(lua_State* L, int idx);
// The reason of the unknown at idx (which must be one).
std::string_view unknown_reason(lua_State* L, int idx);
struct GradeParts {
  std::string_view scale, grade;
  int rank;
};
GradeParts grade_parts(lua_State* L, int idx);  // idx must be a grade

// Metatables for unknowns, grades and read-only proxies, and the real `tr` table.
void open_bridge(lua_State* L);
void push_unknown(lua_State* L, std::string_view reason);
void push_grade(lua_State* L, std::string_view scale, std::string_view grade, int rank);
// These raise Lua errors (memory, reserved keys): call them in protected mode.
void push_value(lua_State* L, const LuaValue& v, int depth = 0);
void push_school(lua_State* L, const LuaSchool& school);
// Replaces the table on top of the stack with a read-only proxy of it.
void make_proxy(lua_State* L);
// Pushes the real table behind the proxy at idx; returns false (pushing nothing)
// when idx is not a proxy. Raw: a lazy school view shows only what was read.
bool push_proxied(lua_State* L, int idx);
// The same for the script-facing raw functions (pairs, next, rawget, rawlen):
// a lazy school view is filled first, so they see every key. May raise.
bool push_proxied_whole(lua_State* L, int idx);
// A proxy over the table on top of the stack whose missing keys are filled from
// `source` (part 0: the school; 1: its history). May raise.
void make_lazy_proxy(lua_State* L, const LuaSchoolSource& source, int part);
// Parts of the school view, pushed as read-only tables. May raise.
void push_history_list(lua_State* L, const std::vector<LuaPoint>& points);
// One point of a history list: a read-only {period = ..., value = ...}.
void push_point(lua_State* L, const LuaPoint& point);
void push_benchmarks(lua_State* L, const std::vector<LuaBenchmark>& benchmarks);

// Reads the value at idx without raising (used after the call returned).
// `budget` counts down the values read; on false, `error` says what is wrong.
bool read_value(lua_State* L, int idx, LuaValue& out, std::string& error, size_t& budget,
                int depth = 0);
// Interprets a whole-rule or KPI result (see LuaRuleResult); on false, `problem`
// says what is wrong with it, naming the function `fn`.
bool interpret_rule_result(LuaValue v, const std::string& fn, bool need_status, LuaRuleResult& r,
                           std::string& problem);

// ---- lua_sandbox_lib.cc ----------------------------------------------------

// Replaces the script environment at idx by the table holding its globals, so
// that rawget, pairs and next see the globals (the environment itself is empty).
void env_to_store(lua_State* L, int idx);

void* allocate(void* ud, void* ptr, size_t osize, size_t nsize);
void count_hook(lua_State* L, lua_Debug* ar);
// Opens the allowed libraries, wraps what must be wrapped, and stores the table
// of globals every script environment falls back to at registry[kBaseKey].
void open_safe_libs(lua_State* L);
// Pushes a fresh environment for script `script`, then the table that holds its
// globals. The environment itself stays empty: reads go to the globals table,
// then to the shared library (an undefined global is an error); writes go to the
// globals table only while that script's top level runs, so no call can keep
// state in a global. Its metatable is protected.
void push_new_env(lua_State* L, int script);

// ---- lua_sandbox_wrap.cc ---------------------------------------------------

// Calls the wrapped original (upvalue 1) with this call's arguments.
int call_original(lua_State* L);
// Replaces t[name] (t on top of the stack, below `extra_upvalues` values) with
// fn closed over the original and those values.
void wrap_field(lua_State* L, const char* name, lua_CFunction fn, int extra_upvalues = 0);
// Pushes iterator, nil, nil that visit the table at idx in sorted key order
// (numbers, then strings, then false/true); raises on keys that have no order.
int push_sorted_pairs(lua_State* L, int idx);
int safe_pairs(lua_State* L);
int safe_next(lua_State* L);
int safe_tostring(lua_State* L);
int safe_print(lua_State* L);
// Wrap the real string / table library on top of the stack in place.
void wrap_string_lib(lua_State* L);
void wrap_table_lib(lua_State* L);

}  // namespace tr::luab
