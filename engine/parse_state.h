// The parser's state while it reads one file. The grammar's actions call
// Builder::on(T<Rule>, begin, end) for the rules that build something; each
// overload lives with its concern (parse_expr.cc, parse_decls.cc,
// parse_source.cc, parse_tiers.cc, parse_tests.cc). T<Rule> is an empty tag so
// that a rule derived from another never fires its base's handler.
#pragma once

#include "ast.h"
#include "diagnostics.h"
#include "grammar/trustrules.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace tr {

namespace g = grammar;
template <class Rule> struct T {};

// A syntax error that stops the parse; the driver records it and resyncs.
struct SyntaxError {
  const char* at;
  const char* end;  // end of the offending text (== at for a point)
  std::string message;
  std::string hint;
  Span span{};  // used instead of at/end when at is null
};

enum class BlockKind : uint8_t {
  Scale, Metric, Source, Rows, Missing, Columns, Benchmark, Rule, Tiers, Tier, Kpi, Test, Given,
};

// Expressions deeper than this are refused: it keeps the parser's and every
// later phase's recursion well inside the stack.
constexpr int kMaxNesting = 64;
constexpr int kMaxExprDepth = 256;
constexpr size_t kPosBlock = 64;

class Builder {
 public:
  Builder(const SourceFiles& files, uint32_t file, File& out, Diagnostics& diags);

  // ---- positions and text ----
  // Same result as SourceFiles::pos, in time independent of the line's length
  // (a file that is one enormous line must not make parsing quadratic).
  Pos pos(const char* p) const;
  Span span(const char* b, const char* e) const { return {pos(b), pos(e)}; }
  Name name(const char* b, const char* e) const { return {std::string(b, e), span(b, e)}; }
  // A column header written bare or in quotes.
  Name column(const char* b, const char* e) const;
  static std::string unquote(const char* b, const char* e);
  const char* text_begin() const { return base_; }
  const char* text_end() const { return end_; }
  void error(const char* b, const char* e, std::string msg, std::string hint = {});
  [[noreturn]] void fail(const char* b, const char* e, std::string msg, std::string hint = {}) const;

  // Forgets everything half-built; called before parsing resumes after an error.
  void reset();

  void on(T<g::open_quote>, const char* b, const char*) { quote_ = b; }
  const char* quote() const { return quote_; }  // the last label's opening quote

  // ---- nesting (driven by the control class) ----
  void enter(const char* at);
  void leave() { --nesting_; }

  // ---- expressions: parse_expr.cc ----
  void on(T<g::year_lit>, const char* b, const char* e);
  void on(T<g::number_lit>, const char* b, const char* e);
  void on(T<g::string_lit>, const char* b, const char* e);
  void on(T<g::ident>, const char* b, const char* e);
  void on(T<g::call_open>, const char* b, const char* e);
  void on(T<g::call_args>, const char* b, const char* e);
  void on(T<g::paren>, const char* b, const char* e);
  void on(T<g::stray_list>, const char* b, const char* e);
  void on(T<g::member_name>, const char* b, const char* e);
  void on(T<g::mul_op>, const char* b, const char* e) { push_op(b, e); }
  void on(T<g::add_op>, const char* b, const char* e) { push_op(b, e); }
  void on(T<g::cmp_op>, const char* b, const char* e) { push_op(b, e); }
  void on(T<g::list_open>, const char*, const char*) { marks_.push_back(ex_.size()); }
  template <class S> void on(T<g::if_expr<S>>, const char* b, const char* e) { make_if(b, e); }
  template <class S> void on(T<g::negation<S>>, const char* b, const char* e) { make_neg(b, e); }
  template <class S> void on(T<g::mul_tail<S>>, const char*, const char*) { make_binary_op(); }
  template <class S> void on(T<g::add_tail<S>>, const char*, const char*) { make_binary_op(); }
  template <class S> void on(T<g::cmp_tail<S>>, const char*, const char*) { make_binary_op(); }
  template <class S> void on(T<g::between_tail<S>>, const char*, const char* e) { make_between(e); }
  template <class S> void on(T<g::in_tail<S>>, const char*, const char* e) { make_in(e); }
  template <class S> void on(T<g::negate<S>>, const char* b, const char*) { make_not(b); }
  template <class S> void on(T<g::and_tail<S>>, const char*, const char*) { make_binary(Op::And, "and"); }
  template <class S> void on(T<g::or_tail<S>>, const char*, const char*) { make_binary(Op::Or, "or"); }
  ExprPtr pop_expr();

