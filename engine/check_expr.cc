// Expression typing: names, groups, operators and the unit rules. Calls
// (built-ins, benchmarks, defines, Lua) are typed in check_calls.cc.
//
// The unit rules, in short (docs/language.md, "Types", has the full table):
//  * percent ± points → percent, percent − percent → points (a gap), percent + percent → percent;
//    the same for score; points ± points → points; count and rate only with themselves.
//  * a number with no unit takes the other side's type, except that a bare non-zero
//    literal next to a percent or points is an error ("did you mean 95%?"): 0 needs no unit.
//  * grades, yes/no, text and years have no arithmetic; grades compare only within
//    their own scale; yes/no and text only with `is` / `is not` / `in`.
#include "check_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tr::check {

namespace {

std::string op_word(const Expr& e) {
  if (!e.written.empty()) return e.written;
  switch (e.op) {
    case Op::Add: return "+";
    case Op::Sub: case Op::Neg: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Not: return "not";
    case Op::Eq: return "=";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
  }
  return "?";
}

bool pair_is(Type a, Type b, Type x, Type y) { return (a == x && b == y) || (a == y && b == x); }

// A grade to show in an example: the second of three or more (`good`), else the best.
std::string example_grade(const Scale& s) {
  if (s.grades.empty()) return "good";
  return s.grades.size() >= 3 ? s.grades[1].id.text : s.grades[0].id.text;
}

// What each kind of number compares with, for hints.
std::string compares_with(Type t) {
  switch (t) {
    case Type::Percent: return "a percent compares with percents (65%) and points (2 points)";
    case Type::Score: return "a score compares with scores and points";
    case Type::Points: return "points compare with points, percents and scores";
    case Type::Count: return "a count compares with counts and plain numbers";
    case Type::Rate: return "a rate compares with rates and plain numbers";
    default: return "";
  }
}

// Comma-separated grade ids of a scale, for hints.
std::string grade_list(const Scale& s) {
  std::string out;
  for (const Grade& g : s.grades) out += (out.empty() ? "" : ", ") + g.id.text;
  return out;
}

}  // namespace

Type Checker::set(Expr& e, Type t, std::string scale) {
  e.type = t;
  e.scale = t == Type::Grade ? std::move(scale) : std::string();
  return t;
}

// How many operands each kind has (-1: any, at least one); a tree built by hand
// (the planner's) that breaks this is typed Error rather than read out of bounds.
static bool well_formed(const Expr& e) {
  size_t n = e.args.size();
  for (const auto& a : e.args)
    if (!a) return false;
  switch (e.kind) {
    case ExprKind::Member: case ExprKind::Unary: return n == 1;
    case ExprKind::Binary: return n == 2;
    case ExprKind::Between: case ExprKind::If: return n == 3;
    case ExprKind::In: return n >= 1;
    default: return true;
  }
}

Type Checker::type(Expr& e, const Scope& s, const Want& w) {
  if (!well_formed(e)) return set(e, Type::Error);
  switch (e.kind) {
    case ExprKind::Number: return number(e, w);
    case ExprKind::String: return set(e, Type::Text);
    case ExprKind::Year: return set(e, Type::Year);
    case ExprKind::Ident: return ident(e, s, w);
    case ExprKind::Member: return member(e, s);
    case ExprKind::Call: return call(e, s, w);
    case ExprKind::Unary: return unary(e, s, w);
    case ExprKind::Binary: return binary(e, s, w);
    case ExprKind::Between: return between(e, s);
    case ExprKind::In: return in_list(e, s);
    case ExprKind::If: return conditional(e, s, w);
  }
  return set(e, Type::Error);
}

void Checker::require_bool(Expr& e, const Scope& s, std::string_view what) {
  Want w;
  w.boolean = true;
  Type t = type(e, s, w);
  if (t == Type::Bool || t == Type::Error) return;
  std::string hint = "a condition compares values, e.g. attendance at least 95%";
  if (t == Type::Grade) {
    int sc = rs_.find(rs_.scale_index, e.scale);
    if (sc >= 0)
      hint = fmt::format("compare the grade, e.g. {} at least {}", quote(e).substr(1, quote(e).size() - 2),
                         example_grade(*rs_.scales[sc]));
  } else if (is_numeric(t)) {
    hint = fmt::format("compare it with something, e.g. {} at least …", quote(e).substr(1, quote(e).size() - 2));
  }
  error(e.span, fmt::format("`{}` needs a yes/no condition, but {} is {}", what, quote(e), describe(t, e.scale)),
        hint);
}

