// Declarations and their blocks. Each declaration and each block item starts
// with a keyword and is committed once that keyword has matched, so errors are
// reported where the text stops making sense rather than at the declaration.
#pragma once

#include "expr.hpp"

namespace tr::grammar {

// A block of items, one per line. Tag names the block in error messages.
template <class Tag> struct open_block : one<'{'> {};
template <class Tag> struct close_block : one<'}'> {};
template <class Tag> struct item_end : eoi {};
template <class Tag, class Item>
struct block : seq<open_block<Tag>, bws, star<Item, must<item_end<Tag>>, bws>, must<close_block<Tag>>> {};

// A column header: a bare name (digits allowed first) or a quoted header.
struct column_word : plus<identifier_other> {};
struct column_ref : sor<label, column_word> {};

// ---- header, include, use lua ----------------------------------------------
struct header_name : label {};
struct header_version : label {};
struct header_year : year_core {};
struct header : seq<kw_ruleset, sp, must<header_name>, opt<sp, kw_version, sp, must<header_version>>,
                    opt<sp, kw_year, sp, must<header_year>>> {};
struct include_path : label {};
struct include_decl : seq<kw_include, sp, must<include_path>> {};
struct lua_path : label {};
struct use_decl : seq<kw_use, sp, must<kw_lua>, sp, must<lua_path>> {};

// ---- scale -----------------------------------------------------------------
struct scale_tag {};
struct scale_id : id {};
struct scale_label : label {};
struct grade_id : id {};
struct grade_label : label {};
struct grade_item : seq<grade_id, opt<sp, grade_label>> {};
struct scale_decl : seq<kw_scale, sp, must<scale_id>, opt<sp, scale_label>, sp,
                        must<block<scale_tag, grade_item>>> {};

// ---- metric ----------------------------------------------------------------
struct metric_tag {};
struct metric_id : id {};
struct metric_label : label {};
struct metric_scale : id {};
struct type_grade : seq<kw_grade, sp, must<kw_on>, sp, must<metric_scale>> {};
struct type_value : sor<type_grade, kw_percent, kw_score, kw_count, kw_rate, kw_number, kw_yesno> {};
struct m_type : seq<kw_type, sp, must<type_value>> {};
struct better_value : sor<kw_higher, kw_lower> {};
struct m_better : seq<kw_better, sp, must<better_value>> {};
struct group_name : word {};
struct m_groups : seq<kw_groups, sp, must<group_name>, star<sp, comma, ws, must<group_name>>> {};
struct cadence_value : sor<kw_annual, kw_termly> {};
struct m_cadence : seq<kw_cadence, sp, must<cadence_value>> {};
struct m_confidence : seq<kw_confidence, sp, must<kw_interval>> {};
struct valid_count : digits {};
struct valid_unit : sor<kw_years, kw_year, kw_terms, kw_term> {};
struct m_valid : seq<kw_valid, sp, must<kw_for>, sp, must<valid_count>, sp, must<valid_unit>> {};
struct metric_item : sor<m_type, m_better, m_groups, m_cadence, m_confidence, m_valid> {};
struct metric_decl : seq<kw_metric, sp, must<metric_id>, sp, must<metric_label>, sp,
                         must<block<metric_tag, metric_item>>> {};

// ---- source ----------------------------------------------------------------
struct source_tag {};
struct rows_tag {};
struct missing_tag {};
struct columns_tag {};
struct source_id : id {};
struct source_label : label {};
struct role_value : sor<kw_overrides, kw_data> {};
struct s_role : seq<kw_role, sp, must<role_value>> {};
struct file_glob : label {};
struct s_files : seq<kw_files, sp, must<file_glob>, star<sp, comma, ws, must<file_glob>>> {};
struct key_column : column_ref {};
struct s_key : seq<kw_key, sp, must<key_column>> {};

struct period_year : year_text {};
struct year_column : column_ref {};
struct term_column : column_ref {};
struct from_file : seq<kw_file, sp, must<kw_name>> {};
struct from_columns : seq<kw_columns, sp, must<year_column>, sp, must<comma>, ws, must<term_column>> {};
struct from_column : seq<kw_column, sp, must<year_column>> {};
struct period_from : sor<from_file, from_columns, from_column> {};
struct period_value : sor<seq<kw_from, sp, must<period_from>>, period_year> {};
struct s_period : seq<kw_period, sp, must<period_value>> {};

struct attr_name : sor<kw_name, kw_phase, kw_type, kw_la> {};
struct from_rows : seq<kw_from, sp1, kw_rows> {};
struct attr_column : column_ref {};
struct attr_source : sor<from_rows, attr_column> {};
struct s_school : seq<kw_school, sp, must<attr_name>, sp, must<attr_source>> {};

struct rows_column : column_ref {};
struct row_else : kw_else {};
struct row_value : sor<row_else, label, plus<sor<identifier_other, one<'.', '-', '+'>>>> {};
struct row_school_type : label {};
struct row_school : seq<kw_school, opt<sp, row_school_type>> {};
struct row_skip : kw_skip {};
struct row_benchmark : word {};
struct row_phase_column : column_ref {};
struct row_phase : seq<kw_phase, sp, must<kw_from>, sp, must<row_phase_column>> {};
struct row_kind : sor<row_school, row_skip, seq<row_benchmark, opt<sp, row_phase>>> {};
struct row_rule : seq<row_value, sp, must<colon>, sp, must<row_kind>> {};
struct s_rows : seq<kw_rows, sp, must<kw_by>, sp, must<rows_column>, sp, must<block<rows_tag, row_rule>>> {};

struct missing_blank : kw_blank {};
struct missing_code : sor<missing_blank, label, plus<sor<identifier_other, one<'.', '-', '*'>>>> {};
struct missing_reason : label {};
struct missing_item : seq<missing_code, sp, must<colon>, sp, must<missing_reason>> {};
struct s_missing : seq<kw_missing, sp, must<block<missing_tag, missing_item>>> {};

struct s_bad_values : seq<kw_bad, sp, must<kw_values>, sp, must<kw_warn>> {};

struct binding_part : word {};
struct binding_target : seq<binding_part, opt<one<'.'>, must<binding_part>>, opt<one<'.'>, must<binding_part>>> {};
struct binding_column : column_ref {};
struct binding : seq<binding_target, sp, must<colon>, ws, must<binding_column>,
                     star<ws, one<'|'>, ws, must<binding_column>>> {};
struct s_columns : seq<kw_columns, sp, must<block<columns_tag, binding>>> {};

struct source_item
    : sor<s_role, s_files, s_key, s_period, s_school, s_rows, s_missing, s_bad_values, s_columns> {};
struct source_decl : seq<kw_source, sp, must<source_id>, sp, must<source_label>, sp,
                         must<block<source_tag, source_item>>> {};

// ---- benchmark -------------------------------------------------------------
struct benchmark_tag {};
struct benchmark_id : id {};
struct benchmark_label : label {};
struct bench_year : year_core {};
struct bench_amount : seq<additive<sp>, opt<sp, kw_in, sp, must<bench_year>>> {};
struct bench_value : seq<binding_target, sp, must<colon>, ws, must<bench_amount>,
                         star<sp, comma, ws, must<bench_amount>>> {};
struct benchmark_decl : seq<kw_benchmark, sp, must<benchmark_id>, opt<sp, benchmark_label>,
                            opt<sp, block<benchmark_tag, bench_value>>> {};

// ---- param, define ---------------------------------------------------------
struct param_id : id {};
struct param_label : label {};
struct param_decl : seq<kw_param, sp, must<param_id>, sp, opt<param_label, sp>, must<equals>, ws,
                        must<line_expr>> {};

struct define_id : id {};
struct define_label : label {};
struct define_param : id {};
struct define_params : seq<one<'('>, ws, opt<define_param, star<ws, comma, ws, must<define_param>>>, ws,
                           must<paren_close>> {};
struct define_decl : seq<kw_define, sp, must<define_id>, opt<define_params>, sp, opt<define_label, sp>,
                         must<equals>, ws, must<line_expr>> {};

// ---- standard, floor -------------------------------------------------------
struct rule_tag {};
struct rule_id : id {};
struct rule_label : label {};
struct r_applies : seq<kw_applies, sp, must<kw_when>, ws, must<line_expr>> {};
struct met_when : seq<kw_when, ws, must<line_expr>> {};
struct lua_function : label {};
struct met_by : seq<kw_by, sp, must<kw_lua>, sp, must<lua_function>> {};
struct met_how : sor<met_when, met_by> {};
struct r_met : seq<kw_met, sp, must<met_how>> {};
struct breach_tier : digits {};
struct r_breach : seq<kw_on, sp, must<kw_breach>, sp, must<kw_tier>, sp, must<kw_at>, sp1, must<kw_least>,
                      sp, must<breach_tier>> {};
struct rule_item : sor<r_applies, r_met, r_breach> {};
struct standard_kw : kw_standard {};
struct floor_kw : kw_floor {};
struct rule_decl : seq<sor<standard_kw, floor_kw>, sp, must<rule_id>, sp, must<rule_label>, sp,
                       must<block<rule_tag, rule_item>>> {};

// ---- tiers -----------------------------------------------------------------
struct tiers_tag {};
struct tier_tag {};
struct tiers_label : label {};
struct ties_more : seq<kw_ties, sp, must<kw_to>, sp, must<kw_more>, sp, must<kw_support>> {};
struct best_fit : seq<kw_best, sp, must<kw_fit>, opt<sp, comma, sp, must<ties_more>>> {};
struct first_match : seq<kw_first, sp, must<kw_match>> {};
struct at_least_count : digits {};
struct at_least_of : seq<kw_at, sp1, must<kw_least>, sp, must<at_least_count>, sp, must<kw_of>> {};
struct policy : sor<best_fit, first_match, at_least_of> {};
struct t_assign : seq<kw_assign, sp, must<kw_by>, sp, must<policy>> {};
struct otherwise_tier : digits {};
struct t_otherwise : seq<kw_otherwise, sp, must<kw_tier>, sp, must<otherwise_tier>> {};

struct tier_number : digits {};
struct tier_label : label {};
struct led_value : sor<kw_academy, kw_trust> {};
struct t_led : seq<kw_led, sp, must<kw_by>, sp, must<led_value>> {};
struct descriptor_label : label {};
struct t_descriptor : seq<kw_descriptor, sp, must<descriptor_label>, sp, must<colon>, ws, must<line_expr>> {};
struct support_id : id {};
struct support_label : label {};
struct freq_count : digits {};
struct freq_unit : sor<kw_weeks, kw_week, kw_terms, kw_term, kw_years, kw_year> {};
struct every_what : sor<seq<freq_count, sp, must<freq_unit>>, freq_unit> {};
struct freq_every : seq<kw_every, sp, must<every_what>> {};
struct a_or_per : sor<kw_a, kw_per> {};
struct freq_times : seq<sor<kw_once, kw_twice, seq<freq_count, sp, must<kw_times>>>, sp,
                        must<a_or_per>, sp, must<freq_unit>> {};
struct frequency : sor<freq_every, freq_times> {};
struct t_support : seq<kw_support, sp, must<support_id>, sp, must<support_label>, opt<sp, frequency>> {};
struct tier_item : sor<t_led, t_descriptor, t_support> {};
struct tier_decl : seq<kw_tier, sp, must<tier_number>, sp, must<tier_label>, sp, must<block<tier_tag, tier_item>>> {};
struct tiers_item : sor<t_assign, t_otherwise, tier_decl> {};
struct tiers_decl : seq<kw_tiers, sp, opt<tiers_label, sp>, must<block<tiers_tag, tiers_item>>> {};

// ---- kpi -------------------------------------------------------------------
struct kpi_tag {};
struct kpi_id : id {};
struct kpi_label : label {};
struct k_value : seq<kw_kpi_value, sp, must<line_expr>> {};
struct k_better : seq<kw_better, sp, must<better_value>> {};
struct k_met : seq<kw_met, sp, must<kw_when>, ws, must<line_expr>> {};
struct kpi_item : sor<k_value, k_better, k_met> {};
struct kpi_decl : seq<kw_kpi, sp, must<kpi_id>, sp, must<kpi_label>, sp, must<block<kpi_tag, kpi_item>>> {};

// ---- test ------------------------------------------------------------------
struct test_tag {};
struct given_tag {};
struct test_label : label {};
struct as_of_period : year_lit {};
struct t_as_of : seq<kw_as, sp, must<kw_of>, sp, must<as_of_period>> {};
struct urn : digits {};
struct given_name : label {};
struct given_phase : label {};
struct given_type : label {};
struct given_benchmark : seq<word, at<one<'('>>> {};
struct given_path : binding_target {};
struct given_target : sor<seq<given_benchmark, one<'('>, sp, must<given_path>, sp, must<paren_close>>, given_path> {};
struct given_period : year_lit {};
struct given_value : seq<given_target, opt<sp, kw_in, sp, must<given_period>>, sp, must<colon>, ws,
                         must<line_expr>> {};
struct t_given : seq<kw_given, sp, must<kw_school>, sp, must<urn>, opt<sp, given_name>,
                     opt<sp, kw_phase, sp, must<given_phase>>, opt<sp, kw_type, sp, must<given_type>>, sp,
                     must<block<given_tag, given_value>>> {};
struct expect_urn : digits {};
struct expect_school : seq<kw_school, sp1, expect_urn> {};
struct expect_tier_number : digits {};
struct expect_tier : seq<kw_tier, sp, must<expect_tier_number>> {};
// A rule or kpi id, or a descriptor's `tier3.d2`.
struct expect_rule : seq<id, opt<one<'.'>, word>> {};
struct status_not_met : seq<kw_not, sp1, kw_met> {};
struct status_not_applicable : seq<kw_not, sp1, kw_applicable> {};
struct status_word : sor<status_not_met, status_not_applicable, kw_met, kw_unknown> {};
struct expect_status : seq<expect_rule, sp1, status_word> {};
struct expect_value : line_expr {};
struct expect_body : sor<expect_tier, expect_status, expect_value> {};
struct t_expect : seq<kw_expect, sp, opt<expect_school, sp>, must<expect_body>> {};
struct test_item : sor<t_as_of, t_given, t_expect> {};
struct test_decl : seq<kw_test, sp, must<test_label>, sp, must<block<test_tag, test_item>>> {};

}  // namespace tr::grammar
