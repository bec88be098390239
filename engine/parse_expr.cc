// Expression actions. Operands are kept on a stack; every operator's action
// fires once its right operand is complete, so the tree is built bottom-up.
#include "parse_state.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace tr {

namespace {

ExprPtr node(ExprKind kind, Span span) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// "at   least" is written back as "at least".
std::string squeeze(const char* b, const char* e) {
  std::string s;
  for (const char* p = b; p < e; ++p) {
    if (is_blank(*p)) {
      if (!s.empty() && s.back() != ' ') s += ' ';
    } else {
      s += *p;
    }
  }
  return s;
}

Op op_of(std::string_view w) {
  if (w == "+") return Op::Add;
  if (w == "-") return Op::Sub;
  if (w == "*") return Op::Mul;
  if (w == "/") return Op::Div;
  if (w == "=" || w == "is") return Op::Eq;
  if (w == "!=" || w == "is not") return Op::Ne;
  if (w == "<" || w == "below") return Op::Lt;
  if (w == "<=" || w == "at most") return Op::Le;
  if (w == ">" || w == "above") return Op::Gt;
  return Op::Ge;  // ">=", "at least"
}

}  // namespace

void Builder::too_deep(Span where) const {
  throw SyntaxError{nullptr, nullptr,
                    "this expression is too long or nested too deeply (more than " +
                        std::to_string(kMaxExprDepth) + " levels)",
                    "split it into smaller parts with 'define'", where};
}

void Builder::push(ExprPtr e, int depth) {
  if (depth > kMaxExprDepth) too_deep(e->span);
  ex_.push_back(std::move(e));
  depth_.push_back(depth);
}

ExprPtr Builder::pop_expr() {
  if (ex_.empty()) return nullptr;  // only after an internal mismatch; never crash
  ExprPtr e = std::move(ex_.back());
  ex_.pop_back();
  depth_.pop_back();
  return e;
}

void Builder::on(T<g::year_lit>, const char* b, const char* e) {
  auto x = node(ExprKind::Year, span(b, e));
  x->number = year_of(b, e, &x->term);
  push(std::move(x), 1);
}

void Builder::on(T<g::number_lit>, const char* b, const char* e) {
  auto x = node(ExprKind::Number, span(b, e));
  const char* p = b;
  while (p < e && ((*p >= '0' && *p <= '9') || *p == '.')) ++p;
  auto [end, ec] = std::from_chars(b, p, x->number);
  if (ec != std::errc() || end != p) error(b, p, "'" + std::string(b, p) + "' is not a number I can read");
  while (p < e && is_blank(*p)) ++p;
  std::string_view u(p, static_cast<size_t>(e - p));
  if (u == "%") x->unit = Unit::Percent;
  else if (u.starts_with("point")) x->unit = Unit::Points;
  else if (u.starts_with("year")) x->unit = Unit::Years;
  else if (u.starts_with("term")) x->unit = Unit::Terms;
  else if (u.starts_with("week")) x->unit = Unit::Weeks;
  push(std::move(x), 1);
}

void Builder::on(T<g::string_lit>, const char* b, const char* e) {
  auto x = node(ExprKind::String, span(b, e));
  x->text = unquote(b, e);
  push(std::move(x), 1);
}

void Builder::on(T<g::ident>, const char* b, const char* e) {
  auto x = node(ExprKind::Ident, span(b, e));
  x->text.assign(b, e);
  push(std::move(x), 1);
}

void Builder::on(T<g::call_open>, const char*, const char*) { marks_.push_back(ex_.size()); }

void Builder::on(T<g::call_args>, const char*, const char* e) {
  size_t mark = marks_.back();
  marks_.pop_back();
  if (mark == 0 || mark > ex_.size()) return;
  Expr& callee = *ex_[mark - 1];
  int depth = 1;
  for (size_t i = mark; i < ex_.size(); ++i) {
    depth = std::max(depth, depth_[i] + 1);
    callee.args.push_back(std::move(ex_[i]));
  }
  ex_.resize(mark);
  depth_.resize(mark);
  callee.kind = ExprKind::Call;
  callee.span.end = pos(e);
  depth_[mark - 1] = depth;
  if (depth > kMaxExprDepth) too_deep(callee.span);
}

