// Wrappers that keep scripts repeatable and inside their budgets: iteration in
// sorted key order, text without addresses, and the string and table functions
// whose C loops the instruction hook cannot see. See lua_internal.h for the
// rules on Lua errors inside C++ code.
#include "lua_internal.h"

#include <algorithm>
#include <cstring>

namespace tr::luab {

// Longest range table.move / insert / remove may walk: these loops run in C
// where the instruction hook cannot see them.
constexpr lua_Integer kMaxElements = lua_Integer{1} << 24;

// Calls the wrapped original (upvalue 1) with this call's arguments.
int call_original(lua_State* L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

// Replaces t[name] (t on top of the stack) with fn closed over the original.
void wrap_field(lua_State* L, const char* name, lua_CFunction fn, int extra_upvalues) {
  lua_getfield(L, -1 - extra_upvalues, name);
  lua_insert(L, -1 - extra_upvalues);
  lua_pushcclosure(L, fn, 1 + extra_upvalues);
  lua_setfield(L, -2, name);
}

static void remove_fields(lua_State* L, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    lua_pushnil(L);
    lua_setfield(L, -2, n);
  }
}

// ---- deterministic iteration -----------------------------------------------

// Keys order as numbers (by value), then strings (by bytes, not locale), then
// false before true. None of the calls here can raise.
static int key_class(lua_State* L, int i) {
  switch (lua_type(L, i)) {
    case LUA_TNUMBER: return 0;
    case LUA_TSTRING: return 1;
    default: return 2;
  }
}
static bool key_less(lua_State* L, int a, int b) {
  int ca = key_class(L, a), cb = key_class(L, b);
  if (ca != cb) return ca < cb;
  if (ca == 0) return lua_compare(L, a, b, LUA_OPLT);
  if (ca == 2) return !lua_toboolean(L, a) && lua_toboolean(L, b);
  size_t la, lb;
  const char* sa = lua_tolstring(L, a, &la);
  const char* sb = lua_tolstring(L, b, &lb);
  int c = memcmp(sa, sb, std::min(la, lb));
  return c < 0 || (c == 0 && la < lb);
}

// Pushes a sequence of the keys of the table at idx, sorted.
static void push_sorted_keys(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  int keys = lua_gettop(L);
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    int t = lua_type(L, -1);
    if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN)
      luaL_error(L, "pairs: a %s key has no order, so iteration would not be repeatable; "
                    "use string or number keys", luaL_typename(L, -1));
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++n);
  }
  auto* perm = static_cast<lua_Integer*>(lua_newuserdatauv(L, sizeof(lua_Integer) * n, 0));
  for (lua_Integer i = 0; i < n; ++i) perm[i] = i + 1;
  std::sort(perm, perm + n, [L, keys](lua_Integer a, lua_Integer b) {
    lua_rawgeti(L, keys, a);
    lua_rawgeti(L, keys, b);
    bool less = key_less(L, -2, -1);
    lua_pop(L, 2);
    return less;
  });
  lua_createtable(L, static_cast<int>(std::min<lua_Integer>(n, 1 << 24)), 0);
  for (lua_Integer i = 0; i < n; ++i) {
    lua_rawgeti(L, keys, perm[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_replace(L, keys);
  lua_pop(L, 1);  // perm
}

static int sorted_next(lua_State* L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
  for (;;) {
    if (lua_rawgeti(L, lua_upvalueindex(1), ++i) == LUA_TNIL) return 1;
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) break;
    lua_pop(L, 2);  // removed during the loop: skip it
  }
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(3));
  return 2;
}

int push_sorted_pairs(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  push_sorted_keys(L, idx);
  lua_pushvalue(L, idx);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, sorted_next, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

int safe_pairs(lua_State* L) {
  luaL_checkany(L, 1);
  if (push_proxied_whole(L, 1)) return push_sorted_pairs(L, -1);
  env_to_store(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {  // the script's own order
    lua_pushvalue(L, 1);
    lua_call(L, 1, 3);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  return push_sorted_pairs(L, 1);
}

// next(t, k) in the same order as pairs; it sorts on every call, so it is for
// `next(t) == nil` tests, not for loops.
int safe_next(lua_State* L) {
  if (push_proxied_whole(L, 1)) lua_replace(L, 1);
  env_to_store(L, 1);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  push_sorted_keys(L, 1);
  lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, 3)), pos = 0;
  if (!lua_isnil(L, 2)) {
    for (pos = 1; pos <= n; ++pos) {
      lua_rawgeti(L, 3, pos);
      bool found = lua_rawequal(L, -1, 2);
      lua_pop(L, 1);
      if (found) break;
    }
    if (pos > n) return luaL_error(L, "invalid key to 'next'");
  }
  if (pos >= n) return 0;
  lua_rawgeti(L, 3, pos + 1);
  lua_pushvalue(L, -1);
  lua_rawget(L, 1);
  return 2;
}

// ---- values as text (no addresses) -----------------------------------------

// Like luaL_tolstring, except that a table or function prints as its type name:
// "table: 0x55d0c2a8" differs between runs and must not reach a reason.
static void push_display(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
    lua_pop(L, 1);
    luaL_tolstring(L, idx, nullptr);
    return;
  }
  switch (lua_type(L, idx)) {
    case LUA_TTABLE:
    case LUA_TFUNCTION:
    case LUA_TTHREAD:
    case LUA_TLIGHTUSERDATA:
    case LUA_TUSERDATA:
      lua_pushstring(L, ud_kind(L, idx) == UdKind::Proxy ? "table" : luaL_typename(L, idx));
      return;
    default: luaL_tolstring(L, idx, nullptr);
  }
}
int safe_tostring(lua_State* L) {
  luaL_checkany(L, 1);
  push_display(L, 1);
  return 1;
}
static void append_output(SandboxState* S, const char* s, size_t len) noexcept {
  constexpr size_t kCap = size_t{64} << 10;
  if (S->output.size() >= kCap) return;
  try {
    S->output.append(s, std::min(len, kCap - S->output.size()));
  } catch (...) {
  }
}
int safe_print(lua_State* L) {
  SandboxState* S = state_of(L);
  int n = lua_gettop(L);
  for (int i = 1; i <= n; ++i) {
    push_display(L, i);
    size_t len;
    const char* s = lua_tolstring(L, -1, &len);
    if (i > 1) append_output(S, "\t", 1);
    append_output(S, s, len);
    lua_pop(L, 1);
  }
  append_output(S, "\n", 1);
  return 0;
}

