// Expressions. Precedence, loosest first: or, and, not, comparison (including
// `between` and `in`), + -, * /, unary minus, `.member`, primary.
//
// Every level is a template over S, the whitespace allowed *before* an
// operator: `sp` on an item's line (a newline ends the item) and `ws` inside
// brackets. After an operator, ',' or '(' a newline is always allowed, so long
// expressions wrap by ending a line with an operator.
//
// The grammar commits as soon as an alternative has read its first token (the
// rest is must<>), so the parser's actions never see a partial match undone.
#pragma once

#include "lexical.hpp"

namespace tr::grammar {

template <class S> struct expr;

struct unit
    : sor<one<'%'>, kw_points, kw_point, kw_years, kw_year, kw_terms, kw_term, kw_weeks, kw_week> {};
struct number_text : seq<digits, opt<one<'.'>, digits>> {};

struct year_lit : year_text {};
struct number_lit : seq<number_text, opt<sp, unit>> {};
struct string_lit : label {};
struct ident : id {};

struct call_open : one<'('> {};
struct call_close : one<')'> {};
struct call_args
    : seq<call_open, ws, opt<expr<ws>, star<ws, comma, ws, must<expr<ws>>>>, ws, must<call_close>> {};
struct ident_or_call : seq<ident, opt<call_args>> {};

struct paren_open : one<'('> {};
struct paren_close : one<')'> {};
struct paren : seq<paren_open, ws, must<expr<ws>>, ws, must<paren_close>> {};

template <class S>
struct if_expr : seq<kw_if, ws, must<expr<ws>>, ws, must<kw_then>, ws, must<expr<ws>>, ws,
                     must<kw_else>, ws, must<expr<S>>> {};

// A '[' where a value belongs: only `in` takes a list, so this is an error.
struct stray_list : one<'['> {};

template <class S>
struct primary : sor<paren, if_expr<S>, year_lit, number_lit, string_lit, ident_or_call, stray_list> {};

struct member_name : word {};
template <class S> struct postfix : seq<primary<S>, star<one<'.'>, must<member_name>>> {};

struct neg_op : one<'-'> {};
template <class S> struct unary;
template <class S> struct negation : seq<neg_op, sp, must<unary<S>>> {};
template <class S> struct unary : sor<negation<S>, postfix<S>> {};

struct mul_op : one<'*', '/'> {};
template <class S> struct mul_tail : seq<S, mul_op, ws, must<unary<S>>> {};
template <class S> struct mul : seq<unary<S>, star<mul_tail<S>>> {};

struct add_op : one<'+', '-'> {};
template <class S> struct add_tail : seq<S, add_op, ws, must<mul<S>>> {};
template <class S> struct additive : seq<mul<S>, star<add_tail<S>>> {};

struct is_not : seq<kw_is, sp1, kw_not> {};
struct at_least : seq<kw_at, sp1, kw_least> {};
struct at_most : seq<kw_at, sp1, kw_most> {};
struct cmp_op
    : sor<pg::string<'<', '='>, pg::string<'>', '='>, pg::string<'!', '='>, one<'<'>, one<'>'>,
          one<'='>, is_not, kw_is, at_least, at_most, kw_above, kw_below> {};
template <class S> struct cmp_tail : seq<S, cmp_op, ws, must<additive<S>>> {};
template <class S>
struct between_tail
    : seq<S, kw_between, ws, must<additive<S>>, S, must<kw_and>, ws, must<additive<S>>> {};

struct list_open : one<'['> {};
struct list_close : one<']'> {};
// A trailing ',' before ']' is allowed so that one item per line reads evenly.
struct list_more : seq<ws, comma, ws, sor<at<list_close>, must<expr<ws>>>> {};
struct in_list : seq<list_open, ws, opt<expr<ws>, star<list_more>>, ws, must<list_close>> {};
template <class S> struct in_tail : seq<S, kw_in, ws, must<in_list>> {};

template <class S>
struct comparison : seq<additive<S>, opt<sor<between_tail<S>, in_tail<S>, cmp_tail<S>>>> {};

template <class S> struct not_expr;
template <class S> struct negate : seq<kw_not, sp, must<not_expr<S>>> {};
template <class S> struct not_expr : sor<negate<S>, comparison<S>> {};

template <class S> struct and_tail : seq<S, kw_and, ws, must<not_expr<S>>> {};
template <class S> struct and_expr : seq<not_expr<S>, star<and_tail<S>>> {};
template <class S> struct or_tail : seq<S, kw_or, ws, must<and_expr<S>>> {};
template <class S> struct expr : seq<and_expr<S>, star<or_tail<S>>> {};

// An expression that ends with its line (the usual case).
using line_expr = expr<sp>;

}  // namespace tr::grammar
