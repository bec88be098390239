// Actions for `source`: how a data file's columns map to metrics.
#include "parse_state.h"

namespace tr {

void Builder::on(T<g::source_id>, const char* b, const char* e) { source_.id = name(b, e); }
void Builder::on(T<g::source_label>, const char* b, const char* e) { source_.label = unquote(b, e); }
void Builder::on(T<g::role_value>, const char* b, const char*) {
  source_.role = *b == 'o' ? SourceRole::Overrides : SourceRole::Data;
}
void Builder::on(T<g::file_glob>, const char* b, const char* e) { source_.files.push_back(unquote(b, e)); }
void Builder::on(T<g::key_column>, const char* b, const char* e) { source_.key = column(b, e); }

void Builder::on(T<g::period_year>, const char* b, const char* e) {
  source_.period.from = PeriodFrom::Fixed;
  source_.period.year = year_of(b, e, &source_.period.term);
}
void Builder::on(T<g::year_column>, const char* b, const char* e) { source_.period.column = column(b, e); }
void Builder::on(T<g::term_column>, const char* b, const char* e) { source_.period.term_column = column(b, e); }
void Builder::on(T<g::from_file>, const char*, const char*) { source_.period.from = PeriodFrom::FileName; }
void Builder::on(T<g::from_column>, const char*, const char*) { source_.period.from = PeriodFrom::Column; }
void Builder::on(T<g::from_columns>, const char*, const char*) { source_.period.from = PeriodFrom::Columns; }
void Builder::on(T<g::s_period>, const char* b, const char* e) { source_.period.span = span(b, e); }

void Builder::on(T<g::attr_name>, const char* b, const char* e) {
  school_attr_ = {};
  school_attr_.attr = name(b, e);
}
void Builder::on(T<g::from_rows>, const char*, const char*) { school_attr_.from_rows = true; }
void Builder::on(T<g::attr_column>, const char* b, const char* e) { school_attr_.column = column(b, e); }
void Builder::on(T<g::s_school>, const char* b, const char* e) {
  school_attr_.span = span(b, e);
  source_.attrs.push_back(std::move(school_attr_));
  school_attr_ = {};
}

void Builder::on(T<g::rows_column>, const char* b, const char* e) { source_.rows_column = column(b, e); }

void Builder::on(T<g::row_value>, const char* b, const char* e) {
  row_ = {};
  if (std::string_view(b, static_cast<size_t>(e - b)) == "else") row_.is_else = true;
  else row_.value = *b == '"' ? unquote(b, e) : std::string(b, e);
}
void Builder::on(T<g::row_school_type>, const char* b, const char* e) { row_.school_type = unquote(b, e); }
void Builder::on(T<g::row_school>, const char*, const char*) { row_.kind = RowKindTag::School; }
void Builder::on(T<g::row_skip>, const char*, const char*) { row_.kind = RowKindTag::Skip; }
void Builder::on(T<g::row_benchmark>, const char* b, const char* e) {
  row_.kind = RowKindTag::Benchmark;
  row_.benchmark = name(b, e);
}
void Builder::on(T<g::row_phase_column>, const char* b, const char* e) { row_.phase_column = column(b, e); }
void Builder::on(T<g::row_rule>, const char* b, const char* e) {
  row_.span = span(b, e);
  source_.rows.push_back(std::move(row_));
  row_ = {};
}

void Builder::on(T<g::missing_code>, const char* b, const char* e) {
  missing_ = {};
  std::string_view w(b, static_cast<size_t>(e - b));
  // `blank` stands for an empty cell, stored as the empty code.
  if (w != "blank") missing_.code = *b == '"' ? unquote(b, e) : std::string(w);
}
void Builder::on(T<g::missing_reason>, const char* b, const char* e) { missing_.reason = unquote(b, e); }
void Builder::on(T<g::missing_item>, const char* b, const char* e) {
  missing_.span = span(b, e);
  source_.missing.push_back(std::move(missing_));
  missing_ = {};
}

void Builder::on(T<g::s_bad_values>, const char*, const char*) { source_.bad_values_warn = true; }

void Builder::on(T<g::binding_column>, const char* b, const char* e) { columns_.push_back(column(b, e)); }

void Builder::on(T<g::binding>, const char* b, const char* e) {
  ColumnBinding c;
  // One suffix is a group unless it is a confidence bound; two are group then bound.
  if (!parts_.empty()) c.metric = parts_[0];
  if (parts_.size() == 2) {
    if (parts_[1].text == "lower" || parts_[1].text == "upper") c.bound = parts_[1];
    else c.group = parts_[1];
  } else if (parts_.size() == 3) {
    c.group = parts_[1];
    c.bound = parts_[2];
  }
  parts_.clear();
  c.columns = std::move(columns_);
  columns_.clear();
  c.span = span(b, e);
  source_.columns.push_back(std::move(c));
}

void Builder::on(T<g::source_item>, const char* b, const char* e) { source_.item_spans.push_back(span(b, e)); }
void Builder::on(T<g::source_decl>, const char* b, const char* e) { finish(source_, b, e); }

}  // namespace tr
