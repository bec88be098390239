// The standard library a script sees: base (without dofile, loadfile,
// collectgarbage, warn; with text-only `load`), string (without dump), table,
// math (without random), utf8 and coroutine, each behind a read-only proxy;
// the budgets, the error-catching functions that must pass limits on, and the
// script environments. lua_sandbox_wrap.cc has the wrappers for repeatable
// iteration and text and for string and table; lua_internal.h the rules on
// Lua errors in C++.
#include "lua_internal.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace tr::luab {

char kBaseKey, kEnvsKey, kStoresKey, kEnvSetKey, kTrKey;
static char kPoisonKey;  // coroutines a limit stopped (weak keys)

// ---- budgets ---------------------------------------------------------------

// Where a refused allocation happened: the innermost Lua line of the main thread
// (inside a coroutine, the line that resumed it). A memory error raised from C
// (table.concat, gsub, string.format) runs no message handler, so this is the
// only place its line is known. Only reads the call stack, which is intact:
// Lua has not yet touched what the refused allocation was to replace.
static void note_refusal(SandboxState* S) {
  if (!S->step || !S->L) return;  // not in a call: loading the libraries, closing
  lua_Debug ar;
  for (int level = 0; lua_getstack(S->L, level, &ar); ++level)
    if (lua_getinfo(S->L, "Sl", &ar) && ar.currentline > 0) {
      S->trip_line = ar.currentline;
      snprintf(S->trip_source, sizeof S->trip_source, "%s", ar.short_src);
      return;
    }
}

void* allocate(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* S = static_cast<SandboxState*>(ud);
  size_t old = ptr ? osize : 0;  // with ptr == NULL, osize is a type tag
  if (nsize == 0) {
    free(ptr);
    S->mem -= old;
    return nullptr;
  }
  // Lua assumes shrinking never fails; only growth past the budget is refused.
  // Lua then collects garbage, retries once and raises a memory error.
  if (nsize > old && S->mem - old + nsize > S->limits.memory) {
    note_refusal(S);
    return nullptr;
  }
  void* p = realloc(ptr, nsize);
  if (!p) return nullptr;
  S->mem = S->mem - old + nsize;
  S->peak = std::max(S->peak, S->mem);
  return p;
}

void count_hook(lua_State* L, lua_Debug* ar) {
  SandboxState* S = state_of(L);
  S->used += SandboxState::kHookInterval;
  if (S->tripped == Trip::None) {
    if (S->used <= S->limits.instructions) return;
    S->tripped = Trip::Instructions;
    if (lua_getinfo(L, "Sl", ar)) {
      S->trip_line = ar->currentline;
      snprintf(S->trip_source, sizeof S->trip_source, "%s", ar->short_src);
    }
  }
  // Lua runs a hook with hooks disabled, and an error raised here leaves them
  // disabled until the nearest pcall boundary. Code that could run in between
  // (message handlers, __close of a dead coroutine) is therefore kept from
  // running once tripped: see xpcall_handler and co_close.
  // Once tripped, every count raises again: a script that catches the error
  // gets at most one hook interval further.
  // No luaL_error: its position prefix would name the caller of the running
  // function; the position is recorded above instead.
  if (S->tripped == Trip::Memory)
    lua_pushfstring(L, "memory limit of %I bytes reached", static_cast<lua_Integer>(S->limits.memory));
  else
    lua_pushfstring(L, "instruction limit of %I reached", static_cast<lua_Integer>(S->limits.instructions));
  lua_error(L);
}

bool limit_hit(lua_State* L, int status) {
  SandboxState* S = state_of(L);
  if (status == LUA_ERRMEM && S->tripped == Trip::None) S->tripped = Trip::Memory;
  return S->tripped != Trip::None;
}

// ---- pcall, xpcall ---------------------------------------------------------

