// The value bridge: LuaValue on the C++ side; on the Lua side numbers, booleans,
// strings, `unknown` and `grade` userdata, and read-only proxies for every table
// the engine passes in. Also the `tr` library scripts use to handle unknowns.
// See lua_internal.h for the rules on Lua errors inside C++ code.
#include "lua_internal.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ostream>

namespace tr {

// ---- C++ side --------------------------------------------------------------

LuaValue LuaValue::unknown(std::string reason) {
  LuaValue v;
  v.text = std::move(reason);
  return v;
}
LuaValue LuaValue::num(double x, LuaNumTag tag) {
  LuaValue v;
  v.kind = LuaKind::Number;
  v.number = x;
  v.tag = tag;
  return v;
}
LuaValue LuaValue::yesno(bool b) {
  LuaValue v;
  v.kind = LuaKind::YesNo;
  v.yes = b;
  return v;
}
LuaValue LuaValue::str(std::string s) {
  LuaValue v;
  v.kind = LuaKind::Text;
  v.text = std::move(s);
  return v;
}
LuaValue LuaValue::grade(std::string scale, std::string grade, int rank) {
  LuaValue v;
  v.kind = LuaKind::Grade;
  v.scale = std::move(scale);
  v.text = std::move(grade);
  v.rank = rank;
  return v;
}
LuaValue LuaValue::list(std::vector<LuaValue> items) {
  LuaValue v;
  v.kind = LuaKind::List;
  v.items = std::move(items);
  return v;
}
LuaValue LuaValue::record(std::vector<LuaField> fields) {
  LuaValue v;
  v.kind = LuaKind::Record;
  v.fields = std::move(fields);
  return v;
}

const LuaValue* LuaValue::field(std::string_view name) const {
  for (const LuaField& f : fields)
    if (f.name == name) return &f.value;
  return nullptr;
}

static std::string format_number(double x) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.15g", x);
  return buf;
}

std::string LuaValue::to_string() const {
  switch (kind) {
    case LuaKind::Unknown: return "unknown (" + text + ")";
    case LuaKind::Number:
      return format_number(number) + (tag == LuaNumTag::Percent  ? "%"
                                       : tag == LuaNumTag::Points ? " points"
                                                                  : "");
    case LuaKind::YesNo: return yes ? "yes" : "no";
    case LuaKind::Text: return "\"" + text + "\"";
    case LuaKind::Grade: return text + " (" + scale + " #" + std::to_string(rank) + ")";
    case LuaKind::List: {
      std::string s = "[";
      for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i].to_string();
      return s + "]";
    }
    case LuaKind::Record: {
      std::string s = "{";
      for (size_t i = 0; i < fields.size(); ++i)
        s += (i ? ", " : "") + fields[i].name + " = " + fields[i].value.to_string();
      return s + "}";
    }
  }
  return "?";
}

bool operator==(const LuaValue& a, const LuaValue& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case LuaKind::Unknown: return a.text == b.text;
    case LuaKind::Number: return a.number == b.number && a.tag == b.tag;
    case LuaKind::YesNo: return a.yes == b.yes;
    case LuaKind::Text: return a.text == b.text;
    case LuaKind::Grade: return a.scale == b.scale && a.text == b.text && a.rank == b.rank;
    case LuaKind::List: return a.items == b.items;
    case LuaKind::Record: return a.fields == b.fields;
  }
  return false;
}

std::ostream& operator<<(std::ostream& out, const LuaValue& v) { return out << v.to_string(); }

const char* to_string(LuaKind kind) {
  switch (kind) {
    case LuaKind::Unknown: return "unknown";
    case LuaKind::Number: return "number";
    case LuaKind::YesNo: return "yes/no";
    case LuaKind::Text: return "text";
    case LuaKind::Grade: return "grade";
    case LuaKind::List: return "list";
    case LuaKind::Record: return "record";
  }
  return "?";
}

const char* to_string(LuaNumTag tag) {
  switch (tag) {
    case LuaNumTag::Number: return "number";
    case LuaNumTag::Percent: return "percent";
    case LuaNumTag::Score: return "score";
    case LuaNumTag::Count: return "count";
    case LuaNumTag::Rate: return "rate";
    case LuaNumTag::Points: return "points";
  }
  return "?";
}

std::optional<LuaType> parse_lua_type(std::string_view t) {
  LuaType type;
  static constexpr LuaNumTag tags[] = {LuaNumTag::Number, LuaNumTag::Percent, LuaNumTag::Score,
                                       LuaNumTag::Count,  LuaNumTag::Rate,    LuaNumTag::Points};
  for (LuaNumTag tag : tags)
    if (t == to_string(tag)) {
      type.tag = tag;
      return type;
    }
  if (t == "yesno") type.kind = LuaKind::YesNo;
  else if (t == "text") type.kind = LuaKind::Text;
  else if (t == "list") type.kind = LuaKind::List;
  else if (t == "record") type.kind = LuaKind::Record;
  else if (t == "grade") type.kind = LuaKind::Grade;
  else if (t.starts_with("grade ") && t.size() > 6 && t.find(' ', 6) == t.npos) {
    type.kind = LuaKind::Grade;
    type.scale = std::string(t.substr(6));
  } else {
    return std::nullopt;
  }
  return type;
}

