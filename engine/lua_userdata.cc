// The userdata scripts see, `unknown` and `grade`, and the read-only proxies
// wrapped around every table the engine or the library hands to a script, with
// their metamethods; and the `tr` library. See lua_internal.h for the rules on
// Lua errors inside C++ code, and docs/lua.md for the script-side behaviour.
#include "lua_internal.h"

#include <algorithm>
#include <cstring>

namespace tr::luab {

// ---- userdata --------------------------------------------------------------

// Every userdata a script can reach is one of ours (io is not loaded), but the
// magic number keeps a stray one from being misread.
constexpr uint32_t kMagic = 0x74724c55;  // "trLU"
constexpr size_t kMaxReason = 2000;      // joined reasons are cut here

struct UdHead {
  uint32_t magic;
  UdKind kind;
};
struct UnknownUd {  // followed by the reason's bytes
  UdHead head;
  uint32_t len;
  const char* reason() const { return reinterpret_cast<const char*>(this + 1); }
};
struct GradeUd {  // followed by scale bytes, then grade bytes
  UdHead head;
  int32_t rank;
  uint32_t scale_len, grade_len;
  const char* scale() const { return reinterpret_cast<const char*>(this + 1); }
  const char* grade() const { return scale() + scale_len; }
};
struct ProxyUd {  // the real table is user value 1
  UdHead head;
  // A lazy school view (make_lazy_proxy): missing keys come from here.
  const LuaSchoolSource* lazy;
  uint64_t generation;  // SandboxState::view_generation when made
  // 0: the school; 1: its history; 2: its benchmarks; 3: one benchmark; 4: one
  // metric's history list (integer keys, its points made as they are read).
  uint8_t part;
  bool complete;   // every key filled
  uint32_t index;  // part 3: index into the source's benchmarks(); part 4: the metric key's
};

static char kUnknownMt, kGradeMt, kProxyMt;

static const UdHead* head_of(lua_State* L, int idx) {
  if (lua_type(L, idx) != LUA_TUSERDATA || lua_rawlen(L, idx) < sizeof(UdHead)) return nullptr;
  auto* h = static_cast<const UdHead*>(lua_touserdata(L, idx));
  return h->magic == kMagic ? h : nullptr;
}

UdKind ud_kind(lua_State* L, int idx) {
  const UdHead* h = head_of(L, idx);
  return h ? h->kind : UdKind::None;
}

std::string_view unknown_reason(lua_State* L, int idx) {
  auto* u = static_cast<const UnknownUd*>(lua_touserdata(L, idx));
  return {u->reason(), u->len};
}

GradeParts grade_parts(lua_State* L, int idx) {
  auto* g = static_cast<const GradeUd*>(lua_touserdata(L, idx));
  return {{g->scale(), g->scale_len}, {g->grade(), g->grade_len}, g->rank};
}

void push_unknown(lua_State* L, std::string_view reason) {
  if (reason.size() > kMaxReason) reason = reason.substr(0, kMaxReason);
  // One byte more than the reason: the terminating NUL lets %s print it.
  auto* u = static_cast<UnknownUd*>(lua_newuserdatauv(L, sizeof(UnknownUd) + reason.size() + 1, 0));
  u->head = {kMagic, UdKind::Unknown};
  u->len = static_cast<uint32_t>(reason.size());
  char* text = reinterpret_cast<char*>(u + 1);
  if (!reason.empty()) memcpy(text, reason.data(), reason.size());
  text[reason.size()] = '\0';
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kUnknownMt);
  lua_setmetatable(L, -2);
}

void push_grade(lua_State* L, std::string_view scale, std::string_view grade, int rank) {
  auto* g = static_cast<GradeUd*>(
      lua_newuserdatauv(L, sizeof(GradeUd) + scale.size() + grade.size(), 0));
  g->head = {kMagic, UdKind::Grade};
  g->rank = rank;
  g->scale_len = static_cast<uint32_t>(scale.size());
  g->grade_len = static_cast<uint32_t>(grade.size());
  char* data = reinterpret_cast<char*>(g + 1);
  if (!scale.empty()) memcpy(data, scale.data(), scale.size());
  if (!grade.empty()) memcpy(data + scale.size(), grade.data(), grade.size());
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kGradeMt);
  lua_setmetatable(L, -2);
}