// As in lbaselib.c, plus: a limit error is passed on, never returned to the script.
static int finish_pcall(lua_State* L, int status, lua_KContext extra) {
  if (status != LUA_OK && status != LUA_YIELD) {
    if (limit_hit(L, status)) return lua_error(L);
    lua_pushboolean(L, 0);
    lua_pushvalue(L, -2);
    return 2;
  }
  return lua_gettop(L) - static_cast<int>(extra);
}
static int safe_pcall(lua_State* L) {
  luaL_checkany(L, 1);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
  return finish_pcall(L, status, 0);
}
// The script's message handler, unless a budget tripped: the handler would then
// run with the hook disabled (see count_hook), so it is skipped.
static int xpcall_handler(lua_State* L) {
  if (state_of(L)->tripped != Trip::None) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}
static int safe_xpcall(lua_State* L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, xpcall_handler, 1);
  lua_replace(L, 2);
  lua_pushboolean(L, 1);
  lua_pushvalue(L, 1);
  lua_rotate(L, 3, 2);
  int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
  return finish_pcall(L, status, 2);
}

// ---- coroutines ------------------------------------------------------------

// Lua 5.4 copies the hook into new threads, but the budget must not depend on
// that detail, so every coroutine gets the hook here explicitly.
static int co_create(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State* co = lua_newthread(L);
  lua_sethook(co, count_hook, LUA_MASKCOUNT, SandboxState::kHookInterval);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  return 1;
}

// As auxresume in lcorolib.c; `status` receives lua_resume's result.
static int aux_resume(lua_State* L, lua_State* co, int narg, int* status) {
  *status = LUA_OK;
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  lua_xmove(L, co, narg);
  int nres;
  *status = lua_resume(co, L, narg, &nres);
  if (*status == LUA_OK || *status == LUA_YIELD) {
    if (!lua_checkstack(L, nres + 1)) {
      lua_pop(co, nres);
      lua_pushliteral(L, "too many results to resume");
      return -1;
    }
    lua_xmove(co, L, nres);
    return nres;
  }
  lua_xmove(co, L, 1);
  return -1;
}

// A coroutine that a limit stopped died inside the hook, so its hooks stay
// disabled: none of its code (its __close handlers) may run again.
static void poison(lua_State* L, int co_idx) {
  co_idx = lua_absindex(L, co_idx);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kPoisonKey);
  lua_pushvalue(L, co_idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}
static bool poisoned(lua_State* L, int co_idx) {
  co_idx = lua_absindex(L, co_idx);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kPoisonKey);
  lua_pushvalue(L, co_idx);
  bool p = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 2);
  return p;
}

static int co_close(lua_State* L) {
  luaL_argexpected(L, lua_tothread(L, 1), 1, "coroutine");
  if (state_of(L)->tripped != Trip::None || poisoned(L, 1)) {
    lua_pushboolean(L, 0);
    lua_pushliteral(L, "the coroutine was stopped by a limit");
    return 2;
  }
  return call_original(L);
}