  // ---- blocks ----
  template <class Tag> void on(T<g::open_block<Tag>>, const char* b, const char*) { blocks_.push_back(b); }
  template <class Tag> void on(T<g::close_block<Tag>>, const char*, const char*) { blocks_.pop_back(); }
  template <class Tag> void on(T<g::item_end<Tag>>, const char*, const char*) { parts_.clear(); }
  // Where the innermost open block began (for "expected '}' to close …").
  const char* open_block() const { return blocks_.empty() ? nullptr : blocks_.back(); }
  RuleKind rule_kind() const { return rule_.kind; }

  // ---- declarations: parse_decls.cc ----
  void on(T<g::header_name>, const char* b, const char* e);
  void on(T<g::header_version>, const char* b, const char* e);
  void on(T<g::header_year>, const char* b, const char* e);
  void on(T<g::header>, const char* b, const char* e);
  void on(T<g::include_path>, const char* b, const char* e);
  void on(T<g::include_decl>, const char* b, const char* e);
  void on(T<g::lua_path>, const char* b, const char* e);
  void on(T<g::use_decl>, const char* b, const char* e);
  void on(T<g::scale_id>, const char* b, const char* e);
  void on(T<g::scale_label>, const char* b, const char* e);
  void on(T<g::grade_id>, const char* b, const char* e);
  void on(T<g::grade_label>, const char* b, const char* e);
  void on(T<g::grade_item>, const char* b, const char* e);
  void on(T<g::scale_decl>, const char* b, const char* e);
  void on(T<g::metric_id>, const char* b, const char* e);
  void on(T<g::metric_label>, const char* b, const char* e);
  void on(T<g::metric_scale>, const char* b, const char* e);
  void on(T<g::type_value>, const char* b, const char* e);
  void on(T<g::better_value>, const char* b, const char* e);
  void on(T<g::m_better>, const char* b, const char* e);
  void on(T<g::group_name>, const char* b, const char* e);
  void on(T<g::cadence_value>, const char* b, const char* e);
  void on(T<g::m_confidence>, const char* b, const char* e);
  void on(T<g::valid_count>, const char* b, const char* e);
  void on(T<g::valid_unit>, const char* b, const char* e);
  void on(T<g::m_valid>, const char* b, const char* e);
  void on(T<g::metric_item>, const char* b, const char* e);
  void on(T<g::metric_decl>, const char* b, const char* e);
  void on(T<g::benchmark_id>, const char* b, const char* e);
  void on(T<g::benchmark_label>, const char* b, const char* e);
  void on(T<g::binding_part>, const char* b, const char* e);
  void on(T<g::bench_year>, const char* b, const char* e);
  void on(T<g::bench_amount>, const char* b, const char* e);
  void on(T<g::bench_value>, const char* b, const char* e);
  void on(T<g::benchmark_decl>, const char* b, const char* e);
  void on(T<g::param_id>, const char* b, const char* e);
  void on(T<g::param_label>, const char* b, const char* e);
  void on(T<g::param_decl>, const char* b, const char* e);
  void on(T<g::define_id>, const char* b, const char* e);
  void on(T<g::define_params>, const char* b, const char* e);
  void on(T<g::define_param>, const char* b, const char* e);
  void on(T<g::define_label>, const char* b, const char* e);
  void on(T<g::define_decl>, const char* b, const char* e);
  void on(T<g::standard_kw>, const char* b, const char* e);
  void on(T<g::floor_kw>, const char* b, const char* e);
  void on(T<g::rule_id>, const char* b, const char* e);
  void on(T<g::rule_label>, const char* b, const char* e);
  void on(T<g::r_applies>, const char* b, const char* e);
  void on(T<g::met_when>, const char* b, const char* e);
  void on(T<g::lua_function>, const char* b, const char* e);
  void on(T<g::breach_tier>, const char* b, const char* e);
  void on(T<g::r_breach>, const char* b, const char* e);
  void on(T<g::rule_item>, const char* b, const char* e);
  void on(T<g::rule_decl>, const char* b, const char* e);
  void on(T<g::kpi_id>, const char* b, const char* e);
  void on(T<g::kpi_label>, const char* b, const char* e);
  void on(T<g::k_value>, const char* b, const char* e);
  void on(T<g::k_better>, const char* b, const char* e);
  void on(T<g::k_met>, const char* b, const char* e);
  void on(T<g::kpi_item>, const char* b, const char* e);
  void on(T<g::kpi_decl>, const char* b, const char* e);