void make_proxy(lua_State* L) {
  auto* p = static_cast<ProxyUd*>(lua_newuserdatauv(L, sizeof(ProxyUd), 1));
  p->head = {kMagic, UdKind::Proxy};
  p->lazy = nullptr;
  p->generation = 0;
  p->part = 0;
  p->complete = true;
  p->index = 0;
  lua_insert(L, -2);
  lua_setiuservalue(L, -2, 1);
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kProxyMt);
  lua_setmetatable(L, -2);
}

bool push_proxied(lua_State* L, int idx) {
  if (ud_kind(L, idx) != UdKind::Proxy) return false;
  lua_getiuservalue(L, idx, 1);
  return true;
}

// ---- lazy school views -----------------------------------------------------

void make_lazy_proxy(lua_State* L, const LuaSchoolSource& source, int part) {
  make_proxy(L);
  auto* p = static_cast<ProxyUd*>(lua_touserdata(L, -1));
  p->lazy = &source;
  p->generation = state_of(L)->view_generation;
  p->part = static_cast<uint8_t>(part);
  p->complete = false;
}

static bool find_key(const LuaSchoolSource& s, std::string_view key, size_t& at) {
  size_t lo = 0, hi = s.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (std::string_view(s.key(mid)) < key) lo = mid + 1;
    else hi = mid;
  }
  at = lo;
  return lo < s.size() && std::string_view(s.key(lo)) == key;
}

// The source's answers are C++ work that may throw; no C++ object with a
// destructor is alive when the Lua error is raised (lua_internal.h): `get` is a
// lambda over references, and what it returns points into the source.
template <typename Get>
static auto from_source(lua_State* L, Get&& get) -> decltype(&get()) {
  decltype(&get()) out = nullptr;
  try {
    out = &get();
  } catch (...) {
    out = nullptr;
  }
  if (!out) luaL_error(L, "not enough memory to build the school view");
  return out;
}
static const LuaValue* source_value(lua_State* L, const LuaSchoolSource& s, size_t i) {
  return from_source(L, [&]() -> const LuaValue& { return s.value(i); });
}
static const std::vector<LuaPoint>* source_history(lua_State* L, const LuaSchoolSource& s, size_t i) {
  return from_source(L, [&]() -> const std::vector<LuaPoint>& { return s.history(i); });
}
static const std::vector<LuaBenchmark>* source_benchmarks(lua_State* L, const LuaSchoolSource& s) {
  return from_source(L, [&]() -> const std::vector<LuaBenchmark>& { return s.benchmarks(); });
}

// A part's keys, in order: the school's and its history's are the metric keys
// (the school also has "history" and "benchmarks"), the benchmarks' their names,
// one benchmark's the metrics it has a value for.
static size_t part_size(lua_State* L, const ProxyUd* p) {
  const LuaSchoolSource& s = *p->lazy;
  if (p->part <= 1) return s.size();
  const std::vector<LuaBenchmark>& b = *source_benchmarks(L, s);
  return p->part == 2 ? b.size() : b[p->index].values.size();
}
static std::string_view part_key(lua_State* L, const ProxyUd* p, size_t i) {
  const LuaSchoolSource& s = *p->lazy;
  if (p->part <= 1) return s.key(i);
  const std::vector<LuaBenchmark>& b = *source_benchmarks(L, s);
  return p->part == 2 ? std::string_view(b[i].name) : std::string_view(b[p->index].values[i].name);
}

static void check_generation(lua_State* L, const ProxyUd* p) {
  if (p->generation != state_of(L)->view_generation)
    luaL_error(L, "a school view can only be read during the call it was given to");
}

