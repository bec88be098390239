// The three-valued algebra (see value.h). Every function here is total: a value it
// cannot work with becomes unknown with a reason instead of a wrong number.
#include "value.h"

#include "dataset.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace tr {

void add_reason(Reasons& to, std::string reason) {
  if (reason.empty()) return;
  if (std::find(to.begin(), to.end(), reason) == to.end()) to.push_back(std::move(reason));
}

void add_reasons(Reasons& to, const Reasons& from) {
  for (const auto& r : from)
    if (std::find(to.begin(), to.end(), r) == to.end()) to.push_back(r);
}

namespace {

// An operand that is known but of the wrong kind has its own reason, so that a
// slip the checker missed is visible in the explanation rather than silent.
void why_not(const Value& v, const char* wanted, Reasons& out) {
  if (v.kind == Value::Kind::Unknown || v.kind == Value::Kind::Range) {
    add_reasons(out, v.reasons);
    if (v.reasons.empty()) add_reason(out, "a value is unknown");
  } else {
    add_reason(out, std::string("'") + format_plain(v) + "' is not " + wanted);
  }
}

// min/max of two operands, at least one not a number: why, side by side.
Value unknown_from(const Value& a, const Value& b, Type t) {
  Value r;
  r.type = t;
  if (a.kind != Value::Kind::Number) why_not(a, "a number", r.reasons);
  if (b.kind != Value::Kind::Number) why_not(b, "a number", r.reasons);
  return r;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

// -1, 0, 1 with a relative tolerance: data such as 65 and a literal 65% are equal,
// and so are 0.1 + 0.2 and 0.3.
int cmp_num(double a, double b) {
  double tol = 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
  double d = a - b;
  if (std::fabs(d) <= tol) return 0;
  return d < 0 ? -1 : 1;
}

bool holds(Op op, int c) {
  switch (op) {
    case Op::Eq: return c == 0;
    case Op::Ne: return c != 0;
    case Op::Lt: return c < 0;
    case Op::Le: return c <= 0;
    case Op::Gt: return c > 0;
    case Op::Ge: return c >= 0;
    default: return false;
  }
}

const char* op_words(Op op) {
  switch (op) {
    case Op::Eq: return "=";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    default: return "?";
  }
}

const char* kind_name(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Number: return "a number";
    case Value::Kind::Range: return "a number";
    case Value::Kind::Bool: return "yes/no";
    case Value::Kind::Grade: return "a grade";
    case Value::Kind::Text: return "a text";
    case Value::Kind::Year: return "a year";
    case Value::Kind::Unknown: return "unknown";
  }
  return "?";
}

}  // namespace

// ---- logic -------------------------------------------------------------------

Value logic_and(const Value& a, const Value& b) {
  if (a.is_false() || b.is_false()) return Value::boolean(false);
  if (a.is_true() && b.is_true()) return Value::boolean(true);
  Value r;
  r.type = Type::Bool;
  if (!a.is_true()) why_not(a, "yes/no", r.reasons);
  if (!b.is_true()) why_not(b, "yes/no", r.reasons);
  return r;
}

Value logic_or(const Value& a, const Value& b) {
  if (a.is_true() || b.is_true()) return Value::boolean(true);
  if (a.is_false() && b.is_false()) return Value::boolean(false);
  Value r;
  r.type = Type::Bool;
  if (!a.is_false()) why_not(a, "yes/no", r.reasons);
  if (!b.is_false()) why_not(b, "yes/no", r.reasons);
  return r;
}

Value logic_not(const Value& a) {
  if (a.kind == Value::Kind::Bool) return Value::boolean(a.num == 0);
  Value r;
  r.type = Type::Bool;
  why_not(a, "yes/no", r.reasons);
  return r;
}

// ---- arithmetic --------------------------------------------------------------

