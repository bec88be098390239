// LuaSandbox: one Lua state, one environment per script, budgets per call.
// Every Lua operation that can raise runs inside a protected "step" (a C
// function run by lua_pcall); C++ reads results afterwards with calls that
// cannot raise. See lua_internal.h.
#include "lua_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace tr {

using namespace luab;

namespace {

enum class Mode : uint8_t { Init, Forget, Register, Call, Rule, Kpi };

// Inputs of a protected step and what its message handler found. Lives on the
// C++ caller's stack; steps only read it through pointers.
struct Step {
  Mode mode = Mode::Call;
  int script = 0;
  const Function* fn = nullptr;
  std::span<const LuaValue> args;
  const LuaSchool* school = nullptr;
  std::span<const LuaSchool> schools;
  const std::vector<std::string>* names = nullptr;  // Register
  int* refs = nullptr;                              // Register
  bool in_args = false;  // an error now is the engine's value, not the script
  int err_line = 0;
  // Filled by message_handler; only the first byte is set up front, because
  // clearing 2 KiB on every call showed in the call overhead.
  char err_source[LUA_IDSIZE];
  char traceback[2048];
  Step() { err_source[0] = traceback[0] = '\0'; }
};

Step* step_arg(lua_State* L) { return static_cast<Step*>(lua_touserdata(L, 1)); }

// The short name Lua gives a chunk called "@path" in its messages (luaO_chunkid).
std::string chunk_id(const std::string& path) {
  constexpr size_t kKeep = LUA_IDSIZE - 4;
  return path.size() + 1 <= LUA_IDSIZE ? path : "..." + path.substr(path.size() - kKeep);
}

// Records where the error happened (the innermost Lua line) and a traceback,
// and turns a non-string error object into a message.
int message_handler(lua_State* L) {
  auto* st = static_cast<Step*>(state_of(L)->step);
  lua_Debug ar;
  for (int level = 1; lua_getstack(L, level, &ar); ++level) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      st->err_line = ar.currentline;
      snprintf(st->err_source, sizeof st->err_source, "%s", ar.short_src);
      break;
    }
  }
  // Once tripped, this runs with the hook disabled (see count_hook): no script
  // code (__tostring) may run from here.
  if (state_of(L)->tripped != Trip::None) return 1;
  if (lua_type(L, 1) != LUA_TSTRING) {
    if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
      lua_pop(L, 1);
      luaL_tolstring(L, 1, nullptr);
    } else {
      lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    lua_replace(L, 1);
  }
  luaL_traceback(L, L, nullptr, 1);
  snprintf(st->traceback, sizeof st->traceback, "%s", lua_tostring(L, -1));
  lua_settop(L, 1);
  return 1;
}

int step_init(lua_State* L) {  // (step, chunk): run a script's top level in a new environment
  Step* st = step_arg(L);
  push_new_env(L, st->script);  // 3: environment, 4: its globals
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvsKey);
  lua_pushvalue(L, 3);
  lua_rawseti(L, -2, st->script + 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kStoresKey);
  lua_pushvalue(L, 4);
  lua_rawseti(L, -2, st->script + 1);
  lua_pushvalue(L, 3);
  if (!lua_setupvalue(L, 2, 1)) lua_pop(L, 1);  // a main chunk's first upvalue is _ENV
  lua_pushvalue(L, 2);
  lua_call(L, 0, 0);
  return 0;
}

int step_forget(lua_State* L) {  // (step): drop a script that failed to load
  Step* st = step_arg(L);
  for (const char* key : {&kEnvsKey, &kStoresKey}) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    lua_pushnil(L);
    lua_rawseti(L, -2, st->script + 1);
    lua_pop(L, 1);
  }
  return 0;
}

int step_register(lua_State* L) {  // (step): registry references to a script's functions
  Step* st = step_arg(L);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kStoresKey);
  lua_rawgeti(L, -1, st->script + 1);
  for (size_t i = 0; i < st->names->size(); ++i) {
    const std::string& name = (*st->names)[i];
    lua_pushlstring(L, name.data(), name.size());
    lua_rawget(L, -2);
    st->refs[i] = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  return 0;
}