// Fills T[key] (T at absolute index t, behind the lazy proxy p) and pushes it,
// or pushes nil when the view has no such key.
static void lazy_get(lua_State* L, const ProxyUd* p, int t, std::string_view key) {
  check_generation(L, p);
  const LuaSchoolSource& s = *p->lazy;
  luaL_checkstack(L, 6, "school view");
  size_t i = 0;
  // A rule reads a handful of keys of a part: room for four saves the table's
  // growth from nothing on the first reads.
  constexpr int kPartKeys = 4;
  if (p->part == 0 && (key == "history" || key == "benchmarks")) {
    lua_createtable(L, 0, kPartKeys);
    make_lazy_proxy(L, s, key == "history" ? 1 : 2);
  } else if (p->part <= 1) {
    if (!find_key(s, key, i)) {
      lua_pushnil(L);
      return;
    }
    if (p->part == 0) {
      push_value(L, *source_value(L, s, i));
    } else {
      const std::vector<LuaPoint>* h = source_history(L, s, i);
      if (h->empty()) {  // the eager view has no key for a metric with no history
        lua_pushnil(L);
        return;
      }
      // A rule mostly reads the last point or two of a list: each point is
      // made when it is read (lazy_point), not the whole list up front.
      lua_createtable(L, static_cast<int>(h->size()), 0);
      make_lazy_proxy(L, s, 4);
      static_cast<ProxyUd*>(lua_touserdata(L, -1))->index = static_cast<uint32_t>(i);
    }
  } else {
    const std::vector<LuaBenchmark>& b = *source_benchmarks(L, s);
    if (p->part == 2) {
      while (i < b.size() && b[i].name != key) ++i;
      if (i == b.size()) {
        lua_pushnil(L);
        return;
      }
      lua_createtable(L, 0, kPartKeys);
      make_lazy_proxy(L, s, 3);
      static_cast<ProxyUd*>(lua_touserdata(L, -1))->index = static_cast<uint32_t>(i);
    } else {
      const std::vector<LuaField>& f = b[p->index].values;  // sorted by name
      auto it = std::lower_bound(f.begin(), f.end(), key,
                                 [](const LuaField& x, std::string_view k) { return std::string_view(x.name) < k; });
      if (it == f.end() || it->name != key) {
        lua_pushnil(L);
        return;
      }
      push_value(L, it->value);
    }
  }
  lua_pushlstring(L, key.data(), key.size());
  lua_pushvalue(L, -2);
  lua_rawset(L, t);
}

// A history list's length (part 4).
static size_t list_size(lua_State* L, const ProxyUd* p) {
  check_generation(L, p);
  return source_history(L, *p->lazy, p->index)->size();
}

// Fills T[k] (T at absolute index t, behind the history-list proxy p) with the
// list's k-th point and pushes it, or pushes nil past either end.
static void lazy_point(lua_State* L, const ProxyUd* p, int t, lua_Integer k) {
  check_generation(L, p);
  const std::vector<LuaPoint>& h = *source_history(L, *p->lazy, p->index);
  if (k < 1 || static_cast<size_t>(k) > h.size()) {
    lua_pushnil(L);
    return;
  }
  push_point(L, h[static_cast<size_t>(k - 1)]);
  lua_pushvalue(L, -1);
  lua_rawseti(L, t, k);
}

// Fills every key of the lazy proxy at idx, so pairs and next see what an eager
// view would hold.
static void lazy_fill_all(lua_State* L, int idx) {
  auto* p = static_cast<ProxyUd*>(lua_touserdata(L, idx));
  if (!p->lazy || p->complete) return;
  check_generation(L, p);
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 8, "school view");
  lua_getiuservalue(L, idx, 1);
  int t = lua_gettop(L);
  if (p->part == 4) {
    for (size_t k = 1, n = list_size(L, p); k <= n; ++k) {
      if (lua_rawgeti(L, t, static_cast<lua_Integer>(k)) == LUA_TNIL) {
        lua_pop(L, 1);
        lazy_point(L, p, t, static_cast<lua_Integer>(k));
      }
      lua_pop(L, 1);
    }
    p->complete = true;
    lua_pop(L, 1);
    return;
  }
  auto fill = [&](std::string_view key) {
    lua_pushlstring(L, key.data(), key.size());
    if (lua_rawget(L, t) == LUA_TNIL) {
      lua_pop(L, 1);
      lazy_get(L, p, t, key);
    }
    lua_pop(L, 1);
  };
  for (size_t i = 0, n = part_size(L, p); i < n; ++i) fill(part_key(L, p, i));
  if (p->part == 0) fill("history"), fill("benchmarks");
  p->complete = true;
  lua_pop(L, 1);
}

bool push_proxied_whole(lua_State* L, int idx) {
  if (ud_kind(L, idx) != UdKind::Proxy) return false;
  lazy_fill_all(L, idx);
  lua_getiuservalue(L, idx, 1);
  return true;
}

// ---- unknown metamethods ---------------------------------------------------