static int co_resume(lua_State* L) {
  lua_State* co = lua_tothread(L, 1);
  luaL_argexpected(L, co, 1, "coroutine");
  int status;
  int r = aux_resume(L, co, lua_gettop(L) - 1, &status);
  if (r < 0) {
    if (limit_hit(L, status)) {
      poison(L, 1);
      return lua_error(L);
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, -(r + 1));
  return r + 1;
}

static int wrap_call(lua_State* L) {
  lua_State* co = lua_tothread(L, lua_upvalueindex(1));
  int status;
  int r = aux_resume(L, co, lua_gettop(L), &status);
  if (r >= 0) return r;
  if (limit_hit(L, status)) {
    poison(L, lua_upvalueindex(1));
    return lua_error(L);
  }
  int stat = lua_status(co);
  if (stat != LUA_OK && stat != LUA_YIELD) {  // close its to-be-closed variables
#if LUA_VERSION_RELEASE_NUM >= 50406
    stat = lua_closethread(co, L);
#else
    stat = lua_resetthread(co);
#endif
    lua_xmove(co, L, 1);
  }
  if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int co_wrap(lua_State* L) {
  co_create(L);
  lua_pushcclosure(L, wrap_call, 1);
  return 1;
}

// ---- load ------------------------------------------------------------------

// Text only, and the chunk's globals are the calling script's own environment
// unless the script passes one: never the state's real global table.
static int safe_load(lua_State* L) {
  size_t len;
  const char* chunk = luaL_checklstring(L, 1, &len);  // reader functions are not supported
  if (len > 0 && chunk[0] == LUA_SIGNATURE[0]) {
    lua_pushnil(L);
    lua_pushliteral(L, "attempt to load a binary chunk (only text is allowed)");
    return 2;
  }
  int status = luaL_loadbufferx(L, chunk, len, "=(load)", "t");
  if (status != LUA_OK) {
    if (limit_hit(L, status)) return lua_error(L);
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  if (!lua_isnone(L, 4)) {
    lua_pushvalue(L, 4);
  } else {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvsKey);
    lua_rawgeti(L, -1, state_of(L)->current_script + 1);
    lua_remove(L, -2);
  }
  if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  return 1;
}

// Replaces a script environment at idx by the table holding its globals, so that
// rawget, pairs and next see the globals (the environment itself is empty).
void env_to_store(lua_State* L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE) return;
  idx = lua_absindex(L, idx);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvSetKey);
  lua_pushvalue(L, idx);
  if (lua_rawget(L, -2) == LUA_TTABLE) lua_replace(L, idx);
  else lua_pop(L, 1);
  lua_pop(L, 1);
}

// ---- raw access and metatables ---------------------------------------------

static int safe_type(lua_State* L) {
  luaL_checkany(L, 1);
  lua_pushstring(L, ud_kind(L, 1) == UdKind::Proxy ? "table" : luaL_typename(L, 1));
  return 1;
}


static int read_only_error(lua_State* L) {
  return luaL_error(L, "attempt to modify a read-only table");
}
static int safe_rawset(lua_State* L) {
  if (ud_kind(L, 1) == UdKind::Proxy) return read_only_error(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  lua_settop(L, 3);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvSetKey);
  lua_pushvalue(L, 1);
  bool is_env = lua_rawget(L, -2) != LUA_TNIL;
  lua_settop(L, 3);
  if (is_env) lua_settable(L, 1);  // through __newindex, which knows whether that is allowed
  else lua_rawset(L, 1);
  lua_settop(L, 1);
  return 1;
}
static int safe_rawget(lua_State* L) {
  if (push_proxied_whole(L, 1)) lua_replace(L, 1);
  env_to_store(L, 1);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}
static int safe_rawlen(lua_State* L) {
  if (push_proxied_whole(L, 1)) lua_replace(L, 1);
  env_to_store(L, 1);
  int t = lua_type(L, 1);
  luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1, "table or string");
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, 1)));
  return 1;
}
// Finalizers would run at whatever moment the collector picks, possibly in
// another script's call; weak tables change with collection. Neither is repeatable.
static int safe_setmetatable(lua_State* L) {
  if (ud_kind(L, 1) == UdKind::Proxy) return read_only_error(L);
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "__gc is not allowed in rule scripts");
    lua_pushliteral(L, "__mode");
    if (lua_rawget(L, 2) != LUA_TNIL) return luaL_error(L, "weak tables are not allowed in rule scripts");
    lua_pop(L, 2);
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

// ---- assembling the library ------------------------------------------------

