// The value bridge: LuaValue on the C++ side; converting it to Lua values
// (numbers, booleans, strings, the userdata of lua_userdata.cc, read-only
// proxies for lists and records and the school view) and reading results back.
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

// ---- errors (declared in lua_sandbox.h) ------------------------------------

const char* to_string(LuaErrorKind kind) {
  switch (kind) {
    case LuaErrorKind::None: return "no error";
    case LuaErrorKind::Io: return "cannot read script";
    case LuaErrorKind::Syntax: return "syntax error";
    case LuaErrorKind::Load: return "load error";
    case LuaErrorKind::Runtime: return "runtime error";
    case LuaErrorKind::InstructionLimit: return "instruction limit";
    case LuaErrorKind::MemoryLimit: return "memory limit";
    case LuaErrorKind::BadReturn: return "bad return value";
    case LuaErrorKind::NoFunction: return "no such function";
    case LuaErrorKind::BadArgument: return "bad argument";
  }
  return "?";
}

std::string LuaError::to_string() const {
  std::string s;
  if (!script.empty()) s += script + (line > 0 ? ":" + std::to_string(line) : "") + ": ";
  if (!function.empty()) s += "in " + function + ": ";
  s += tr::to_string(kind);
  s += ": " + message;
  if (!rule_id.empty() || !urn.empty()) {
    s += " (";
    if (!rule_id.empty()) s += "rule " + rule_id;
    if (!rule_id.empty() && !urn.empty()) s += ", ";
    if (!urn.empty()) s += "school " + urn;
    s += ")";
  }
  return s;
}

namespace luab {

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

void push_point(lua_State* L, const LuaPoint& point) {
  luaL_checkstack(L, 4, "school view");
  lua_createtable(L, 0, 2);
  set_string(L, "period", point.period);
  push_value(L, point.value);
  lua_setfield(L, -2, "value");
  make_proxy(L);
}

void push_history_list(lua_State* L, const std::vector<LuaPoint>& points) {
  luaL_checkstack(L, 6, "school view");
  lua_createtable(L, static_cast<int>(points.size()), 0);
  for (size_t i = 0; i < points.size(); ++i) {
    push_point(L, points[i]);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  make_proxy(L);
}

void push_benchmarks(lua_State* L, const std::vector<LuaBenchmark>& benchmarks) {
  luaL_checkstack(L, 6, "school view");
  lua_createtable(L, 0, static_cast<int>(benchmarks.size()));
  for (const LuaBenchmark& b : benchmarks) {
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
}

void push_school(lua_State* L, const LuaSchool& school) {
  luaL_checkstack(L, 8, "school view");
  // A lazy view's table only holds what the script reads (a rule reads a few of
  // the ~100 keys): sized for every key, it was a 4 KB table made and collected
  // for every school.
  lua_createtable(L, 0, static_cast<int>((school.source ? 8 : school.values.size()) + 7));
  set_string(L, "urn", school.urn);
  set_string(L, "name", school.name);
  set_string(L, "phase", school.phase);
  set_string(L, "type", school.type);
  set_string(L, "as_of", school.as_of);
  if (school.source) {
    make_lazy_proxy(L, *school.source, 0);
    return;
  }
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
    push_history_list(L, s.points);
    lua_rawset(L, -3);
  }
  make_proxy(L);
  lua_setfield(L, -2, "history");
  push_benchmarks(L, school.benchmarks);
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
          GradeParts g = grade_parts(L, idx);
          out = LuaValue::grade(std::string(g.scale), std::string(g.grade), g.rank);
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

// ---- interpreting whole-rule results ---------------------------------------

static bool rule_problem(std::string& problem, std::string what) {
  problem = std::move(what);
  return false;
}

// Interprets what a whole-rule or KPI function `fn` returned.
bool interpret_rule_result(LuaValue v, const std::string& fn, bool need_status, LuaRuleResult& r,
                           std::string& problem) {
  if (v.kind == LuaKind::YesNo) {
    r.status = v.yes ? Status::Met : Status::NotMet;
  } else if (v.kind == LuaKind::Unknown) {
    r.status = Status::Unknown;
    r.reason = v.text;
  } else if (v.kind == LuaKind::Record && v.field("status")) {
    for (LuaField& field : v.fields) {
      const LuaValue& x = field.value;
      if (field.name == "status") {
        static const std::pair<const char*, Status> names[] = {
            {"met", Status::Met},         {"not_met", Status::NotMet},
            {"not met", Status::NotMet},  {"unknown", Status::Unknown},
            {"not_applicable", Status::NotApplicable},
            {"not applicable", Status::NotApplicable}};
        for (const auto& [text, status] : names)
          if (x.kind == LuaKind::Text && x.text == text) r.status = status;
        if (!r.status)
          return rule_problem(problem,
                              fn + " returned status " + x.to_string() +
                                "; expected \"met\", \"not_met\", \"unknown\" or \"not_applicable\"");
      } else if (field.name == "reason" && x.kind == LuaKind::Text) {
        r.reason = x.text;
      } else if (field.name == "value") {
        r.value = x;
      } else if (field.name == "values" && (x.kind == LuaKind::Record ||
                                            (x.kind == LuaKind::List && x.items.empty()))) {
        r.values = std::move(field.value.fields);
      } else {
        return rule_problem(problem,
                              fn + " returned a table with field '" + field.name + "' = " +
                              x.to_string() + "; expected status, reason (text), value, values "
                              "(a table of named values)");
      }
    }
    if (*r.status == Status::Unknown && r.reason.empty())
      r.reason = fn + " gave no reason for unknown";
  } else if (!need_status && v.kind != LuaKind::Record) {
    r.value = std::move(v);
  } else if (!need_status && v.field("value")) {
    for (LuaField& field : v.fields) {
      if (field.name == "value") r.value = field.value;
      else if (field.name == "reason" && field.value.kind == LuaKind::Text) r.reason = field.value.text;
      else if (field.name == "values" && field.value.kind == LuaKind::Record)
        r.values = std::move(field.value.fields);
      else if (!(field.name == "values" && field.value.kind == LuaKind::List && field.value.items.empty()))
        return rule_problem(problem,
                              fn + " returned a table with field '" + field.name + "'; expected "
                          "value, reason (text), values (a table of named values), status");
    }
  } else {
    return rule_problem(problem,
                              fn + " returned " + std::string(tr::to_string(v.kind)) + " " +
                          v.to_string() + "; a rule function returns true/false, tr.unknown(reason) "
                          "or a table with a status (tr.met(reason, values), ...)");
  }
  return true;
}

}  // namespace luab
}  // namespace tr