// Arithmetic on an unknown gives an unknown: the reasons of both operands are
// kept, joined by "; " (a reason already present is not repeated).
static int unknown_arith(lua_State* L) {
  // Unknowns are immutable, so an operand can be returned as it is.
  if (ud_kind(L, 1) != UdKind::Unknown) {
    lua_pushvalue(L, 2);
    return 1;
  }
  if (ud_kind(L, 2) != UdKind::Unknown) {
    lua_pushvalue(L, 1);
    return 1;
  }
  std::string_view a = unknown_reason(L, 1), b = unknown_reason(L, 2);
  if (a.empty() || b.empty() || a.find(b) != a.npos) {
    lua_pushvalue(L, a.empty() ? 2 : 1);
    return 1;
  }
  luaL_Buffer buf;
  luaL_buffinit(L, &buf);
  luaL_addlstring(&buf, a.data(), a.size());
  luaL_addstring(&buf, "; ");
  luaL_addlstring(&buf, b.data(), b.size());
  luaL_pushresult(&buf);
  size_t len;
  const char* s = lua_tolstring(L, -1, &len);
  push_unknown(L, {s, len});
  return 1;
}

static int first_unknown(lua_State* L) {
  return ud_kind(L, 1) == UdKind::Unknown ? 1 : 2;
}

// Comparisons must give a boolean, which cannot carry an unknown: say so.
static int unknown_compare(lua_State* L) {
  int u = first_unknown(L);
  return luaL_error(L, "cannot compare an unknown value (%s); test tr.is_unknown(x) first",
                    unknown_reason(L, u).data());
}
static int unknown_misuse(lua_State* L) {
  int u = first_unknown(L);
  return luaL_error(L, "cannot use an unknown value (%s) here; test tr.is_unknown(x) first",
                    unknown_reason(L, u).data());
}
static int unknown_tostring(lua_State* L) {
  std::string_view r = unknown_reason(L, 1);
  lua_pushfstring(L, "unknown (%s)", lua_pushlstring(L, r.data(), r.size()));
  return 1;
}

// ---- grade metamethods -----------------------------------------------------

static const GradeUd* check_grade(lua_State* L, int idx) {
  if (ud_kind(L, idx) != UdKind::Grade)
    luaL_error(L, "cannot compare a grade with a %s", luaL_typename(L, idx));
  return static_cast<const GradeUd*>(lua_touserdata(L, idx));
}
static bool same_scale(const GradeUd* a, const GradeUd* b) {
  return a->scale_len == b->scale_len && memcmp(a->scale(), b->scale(), a->scale_len) == 0;
}
static int grade_index(lua_State* L) {
  auto* g = static_cast<const GradeUd*>(lua_touserdata(L, 1));
  const char* key = lua_tostring(L, 2);
  if (!key) return 0;
  if (strcmp(key, "scale") == 0) lua_pushlstring(L, g->scale(), g->scale_len);
  else if (strcmp(key, "grade") == 0) lua_pushlstring(L, g->grade(), g->grade_len);
  else if (strcmp(key, "rank") == 0) lua_pushinteger(L, g->rank);
  else lua_pushnil(L);
  return 1;
}
static int grade_eq(lua_State* L) {
  const GradeUd* a = check_grade(L, 1);
  const GradeUd* b = check_grade(L, 2);
  lua_pushboolean(L, same_scale(a, b) && a->grade_len == b->grade_len &&
                         memcmp(a->grade(), b->grade(), a->grade_len) == 0);
  return 1;
}
// As in the rules language, a greater grade is a better one: good > requires_improvement.
static int grade_order(lua_State* L, bool or_equal) {
  const GradeUd* a = check_grade(L, 1);
  const GradeUd* b = check_grade(L, 2);
  if (!same_scale(a, b)) return luaL_error(L, "cannot compare grades of different scales");
  lua_pushboolean(L, or_equal ? a->rank >= b->rank : a->rank > b->rank);
  return 1;
}
static int grade_lt(lua_State* L) { return grade_order(L, false); }
static int grade_le(lua_State* L) { return grade_order(L, true); }
static int grade_tostring(lua_State* L) {
  auto* g = static_cast<const GradeUd*>(lua_touserdata(L, 1));
  lua_pushlstring(L, g->grade(), g->grade_len);
  return 1;
}