  // ---- source: parse_source.cc ----
  void on(T<g::source_id>, const char* b, const char* e);
  void on(T<g::source_label>, const char* b, const char* e);
  void on(T<g::role_value>, const char* b, const char* e);
  void on(T<g::file_glob>, const char* b, const char* e);
  void on(T<g::key_column>, const char* b, const char* e);
  void on(T<g::period_year>, const char* b, const char* e);
  void on(T<g::year_column>, const char* b, const char* e);
  void on(T<g::term_column>, const char* b, const char* e);
  void on(T<g::from_file>, const char* b, const char* e);
  void on(T<g::from_column>, const char* b, const char* e);
  void on(T<g::from_columns>, const char* b, const char* e);
  void on(T<g::s_period>, const char* b, const char* e);
  void on(T<g::attr_name>, const char* b, const char* e);
  void on(T<g::from_rows>, const char* b, const char* e);
  void on(T<g::attr_column>, const char* b, const char* e);
  void on(T<g::s_school>, const char* b, const char* e);
  void on(T<g::rows_column>, const char* b, const char* e);
  void on(T<g::row_value>, const char* b, const char* e);
  void on(T<g::row_school_type>, const char* b, const char* e);
  void on(T<g::row_school>, const char* b, const char* e);
  void on(T<g::row_skip>, const char* b, const char* e);
  void on(T<g::row_benchmark>, const char* b, const char* e);
  void on(T<g::row_phase_column>, const char* b, const char* e);
  void on(T<g::row_rule>, const char* b, const char* e);
  void on(T<g::missing_code>, const char* b, const char* e);
  void on(T<g::missing_reason>, const char* b, const char* e);
  void on(T<g::missing_item>, const char* b, const char* e);
  void on(T<g::s_bad_values>, const char* b, const char* e);
  void on(T<g::binding_column>, const char* b, const char* e);
  void on(T<g::binding>, const char* b, const char* e);
  void on(T<g::source_item>, const char* b, const char* e);
  void on(T<g::source_decl>, const char* b, const char* e);

  // ---- tiers: parse_tiers.cc ----
  void on(T<g::tiers_label>, const char* b, const char* e);
  void on(T<g::best_fit>, const char* b, const char* e);
  void on(T<g::first_match>, const char* b, const char* e);
  void on(T<g::at_least_count>, const char* b, const char* e);
  void on(T<g::t_assign>, const char* b, const char* e);
  void on(T<g::otherwise_tier>, const char* b, const char* e);
  void on(T<g::tier_number>, const char* b, const char* e);
  void on(T<g::tier_label>, const char* b, const char* e);
  void on(T<g::led_value>, const char* b, const char* e);
  void on(T<g::descriptor_label>, const char* b, const char* e);
  void on(T<g::t_descriptor>, const char* b, const char* e);
  void on(T<g::support_id>, const char* b, const char* e);
  void on(T<g::support_label>, const char* b, const char* e);
  void on(T<g::frequency>, const char* b, const char* e);
  void on(T<g::t_support>, const char* b, const char* e);
  void on(T<g::tier_decl>, const char* b, const char* e);
  void on(T<g::tiers_decl>, const char* b, const char* e);