Type Checker::number(Expr& e, const Want& w) {
  switch (e.unit) {
    case Unit::None: return set(e, Type::Number);
    case Unit::Percent: return set(e, Type::Percent);
    case Unit::Points: return set(e, Type::Points);
    case Unit::Years:
    case Unit::Terms:
      if (w.duration) return set(e, Type::Duration);
      error(e.span,
            fmt::format("{} is a length of time, which can only be the period of change, improving, "
                        "declining or every_year", quote(e)),
            fmt::format("for example: change(attendance, {})", quote(e).substr(1, quote(e).size() - 2)));
      return set(e, Type::Error);
    case Unit::Weeks:
      error(e.span, fmt::format("{}: weeks only count support frequencies (`every 4 weeks`)", quote(e)),
            "in an expression, periods are years or terms: change(attendance, 3 terms)");
      return set(e, Type::Error);
  }
  return set(e, Type::Error);
}

// A bare identifier that names nothing but (perhaps) a grade: it is typed after
// the other side of a comparison so that it resolves on that side's scale.
bool Checker::is_grade_word(const Expr& e, const Scope& s) const {
  if (e.kind != ExprKind::Ident) return false;
  if (s.define)
    for (const Name& p : s.define->params)
      if (p.text == e.text) return false;
  if (e.text == "value" && s.ctx == ExprContext::KpiMet) return false;
  return rs_.find(rs_.metric_index, e.text) < 0 && rs_.find(rs_.param_index, e.text) < 0 &&
         rs_.find(rs_.define_index, e.text) < 0 && rs_.find(rs_.rule_index, e.text) < 0 &&
         builtin_attribute(e.text) < 0;
}

// A call to a Lua function: yes/no or a number depending on what it is compared with.
bool Checker::is_lua_word(const Expr& e, const Scope&) const {
  if (e.kind != ExprKind::Call) return false;
  if (rs_.find(rs_.define_index, e.text) >= 0 || rs_.find(rs_.benchmark_index, e.text) >= 0 ||
      is_builtin_function(e.text))
    return false;
  return std::find(rs_.lua_functions.begin(), rs_.lua_functions.end(), e.text) != rs_.lua_functions.end();
}

std::optional<double> Checker::unitless_value(const Expr& e, const Scope& s) const {
  if (e.kind == ExprKind::Number && e.unit == Unit::None && e.number != 0) return e.number;
  if (e.kind == ExprKind::Unary && e.op == Op::Neg && !e.args.empty()) {
    if (auto v = unitless_value(*e.args[0], s)) return -*v;
    return std::nullopt;
  }
  if (e.kind == ExprKind::Ident && e.ref == RefKind::Param && e.ref_index >= 0 &&
      e.ref_index < static_cast<int>(rs_.params.size())) {
    const Param& p = *rs_.params[e.ref_index];
    if (p.value) return unitless_value(*p.value, s);
  }
  if (e.kind == ExprKind::Ident && e.ref == RefKind::DefineParam && s.args && e.ref_index >= 0 &&
      e.ref_index < static_cast<int>(s.args->size())) {
    const Arg& a = (*s.args)[e.ref_index];
    if (a.unitless) return a.number;
  }
  return std::nullopt;
}

// Reports `lit` (a bare number) standing next to a percent or points. Returns
// true when it reported.
bool Checker::reports_unit(const Expr& lit, const Expr& other, Type other_type, const Scope& s) {
  if (other_type != Type::Percent && other_type != Type::Points) return false;
  auto v = unitless_value(lit, s);
  if (!v) return false;
  std::string suggestion;
  if (other_type == Type::Percent)
    suggestion = format_number(std::fabs(*v) <= 1 ? *v * 100 : *v) + "%";
  else
    suggestion = format_number(*v) + (*v == 1 ? " point" : " points");
  std::vector<Diagnostic> notes;
  if (lit.kind == ExprKind::Ident && lit.ref == RefKind::Param)
    notes.push_back(note_at(rs_.params[lit.ref_index]->value->span,
                            fmt::format("param '{}' is declared here without a unit", lit.text)));
  error(lit.span, fmt::format("{} is {} but {} has no unit", quote(other), describe(other_type, {}), quote(lit)),
        fmt::format("did you mean {}?", suggestion), std::move(notes));
  return true;
}