// ---- proxy metamethods -----------------------------------------------------

static int proxy_index(lua_State* L) {
  lua_getiuservalue(L, 1, 1);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) != LUA_TNIL) return 1;
  auto* p = static_cast<const ProxyUd*>(lua_touserdata(L, 1));
  if (!p->lazy || p->complete) return 1;
  if (p->part == 4) {  // a history list: integer keys only (2.0 reads as 2, as in a table)
    int is_int = 0;
    lua_Integer k = lua_tointegerx(L, 2, &is_int);
    if (!is_int || lua_type(L, 2) != LUA_TNUMBER) return 1;
    lua_pop(L, 1);
    lazy_point(L, p, lua_gettop(L), k);
    return 1;
  }
  if (lua_type(L, 2) != LUA_TSTRING) return 1;
  lua_pop(L, 1);
  size_t len;
  const char* key = lua_tolstring(L, 2, &len);
  lazy_get(L, p, lua_gettop(L), {key, len});
  return 1;
}
static int proxy_newindex(lua_State* L) {
  return luaL_error(L, "attempt to modify a read-only table");
}
static int proxy_len(lua_State* L) {
  auto* p = static_cast<const ProxyUd*>(lua_touserdata(L, 1));
  if (p->lazy && p->part == 4) {  // the points not yet made count too
    lua_pushinteger(L, static_cast<lua_Integer>(list_size(L, p)));
    return 1;
  }
  lua_getiuservalue(L, 1, 1);
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, -1)));
  return 1;
}
static int proxy_pairs(lua_State* L) {
  lazy_fill_all(L, 1);
  lua_getiuservalue(L, 1, 1);
  return push_sorted_pairs(L, -1);
}

// ---- the tr library --------------------------------------------------------

static int tr_unknown(lua_State* L) {
  size_t len;
  const char* reason = luaL_checklstring(L, 1, &len);
  if (len == 0) return luaL_argerror(L, 1, "an unknown needs a reason");
  push_unknown(L, {reason, len});
  return 1;
}
static int tr_is_unknown(lua_State* L) {
  lua_pushboolean(L, ud_kind(L, 1) == UdKind::Unknown);
  return 1;
}
static int tr_known(lua_State* L) {
  lua_pushboolean(L, !lua_isnoneornil(L, 1) && ud_kind(L, 1) != UdKind::Unknown);
  return 1;
}
static int tr_reason(lua_State* L) {
  if (ud_kind(L, 1) != UdKind::Unknown) return 0;
  std::string_view r = unknown_reason(L, 1);
  lua_pushlstring(L, r.data(), r.size());
  return 1;
}
// nil when every argument is known, else one unknown joining their reasons:
// the usual first line of a function that passes unknowns through.
static int tr_any_unknown(lua_State* L) {
  int n = lua_gettop(L);
  int acc = 0;
  for (int i = 1; i <= n; ++i) {
    if (ud_kind(L, i) != UdKind::Unknown) continue;
    if (!acc) {
      lua_pushvalue(L, i);
    } else {
      lua_pushcfunction(L, unknown_arith);
      lua_pushvalue(L, acc);
      lua_pushvalue(L, i);
      lua_call(L, 2, 1);
    }
    acc = lua_gettop(L);
  }
  if (!acc) return 0;
  lua_pushvalue(L, acc);
  return 1;
}
static int tr_is_grade(lua_State* L) {
  lua_pushboolean(L, ud_kind(L, 1) == UdKind::Grade);
  return 1;
}
static int tr_grade(lua_State* L) {
  size_t sl, gl;
  const char* scale = luaL_checklstring(L, 1, &sl);
  const char* grade = luaL_checklstring(L, 2, &gl);
  for (const ScaleDef& s : state_of(L)->scales) {
    if (s.id != std::string_view(scale, sl)) continue;
    for (size_t i = 0; i < s.grades.size(); ++i)
      if (s.grades[i] == std::string_view(grade, gl)) {
        push_grade(L, {scale, sl}, {grade, gl}, static_cast<int>(i));
        return 1;
      }
    return luaL_error(L, "scale '%s' has no grade '%s'", scale, grade);
  }
  return luaL_error(L, "no scale '%s'", scale);
}
static int make_result(lua_State* L, const char* status) {
  lua_settop(L, 2);
  if (!lua_isnil(L, 1)) luaL_checktype(L, 1, LUA_TSTRING);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, status);
  lua_setfield(L, -2, "status");
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "reason");
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "values");
  return 1;
}
static int tr_met(lua_State* L) { return make_result(L, "met"); }
static int tr_not_met(lua_State* L) { return make_result(L, "not_met"); }
static int tr_not_applicable(lua_State* L) { return make_result(L, "not_applicable"); }

