// What each must<> rule of the grammar expected, in words. Rules not listed
// here are keywords (reported as "expected 'least'") or have messages of their
// own in parse_errors.cc (values, blocks, labels, the end of an item).
#pragma once

#include "parse_errors.h"

#include <string>
#include <string_view>

namespace tr {

template <class R> inline constexpr Expected expected{nullptr};

// "tr::grammar::kw_least" -> "'least'".
template <class R> std::string keyword_text() {
  std::string_view n = tao::pegtl::demangle<R>();
  constexpr std::string_view prefix = "tr::grammar::kw_";
  if (n.starts_with(prefix)) {
    n.remove_prefix(prefix.size());
    if (n == "kpi_value") n = "value";
    return "'" + std::string(n) + "'";
  }
  return "something else here";  // every non-keyword must<> rule has an entry below
}

#define TR_EXPECT(rule, ...) \
  template <> inline constexpr Expected expected<g::rule>{__VA_ARGS__}

// Expressions.
TR_EXPECT(call_close, "',' or ')' to close the call");
TR_EXPECT(paren_close, "')' to close the bracket");
TR_EXPECT(kw_then, "'then' after the condition of 'if'");
TR_EXPECT(kw_else, "'else' and the value for when the condition does not hold");
TR_EXPECT(member_name, "a group name, 'lower' or 'upper' after '.'");
TR_EXPECT(kw_and, "'and' in 'between … and …'");
TR_EXPECT(in_list, "a list in square brackets after 'in', such as [good, outstanding]");
TR_EXPECT(list_close, "',' or ']' to close the list");
// Header, include, use.
TR_EXPECT(header_name, "the ruleset's name in double quotes after 'ruleset'");
TR_EXPECT(header_version, "the version in double quotes after 'version', such as \"2026.1\"");
TR_EXPECT(header_year, "an academic year such as 2025-26 after 'year'");
TR_EXPECT(include_path, "the file to include in double quotes, such as include \"scales.rules\"");
TR_EXPECT(kw_lua, "'lua' after 'use', as in use lua \"scripts/risk.lua\"");
TR_EXPECT(lua_path, "the Lua file's path in double quotes");
// Scale and metric.
TR_EXPECT(scale_id, "a name for the scale after 'scale' (letters, digits and _, starting with a letter)");
TR_EXPECT(metric_id, "a name for the metric after 'metric' (letters, digits and _, starting with a letter)");
TR_EXPECT(metric_label, "a label in double quotes after the metric name");
TR_EXPECT(kw_on, "'on' and a scale after 'grade', as in type grade on ofsted");
TR_EXPECT(metric_scale, "the name of a scale after 'grade on'");
TR_EXPECT(type_value, "a metric type: percent, score, count, rate, number, yesno or grade on SCALE",
          "percent score count rate number yesno grade");
TR_EXPECT(better_value, "'higher' or 'lower' after 'better'", "higher lower");
TR_EXPECT(group_name, "a pupil group name, such as disadvantaged");
TR_EXPECT(cadence_value, "'annual' or 'termly' after 'cadence'", "annual termly");
TR_EXPECT(kw_interval, "'interval' after 'confidence'");
TR_EXPECT(kw_for, "'for' after 'valid', as in valid for 1 year");
TR_EXPECT(valid_count, "how many years or terms a value stays valid, as in valid for 1 year");
TR_EXPECT(valid_unit, "'year(s)' or 'term(s)' after the count, as in valid for 2 terms", "years terms");
// Source.
TR_EXPECT(source_id, "a name for the source after 'source' (letters, digits and _, starting with a letter)");
TR_EXPECT(source_label, "a label in double quotes after the source name");
TR_EXPECT(role_value, "'overrides' or 'data' after 'role'", "overrides data");
TR_EXPECT(file_glob, "a file name pattern in double quotes, such as \"*_ks2final.csv\"");
TR_EXPECT(key_column, "the key column's header after 'key', such as URN");
TR_EXPECT(kw_name, "'name' after 'from file'");
TR_EXPECT(year_column, "the year column's header");
TR_EXPECT(comma, "',' and the term column after the year column");
TR_EXPECT(term_column, "the term column's header");
TR_EXPECT(period_from, "'file name', 'column C' or 'columns Y, T' after 'from'", "file column columns");
TR_EXPECT(period_value,
          "a period: an academic year (2018-19), a term (2024-25 autumn), 'from file name', "
          "'from column C' or 'from columns Y, T'",
          "from");
TR_EXPECT(attr_name, "a school attribute after 'school': name, phase, type or la", "name phase type la");
TR_EXPECT(attr_source, "a column header or 'from rows'");
TR_EXPECT(rows_column, "the header of the column that says what each row is, after 'rows by'");
TR_EXPECT(row_kind, "what the rows are: school \"type\", national, local_authority, a benchmark name, or skip",
          "school national local_authority skip");
TR_EXPECT(row_phase_column, "the phase column's header after 'phase from'");
TR_EXPECT(missing_reason, "the code's meaning in double quotes, such as \"suppressed\"");
TR_EXPECT(binding_part, "a name after '.'");
TR_EXPECT(binding_column, "a column header (a name, or a header in double quotes)");
// Benchmark, param, define.
TR_EXPECT(benchmark_id, "a name for the benchmark after 'benchmark'");
TR_EXPECT(bench_year, "an academic year such as 2024-25 after 'in'");
TR_EXPECT(param_id, "a name for the param after 'param'");
TR_EXPECT(equals, "'=' and the value");
TR_EXPECT(define_id, "a name after 'define'");
TR_EXPECT(define_param, "a parameter name");
// Standard and floor.
TR_EXPECT(rule_id, "a name for the rule (letters, digits and _, starting with a letter)");
TR_EXPECT(rule_label, "a label in double quotes after the rule name");
TR_EXPECT(met_how, "'when' or 'by lua' after 'met'", "when by");
TR_EXPECT(lua_function, "the Lua function's name in double quotes");
TR_EXPECT(breach_tier, "a tier number after 'at least'");
// Tiers.
TR_EXPECT(ties_more, "'ties to more support' after the ','");
TR_EXPECT(policy, "an assignment policy: 'best fit', 'first match' or 'at least N of'", "best first at");
TR_EXPECT(at_least_count, "a number after 'at least'");
TR_EXPECT(otherwise_tier, "a tier number after 'otherwise tier'");
TR_EXPECT(tier_number, "the tier's number after 'tier'");
TR_EXPECT(tier_label, "a label in double quotes after the tier number");
TR_EXPECT(led_value, "'academy' or 'trust' after 'led by'", "academy trust");
TR_EXPECT(descriptor_label, "the descriptor's label in double quotes after 'descriptor'");
TR_EXPECT(support_id, "a name for the support after 'support'");
TR_EXPECT(support_label, "a label in double quotes after the support name");
TR_EXPECT(freq_unit, "'week', 'term' or 'year'", "week weeks term terms year years");
TR_EXPECT(every_what, "'week', 'term', 'year' or a number after 'every'", "week term year");
TR_EXPECT(a_or_per, "'a' or 'per', as in twice a term");
// Kpi and test.
TR_EXPECT(kpi_id, "a name for the kpi after 'kpi'");
TR_EXPECT(kpi_label, "a label in double quotes after the kpi name");
TR_EXPECT(test_label, "the test's description in double quotes after 'test'");
TR_EXPECT(as_of_period, "a period such as 2024-25 or 2024-25 summer after 'as of'");
TR_EXPECT(urn, "the school's URN (a number) after 'given school'");
TR_EXPECT(given_phase, "the phase in double quotes, such as \"primary\"");
TR_EXPECT(given_type, "the school type in double quotes");
TR_EXPECT(given_path, "a metric name");
TR_EXPECT(given_period, "a period such as 2024-25 after 'in'");
TR_EXPECT(expect_tier_number, "a tier number after 'expect tier'");
TR_EXPECT(expect_body, "'tier N', a rule and its status, or a comparison after 'expect'");

#undef TR_EXPECT

}  // namespace tr