int step_call(lua_State* L) {  // (step): call st->fn with the step's arguments
  Step* st = step_arg(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, st->fn->ref);
  st->in_args = true;
  int n = 0;
  if (st->mode == Mode::Rule) {
    push_school(L, *st->school);
    n = 1;
  } else if (st->mode == Mode::Kpi) {
    lua_createtable(L, static_cast<int>(std::min<size_t>(st->schools.size(), 1 << 20)), 0);
    for (size_t i = 0; i < st->schools.size(); ++i) {
      push_school(L, st->schools[i]);
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    make_proxy(L);
    n = 1;
  }
  luaL_checkstack(L, static_cast<int>(std::min<size_t>(st->args.size(), 1 << 20)) + 4,
                  "too many arguments");
  for (const LuaValue& v : st->args) {
    push_value(L, v);
    ++n;
  }
  st->in_args = false;
  lua_call(L, n, 1);
  return 1;
}

// "path:12: message" -> 12 and "message", when the message starts with src.
bool strip_position(std::string& message, std::string_view src, int& line) {
  if (src.empty() || message.size() <= src.size() + 1 || message.compare(0, src.size(), src) != 0 ||
      message[src.size()] != ':')
    return false;
  size_t i = src.size() + 1, digits = i;
  while (i < message.size() && message[i] >= '0' && message[i] <= '9') ++i;
  if (i == digits || message.compare(i, 2, ": ") != 0) return false;
  line = std::stoi(message.substr(digits, i - digits));
  message.erase(0, i + 2);
  return true;
}

}  // namespace

// ---- the state -------------------------------------------------------------

namespace {
int setup(lua_State* L) {
  open_bridge(L);
  open_safe_libs(L);
  return 0;
}
int panic(lua_State* L) {
  const char* msg = lua_tostring(L, -1);
  fprintf(stderr, "trustrules: unprotected Lua error: %s\n", msg ? msg : "?");
  return 0;  // Lua aborts
}
}  // namespace

LuaSandbox::LuaSandbox(const LuaLimits& limits) : s_(std::make_unique<SandboxState>()) {
  s_->limits = limits;
  lua_State* L = lua_newstate(allocate, s_.get());
  if (!L) throw std::runtime_error("cannot create a Lua state (memory limit too small?)");
  s_->L = L;
  *static_cast<SandboxState**>(lua_getextraspace(L)) = s_.get();
  lua_atpanic(L, panic);
  lua_pushcfunction(L, setup);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
    std::string msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    lua_close(L);
    throw std::runtime_error("cannot set up the Lua sandbox: " + msg);
  }
  lua_sethook(L, count_hook, LUA_MASKCOUNT, SandboxState::kHookInterval);
}

LuaSandbox::~LuaSandbox() {
  s_->tripped = Trip::Instructions;  // nothing of a script may run while closing
  lua_close(s_->L);
}

const LuaLimits& LuaSandbox::limits() const { return s_->limits; }

void LuaSandbox::add_scale(std::string id, std::vector<std::string> grades) {
  s_->scales.push_back({std::move(id), std::move(grades)});
}

LuaSandbox::Stats LuaSandbox::stats() const { return {s_->used, s_->mem, s_->peak}; }

std::string LuaSandbox::take_output() { return std::exchange(s_->output, {}); }

// Runs fn(step, <nargs values already on the stack>) in protected mode under a
// fresh budget. The results (or the error object) are left on the stack.
static void begin_budget(SandboxState* S, Step& st) {
  if (S->collect_next) {
    lua_gc(S->L, LUA_GCCOLLECT, 0);
    S->collect_next = false;
  }
  S->used = 0;
  S->tripped = Trip::None;
  S->trip_line = 0;
  S->trip_source[0] = '\0';
  S->step = &st;
}

static int end_budget(SandboxState* S, int status) {
  S->step = nullptr;
  if (S->tripped == Trip::Memory || status == LUA_ERRMEM) S->collect_next = true;
  return status;
}

static int run_step(SandboxState* S, lua_CFunction fn, Step& st, int nargs, int nresults) {
  lua_State* L = S->L;
  begin_budget(S, st);
  // Light C functions and light userdata: pushing them cannot allocate.
  lua_pushcfunction(L, message_handler);
  lua_insert(L, -1 - nargs);
  int handler = lua_gettop(L) - nargs;
  lua_pushcfunction(L, fn);
  lua_insert(L, -1 - nargs);
  lua_pushlightuserdata(L, &st);
  lua_insert(L, -1 - nargs);
  return end_budget(S, lua_pcall(L, nargs + 1, nresults, handler));
}