void Builder::on(T<g::paren>, const char* b, const char* e) {
  // The brackets belong to the operand's span so that `(a + b) * c` underlines from '('.
  if (!ex_.empty()) ex_.back()->span = span(b, e);
}

void Builder::on(T<g::stray_list>, const char* b, const char*) {
  fail(b, b + 1, "a list in [ ] can only follow 'in', as in: teaching in [good, outstanding]");
}

void Builder::on(T<g::member_name>, const char* b, const char* e) {
  int d = depth_.back();
  ExprPtr inner = pop_expr();
  auto x = node(ExprKind::Member, {inner->span.begin, pos(e)});
  x->text.assign(b, e);
  x->args.push_back(std::move(inner));
  push(std::move(x), d + 1);
}

void Builder::make_neg(const char* b, const char*) {
  int d = depth_.back();
  ExprPtr inner = pop_expr();
  Pos minus = pos(b);
  // `-2.5` is a negative number, not an operation, when the digits follow at once.
  if (inner->kind == ExprKind::Number && inner->span.begin.line == minus.line &&
      inner->span.begin.col == minus.col + 1) {
    inner->number = -inner->number;
    inner->span.begin = minus;
    push(std::move(inner), d);
    return;
  }
  auto x = node(ExprKind::Unary, {minus, inner->span.end});
  x->op = Op::Neg;
  x->written = "-";
  x->args.push_back(std::move(inner));
  push(std::move(x), d + 1);
}

void Builder::make_not(const char* b) {
  int d = depth_.back();
  ExprPtr inner = pop_expr();
  auto x = node(ExprKind::Unary, {pos(b), inner->span.end});
  x->op = Op::Not;
  x->written = "not";
  x->args.push_back(std::move(inner));
  push(std::move(x), d + 1);
}

void Builder::push_op(const char* b, const char* e) {
  std::string w = squeeze(b, e);
  Op op = op_of(w);
  ops_.emplace_back(op, std::move(w));
}

void Builder::make_binary_op() {
  auto [op, written] = std::move(ops_.back());
  ops_.pop_back();
  make_binary(op, std::move(written));
}

void Builder::make_binary(Op op, std::string written) {
  int d = std::max(depth_[depth_.size() - 1], depth_[depth_.size() - 2]);
  ExprPtr r = pop_expr();
  ExprPtr l = pop_expr();
  auto x = node(ExprKind::Binary, {l->span.begin, r->span.end});
  x->op = op;
  x->written = std::move(written);
  x->args.push_back(std::move(l));
  x->args.push_back(std::move(r));
  push(std::move(x), d + 1);
}

void Builder::make_between(const char*) {
  size_t n = depth_.size();
  int d = std::max({depth_[n - 1], depth_[n - 2], depth_[n - 3]});
  ExprPtr hi = pop_expr();
  ExprPtr lo = pop_expr();
  ExprPtr x = pop_expr();
  auto y = node(ExprKind::Between, {x->span.begin, hi->span.end});
  y->written = "between";
  y->args.push_back(std::move(x));
  y->args.push_back(std::move(lo));
  y->args.push_back(std::move(hi));
  push(std::move(y), d + 1);
}

void Builder::make_in(const char* e) {
  size_t mark = marks_.back();
  marks_.pop_back();
  if (mark == 0 || mark > ex_.size()) return;
  auto y = node(ExprKind::In, {ex_[mark - 1]->span.begin, pos(e)});
  y->written = "in";
  int d = depth_[mark - 1];
  for (size_t i = mark - 1; i < ex_.size(); ++i) {
    d = std::max(d, depth_[i]);
    y->args.push_back(std::move(ex_[i]));
  }
  ex_.resize(mark - 1);
  depth_.resize(mark - 1);
  push(std::move(y), d + 1);
}

void Builder::make_if(const char* b, const char* e) {
  size_t n = depth_.size();
  int d = std::max({depth_[n - 1], depth_[n - 2], depth_[n - 3]});
  ExprPtr no = pop_expr();
  ExprPtr yes = pop_expr();
  ExprPtr cond = pop_expr();
  auto x = node(ExprKind::If, span(b, e));
  x->written = "if";
  x->args.push_back(std::move(cond));
  x->args.push_back(std::move(yes));
  x->args.push_back(std::move(no));
  push(std::move(x), d + 1);
}

}  // namespace tr