Type Checker::unary(Expr& e, const Scope& s, const Want& w) {
  Expr& a = *e.args[0];
  if (e.op == Op::Not) {
    Want wb;
    wb.boolean = true;
    Type t = type(a, s, wb);
    if (t != Type::Bool && t != Type::Error) {
      error(a.span, fmt::format("`not` needs a yes/no condition, but {} is {}", quote(a), describe(t, a.scale)));
      return set(e, Type::Error);
    }
    return set(e, t);
  }
  (void)w;
  Type t = type(a, s);
  if (t == Type::Error) return set(e, t);
  if (!is_numeric(t)) {
    error(a.span, fmt::format("{} is {}, which cannot be negated", quote(a), describe(t, a.scale)),
          t == Type::Grade ? "grades have no arithmetic; compare them instead" : "");
    return set(e, Type::Error);
  }
  return set(e, t);
}

Type Checker::binary(Expr& e, const Scope& s, const Want& w) {
  switch (e.op) {
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: return arithmetic(e, s);
    case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: return compare(e, s);
    case Op::And:
    case Op::Or: {
      bool ok = true;
      for (auto& side : e.args) {
        Want wb;
        wb.boolean = true;
        Type t = type(*side, s, wb);
        if (t == Type::Error) ok = false;
        else if (t != Type::Bool) {
          error(side->span,
                fmt::format("`{}` needs yes/no on both sides, but {} is {}", op_word(e), quote(*side),
                            describe(t, side->scale)),
                "compare it with something, e.g. attendance at least 95%");
          ok = false;
        }
      }
      return set(e, ok ? Type::Bool : Type::Error);
    }
    case Op::Neg: case Op::Not: return unary(e, s, w);
  }
  return set(e, Type::Error);
}

Type Checker::arithmetic(Expr& e, const Scope& s) {
  Expr& l = *e.args[0];
  Expr& r = *e.args[1];
  Type tl = type(l, s);
  Type tr = type(r, s);
  if (tl == Type::Error || tr == Type::Error) return set(e, Type::Error);
  for (Expr* side : {&l, &r}) {
    Type t = side->type;
    if (is_numeric(t)) continue;
    if (t == Type::Grade) {
      int sc = rs_.find(rs_.scale_index, side->scale);
      std::string best = sc >= 0 ? example_grade(*rs_.scales[sc]) : "good";
      error(side->span,
            fmt::format("grades have no arithmetic: {} is {}", quote(*side), describe(t, side->scale)),
            fmt::format("compare grades instead, e.g. {} at least {}", quote(*side).substr(1, quote(*side).size() - 2),
                        best));
    } else if (t == Type::Bool) {
      error(side->span, fmt::format("{} is yes/no, which has no arithmetic", quote(*side)),
            "count_of(a, b, …) counts how many conditions are met");
    } else {
      error(side->span, fmt::format("`{}` needs numbers, but {} is {}", op_word(e), quote(*side),
                                    describe(t, side->scale)));
    }
    return set(e, Type::Error);
  }
  if (e.op == Op::Div && r.kind == ExprKind::Number && r.number == 0) {
    error(r.span, "division by zero");
    return set(e, Type::Error);
  }
  // A bare number beside a percent needs a unit when added (65 + 2%), not as a
  // factor (attendance * 2).
  bool additive = e.op == Op::Add || e.op == Op::Sub;
  if (additive && (reports_unit(l, r, tr, s) || reports_unit(r, l, tl, s))) return set(e, Type::Error);
  auto mismatch = [&](const char* verb, std::string hint = {}) {
    error(e.span,
          fmt::format("{} is {} and {} is {}, so they cannot be {}", quote(l), describe(tl, {}), quote(r),
                      describe(tr, {}), verb),
          std::move(hint));
    return set(e, Type::Error);
  };
  switch (e.op) {
    case Op::Add:
    case Op::Sub: {
      const char* verb = e.op == Op::Add ? "added" : "subtracted";
      if (tl == Type::Number) return set(e, tr);
      if (tr == Type::Number) return set(e, tl);
      if (tl == tr) {
        // The difference of two percents (or scores) is a gap in points.
        if (e.op == Op::Sub && (tl == Type::Percent || tl == Type::Score)) return set(e, Type::Points);
        return set(e, tl);
      }
      if (pair_is(tl, tr, Type::Percent, Type::Points)) return set(e, Type::Percent);
      if (pair_is(tl, tr, Type::Score, Type::Points)) return set(e, Type::Score);
      if (tl == Type::Points || tr == Type::Points)
        return mismatch(verb, "points are a difference between percents or between scores");
      return mismatch(verb);
    }
    case Op::Mul:
      if (tl == Type::Number) return set(e, tr);
      if (tr == Type::Number) return set(e, tl);
      return mismatch("multiplied", "multiply by a number with no unit, e.g. attendance * 2");
    case Op::Div:
      if (tr == Type::Number) return set(e, tl);
      // A ratio of like quantities has no unit.
      if (tl == tr) return set(e, Type::Number);
      return mismatch("divided");
    default: break;
  }
  return set(e, Type::Error);
}