// The common case, numbers and yes/no in: pushing them cannot allocate, so the
// function is called directly, without a step (a third of the call overhead).
static bool plain_args(std::span<const LuaValue> args) {
  for (const LuaValue& v : args)
    if (v.kind != LuaKind::Number && v.kind != LuaKind::YesNo) return false;
  return args.size() < 200;
}

static int run_plain(SandboxState* S, const Function& f, Step& st) {
  lua_State* L = S->L;
  begin_budget(S, st);
  lua_pushcfunction(L, message_handler);
  int handler = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, f.ref);
  for (const LuaValue& v : st.args) {
    if (v.kind == LuaKind::YesNo) lua_pushboolean(L, v.yes);
    else if (std::nearbyint(v.number) == v.number && std::fabs(v.number) < 9.0e15)
      lua_pushinteger(L, static_cast<lua_Integer>(v.number));  // as push_value does
    else lua_pushnumber(L, v.number);
  }
  return end_budget(S, lua_pcall(L, static_cast<int>(st.args.size()), 1, handler));
}

// Turns the outcome of run_step into an error (false) or nothing (true). A
// tripped budget is reported even when the script caught the error and returned.
static bool outcome(SandboxState* S, int status, const Step& st, const std::string& script_path,
                    LuaError& err) {
  lua_State* L = S->L;
  if (S->tripped == Trip::None && status == LUA_ERRMEM) S->tripped = Trip::Memory;
  if (S->tripped == Trip::None && status == LUA_OK) return true;
  std::string where = st.err_source;
  err.line = st.err_line;
  if (S->tripped == Trip::Instructions) {
    err.kind = LuaErrorKind::InstructionLimit;
    err.message = "ran more than " + std::to_string(S->limits.instructions) +
                  " Lua instructions (an endless loop?)";
    where = S->trip_source;
    err.line = S->trip_line;
  } else if (S->tripped == Trip::Memory) {
    err.kind = LuaErrorKind::MemoryLimit;
    err.message = "needed more than " + std::to_string(S->limits.memory >> 20) +
                  " MiB of memory";
    if (err.line == 0 && S->trip_line > 0) {  // no handler ran: where the allocation was refused
      where = S->trip_source;
      err.line = S->trip_line;
    }
  } else {
    err.kind = LuaErrorKind::Runtime;
    err.message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "error";
    err.traceback = st.traceback;
    // Prefer the position in the message: error(msg, 2) points at the caller on purpose.
    int line = 0;
    for (const Script& s : S->scripts)
      if (strip_position(err.message, s.short_src, line)) {
        where = s.short_src;
        err.line = line;
        break;
      }
  }
  // A position in a chunk the script load()ed, or in no script, is not a line of
  // the script file: keep the script, drop the line.
  err.script = script_path;
  bool placed = false;
  for (const Script& s : S->scripts)
    if (!where.empty() && s.short_src == where) {
      err.script = s.path;
      placed = true;
    }
  if (!placed) err.line = 0;
  return false;
}

// ---- loading ---------------------------------------------------------------

bool LuaSandbox::load_file(const std::string& path, LuaError* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = {LuaErrorKind::Io, path, 0, "", "cannot open the file", "", "", ""};
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_string(text.str(), path, error);
}