std::string to_string(const LuaType& type) {
  switch (type.kind) {
    case LuaKind::Number: return to_string(type.tag);
    case LuaKind::YesNo: return "yesno";
    case LuaKind::Grade: return type.scale.empty() ? "grade" : "grade " + type.scale;
    default: return to_string(type.kind);
  }
}

bool lua_type_accepts(const LuaType& type, const LuaValue& v) {
  if (v.kind == LuaKind::Unknown) return true;
  if (v.kind != type.kind) return false;
  return type.kind != LuaKind::Grade || type.scale.empty() || type.scale == v.scale;
}

bool lua_school_reserved(std::string_view key) {
  return key == "urn" || key == "name" || key == "phase" || key == "type" || key == "as_of" ||
         key == "history" || key == "benchmarks";
}

namespace luab {

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

static void push_grade(lua_State* L, std::string_view scale, std::string_view grade, int rank) {
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
  lua_rawget(L, -2);
  return 1;
}
static int proxy_newindex(lua_State* L) {
  return luaL_error(L, "attempt to modify a read-only table");
}
static int proxy_len(lua_State* L) {
  lua_getiuservalue(L, 1, 1);
  lua_pushinteger(L, static_cast<lua_Integer>(lua_rawlen(L, -1)));
  return 1;
}
static int proxy_pairs(lua_State* L) {
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

// ---- pushing values (protected mode) ---------------------------------------

void push_value(lua_State* L, const LuaValue& v, int depth) {
  if (depth > 32) luaL_error(L, "value nested too deeply");
  luaL_checkstack(L, 4, "value nested too deeply");
  switch (v.kind) {
    case LuaKind::Unknown: push_unknown(L, v.text); return;
    case LuaKind::Number:
      // Whole numbers arrive as Lua integers, so that a reason built with
      // tostring or .. reads "95%", not "95.0%", and %d formats them.
      if (std::nearbyint(v.number) == v.number && std::fabs(v.number) < 9.0e15)
        lua_pushinteger(L, static_cast<lua_Integer>(v.number));
      else
        lua_pushnumber(L, v.number);
      return;
    case LuaKind::YesNo: lua_pushboolean(L, v.yes); return;
    case LuaKind::Text: lua_pushlstring(L, v.text.data(), v.text.size()); return;
    case LuaKind::Grade: push_grade(L, v.scale, v.text, v.rank); return;
    case LuaKind::List:
      lua_createtable(L, static_cast<int>(std::min<size_t>(v.items.size(), 1 << 20)), 0);
      for (size_t i = 0; i < v.items.size(); ++i) {
        push_value(L, v.items[i], depth + 1);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      make_proxy(L);
      return;
    case LuaKind::Record:
      lua_createtable(L, 0, static_cast<int>(std::min<size_t>(v.fields.size(), 1 << 20)));
      for (const LuaField& f : v.fields) {
        lua_pushlstring(L, f.name.data(), f.name.size());
        push_value(L, f.value, depth + 1);
        lua_rawset(L, -3);
      }
      make_proxy(L);
      return;
  }
}

static void set_string(lua_State* L, const char* key, const std::string& s) {
  lua_pushlstring(L, s.data(), s.size());
  lua_setfield(L, -2, key);
}

void push_school(lua_State* L, const LuaSchool& school) {
  luaL_checkstack(L, 8, "school view");
  lua_createtable(L, 0, static_cast<int>(school.values.size() + 7));
  set_string(L, "urn", school.urn);
  set_string(L, "name", school.name);
  set_string(L, "phase", school.phase);
  set_string(L, "type", school.type);
  set_string(L, "as_of", school.as_of);
  for (const LuaField& f : school.values) {
    if (lua_school_reserved(f.name))
      luaL_error(L, "metric '%s' has the name of a school field", f.name.c_str());
    lua_pushlstring(L, f.name.data(), f.name.size());
    push_value(L, f.value);
    lua_rawset(L, -3);
  }
  lua_createtable(L, 0, static_cast<int>(school.history.size()));
  for (const LuaSeries& s : school.history) {
    lua_pushlstring(L, s.metric.data(), s.metric.size());
    lua_createtable(L, static_cast<int>(s.points.size()), 0);
    for (size_t i = 0; i < s.points.size(); ++i) {
      lua_createtable(L, 0, 2);
      set_string(L, "period", s.points[i].period);
      push_value(L, s.points[i].value);
      lua_setfield(L, -2, "value");
      make_proxy(L);
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    make_proxy(L);
    lua_rawset(L, -3);
  }
  make_proxy(L);
  lua_setfield(L, -2, "history");
  lua_createtable(L, 0, static_cast<int>(school.benchmarks.size()));
  for (const LuaBenchmark& b : school.benchmarks) {
    lua_pushlstring(L, b.name.data(), b.name.size());
    lua_createtable(L, 0, static_cast<int>(b.values.size()));
    for (const LuaField& f : b.values) {
      lua_pushlstring(L, f.name.data(), f.name.size());
      push_value(L, f.value);
      lua_rawset(L, -3);
    }
    make_proxy(L);
    lua_rawset(L, -3);
  }
  make_proxy(L);
  lua_setfield(L, -2, "benchmarks");
  make_proxy(L);
}

// ---- reading results (no Lua errors) ---------------------------------------

static bool fail(std::string& error, std::string what) {
  error = std::move(what);
  return false;
}

static bool read_table(lua_State* L, int t, LuaValue& out, std::string& error, size_t& budget,
                       int depth) {
  if (!lua_checkstack(L, 4)) return fail(error, "a table nested too deeply");
  // Classify the keys first: a sequence 1..n is a list, string keys a record.
  size_t ints = 0, strings = 0;
  lua_Integer max_int = 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      ++strings;
    } else if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
      ++ints;
      max_int = std::max(max_int, lua_tointeger(L, -1));
    } else {
      const char* type = luaL_typename(L, -1);
      lua_pop(L, 1);
      return fail(error, std::string("a table with a ") + type +
                             " key (only lists and string-keyed records can be returned)");
    }
  }
  if (ints && strings) return fail(error, "a table mixing list items and named fields");
  if (ints && static_cast<size_t>(max_int) != ints)
    return fail(error, "a list with holes (nil items)");
  if (ints + strings > budget) return fail(error, "a result with too many values");
  budget -= ints + strings;
  if (strings == 0) {
    out = LuaValue::list({});
    out.items.resize(ints);
    for (size_t i = 0; i < ints; ++i) {
      lua_rawgeti(L, t, static_cast<lua_Integer>(i + 1));
      bool ok = read_value(L, -1, out.items[i], error, budget, depth + 1);
      lua_pop(L, 1);
      if (!ok) return fail(error, "item " + std::to_string(i + 1) + ": " + error);
    }
    return true;
  }
  out = LuaValue::record({});
  out.fields.reserve(strings);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    size_t len;
    const char* key = lua_tolstring(L, -2, &len);  // a string: checked above
    out.fields.push_back({std::string(key, len), {}});
    if (!read_value(L, -1, out.fields.back().value, error, budget, depth + 1)) {
      lua_pop(L, 2);
      return fail(error, "field '" + out.fields.back().name + "': " + error);
    }
    lua_pop(L, 1);
  }
  std::sort(out.fields.begin(), out.fields.end(),
            [](const LuaField& a, const LuaField& b) { return a.name < b.name; });
  return true;
}