// The other side of a comparison decides the scale a bare grade name resolves on,
// and whether a Lua call is yes/no.
static Want want_for(const Expr& other, Type t, const std::string& quoted) {
  Want w;
  if (t == Type::Grade) {
    w.scale = other.scale;
    w.other = quoted;
  }
  if (t == Type::Bool) w.boolean = true;
  return w;
}

// Types `x` beside an already typed `other`. A bare grade name beside a value of
// unknown type (a define parameter before any call, or an error already reported)
// cannot be resolved yet, and is left quiet.
Type Checker::type_beside(Expr& x, const Expr& other, const Scope& s) {
  if (other.type == Type::Error && is_grade_word(x, s)) return set(x, Type::Error);
  return type(x, s, want_for(other, other.type, quote(other)));
}

Type Checker::compare(Expr& e, const Scope& s) {
  Expr& l = *e.args[0];
  Expr& r = *e.args[1];
  bool defer_l = is_grade_word(l, s) || is_lua_word(l, s);
  bool defer_r = is_grade_word(r, s) || is_lua_word(r, s);
  if (defer_l && !defer_r) {
    type(r, s);
    type_beside(l, r, s);
  } else {
    type(l, s);
    type_beside(r, l, s);
  }
  bool eq = e.op == Op::Eq || e.op == Op::Ne;
  if (!comparable(e, l, r, s, eq)) return set(e, Type::Error);
  return set(e, Type::Bool);
}

bool Checker::comparable(const Expr& whole, const Expr& l, const Expr& r, const Scope& s, bool eq_only) {
  Type a = l.type, b = r.type;
  if (a == Type::Error || b == Type::Error) return false;
  auto mismatch = [&](std::string hint) {
    error(whole.span,
          fmt::format("{} is {} and {} is {}, so they cannot be compared", quote(l), describe(a, l.scale), quote(r),
                      describe(b, r.scale)),
          std::move(hint));
    return false;
  };
  if (a == Type::Duration || b == Type::Duration)
    return mismatch("a length of time is only the period of change, improving, declining or every_year");
  if (a == Type::Grade || b == Type::Grade) {
    if (a != b) {
      const Expr& g = a == Type::Grade ? l : r;
      int sc = rs_.find(rs_.scale_index, g.scale);
      return mismatch(sc >= 0 ? fmt::format("compare a grade with a grade of {}: {}", g.scale,
                                            grade_list(*rs_.scales[sc]))
                              : "");
    }
    if (l.scale == r.scale) return true;
    int sc = rs_.find(rs_.scale_index, l.scale);
    error(whole.span,
          fmt::format("{} is graded on {} but {} is {}", quote(l), l.scale, quote(r), describe(b, r.scale)),
          sc >= 0 ? fmt::format("grades compare only within their own scale; {} has: {}", l.scale,
                                grade_list(*rs_.scales[sc]))
                  : "grades compare only within their own scale");
    return false;
  }
  if (a == Type::Bool || b == Type::Bool || a == Type::Text || b == Type::Text) {
    if (a != b) return mismatch("");
    if (eq_only) return true;
    error(whole.span,
          fmt::format("{} is {}, which has no order", quote(l), describe(a, {})),
          a == Type::Bool ? "use `is` or `is not`" : "text compares with `is`, `is not` or `in [ … ]`");
    return false;
  }
  if (a == Type::Year || b == Type::Year) {
    if (a == b) return true;
    return mismatch("write an academic year, e.g. 2018-19");
  }
  // Both numeric.
  if (reports_unit(l, r, b, s) || reports_unit(r, l, a, s)) return false;
  if (a == Type::Number || b == Type::Number || a == b) return true;
  if (pair_is(a, b, Type::Percent, Type::Points) || pair_is(a, b, Type::Score, Type::Points)) return true;
  return mismatch(compares_with(a));
}