bool LuaSandbox::load_string(std::string_view code, const std::string& name, LuaError* error) {
  SandboxState* S = s_.get();
  lua_State* L = S->L;
  LuaError err;
  err.script = name;
  auto fail = [&](LuaErrorKind kind, std::string message) {
    if (err.kind == LuaErrorKind::None) {
      err.kind = kind;
      err.message = std::move(message);
    }
    if (error) *error = std::move(err);
    return false;
  };
  int script = static_cast<int>(S->scripts.size());
  S->scripts.push_back({name, chunk_id(name)});
  // Lua would refuse it too (mode "t"), but this says why in words.
  if (!code.empty() && code[0] == LUA_SIGNATURE[0])
    return fail(LuaErrorKind::Syntax, "precompiled (binary) chunks are not allowed; load the source");
  int base = lua_gettop(L);
  if (!lua_checkstack(L, 8)) return fail(LuaErrorKind::MemoryLimit, "no room on the Lua stack");

  S->used = 0;
  S->tripped = Trip::None;
  std::string chunkname = "@" + name;
  int status = luaL_loadbufferx(L, code.data(), code.size(), chunkname.c_str(), "t");
  if (status != LUA_OK) {
    std::string message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    lua_settop(L, base);
    if (status == LUA_ERRMEM) return fail(LuaErrorKind::MemoryLimit, "not enough memory to compile");
    strip_position(message, S->scripts.back().short_src, err.line);
    return fail(LuaErrorKind::Syntax, std::move(message));
  }

  Step st;
  st.mode = Mode::Init;
  st.script = script;
  S->loading = true;
  S->current_script = script;
  S->declarations.clear();
  status = run_step(S, step_init, st, 1, 0);
  S->loading = false;
  bool ok = outcome(S, status, st, name, err);
  lua_settop(L, base);
  if (!ok) {
    if (err.kind == LuaErrorKind::Runtime) err.kind = LuaErrorKind::Load;
    Step forget;
    forget.script = script;
    run_step(S, step_forget, forget, 0, 0);
    lua_settop(L, base);
    return fail(err.kind, err.message);
  }

  // The script's global functions: a raw walk of its globals.
  std::vector<std::string> names;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kStoresKey);
  lua_rawgeti(L, -1, script + 1);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TFUNCTION)
      names.emplace_back(lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  lua_settop(L, base);
  std::sort(names.begin(), names.end());

  std::string problem;
  for (const std::string& n : names) {
    auto it = S->function_ids.find(n);
    if (it != S->function_ids.end() && problem.empty())
      problem = "function '" + n + "' is already defined by " +
                S->scripts[S->functions[it->second].script].path;
  }
  std::vector<std::optional<LuaType>> declared(names.size());
  for (const auto& [fn, type] : S->declarations) {
    auto it = std::lower_bound(names.begin(), names.end(), fn);
    if (it == names.end() || *it != fn) {
      if (problem.empty())
        problem = "tr.declare names '" + fn + "', which is not a global function of the script";
      continue;
    }
    declared[it - names.begin()] = parse_lua_type(type);
  }
  if (!problem.empty()) {
    Step forget;
    forget.script = script;
    run_step(S, step_forget, forget, 0, 0);
    lua_settop(L, base);
    return fail(LuaErrorKind::Load, problem);
  }
  std::vector<int> refs(names.size(), LUA_NOREF);
  Step reg;
  reg.script = script;
  reg.names = &names;
  reg.refs = refs.data();
  bool registered = run_step(S, step_register, reg, 0, 0) == LUA_OK;
  lua_settop(L, base);
  if (!registered) {
    Step forget;
    forget.script = script;
    run_step(S, step_forget, forget, 0, 0);
    lua_settop(L, base);
    return fail(LuaErrorKind::MemoryLimit, "not enough memory to register the script's functions");
  }
  for (size_t i = 0; i < names.size(); ++i) {
    S->function_ids.emplace(names[i], static_cast<int>(S->functions.size()));
    S->functions.push_back({names[i], script, declared[i], refs[i]});
  }
  return true;
}

std::vector<std::string> LuaSandbox::functions() const {
  std::vector<std::string> out;
  for (const auto& [name, id] : s_->function_ids) out.push_back(name);
  return out;  // std::map keeps them sorted
}

int LuaSandbox::function_id(std::string_view name) const {
  auto it = s_->function_ids.find(name);
  return it == s_->function_ids.end() ? -1 : it->second;
}
const std::string& LuaSandbox::function_name(int id) const { return s_->functions.at(id).name; }
const std::string& LuaSandbox::script_of(int id) const {
  return s_->scripts.at(s_->functions.at(id).script).path;
}
std::optional<LuaType> LuaSandbox::declared_return(int id) const {
  return s_->functions.at(id).declared;
}

// ---- calling ---------------------------------------------------------------

// Runs a call step for function `id`; on success the result is on top of the
// stack (the caller resets the stack to `base`).
static bool start_call(SandboxState* S, int id, std::string_view name, Step& st, LuaError& err) {
  if (id < 0) {
    err.kind = LuaErrorKind::NoFunction;
    err.function = std::string(name);
    err.message = "no loaded Lua script defines a global function '" + err.function + "'";
    return false;
  }
  const Function& f = S->functions.at(id);
  err.function = f.name;
  st.fn = &f;
  if (!lua_checkstack(S->L, 8)) {
    err.kind = LuaErrorKind::MemoryLimit;
    err.message = "no room on the Lua stack";
    return false;
  }
  S->current_script = f.script;
  int status;
  if (st.mode == Mode::Call && plain_args(st.args)) {
    if (!lua_checkstack(S->L, static_cast<int>(st.args.size()) + 8)) {
      err.kind = LuaErrorKind::MemoryLimit;
      err.message = "no room on the Lua stack";
      return false;
    }
    status = run_plain(S, f, st);
  } else {
    status = run_step(S, step_call, st, 0, 1);
  }
  const std::string& path = S->scripts[f.script].path;
  if (!outcome(S, status, st, path, err)) {
    if (err.kind == LuaErrorKind::Runtime && st.in_args) {  // e.g. a reserved school key
      err.kind = LuaErrorKind::BadArgument;
      err.script.clear();
      err.line = 0;
      err.traceback.clear();
    }
    return false;
  }
  return true;
}

