// The values that cross between the engine and Lua scripts (see docs/lua.md).
// Deliberately self-contained: the evaluator maps its own three-valued values
// onto LuaValue and back, so the Lua bridge does not depend on evaluator types.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tr {

enum class LuaKind : uint8_t {
  Unknown,  // a missing or undecidable value; `text` holds why
  Number,   // `tag` says what kind of number
  YesNo,    // `yes`
  Text,     // `text`
  Grade,    // `scale`, `text` (the grade id), `rank` (0 = best)
  List,     // `items`: values across periods or schools
  Record,   // `fields`: named values (a history point, a rule's values)
};

// Lua itself only sees plain numbers (scripts need native arithmetic and
// comparison); the tag lives on the engine side and is restored on the way
// back from the function's declared or expected return type.
enum class LuaNumTag : uint8_t { Number, Percent, Score, Count, Rate, Points };

struct LuaField;

struct LuaValue {
  LuaKind kind = LuaKind::Unknown;
  LuaNumTag tag = LuaNumTag::Number;
  double number = 0;
  bool yes = false;
  int rank = -1;
  std::string text;   // Text; Unknown: the reason; Grade: the grade id
  std::string scale;  // Grade
  std::vector<LuaValue> items;
  std::vector<LuaField> fields;  // sorted by name when read back from Lua

  static LuaValue unknown(std::string reason);
  static LuaValue num(double v, LuaNumTag tag = LuaNumTag::Number);
  static LuaValue yesno(bool v);
  static LuaValue str(std::string s);
  static LuaValue grade(std::string scale, std::string grade, int rank);
  static LuaValue list(std::vector<LuaValue> items);
  static LuaValue record(std::vector<LuaField> fields);

  bool known() const { return kind != LuaKind::Unknown; }
  // The named field of a Record, or null.
  const LuaValue* field(std::string_view name) const;
  // A short rendering for messages and test failures: `94.5%`, `yes`, `good (ofsted #1)`,
  // `unknown (attendance is SUPP)`, `[1, 2]`, `{a = 1}`.
  std::string to_string() const;
};

struct LuaField {
  std::string name;
  LuaValue value;
};

bool operator==(const LuaValue& a, const LuaValue& b);
std::ostream& operator<<(std::ostream& out, const LuaValue& v);  // to_string()
inline bool operator==(const LuaField& a, const LuaField& b) {
  return a.name == b.name && a.value == b.value;
}

// The argument type the brief asks for; a plain value.
using LuaArg = LuaValue;

const char* to_string(LuaKind kind);   // "unknown", "number", "yes/no", ...
const char* to_string(LuaNumTag tag);  // "number", "percent", ...

// A function's return type, as declared by `tr.declare(fn, "percent")` in the
// script or expected by the caller. A LuaKind::Unknown result satisfies every type.
struct LuaType {
  LuaKind kind = LuaKind::Number;
  LuaNumTag tag = LuaNumTag::Number;  // Number
  std::string scale;                  // Grade: "" = any scale
};
// "number", "percent", "score", "count", "rate", "points", "yesno", "text",
// "grade", "grade SCALE", "list", "record"; nullopt when not one of these.
std::optional<LuaType> parse_lua_type(std::string_view text);
std::string to_string(const LuaType& type);
// Whether `v` may be returned where `type` is expected (unknown always may).
bool lua_type_accepts(const LuaType& type, const LuaValue& v);

// A read-only view of one school as a whole-rule or KPI function sees it:
//   school.urn, school.name, school.phase, school.type, school.as_of
//   school.<metric>                 current value ("rwm_expected.disadvantaged" for groups)
//   school.history.<metric>         { {period = "2022-23", value = ...}, ... } oldest first
//   school.benchmarks.<name>.<metric>   e.g. school.benchmarks.national.attendance
struct LuaPoint {
  std::string period;  // "2022-23", "2023-24 autumn"
  LuaValue value;
};
struct LuaSeries {
  std::string metric;
  std::vector<LuaPoint> points;  // oldest first
};
struct LuaBenchmark {
  std::string name;  // "national", "local_authority", a declared benchmark id
  std::vector<LuaField> values;
};
// A school view built as the script reads it: the metric keys are known up
// front, a value, a history or the benchmarks only when a script asks (a
// national run's eager views were most of what a Lua rule cost). References
// returned stay valid until the next call on the source.
class LuaSchoolSource {
 public:
  virtual ~LuaSchoolSource() = default;
  virtual size_t size() const = 0;                     // metric keys
  virtual const std::string& key(size_t i) const = 0;  // sorted, none reserved
  virtual const LuaValue& value(size_t i) const = 0;   // the current value
  // Empty: none. Asked for again for each point a script reads; what it returns
  // need only last until the next call.
  virtual const std::vector<LuaPoint>& history(size_t i) const = 0;
  // Each benchmark's values sorted by name; stable for the whole call.
  virtual const std::vector<LuaBenchmark>& benchmarks() const = 0;
};

struct LuaSchool {
  std::string urn, name, phase, type;
  std::string as_of;  // the period being evaluated
  // Either the whole view here...
  std::vector<LuaField> values;
  std::vector<LuaSeries> history;
  std::vector<LuaBenchmark> benchmarks;
  // ...or, when set, filled from this as the script reads it. It must outlive
  // the call; a script that keeps the view and reads it in a later call gets an
  // error, never a dangling read.
  const LuaSchoolSource* source = nullptr;
};
// Keys of the school view that a metric may not use.
bool lua_school_reserved(std::string_view key);

}  // namespace tr