Type Checker::between(Expr& e, const Scope& s) {
  Expr& x = *e.args[0];
  Type tx = type(x, s);
  for (size_t i = 1; i < e.args.size(); ++i) type_beside(*e.args[i], x, s);
  if (tx == Type::Error) return set(e, Type::Error);
  if (tx == Type::Grade) {
    std::string xs = quote(x).substr(1, quote(x).size() - 2);
    error(e.span, fmt::format("`between` compares numbers, but {} is {}", quote(x), describe(tx, x.scale)),
          fmt::format("for grades write: {0} at least {1} and {0} at most {2}", xs,
                      quote(*e.args[2]).substr(1, quote(*e.args[2]).size() - 2),
                      quote(*e.args[1]).substr(1, quote(*e.args[1]).size() - 2)));
    return set(e, Type::Error);
  }
  bool ok = true;
  for (size_t i = 1; i < e.args.size(); ++i) ok = comparable(*e.args[i], x, *e.args[i], s, false) && ok;
  if (!ok) return set(e, Type::Error);
  const Expr& lo = *e.args[1];
  const Expr& hi = *e.args[2];
  if (lo.kind == ExprKind::Number && hi.kind == ExprKind::Number && lo.unit == hi.unit && lo.number > hi.number) {
    error(e.span, fmt::format("the range is empty: {} is above {}", quote(lo), quote(hi)),
          "write the lower bound first: between LOW and HIGH");
    return set(e, Type::Error);
  }
  return set(e, Type::Bool);
}

Type Checker::in_list(Expr& e, const Scope& s) {
  Expr& x = *e.args[0];
  Type tx = type(x, s);
  bool ok = tx != Type::Error;
  for (size_t i = 1; i < e.args.size(); ++i) {
    Expr& el = *e.args[i];
    if (type_beside(el, x, s) == Type::Error) {
      ok = false;
      continue;
    }
    if (tx != Type::Error) ok = comparable(el, x, el, s, true) && ok;
  }
  return set(e, ok ? Type::Bool : Type::Error);
}

Type Checker::conditional(Expr& e, const Scope& s, const Want& w) {
  require_bool(*e.args[0], s, "if");
  Expr& a = *e.args[1];
  Expr& b = *e.args[2];
  Type ta = type(a, s, w);
  Want wb = w;
  if (ta == Type::Grade && wb.scale.empty()) wb = want_for(a, ta, quote(a));
  Type tb = type(b, s, wb);
  if (e.args[0]->type == Type::Error || ta == Type::Error || tb == Type::Error) return set(e, Type::Error);
  if (ta == tb && (ta != Type::Grade || a.scale == b.scale)) return set(e, ta, a.scale);
  if (is_numeric(ta) && is_numeric(tb)) {
    if (reports_unit(a, b, tb, s) || reports_unit(b, a, ta, s)) return set(e, Type::Error);
    if (ta == Type::Number) return set(e, tb);
    if (tb == Type::Number) return set(e, ta);
  }
  error(e.span,
        fmt::format("the two branches of `if` differ: {} is {} but {} is {}", quote(a), describe(ta, a.scale),
                    quote(b), describe(tb, b.scale)),
        "both branches must be the same kind of value");
  return set(e, Type::Error);
}

}  // namespace tr::check