  // ---- test: parse_tests.cc ----
  void on(T<g::test_label>, const char* b, const char* e);
  void on(T<g::as_of_period>, const char* b, const char* e);
  void on(T<g::urn>, const char* b, const char* e);
  void on(T<g::given_name>, const char* b, const char* e);
  void on(T<g::given_phase>, const char* b, const char* e);
  void on(T<g::given_type>, const char* b, const char* e);
  void on(T<g::given_benchmark>, const char* b, const char* e);
  void on(T<g::given_path>, const char* b, const char* e);
  void on(T<g::given_period>, const char* b, const char* e);
  void on(T<g::given_value>, const char* b, const char* e);
  void on(T<g::t_given>, const char* b, const char* e);
  void on(T<g::expect_urn>, const char* b, const char* e);
  void on(T<g::expect_tier>, const char* b, const char* e);
  void on(T<g::expect_tier_number>, const char* b, const char* e);
  void on(T<g::expect_rule>, const char* b, const char* e);
  void on(T<g::status_word>, const char* b, const char* e);
  void on(T<g::expect_status>, const char* b, const char* e);
  void on(T<g::expect_value>, const char* b, const char* e);
  void on(T<g::t_expect>, const char* b, const char* e);
  void on(T<g::test_decl>, const char* b, const char* e);

  // Parses `2018-19`, `2018-2019` and an optional term; reports a year whose
  // halves do not follow on (2018-20) as an error and returns 0.
  int year_of(const char* b, const char* e, uint8_t* term = nullptr);
  int small_number(const char* b, const char* e);

 private:
  void push(ExprPtr e, int depth);
  [[noreturn]] void too_deep(Span where) const;
  void push_op(const char* b, const char* e);
  void make_binary(Op op, std::string written);
  void make_binary_op();
  void make_if(const char* b, const char* e);
  void make_neg(const char* b, const char* e);
  void make_not(const char* b);
  void make_between(const char* e);
  void make_in(const char* e);
  template <class D> void finish(D& d, const char* b, const char* e) {
    d.span = span(b, e);
    out_.decls.push_back(std::move(d));
    d = D{};
  }

  const SourceFiles& files_;
  uint32_t file_;
  std::vector<size_t> line_starts_;
  std::vector<uint32_t> block_cols_;  // column (from 0) at each kPosBlock-byte boundary
  const char* base_;
  const char* end_;
  File& out_;
  Diagnostics& diags_;

  std::vector<ExprPtr> ex_;
  std::vector<int> depth_;        // tree depth of each entry of ex_
  std::vector<size_t> marks_;     // ex_ size at each open '(' of a call or '[' of a list
  std::vector<std::pair<Op, std::string>> ops_;
  int nesting_ = 0;
  const char* quote_ = nullptr;
  std::vector<const char*> blocks_;
  std::vector<Name> parts_;       // a dotted target: metric[.group][.bound]

  // Declarations being built.
  std::string path_;  // include, use lua
  Header header_;
  Scale scale_;
  Grade grade_;
  Metric metric_;
  Direction better_ = Direction::None;
  Benchmark bench_;
  BenchmarkValue bench_value_;
  int bench_year_ = 0;
  Param param_;
  Define define_;
  Rule rule_;
  Kpi kpi_;
  Source source_;
  Name attr_;
  SchoolAttr school_attr_;
  RowRule row_;
  MissingCode missing_;
  std::vector<Name> columns_;
  Tiers tiers_;
  Tier tier_;
  Descriptor descriptor_;
  Support support_;
  Test test_;
  GivenSchool given_;
  GivenValue given_value_;
  Expect expect_;
  Status status_ = Status::Met;
};

}  // namespace tr
