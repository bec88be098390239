// Lexical rules of the trustrules language (docs/language.md, "Lexical basics").
// Line structure matters: a newline ends an item, so there are two kinds of
// whitespace — `sp` stays on the line, `ws` may cross lines and comments.
#pragma once

#include <tao/pegtl.hpp>

namespace tr::grammar {

namespace pg = tao::pegtl;
using pg::alpha;
using pg::at;
using pg::digit;
using pg::eof;
using pg::identifier_other;
using pg::if_must;
using pg::list;
using pg::must;
using pg::not_at;
using pg::one;
using pg::opt;
using pg::plus;
using pg::rep;
using pg::seq;
using pg::sor;
using pg::star;

// '\r' counts as a blank so that CRLF files need no special case.
struct blank : one<' ', '\t', '\r'> {};
struct sp : star<blank> {};
struct sp1 : plus<blank> {};
struct nl : one<'\n'> {};
struct comment : seq<one<'#'>, star<pg::not_one<'\n'>>> {};
// Whitespace that may span lines (inside brackets, after an operator or ':').
struct ws : star<sor<blank, nl, comment>> {};
// Between items of a block or declarations of a file; stray ';' are harmless.
struct bws : star<sor<blank, nl, comment, one<';'>>> {};
// The end of an item: the rest of its line may hold only a comment.
struct eoi : seq<sp, opt<comment>, sor<nl, one<';'>, at<one<'}'>>, eof>> {};

#define TR_KW(id, text) \
  struct kw_##id : TAO_PEGTL_KEYWORD(text) {}
// Declarations.
TR_KW(ruleset, "ruleset");
TR_KW(include, "include");
TR_KW(use, "use");
TR_KW(scale, "scale");
TR_KW(metric, "metric");
TR_KW(source, "source");
TR_KW(benchmark, "benchmark");
TR_KW(param, "param");
TR_KW(define, "define");
TR_KW(standard, "standard");
TR_KW(floor, "floor");
TR_KW(tiers, "tiers");
TR_KW(tier, "tier");
TR_KW(kpi, "kpi");
TR_KW(test, "test");
// Expression words.
TR_KW(and, "and");
TR_KW(or, "or");
TR_KW(not, "not");
TR_KW(between, "between");
TR_KW(in, "in");
TR_KW(is, "is");
TR_KW(if, "if");
TR_KW(then, "then");
TR_KW(else, "else");
TR_KW(at, "at");
TR_KW(least, "least");
TR_KW(most, "most");
TR_KW(above, "above");
TR_KW(below, "below");
// Units and terms.
TR_KW(points, "points");
TR_KW(point, "point");
TR_KW(years, "years");
TR_KW(year, "year");
TR_KW(terms, "terms");
TR_KW(term, "term");
TR_KW(weeks, "weeks");
TR_KW(week, "week");
TR_KW(autumn, "autumn");
TR_KW(spring, "spring");
TR_KW(summer, "summer");
// Item words (not reserved: they only matter where an item starts).
TR_KW(version, "version");
TR_KW(lua, "lua");
TR_KW(type, "type");
TR_KW(better, "better");
TR_KW(groups, "groups");
TR_KW(cadence, "cadence");
TR_KW(confidence, "confidence");
TR_KW(percent, "percent");
TR_KW(score, "score");
TR_KW(count, "count");
TR_KW(rate, "rate");
TR_KW(number, "number");
TR_KW(yesno, "yesno");
TR_KW(grade, "grade");
TR_KW(on, "on");
TR_KW(higher, "higher");
TR_KW(lower, "lower");
TR_KW(annual, "annual");
TR_KW(termly, "termly");
TR_KW(interval, "interval");
TR_KW(role, "role");
TR_KW(overrides, "overrides");
TR_KW(data, "data");
TR_KW(files, "files");
TR_KW(key, "key");
TR_KW(period, "period");
TR_KW(from, "from");
TR_KW(file, "file");
TR_KW(name, "name");
TR_KW(column, "column");
TR_KW(columns, "columns");
TR_KW(school, "school");
TR_KW(phase, "phase");
TR_KW(la, "la");
TR_KW(rows, "rows");
TR_KW(by, "by");
TR_KW(skip, "skip");
TR_KW(missing, "missing");
TR_KW(blank, "blank");
TR_KW(bad, "bad");
TR_KW(values, "values");
TR_KW(warn, "warn");
TR_KW(applies, "applies");
TR_KW(when, "when");
TR_KW(met, "met");
TR_KW(breach, "breach");
TR_KW(assign, "assign");
TR_KW(best, "best");
TR_KW(fit, "fit");
TR_KW(ties, "ties");
TR_KW(to, "to");
TR_KW(more, "more");
TR_KW(support, "support");
TR_KW(first, "first");
TR_KW(match, "match");
TR_KW(of, "of");
TR_KW(otherwise, "otherwise");
TR_KW(led, "led");
TR_KW(academy, "academy");
TR_KW(trust, "trust");
TR_KW(descriptor, "descriptor");
TR_KW(every, "every");
TR_KW(once, "once");
TR_KW(twice, "twice");
TR_KW(times, "times");
TR_KW(a, "a");
TR_KW(per, "per");
TR_KW(valid, "valid");
TR_KW(for, "for");
TR_KW(kpi_value, "value");
TR_KW(as, "as");
TR_KW(given, "given");
TR_KW(expect, "expect");
TR_KW(unknown, "unknown");
TR_KW(applicable, "applicable");
#undef TR_KW

// Words that can never name a metric, rule or value.
struct reserved
    : sor<kw_and, kw_or, kw_not, kw_between, kw_in, kw_is, kw_if, kw_then, kw_else, kw_at,
          kw_above, kw_below, kw_ruleset, kw_include, kw_use, kw_scale, kw_metric, kw_source,
          kw_benchmark, kw_param, kw_define, kw_standard, kw_floor, kw_tiers, kw_tier, kw_kpi,
          kw_test> {};
// A declaration keyword at the start of a line: where error recovery resumes.
struct decl_keyword
    : sor<kw_ruleset, kw_include, kw_use, kw_scale, kw_metric, kw_source, kw_benchmark,
          kw_param, kw_define, kw_standard, kw_floor, kw_tiers, kw_kpi, kw_test> {};

struct word : seq<alpha, star<identifier_other>> {};
// An identifier that is not a keyword.
struct id : seq<not_at<reserved>, word> {};

// Labels: double-quoted UTF-8; only \" and \\ are escapes.
struct open_quote : one<'"'> {};
struct close_quote : one<'"'> {};
struct escaped : one<'"', '\\'> {};
struct str_char : sor<seq<one<'\\'>, must<escaped>>, pg::utf8::not_one<'"', '\\', '\n', '\r'>> {};
struct label : seq<open_quote, star<str_char>, must<close_quote>> {};

struct digits : plus<digit> {};
struct colon : one<':'> {};
struct comma : one<','> {};
struct equals : one<'='> {};

// `2018-19` or `2018-2019`, never a subtraction; optionally a term.
struct year_core
    : seq<rep<4, digit>, one<'-'>, sor<rep<4, digit>, rep<2, digit>>, not_at<identifier_other>> {};
struct term_word : sor<kw_autumn, kw_spring, kw_summer> {};
struct year_text : seq<year_core, opt<sp1, term_word>> {};

}  // namespace tr::grammar
