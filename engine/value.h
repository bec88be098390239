// Three-valued values: what every expression evaluates to. A value is known
// (a number with its type, a yes/no, a grade, a text, a year) or unknown, and an
// unknown value always carries the reasons it is unknown, so that the reasons can
// travel up through arithmetic, comparisons and logic to the result that a
// governor reads ("PTRWM_EXP_FSM6CLA1A is SUPP (suppressed …) in … row 41").
//
// The algebra here is pure (no dataset, no plan) so that its truth tables can be
// tested on their own (value_test.cc).
#pragma once

#include "ast.h"

#include <string>
#include <string_view>
#include <vector>

namespace tr {

enum class Truth : uint8_t { False, True, Unknown };

// Reasons in the order first met, without duplicates. Kept as plain strings: they
// exist only on unknown values, which are the exception in real data.
using Reasons = std::vector<std::string>;
void add_reason(Reasons& to, std::string reason);
void add_reasons(Reasons& to, const Reasons& from);

struct Value {
  enum class Kind : uint8_t {
    Unknown,
    Number,  // num, with `type` Number/Percent/Points/Score/Count/Rate/Duration
    Range,   // a whole number known only to lie in [num, hi] (count_of with unknowns)
    Bool,    // num is 0 or 1
    Grade,   // num is the rank in `scale` (0 = best grade)
    Text,    // text
    Year,    // num is the start year, term in `term`
  };
  Kind kind = Kind::Unknown;
  Type type = Type::Error;  // the checker's type, kept for display and units
  uint8_t term = 0;         // Year
  bool not_applicable = false;  // Unknown: a rule that does not apply (aggregates skip it)
  int scale = -1;           // Grade: index into Ruleset::scales
  double num = 0;
  double hi = 0;            // Range: upper bound
  std::string text;         // Text
  Reasons reasons;          // Unknown and Range: why the value is not (exactly) known

  bool known() const { return known(kind); }
  static constexpr bool known(Kind k) { return k != Kind::Unknown && k != Kind::Range; }
  bool is_true() const { return kind == Kind::Bool && num != 0; }
  bool is_false() const { return kind == Kind::Bool && num == 0; }
  Truth truth() const {
    if (kind != Kind::Bool) return Truth::Unknown;
    return num != 0 ? Truth::True : Truth::False;
  }

  static Value number(double v, Type t = Type::Number) {
    Value r;
    r.kind = Kind::Number;
    r.type = t;
    r.num = v;
    return r;
  }
  static Value boolean(bool b) {
    Value r;
    r.kind = Kind::Bool;
    r.type = Type::Bool;
    r.num = b ? 1 : 0;
    return r;
  }
  static Value grade(int scale, int rank) {
    Value r;
    r.kind = Kind::Grade;
    r.type = Type::Grade;
    r.scale = scale;
    r.num = rank;
    return r;
  }
  static Value string(std::string s) {
    Value r;
    r.kind = Kind::Text;
    r.type = Type::Text;
    r.text = std::move(s);
    return r;
  }
  static Value year(int start, uint8_t term = 0) {
    Value r;
    r.kind = Kind::Year;
    r.type = Type::Year;
    r.num = start;
    r.term = term;
    return r;
  }
  static Value unknown(std::string reason, Type t = Type::Error) {
    Value r;
    r.type = t;
    add_reason(r.reasons, std::move(reason));
    return r;
  }
  static Value unknown(Reasons reasons, Type t = Type::Error) {
    Value r;
    r.type = t;
    r.reasons = std::move(reasons);
    return r;
  }
};

// ---- the algebra -------------------------------------------------------------

// Kleene logic. `false and unknown` is false and `true or unknown` is true: the
// decided side wins and the unknown side's reasons are dropped, because they did
// not matter. Anything else involving unknown is unknown with every reason.
// A non-boolean known operand is a type error the checker prevents; it is treated
// as unknown here rather than trusted.
Value logic_and(const Value& a, const Value& b);
Value logic_or(const Value& a, const Value& b);
Value logic_not(const Value& a);

// + - * / on numbers; unknown in, unknown out (with the reasons of both sides).
// Division by zero is unknown ("division by zero"), never infinity. `result`
// is the type the checker gave the expression (Type::Error: infer it).
Value arith(Op op, const Value& a, const Value& b, Type result = Type::Error);
Value negate(const Value& a);

// = != < <= > >= on numbers, grades (better is greater: rank 0 is the best), texts
// (case-insensitive, equality only), years and yes/no. A Range compares as known
// when every number in it gives the same answer. Numbers compare with a tolerance
// of one part in 10^9 so that 0.1 + 0.2 = 0.3.
Value compare(Op op, const Value& a, const Value& b);

// `x between lo and hi` (inclusive) and `x in [a, b, …]`, both three-valued.
Value between(const Value& x, const Value& lo, const Value& hi);
Value member_of(const Value& x, const std::vector<Value>& set);

// `if c then a else b`: unknown c gives unknown (with c's reasons) unless both
// branches are known and equal.
Value choose(const Value& c, const Value& a, const Value& b);

// `known(x)`: never unknown.
Value known_of(const Value& x);
// `count_of(a, b, …)`: how many are true; a Range when some are unknown.
Value count_true(const std::vector<Value>& xs);
Value abs_of(const Value& x);
// `min(a, b)` / `max(a, b)`: unknown if either is.
Value min_of(const Value& a, const Value& b);
Value max_of(const Value& a, const Value& b);

// The type a + - * / of two typed numbers has (percent - percent = points, …).
Type arith_type(Op op, Type a, Type b);

// "53%", "2.5 points", "11", "yes", "2018-19". Grades need the ruleset to be named
// (see report code); here they print as "grade #rank".
std::string format_plain(const Value& v);
// The unit word a reader sees next to a number: "%", "points", "" …
std::string unit_of(Type t);
// Numbers are printed with up to 2 decimals and no trailing zeros ("97.3", "-2.5").
std::string format_num(double v);

}  // namespace tr
