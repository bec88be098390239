// Actions for `test`: given school data and the expected outcomes.
#include "parse_state.h"

namespace tr {

namespace {

// `SUPP`, `NE`, `LOWCOV`: a given value written in capitals is a missing-value
// code, while lower-case identifiers are grades or yes/no.
bool is_code(const Expr& e) {
  if (e.kind != ExprKind::Ident) return false;
  bool letter = false;
  for (char c : e.text) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') letter = true;
  }
  return letter;
}

bool is_comparison(const Expr& e) {
  if (e.kind == ExprKind::Between || e.kind == ExprKind::In) return true;
  return e.kind == ExprKind::Binary && e.op >= Op::Eq && e.op <= Op::Ge;
}

}  // namespace

void Builder::on(T<g::test_label>, const char* b, const char* e) { test_.label = unquote(b, e); }

void Builder::on(T<g::as_of_period>, const char* b, const char* e) {
  auto x = std::make_unique<Expr>();
  x->kind = ExprKind::Year;
  x->span = span(b, e);
  x->number = year_of(b, e, &x->term);
  test_.as_of = std::move(x);
}

void Builder::on(T<g::urn>, const char* b, const char* e) {
  given_ = {};
  given_.urn.assign(b, e);
}
void Builder::on(T<g::given_name>, const char* b, const char* e) { given_.name = unquote(b, e); }
void Builder::on(T<g::given_phase>, const char* b, const char* e) { given_.phase = unquote(b, e); }
void Builder::on(T<g::given_type>, const char* b, const char* e) { given_.type = unquote(b, e); }

void Builder::on(T<g::given_benchmark>, const char* b, const char* e) { given_value_.benchmark = name(b, e); }

void Builder::on(T<g::given_path>, const char* b, const char* e) {
  if (!parts_.empty()) given_value_.metric = parts_[0];
  if (parts_.size() == 2) {
    if (parts_[1].text == "lower" || parts_[1].text == "upper") given_value_.bound = parts_[1];
    else given_value_.group = parts_[1];
  } else if (parts_.size() == 3) {
    given_value_.group = parts_[1];
    given_value_.bound = parts_[2];
  }
  parts_.clear();
  (void)b, (void)e;
}

void Builder::on(T<g::given_period>, const char* b, const char* e) {
  auto x = std::make_unique<Expr>();
  x->kind = ExprKind::Year;
  x->span = span(b, e);
  x->number = year_of(b, e, &x->term);
  given_value_.period = std::move(x);
}

void Builder::on(T<g::given_value>, const char* b, const char* e) {
  ExprPtr v = pop_expr();
  if (v && is_code(*v)) given_value_.code = v->text;
  else given_value_.value = std::move(v);
  given_value_.span = span(b, e);
  given_.values.push_back(std::move(given_value_));
  given_value_ = {};
}

void Builder::on(T<g::t_given>, const char* b, const char* e) {
  given_.span = span(b, e);
  test_.schools.push_back(std::move(given_));
  given_ = {};
}

void Builder::on(T<g::expect_urn>, const char* b, const char* e) { expect_.urn.assign(b, e); }
void Builder::on(T<g::expect_tier_number>, const char* b, const char* e) { expect_.tier = small_number(b, e); }
void Builder::on(T<g::expect_tier>, const char*, const char*) { expect_.kind = ExpectKind::Tier; }
void Builder::on(T<g::expect_rule>, const char* b, const char* e) { expect_.rule = name(b, e); }

void Builder::on(T<g::status_word>, const char* b, const char* e) {
  std::string_view w(b, static_cast<size_t>(e - b));
  if (w.starts_with("not") && w.ends_with("met")) status_ = Status::NotMet;
  else if (w.starts_with("not")) status_ = Status::NotApplicable;
  else if (w == "met") status_ = Status::Met;
  else status_ = Status::Unknown;
}

void Builder::on(T<g::expect_status>, const char*, const char*) {
  expect_.kind = ExpectKind::Status;
  expect_.status = status_;
}

void Builder::on(T<g::expect_value>, const char* b, const char* e) {
  // The whole comparison is kept: args[0] is what is computed, args[1] the expected value.
  expect_.kind = ExpectKind::Value;
  expect_.rule = {};
  expect_.value = pop_expr();
  if (!expect_.value) return;
  if (!is_comparison(*expect_.value)) {
    error(b, e, "expected 'tier N', a rule and its status (met, not met, unknown, not applicable), "
                "or a value to compare after 'expect'",
          "for example: expect tier 4, expect attendance_floor not met, expect gap(rwm_expected) = 5 points");
    return;
  }
  const Expr& lhs = *expect_.value->args[0];
  if (lhs.kind == ExprKind::Ident || lhs.kind == ExprKind::Call) {
    Pos begin = lhs.span.begin;
    Pos end = begin;
    end.col += static_cast<uint32_t>(lhs.text.size());
    expect_.rule = {lhs.text, {begin, end}};
  }
}

void Builder::on(T<g::t_expect>, const char* b, const char* e) {
  expect_.span = span(b, e);
  test_.expects.push_back(std::move(expect_));
  expect_ = {};
}

void Builder::on(T<g::test_decl>, const char* b, const char* e) { finish(test_, b, e); }

}  // namespace tr