static int tr_declare(lua_State* L) {
  SandboxState* S = state_of(L);
  size_t nl, tl;
  const char* name = luaL_checklstring(L, 1, &nl);
  const char* type = luaL_checklstring(L, 2, &tl);
  if (!S->loading) return luaL_error(L, "tr.declare is only allowed while the script loads");
  int problem = 0;
  try {
    if (!parse_lua_type({type, tl})) problem = 1;
    else S->declarations.emplace_back(std::string(name, nl), std::string(type, tl));
  } catch (...) {
    problem = 2;
  }
  if (problem == 1)
    return luaL_error(L, "tr.declare: '%s' is not a type (number, percent, score, count, rate, "
                         "points, yesno, text, grade, grade SCALE, list, record)", type);
  if (problem == 2) return luaL_error(L, "not enough memory");
  return 0;
}

static void set_funcs(lua_State* L, const luaL_Reg* regs) {
  for (; regs->name; ++regs) {
    lua_pushcfunction(L, regs->func);
    lua_setfield(L, -2, regs->name);
  }
}

void open_bridge(lua_State* L) {
  static const luaL_Reg unknown_mt[] = {
      {"__add", unknown_arith},     {"__sub", unknown_arith},     {"__mul", unknown_arith},
      {"__div", unknown_arith},     {"__mod", unknown_arith},     {"__pow", unknown_arith},
      {"__unm", unknown_arith},     {"__idiv", unknown_arith},    {"__band", unknown_arith},
      {"__bor", unknown_arith},     {"__bxor", unknown_arith},    {"__shl", unknown_arith},
      {"__shr", unknown_arith},     {"__bnot", unknown_arith},    {"__eq", unknown_compare},
      {"__lt", unknown_compare},    {"__le", unknown_compare},    {"__concat", unknown_misuse},
      {"__index", unknown_misuse},  {"__newindex", unknown_misuse}, {"__len", unknown_misuse},
      {"__call", unknown_misuse},   {"__tostring", unknown_tostring}, {nullptr, nullptr}};
  static const luaL_Reg grade_mt[] = {{"__index", grade_index}, {"__eq", grade_eq},
                                      {"__lt", grade_lt},       {"__le", grade_le},
                                      {"__tostring", grade_tostring}, {nullptr, nullptr}};
  static const luaL_Reg proxy_mt[] = {{"__index", proxy_index}, {"__newindex", proxy_newindex},
                                      {"__len", proxy_len},     {"__pairs", proxy_pairs},
                                      {nullptr, nullptr}};
  struct {
    const char* key;
    const luaL_Reg* regs;
    const char* name;
  } mts[] = {{&kUnknownMt, unknown_mt, "unknown"},
             {&kGradeMt, grade_mt, "grade"},
             {&kProxyMt, proxy_mt, "read-only table"}};
  for (auto& m : mts) {
    lua_newtable(L);
    set_funcs(L, m.regs);
    lua_pushstring(L, m.name);
    lua_setfield(L, -2, "__name");  // used by Lua's messages: "number expected, got unknown"
    lua_pushstring(L, m.name);
    lua_setfield(L, -2, "__metatable");  // getmetatable() sees this string, not the table
    lua_rawsetp(L, LUA_REGISTRYINDEX, m.key);
  }

  static const luaL_Reg tr_funcs[] = {
      {"unknown", tr_unknown},   {"is_unknown", tr_is_unknown},
      {"known", tr_known},       {"reason", tr_reason},
      {"any_unknown", tr_any_unknown}, {"is_grade", tr_is_grade},
      {"grade", tr_grade},       {"met", tr_met},
      {"not_met", tr_not_met},   {"not_applicable", tr_not_applicable},
      {"declare", tr_declare},   {nullptr, nullptr}};
  lua_newtable(L);
  set_funcs(L, tr_funcs);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kTrKey);
}

}  // namespace tr::luab