Type arith_type(Op op, Type a, Type b) {
  auto plain = [](Type t) { return t == Type::Number || t == Type::Error; };
  switch (op) {
    case Op::Add:
    case Op::Sub:
      if (a == b && op == Op::Sub && (a == Type::Percent || a == Type::Score)) return Type::Points;
      if (plain(a)) return plain(b) ? Type::Number : b;
      if (b == Type::Points || plain(b)) return a;
      if (a == Type::Points) return b;
      return a;
    case Op::Mul:
      if (plain(a)) return plain(b) ? Type::Number : b;
      return a;
    case Op::Div:
      if (plain(b)) return plain(a) ? Type::Number : a;
      return Type::Number;  // a ratio of like quantities has no unit
    default: return Type::Number;
  }
}

Value arith(Op op, const Value& a, const Value& b, Type result) {
  Type t = result == Type::Error ? arith_type(op, a.type, b.type) : result;
  if (a.kind != Value::Kind::Number || b.kind != Value::Kind::Number) {
    Value r;
    r.type = t;
    if (a.kind != Value::Kind::Number) why_not(a, "a number", r.reasons);
    if (b.kind != Value::Kind::Number) why_not(b, "a number", r.reasons);
    return r;
  }
  double v = 0;
  switch (op) {
    case Op::Add: v = a.num + b.num; break;
    case Op::Sub: v = a.num - b.num; break;
    case Op::Mul: v = a.num * b.num; break;
    case Op::Div:
      if (b.num == 0) return Value::unknown("division by zero", t);
      v = a.num / b.num;
      break;
    default: return Value::unknown("not an arithmetic operator", t);
  }
  return Value::number(v, t);
}

Value negate(const Value& a) {
  if (a.kind != Value::Kind::Number) {
    Value r;
    r.type = a.type;
    why_not(a, "a number", r.reasons);
    return r;
  }
  return Value::number(-a.num, a.type);
}

// ---- comparison --------------------------------------------------------------

Value compare(Op op, const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.kind == K::Unknown || b.kind == K::Unknown) {
    Value r;
    r.type = Type::Bool;
    if (a.kind == K::Unknown || a.kind == K::Range) why_not(a, "", r.reasons);
    if (b.kind == K::Unknown || b.kind == K::Range) why_not(b, "", r.reasons);
    return r;
  }
  // A range [lo, hi] of whole numbers against a number: the order comparisons are
  // monotonic, so the two ends decide; equality needs the range to be one point.
  if (a.kind == K::Range || b.kind == K::Range) {
    if (a.kind == K::Range && b.kind == K::Range) {
      Value r = Value::unknown(a.reasons, Type::Bool);
      add_reasons(r.reasons, b.reasons);
      return r;
    }
    const Value& range = a.kind == K::Range ? a : b;
    const Value& other = a.kind == K::Range ? b : a;
    if (other.kind != K::Number) return Value::unknown(range.reasons, Type::Bool);
    auto at = [&](double x) {
      return a.kind == K::Range ? holds(op, cmp_num(x, other.num)) : holds(op, cmp_num(other.num, x));
    };
    bool all = true, none = true;
    if (op == Op::Eq || op == Op::Ne) {
      bool inside = cmp_num(other.num, range.num) >= 0 && cmp_num(other.num, range.hi) <= 0;
      if (!inside) return Value::boolean(op == Op::Ne);
      return Value::unknown(range.reasons, Type::Bool);
    }
    for (double x : {range.num, range.hi}) {
      bool h = at(x);
      all = all && h;
      none = none && !h;
    }
    if (all) return Value::boolean(true);
    if (none) return Value::boolean(false);
    return Value::unknown(range.reasons, Type::Bool);
  }
  if (a.kind != b.kind) {
    return Value::unknown(std::string("cannot compare ") + kind_name(a) + " with " + kind_name(b),
                          Type::Bool);
  }
  switch (a.kind) {
    case K::Number: return Value::boolean(holds(op, cmp_num(a.num, b.num)));
    case K::Grade:
      if (a.scale != b.scale && a.scale >= 0 && b.scale >= 0)
        return Value::unknown("grades from different scales do not compare", Type::Bool);
      // Rank 0 is the best grade, so "greater" (better) is the smaller rank.
      return Value::boolean(holds(op, cmp_num(b.num, a.num)));
    case K::Text:
      if (op != Op::Eq && op != Op::Ne)
        return Value::unknown(std::string("texts compare only for equality, not ") + op_words(op),
                              Type::Bool);
      return Value::boolean(iequal(a.text, b.text) == (op == Op::Eq));
    case K::Year: {
      int c = cmp_num(a.num, b.num);
      if (c == 0 && a.term != 0 && b.term != 0) c = a.term < b.term ? -1 : (a.term > b.term ? 1 : 0);
      return Value::boolean(holds(op, c));
    }
    case K::Bool:
      if (op != Op::Eq && op != Op::Ne)
        return Value::unknown("yes/no values compare only for equality", Type::Bool);
      return Value::boolean((a.num == b.num) == (op == Op::Eq));
    default: break;
  }
  return Value::unknown("cannot compare these values", Type::Bool);
}