bool read_value(lua_State* L, int idx, LuaValue& out, std::string& error, size_t& budget,
                int depth) {
  idx = lua_absindex(L, idx);
  if (depth > 32) return fail(error, "a table nested too deeply (does it contain itself?)");
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER: {
      double x = lua_isinteger(L, idx) ? static_cast<double>(lua_tointeger(L, idx))
                                       : lua_tonumber(L, idx);
      if (!std::isfinite(x))
        return fail(error, "a number that is not finite (a division by zero? return "
                           "tr.unknown(reason) for a value that cannot be worked out)");
      out = LuaValue::num(x);
      return true;
    }
    case LUA_TBOOLEAN: out = LuaValue::yesno(lua_toboolean(L, idx)); return true;
    case LUA_TSTRING: {
      size_t len;
      const char* s = lua_tolstring(L, idx, &len);
      out = LuaValue::str(std::string(s, len));
      return true;
    }
    case LUA_TTABLE: return read_table(L, idx, out, error, budget, depth);
    case LUA_TUSERDATA:
      switch (ud_kind(L, idx)) {
        case UdKind::Unknown: out = LuaValue::unknown(std::string(unknown_reason(L, idx))); return true;
        case UdKind::Grade: {
          auto* g = static_cast<const GradeUd*>(lua_touserdata(L, idx));
          out = LuaValue::grade(std::string(g->scale(), g->scale_len),
                                std::string(g->grade(), g->grade_len), g->rank);
          return true;
        }
        case UdKind::Proxy: {
          if (!lua_checkstack(L, 1)) return fail(error, "a table nested too deeply");
          push_proxied(L, idx);
          bool ok = read_table(L, lua_gettop(L), out, error, budget, depth);
          lua_pop(L, 1);
          return ok;
        }
        case UdKind::None: break;
      }
      return fail(error, "a userdata");
    case LUA_TNIL:
    case LUA_TNONE: return fail(error, "nil");
    default: return fail(error, std::string("a ") + lua_typename(L, lua_type(L, idx)));
  }
}

}  // namespace luab
}  // namespace tr