void open_safe_libs(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  lua_pop(L, 1);
  lua_newtable(L);  // the shared globals
  int base = lua_gettop(L);

  lua_pushglobaltable(L);
  for (const char* name : {"assert", "error", "ipairs", "select", "tonumber", "rawequal",
                           "getmetatable", "_VERSION"}) {
    lua_getfield(L, -1, name);
    lua_setfield(L, base, name);
  }
  lua_getfield(L, -1, "setmetatable");
  lua_pushcclosure(L, safe_setmetatable, 1);
  lua_setfield(L, base, "setmetatable");
  lua_pop(L, 1);
  static const luaL_Reg funcs[] = {
      {"pcall", safe_pcall},   {"xpcall", safe_xpcall}, {"print", safe_print},
      {"tostring", safe_tostring}, {"type", safe_type}, {"pairs", safe_pairs},
      {"next", safe_next},     {"rawget", safe_rawget}, {"rawset", safe_rawset},
      {"rawlen", safe_rawlen}, {"load", safe_load},     {nullptr, nullptr}};
  for (const luaL_Reg* r = funcs; r->name; ++r) {
    lua_pushcfunction(L, r->func);
    lua_setfield(L, base, r->name);
  }

  // The wrappers go into the real string table, because the string metatable's
  // __index (`s:rep(n)`) reaches it directly.
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
  wrap_string_lib(L);
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushliteral(L, "string");
  lua_setfield(L, -2, "__metatable");  // getmetatable("") gives this, not the table
  lua_pop(L, 2);
  make_proxy(L);
  lua_setfield(L, base, LUA_STRLIBNAME);

  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
  wrap_table_lib(L);
  make_proxy(L);
  lua_setfield(L, base, LUA_TABLIBNAME);

  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
  for (const char* name : {"random", "randomseed"}) {
    lua_pushnil(L);
    lua_setfield(L, -2, name);
  }
  make_proxy(L);
  lua_setfield(L, base, LUA_MATHLIBNAME);

  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
  make_proxy(L);
  lua_setfield(L, base, LUA_UTF8LIBNAME);

  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 0);
  static const luaL_Reg co_funcs[] = {
      {"create", co_create}, {"resume", co_resume}, {"wrap", co_wrap}, {nullptr, nullptr}};
  luaL_setfuncs(L, co_funcs, 0);
  wrap_field(L, "close", co_close);
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kPoisonKey);
  make_proxy(L);
  lua_setfield(L, base, LUA_COLIBNAME);

  lua_rawgetp(L, LUA_REGISTRYINDEX, &kTrKey);
  make_proxy(L);
  lua_setfield(L, base, "tr");

  lua_rawsetp(L, LUA_REGISTRYINDEX, &kBaseKey);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kEnvsKey);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kStoresKey);
  lua_newtable(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kEnvSetKey);
}

// ---- script environments ---------------------------------------------------

static int env_index(lua_State* L) {  // upvalues: globals, shared library
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) return 1;
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
  if (lua_type(L, 2) == LUA_TSTRING)
    return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
  return luaL_error(L, "undefined global");
}

static int env_newindex(lua_State* L) {  // upvalues: globals, script index
  SandboxState* S = state_of(L);
  if (S->loading && S->current_script == lua_tointeger(L, lua_upvalueindex(2))) {
    lua_settop(L, 3);
    lua_rawset(L, lua_upvalueindex(1));
    return 0;
  }
  return luaL_error(L, "cannot set global '%s': globals are read-only once the script has loaded "
                       "(a rule must not keep state between calls)",
                    lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?");
}

void push_new_env(lua_State* L, int script) {
  lua_newtable(L);  // the environment
  int env = lua_gettop(L);
  lua_newtable(L);  // its globals
  int store = env + 1;
  lua_pushvalue(L, env);
  lua_setfield(L, store, LUA_GNAME);
  lua_createtable(L, 0, 3);
  lua_pushvalue(L, store);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kBaseKey);
  lua_pushcclosure(L, env_index, 2);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, store);
  lua_pushinteger(L, script);
  lua_pushcclosure(L, env_newindex, 2);
  lua_setfield(L, -2, "__newindex");
  lua_pushliteral(L, "globals");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, env);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kEnvSetKey);
  lua_pushvalue(L, env);
  lua_pushvalue(L, store);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

}  // namespace tr::luab