// ---- string and table wrappers ---------------------------------------------

static int safe_rep(lua_State* L) {
  size_t l, lsep;
  luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  double total = n <= 0 ? 0 : static_cast<double>(l) * n + static_cast<double>(lsep) * (n - 1);
  double limit = static_cast<double>(state_of(L)->limits.max_string);
  if (total > limit)
    return luaL_error(L, "string.rep: the result would be %f bytes, over the limit of %f", total, limit);
  return call_original(L);
}

static int safe_format(lua_State* L) {
  size_t len;
  const char* f = luaL_checklstring(L, 1, &len);
  for (size_t i = 0; i + 1 < len; ++i) {
    if (f[i] != '%') continue;
    size_t j = i + 1;
    if (f[j] == '%') {
      i = j;
      continue;
    }
    while (j < len && strchr("-+ #0123456789.", f[j])) ++j;
    if (j < len && f[j] == 'p')
      return luaL_error(L, "string.format: %%p is not allowed (addresses differ between runs)");
    i = j;
  }
  for (int i = 2; i <= lua_gettop(L); ++i) {
    int t = lua_type(L, i);
    if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TTHREAD || t == LUA_TUSERDATA) {
      push_display(L, i);
      lua_replace(L, i);
    }
  }
  return call_original(L);
}

// Worst-case steps of Lua's backtracking matcher: each quantifier (and each
// %b or back reference) can try every position, and an unanchored search tries
// every start. Measured at 1.5-3.5 ns per estimated step.
static double pattern_cost(const char* p, size_t pl, size_t n) {
  int q = 0;
  for (size_t i = 0; i < pl; ++i) {
    char c = p[i];
    if (c == '%' && i + 1 < pl) {
      char d = p[++i];
      if (d == 'b') {
        ++q;
        i += 2;
      } else if (d >= '1' && d <= '9') {
        ++q;
      }
    } else if (c == '[') {
      size_t j = i + 1;
      if (j < pl && p[j] == '^') ++j;
      if (j < pl && p[j] == ']') ++j;
      while (j < pl && p[j] != ']') j += p[j] == '%' ? 2 : 1;
      i = j;
    } else if (c == '*' || c == '+' || c == '-' || c == '?') {
      ++q;
    }
  }
  int k = q + (pl > 0 && p[0] == '^' ? 0 : 1);
  double cost = 1;
  for (int i = 0; i < k; ++i) cost *= static_cast<double>(n) + 1;
  for (int i = 2; i <= q; ++i) cost /= i;
  return cost;
}

static int safe_pattern(lua_State* L) {
  size_t n, pl;
  luaL_checklstring(L, 1, &n);
  const char* p = luaL_checklstring(L, 2, &pl);
  bool plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);  // find's 4th argument
  double limit = state_of(L)->limits.pattern_steps;
  if (!plain) {
    double cost = pattern_cost(p, pl, n);
    if (cost > limit)
      return luaL_error(L, "pattern too costly for a subject of %I bytes (about %f steps, limit %f); "
                           "use a simpler pattern or a shorter string",
                        static_cast<lua_Integer>(n), cost, limit);
  }
  return call_original(L);
}

static int check_length(lua_State* L) {
  lua_Integer n = luaL_len(L, 1);
  if (n > kMaxElements) return luaL_error(L, "table too long (%I elements)", n);
  return call_original(L);
}
static int safe_move(lua_State* L) {
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
  if (e >= f && static_cast<lua_Unsigned>(e) - static_cast<lua_Unsigned>(f) >=
                    static_cast<lua_Unsigned>(kMaxElements))
    return luaL_error(L, "table.move: too many elements");
  return call_original(L);
}

void wrap_string_lib(lua_State* L) {
  remove_fields(L, {"dump"});
  wrap_field(L, "rep", safe_rep);
  wrap_field(L, "format", safe_format);
  for (const char* name : {"find", "match", "gmatch", "gsub"}) {
    lua_pushboolean(L, strcmp(name, "find") == 0);  // only find has a `plain` argument
    wrap_field(L, name, safe_pattern, 1);
  }
}

void wrap_table_lib(lua_State* L) {
  wrap_field(L, "move", safe_move);
  wrap_field(L, "insert", check_length);
  wrap_field(L, "remove", check_length);
}

}  // namespace tr::luab
