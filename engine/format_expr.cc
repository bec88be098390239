// Expressions, numbers, labels and years as `fmt` prints them.
//
// The AST keeps no parenthesis nodes, so parentheses come from two places: those the
// grammar needs to read the same tree back (derived from precedence), and those the
// author wrote, which the parser records by widening an operand's span over its
// brackets. Author's parentheses are kept because they are often there for the
// reader (`(a and b) or (c and d)`); needed ones are added. Number literals keep
// their written digits (`1.0` stays `1.0`) when the source is at hand.
#include "format.h"
#include "format_internal.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace tr {
namespace {

// Binding strength, loosest first; mirrors grammar/expr.hpp.
enum Prec : int {
  kIf = 0,       // if … then … else …   (the else branch runs to the end)
  kOr = 1,
  kAnd = 2,
  kNot = 3,      // not x
  kCompare = 4,  // = != < <= > >= and the readable words, between, in; not chainable
  kAdd = 5,
  kMul = 6,
  kNeg = 7,      // -x
  kAtom = 8,     // literals, names, calls, members, (…)
};

int prec_of(const Expr& e) {
  switch (e.kind) {
    case ExprKind::If: return kIf;
    case ExprKind::Between:
    case ExprKind::In: return kCompare;
    case ExprKind::Unary: return e.op == Op::Not ? kNot : kNeg;
    case ExprKind::Binary:
      switch (e.op) {
        case Op::Or: return kOr;
        case Op::And: return kAnd;
        case Op::Add:
        case Op::Sub: return kAdd;
        case Op::Mul:
        case Op::Div: return kMul;
        default: return kCompare;
      }
    case ExprKind::Number:
      // A negative literal reads like a negation: `(-2).x` needs parentheses.
      return e.number < 0 ? kNeg : kAtom;
    default: return kAtom;
  }
}

const char* op_symbol(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Neg: return "-";
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

bool is_comparison(Op op) {
  return op == Op::Eq || op == Op::Ne || op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
}

// Collapses runs of whitespace so that `at  least` prints as `at least`.
std::string squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

size_t width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

const char* unit_word(Unit unit, bool one) {
  switch (unit) {
    case Unit::None: return "";
    case Unit::Percent: return "%";
    case Unit::Points: return one ? " point" : " points";
    case Unit::Years: return one ? " year" : " years";
    case Unit::Terms: return one ? " term" : " terms";
    case Unit::Weeks: return one ? " week" : " weeks";
  }
  return "";
}

class Printer {
 public:
  explicit Printer(const SourceFiles* files) : files_(files) {}

  std::string text(const Expr& e, int min_prec) {
    std::string s;
    print(e, min_prec, s);
    return s;
  }

  // Lines of at most `room` characters where the grammar lets a line break: after
  // each `or` (else `and`) of a chain, after `then` and before `else`, and between
  // the arguments of a call. Continuation lines carry their extra indentation.
  // Anything else that is too long stays on one line.
  std::vector<std::string> lines(const Expr& e, size_t room) { return lines_at(e, kIf, room); }

 private:
  using Lines = std::vector<std::string>;

  static Lines indented(Lines ls) {
    for (auto& l : ls) l = "  " + l;
    return ls;
  }

  static void append(Lines& out, Lines more) {
    for (auto& l : more) out.push_back(std::move(l));
  }

  static size_t less(size_t room, size_t by) { return room > by + 10 ? room - by : 10; }

  Lines lines_at(const Expr& e, int min_prec, size_t room) {
    std::string one = text(e, min_prec);
    if (width(one) <= room) return {one};
    if (prec_of(e) < min_prec || user_parens(e)) {
      // Inside brackets any break is allowed: break the inside, then bracket it.
      Lines in = lines_inner(e, less(room, 2));
      in.front() = "(" + in.front();
      for (size_t i = 1; i < in.size(); ++i) in[i] = "  " + in[i];
      in.back() += ")";
      return in;
    }
    return lines_inner(e, room);
  }

  Lines lines_inner(const Expr& e, size_t room) {
    auto arg = [&](size_t i) -> const Expr* { return i < e.args.size() ? e.args[i].get() : nullptr; };
    if (e.kind == ExprKind::If && arg(0) && arg(1) && arg(2)) {
      Lines out;
      std::string head = "if " + text(*arg(0), kOr) + " then";
      std::string yes = text(*arg(1), kOr);
      if (width(head) + 1 + width(yes) <= room) {
        out.push_back(head + " " + yes);
      } else {
        out.push_back(head);
        append(out, indented(lines_at(*arg(1), kOr, less(room, 2))));
      }
      // `else if` chains stay flat; any other else branch goes one level in.
      const Expr& no = *arg(2);
      if (no.kind == ExprKind::If && !user_parens(no)) {
        Lines rest = lines_at(no, kIf, less(room, 5));
        rest.front() = "else " + rest.front();
        append(out, std::move(rest));
      } else if (std::string t = text(no, kIf); width(t) + 5 <= room) {
        out.push_back("else " + t);
      } else {
        out.push_back("else");
        append(out, indented(lines_at(no, kIf, less(room, 2))));
      }
      return out;
    }
    if (e.kind == ExprKind::Binary && (e.op == Op::Or || e.op == Op::And)) {
      // `a or b or c` is ((a or b) or c): walk down the left spine to list operands.
      std::vector<const Expr*> operands;
      const Expr* x = &e;
      while (x->kind == ExprKind::Binary && x->op == e.op && x->args.size() == 2 && x->args[0] &&
             x->args[1] && (x == &e || !user_parens(*x))) {
        operands.push_back(x->args[1].get());
        x = x->args[0].get();
      }
      operands.push_back(x);
      Lines out;
      int p = prec_of(e);
      for (size_t i = operands.size(); i-- > 0;) {
        Lines part = lines_at(*operands[i], i + 1 == operands.size() ? p : p + 1, room);
        if (i) part.back() += std::string(" ") + op_symbol(e.op);
        append(out, std::move(part));
      }
      return out;
    }
    if (e.kind == ExprKind::Call && !e.args.empty()) {
      Lines out;
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (!e.args[i]) continue;
        Lines part = lines_at(*e.args[i], kIf, less(room, 2));
        if (i + 1 < e.args.size()) part.back() += ",";
        if (i == 0) {
          part.front() = e.text + "(" + part.front();
          for (size_t j = 1; j < part.size(); ++j) part[j] = "  " + part[j];
          append(out, std::move(part));
        } else {
          append(out, indented(std::move(part)));
        }
      }
      out.back() += ")";
      return out;
    }
    return {text(e, kIf)};
  }

  const SourceFiles* files_;

  // The author wrote `( … )` around exactly this expression.
  bool user_parens(const Expr& e) const {
    if (!files_ || !fmtdetail::valid(e.span)) return false;
    std::string_view from = fmtdetail::text_at(*files_, e.span.begin);
    if (from.empty() || from[0] != '(') return false;
    // Find the ')' that closes this '(' and check that it ends the span.
    const std::string& all = files_->text(e.span.begin.file);
    size_t i = static_cast<size_t>(from.data() - all.data());
    int depth = 0;
    Pos at = e.span.begin;
    for (; i < all.size(); ++i) {
      char c = all[i];
      if (c == '"') {
        for (++i; i < all.size() && all[i] != '"' && all[i] != '\n'; ++i)
          if (all[i] == '\\') ++i;
      } else if (c == '#') {
        while (i + 1 < all.size() && all[i + 1] != '\n') ++i;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && --depth == 0) {
        at = files_->pos(e.span.begin.file, i + 1);
        break;
      }
    }
    return depth == 0 && at.line == e.span.end.line && at.col == e.span.end.col;
  }

  // The literal's digits as written, when they are there and say the same number.
  std::string written_number(const Expr& e) const {
    if (!files_ || !fmtdetail::valid(e.span)) return {};
    std::string_view t = fmtdetail::text_at(*files_, e.span.begin);
    size_t n = t.size() > 0 && t[0] == '-' ? 1 : 0;
    size_t digits_from = n;
    while (n < t.size() && ((t[n] >= '0' && t[n] <= '9') || t[n] == '.')) ++n;
    if (n == digits_from) return {};
    std::string s(t.substr(0, n));
    double v = 0;
    auto res = std::from_chars(s.data() + digits_from, s.data() + s.size(), v);
    if (res.ec != std::errc() || res.ptr != s.data() + s.size()) return {};
    if (digits_from) v = -v;
    if (v != e.number) return {};
    // Leading zeros say nothing: `007` is `7`, `0.5` stays.
    while (s.size() > digits_from + 1 && s[digits_from] == '0' && s[digits_from + 1] != '.')
      s.erase(digits_from, 1);
    return s;
  }

  void print(const Expr& e, int min_prec, std::string& out) {
    bool parens = prec_of(e) < min_prec || user_parens(e);
    if (parens) out += '(';
    print_inner(e, out);
    if (parens) out += ')';
  }

  void print_list(const std::vector<ExprPtr>& args, size_t from, std::string& out) {
    for (size_t i = from; i < args.size(); ++i) {
      if (i > from) out += ", ";
      if (args[i]) print(*args[i], kIf, out);
    }
  }

  void print_inner(const Expr& e, std::string& out) {
    auto arg = [&](size_t i, int p) {
      if (i < e.args.size() && e.args[i]) print(*e.args[i], p, out);
    };
    switch (e.kind) {
      case ExprKind::Number: {
        std::string digits = written_number(e);
        if (digits.empty()) {
          out += format_number(e.number, e.unit);
        } else {
          out += digits;
          out += unit_word(e.unit, digits == "1" || digits == "-1");
        }
        return;
      }
      case ExprKind::String: out += quote_label(e.text); return;
      case ExprKind::Year: out += format_year(static_cast<int>(e.number), e.term); return;
      case ExprKind::Ident: out += e.text; return;
      case ExprKind::Member:
        arg(0, kAtom);
        out += '.';
        out += e.text;
        return;
      case ExprKind::Call:
        out += e.text;
        out += '(';
        print_list(e.args, 0, out);
        out += ')';
        return;
      case ExprKind::Unary:
        if (e.op == Op::Not) {
          out += "not ";
          arg(0, kNot);
        } else {
          // The parser reads `-2` (and `-(2)`) as the number -2, so a negated
          // number keeps a space: `- 2` reads back as the negation it is.
          out += '-';
          if (!e.args.empty() && e.args[0] && e.args[0]->kind == ExprKind::Number) out += ' ';
          arg(0, kNeg);
        }
        return;
      case ExprKind::Binary: {
        int p = prec_of(e);
        bool cmp = is_comparison(e.op);
        // Arithmetic and logic chain to the left, so the left side may stay bare at
        // the same level; comparisons do not chain, so neither side may.
        arg(0, cmp ? p + 1 : p);
        out += ' ';
        out += cmp && !e.written.empty() ? squeeze(e.written) : op_symbol(e.op);
        out += ' ';
        arg(1, p + 1);
        return;
      }
      case ExprKind::Between:
        arg(0, kAdd);
        out += " between ";
        arg(1, kAdd);
        out += " and ";
        arg(2, kAdd);
        return;
      case ExprKind::In:
        arg(0, kAdd);
        out += " in [";
        print_list(e.args, 1, out);
        out += ']';
        return;
      case ExprKind::If:
        out += "if ";
        arg(0, kOr);
        out += " then ";
        arg(1, kOr);
        out += " else ";
        arg(2, kIf);
        return;
    }
  }
};

}  // namespace

std::string format_expr(const Expr& e) { return Printer(nullptr).text(e, kIf); }

namespace fmtdetail {
std::string format_expr_src(const Expr& e, const SourceFiles& files) { return Printer(&files).text(e, kIf); }
std::string format_additive(const Expr& e, const SourceFiles& files) { return Printer(&files).text(e, kAdd); }
std::vector<std::string> format_expr_lines(const Expr& e, const SourceFiles& files, size_t room) {
  return Printer(&files).lines(e, room);
}
}  // namespace fmtdetail

std::string format_number(double value, Unit unit) {
  // Shortest text that reads back as the same double, never in exponent form
  // (the language has no exponents).
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
  std::string s = res.ec == std::errc() ? std::string(buf, res.ptr) : std::to_string(value);
  if (s == "-0") s = "0";
  return s + unit_word(unit, std::fabs(value) == 1);
}

std::string quote_label(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string format_year(int start_year, uint8_t term) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d-%02d", start_year, (start_year + 1) % 100);
  std::string s = buf;
  static const char* const kTerms[] = {"", " autumn", " spring", " summer"};
  if (term >= 1 && term <= 3) s += kTerms[term];
  return s;
}

}  // namespace tr