static void bad_return(LuaError& err, const std::string& script, std::string message) {
  err.kind = LuaErrorKind::BadReturn;
  err.script = script;
  err.line = 0;
  err.message = std::move(message);
}

LuaCallResult LuaSandbox::call(std::string_view function, std::span<const LuaValue> args,
                               const LuaType* expect) {
  int id = function_id(function);
  if (id < 0) {
    LuaCallResult r;
    Step st;
    start_call(s_.get(), id, function, st, r.error);
    return r;
  }
  return call(id, args, expect);
}

LuaCallResult LuaSandbox::call(int id, std::span<const LuaValue> args, const LuaType* expect) {
  SandboxState* S = s_.get();
  LuaCallResult r;
  int base = lua_gettop(S->L);
  Step st;
  st.mode = Mode::Call;
  st.args = args;
  if (!start_call(S, id, "", st, r.error)) {
    lua_settop(S->L, base);
    return r;
  }
  const Function& f = S->functions[id];
  std::string problem;
  size_t budget = S->limits.max_result_items;
  if (!read_value(S->L, -1, r.value, problem, budget)) {
    bad_return(r.error, S->scripts[f.script].path, f.name + " returned " + problem);
  } else {
    const LuaType* want = expect ? expect : f.declared ? &*f.declared : nullptr;
    if (want && !lua_type_accepts(*want, r.value)) {
      bad_return(r.error, S->scripts[f.script].path,
                 f.name + " returned " + std::string(tr::to_string(r.value.kind)) + " " +
                     r.value.to_string() + ", expected " + tr::to_string(*want));
      r.value = {};
    } else if (want && r.value.kind == LuaKind::Number) {
      r.value.tag = want->tag;
    }
  }
  lua_settop(S->L, base);
  return r;
}

// Reads what a whole-rule or KPI function returned (on top of the stack).
static void read_rule_result(SandboxState* S, const Function& f, bool need_status,
                             LuaRuleResult& r) {
  const std::string& script = S->scripts[f.script].path;
  LuaValue v;
  std::string problem;
  size_t budget = S->limits.max_result_items;
  if (!read_value(S->L, -1, v, problem, budget))
    return bad_return(r.error, script, f.name + " returned " + problem);
  if (!interpret_rule_result(std::move(v), f.name, need_status, r, problem))
    bad_return(r.error, script, std::move(problem));
}

LuaRuleResult LuaSandbox::call_rule(std::string_view function, const LuaSchool& school) {
  SandboxState* S = s_.get();
  LuaRuleResult r;
  int base = lua_gettop(S->L);
  int id = function_id(function);
  Step st;
  st.mode = Mode::Rule;
  st.school = &school;
  if (start_call(S, id, function, st, r.error)) read_rule_result(S, S->functions[id], true, r);
  ++S->view_generation;  // the school's lazy view is not read after this call
  lua_settop(S->L, base);
  if (r.error) r.status.reset(), r.value.reset(), r.values.clear(), r.reason.clear();
  return r;
}

LuaRuleResult LuaSandbox::call_kpi(std::string_view function, std::span<const LuaSchool> schools,
                                   std::span<const LuaValue> extra) {
  SandboxState* S = s_.get();
  LuaRuleResult r;
  int base = lua_gettop(S->L);
  int id = function_id(function);
  Step st;
  st.mode = Mode::Kpi;
  st.schools = schools;
  st.args = extra;
  if (start_call(S, id, function, st, r.error)) read_rule_result(S, S->functions[id], false, r);
  ++S->view_generation;
  lua_settop(S->L, base);
  if (r.error) r.status.reset(), r.value.reset(), r.values.clear(), r.reason.clear();
  return r;
}

}  // namespace tr
