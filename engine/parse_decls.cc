// Actions for the small declarations: header, include, use lua, scale, metric,
// benchmark, param, define, standard/floor and kpi.
#include "parse_state.h"

namespace tr {

// ---- header, include, use lua ----------------------------------------------

void Builder::on(T<g::header_name>, const char* b, const char* e) { header_.name = unquote(b, e); }
void Builder::on(T<g::header_version>, const char* b, const char* e) { header_.version = unquote(b, e); }

void Builder::on(T<g::header_year>, const char* b, const char* e) {
  int y = year_of(b, e);
  if (y == 0) return;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d-%02d", y, (y + 1) % 100);
  header_.year = buf;
}

void Builder::on(T<g::header>, const char* b, const char* e) {
  header_.span = span(b, e);
  if (out_.header)
    error(b, b + 7, "this file already has a ruleset header (line " +
                        std::to_string(out_.header->span.begin.line) + ")",
          "a file has at most one 'ruleset' line");
  else
    out_.header = std::move(header_);
  header_ = {};
}

// The path is kept until the whole declaration has matched, so that a broken
// include never leaves an Include without its span behind.
void Builder::on(T<g::include_path>, const char* b, const char* e) { path_ = unquote(b, e); }

void Builder::on(T<g::include_decl>, const char* b, const char* e) {
  out_.decls.push_back(Include{std::move(path_), span(b, e)});
  path_.clear();
}

void Builder::on(T<g::lua_path>, const char* b, const char* e) { path_ = unquote(b, e); }

void Builder::on(T<g::use_decl>, const char* b, const char* e) {
  out_.decls.push_back(UseLua{std::move(path_), span(b, e)});
  path_.clear();
}

// ---- scale -----------------------------------------------------------------

void Builder::on(T<g::scale_id>, const char* b, const char* e) { scale_.id = name(b, e); }
void Builder::on(T<g::scale_label>, const char* b, const char* e) { scale_.label = unquote(b, e); }
void Builder::on(T<g::grade_id>, const char* b, const char* e) {
  grade_ = {};
  grade_.id = name(b, e);
}
void Builder::on(T<g::grade_label>, const char* b, const char* e) { grade_.label = unquote(b, e); }
void Builder::on(T<g::grade_item>, const char* b, const char* e) {
  grade_.span = span(b, e);
  scale_.grades.push_back(std::move(grade_));
  grade_ = {};
}
void Builder::on(T<g::scale_decl>, const char* b, const char* e) { finish(scale_, b, e); }

// ---- metric ----------------------------------------------------------------

void Builder::on(T<g::metric_id>, const char* b, const char* e) { metric_.id = name(b, e); }
void Builder::on(T<g::metric_label>, const char* b, const char* e) { metric_.label = unquote(b, e); }
void Builder::on(T<g::metric_scale>, const char* b, const char* e) { metric_.scale = name(b, e); }

void Builder::on(T<g::type_value>, const char* b, const char* e) {
  std::string_view w(b, static_cast<size_t>(e - b));
  if (w.starts_with("grade")) metric_.type = MetricType::Grade;
  else if (w == "percent") metric_.type = MetricType::Percent;
  else if (w == "score") metric_.type = MetricType::Score;
  else if (w == "count") metric_.type = MetricType::Count;
  else if (w == "rate") metric_.type = MetricType::Rate;
  else if (w == "number") metric_.type = MetricType::Number;
  else metric_.type = MetricType::YesNo;
}

void Builder::on(T<g::better_value>, const char* b, const char*) {
  better_ = *b == 'h' ? Direction::Higher : Direction::Lower;
}
void Builder::on(T<g::m_better>, const char*, const char*) { metric_.better = better_; }
void Builder::on(T<g::group_name>, const char* b, const char* e) { metric_.groups.push_back(name(b, e)); }
void Builder::on(T<g::cadence_value>, const char* b, const char*) {
  metric_.cadence = *b == 'a' ? Cadence::Annual : Cadence::Termly;
}
void Builder::on(T<g::m_confidence>, const char*, const char*) { metric_.confidence = true; }
void Builder::on(T<g::valid_count>, const char* b, const char* e) { metric_.valid_for = small_number(b, e); }
void Builder::on(T<g::valid_unit>, const char* b, const char*) { metric_.valid_for_terms = *b == 't'; }
void Builder::on(T<g::m_valid>, const char* b, const char* e) { metric_.valid_for_span = span(b, e); }
void Builder::on(T<g::metric_item>, const char* b, const char* e) { metric_.item_spans.push_back(span(b, e)); }
void Builder::on(T<g::metric_decl>, const char* b, const char* e) { finish(metric_, b, e); }

// ---- benchmark -------------------------------------------------------------

void Builder::on(T<g::benchmark_id>, const char* b, const char* e) { bench_.id = name(b, e); }
void Builder::on(T<g::benchmark_label>, const char* b, const char* e) { bench_.label = unquote(b, e); }
void Builder::on(T<g::binding_part>, const char* b, const char* e) { parts_.push_back(name(b, e)); }
void Builder::on(T<g::bench_year>, const char* b, const char* e) { bench_year_ = year_of(b, e); }

void Builder::on(T<g::bench_amount>, const char* b, const char* e) {
  BenchmarkValue::PerYear v;
  v.value = pop_expr();
  v.year = bench_year_;
  v.span = span(b, e);
  bench_value_.values.push_back(std::move(v));
  bench_year_ = 0;
}

void Builder::on(T<g::bench_value>, const char* b, const char* e) {
  if (!parts_.empty()) bench_value_.metric = parts_[0];
  if (parts_.size() > 1) bench_value_.group = parts_[1];
  if (parts_.size() > 2)
    error(b, e, "a benchmark value names a metric and at most one group, such as rwm_expected.disadvantaged");
  parts_.clear();
  bench_value_.span = span(b, e);
  bench_.values.push_back(std::move(bench_value_));
  bench_value_ = {};
}

void Builder::on(T<g::benchmark_decl>, const char* b, const char* e) { finish(bench_, b, e); }

// ---- param, define ---------------------------------------------------------

void Builder::on(T<g::param_id>, const char* b, const char* e) { param_.id = name(b, e); }
void Builder::on(T<g::param_label>, const char* b, const char* e) { param_.label = unquote(b, e); }
void Builder::on(T<g::param_decl>, const char* b, const char* e) {
  param_.value = pop_expr();
  finish(param_, b, e);
}

void Builder::on(T<g::define_id>, const char* b, const char* e) { define_.id = name(b, e); }
void Builder::on(T<g::define_params>, const char*, const char*) { define_.has_parens = true; }
void Builder::on(T<g::define_param>, const char* b, const char* e) { define_.params.push_back(name(b, e)); }
void Builder::on(T<g::define_label>, const char* b, const char* e) { define_.label = unquote(b, e); }
void Builder::on(T<g::define_decl>, const char* b, const char* e) {
  define_.body = pop_expr();
  finish(define_, b, e);
}

// ---- standard, floor -------------------------------------------------------

void Builder::on(T<g::standard_kw>, const char*, const char*) {
  rule_ = {};
  rule_.kind = RuleKind::Standard;
}
void Builder::on(T<g::floor_kw>, const char*, const char*) {
  rule_ = {};
  rule_.kind = RuleKind::Floor;
}
void Builder::on(T<g::rule_id>, const char* b, const char* e) { rule_.id = name(b, e); }
void Builder::on(T<g::rule_label>, const char* b, const char* e) { rule_.label = unquote(b, e); }

void Builder::on(T<g::r_applies>, const char* b, const char* e) {
  if (rule_.applies) error(b, e, "this rule already says when it applies", "combine the conditions with 'and'");
  rule_.applies = pop_expr();
}

void Builder::on(T<g::met_when>, const char* b, const char* e) {
  if (rule_.met || !rule_.lua_function.text.empty())
    error(b, e, "this rule already says when it is met", "combine the conditions with 'and'");
  rule_.met = pop_expr();
}

void Builder::on(T<g::lua_function>, const char* b, const char* e) {
  if (rule_.met || !rule_.lua_function.text.empty())
    error(b, e, "this rule already says when it is met");
  rule_.lua_function = {unquote(b, e), span(b, e)};
}

void Builder::on(T<g::breach_tier>, const char* b, const char* e) { rule_.breach_tier = small_number(b, e); }

void Builder::on(T<g::r_breach>, const char* b, const char* e) {
  rule_.breach_span = span(b, e);
  if (rule_.kind == RuleKind::Standard)
    error(b, e, "only a floor can move a school's tier on breach",
          "a standard is an aim; declare this rule with 'floor' if a breach should change the tier");
}

void Builder::on(T<g::rule_item>, const char* b, const char* e) { rule_.item_spans.push_back(span(b, e)); }
void Builder::on(T<g::rule_decl>, const char* b, const char* e) { finish(rule_, b, e); }

// ---- kpi -------------------------------------------------------------------

void Builder::on(T<g::kpi_id>, const char* b, const char* e) { kpi_.id = name(b, e); }
void Builder::on(T<g::kpi_label>, const char* b, const char* e) { kpi_.label = unquote(b, e); }
void Builder::on(T<g::k_value>, const char*, const char*) { kpi_.value = pop_expr(); }
void Builder::on(T<g::k_better>, const char*, const char*) { kpi_.better = better_; }
void Builder::on(T<g::k_met>, const char*, const char*) { kpi_.met = pop_expr(); }
void Builder::on(T<g::kpi_item>, const char* b, const char* e) { kpi_.item_spans.push_back(span(b, e)); }
void Builder::on(T<g::kpi_decl>, const char* b, const char* e) { finish(kpi_, b, e); }

}  // namespace tr