Value between(const Value& x, const Value& lo, const Value& hi) {
  return logic_and(compare(Op::Ge, x, lo), compare(Op::Le, x, hi));
}

Value member_of(const Value& x, const std::vector<Value>& set) {
  Value acc = Value::boolean(false);
  for (const auto& s : set) acc = logic_or(acc, compare(Op::Eq, x, s));
  return acc;
}

// ---- the rest ----------------------------------------------------------------

Value choose(const Value& c, const Value& a, const Value& b) {
  if (c.is_true()) return a;
  if (c.is_false()) return b;
  // Both branches agree: the condition does not matter.
  if (a.known() && b.known() && a.kind == b.kind) {
    Value eq = compare(Op::Eq, a, b);
    if (eq.is_true()) return a;
  }
  Value r;
  r.type = a.type != Type::Error ? a.type : b.type;
  why_not(c, "yes/no", r.reasons);
  return r;
}

Value known_of(const Value& x) { return Value::boolean(x.known()); }

Value count_true(const std::vector<Value>& xs) {
  int yes = 0, maybe = 0;
  Reasons why;
  for (const auto& x : xs) {
    if (x.is_true()) {
      ++yes;
    } else if (!x.is_false()) {
      ++maybe;
      why_not(x, "yes/no", why);
    }
  }
  Value r = Value::number(yes, Type::Count);
  if (maybe > 0) {
    r.kind = Value::Kind::Range;
    r.hi = yes + maybe;
    r.reasons = std::move(why);
  }
  return r;
}

Value abs_of(const Value& x) {
  if (x.kind != Value::Kind::Number) return negate(x);  // same reasons
  return Value::number(std::fabs(x.num), x.type);
}

Value min_of(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::Number && b.kind == Value::Kind::Number)
    return a.num <= b.num ? a : b;
  return unknown_from(a, b, a.type != Type::Error ? a.type : b.type);
}

Value max_of(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::Number && b.kind == Value::Kind::Number)
    return a.num >= b.num ? a : b;
  return unknown_from(a, b, a.type != Type::Error ? a.type : b.type);
}

// ---- display -----------------------------------------------------------------

std::string format_num(double v) {
  if (std::isnan(v)) return "nan";
  // to_chars with a precision is printf's "%.2f", several times faster (the
  // evaluator describes every value it uses; bench/bench_england.cc).
  char buf[400];  // %.2f of the largest double: 309 digits
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  std::string s(buf, ec == std::errc() ? end : buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string unit_of(Type t) {
  switch (t) {
    case Type::Percent: return "%";
    case Type::Points: return "points";
    default: return "";
  }
}

std::string format_plain(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Unknown: return v.not_applicable ? "not applicable" : "unknown";
    case Value::Kind::Range: return "between " + format_num(v.num) + " and " + format_num(v.hi);
    case Value::Kind::Bool: return v.num != 0 ? "yes" : "no";
    case Value::Kind::Grade: return "grade #" + format_num(v.num);
    case Value::Kind::Text: return v.text;
    case Value::Kind::Year: {
      Period p;
      p.year = static_cast<int16_t>(v.num);
      p.term = v.term;
      return to_string(p);
    }
    case Value::Kind::Number:
      if (v.type == Type::Percent) return format_num(v.num) + "%";
      if (v.type == Type::Points) return format_num(v.num) + (std::fabs(v.num) == 1 ? " point" : " points");
      return format_num(v.num);
  }
  return "?";
}

}  // namespace tr
