// Internal to the checker (checker.cc and check_*.cc): the state shared while one
// ruleset, or one expression, is checked. Other phases read the tables in
// ruleset.h and the "checker:" fields of the AST instead.
#pragma once

#include "ruleset.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tr::check {

// An error or warning together with the notes that explain it. Reports are
// collected and sorted by position before they reach Diagnostics, so that a file
// reads top to bottom however the checks were ordered; a note stays with its error.
struct Report {
  Diagnostic main;
  std::vector<Diagnostic> notes;
};

Diagnostic note_at(Span span, std::string message);

// What a define parameter stands for at one call site.
struct Arg {
  Type type = Type::Error;
  std::string scale;
  int metric = -1;  // the argument is a plain metric reference (`m`, `m.group`, `m.lower`)
  int group = 0;
  int bound = 0;
  bool unitless = false;  // a bare non-zero number: it needs a unit next to a percent
  double number = 0;
  std::string text;  // as written at the call site
};

// Where the expression being typed stands.
struct Scope {
  ExprContext ctx = ExprContext::School;
  bool in_aggregate = false;  // inside count/share/mean/... of a kpi: per school again
  const Define* define = nullptr;          // typing this define's body
  const std::vector<Arg>* args = nullptr;  // its arguments; null in the generic pass
  Type kpi_type = Type::Number;            // `value` in a kpi's `met when`
  std::string kpi_scale;
};

// What the surrounding expression expects of the one being typed.
struct Want {
  std::string scale;      // a bare grade name resolves on this scale first
  std::string other;      // the other side as written, for messages about scales
  bool boolean = false;   // a Lua call standing here is yes/no
  bool duration = false;  // a `3 years` literal belongs here
};

// Names every ruleset has. ref_index of a RefKind::Builtin identifier.
enum class Builtin : int { Phase, SchoolType, Year, FloorsMet, Yes, No };
int builtin_attribute(std::string_view name);  // -1 when not one
bool is_builtin_function(std::string_view name);
bool is_aggregate(std::string_view name);
const std::vector<std::string>& builtin_function_names();

// "a percent", "a grade on ofsted", ... for messages.
std::string describe(Type t, const std::string& scale);
bool is_numeric(Type t);
std::string format_number(double v);
ExprPtr clone(const Expr& e);

std::vector<Decl*> reading_order(Ruleset& rs);

class Checker {
 public:
  explicit Checker(const Ruleset& rs);

  // ---- reporting (checker.cc) ----
  void error(Span span, std::string message, std::string hint = {}, std::vector<Diagnostic> notes = {});
  void warning(Span span, std::string message, std::string hint = {}, std::vector<Diagnostic> notes = {});
  void flush(Diagnostics& diags);
  size_t errors() const { return errors_; }
  // The source text of a span, quoted and shortened for a message: 'attendance'.
  std::string quote(Span span) const;
  std::string quote(const Expr& e) const { return quote(e.span); }
  // The part of `span` where `word` is written (e.g. the year in a header line).
  Span find_in(Span span, std::string_view word) const;

  // ---- tables and whole-ruleset checks (checker.cc) ----
  // Sizes the per-name state (use flags, define states) to the tables.
  void size_state();
  void build_tables(Ruleset& rs);
  void check_all(Ruleset& rs);
  void find_define_cycles();
  void warn_unused();

  // ---- declarations (check_decls.cc, check_tiers.cc) ----
  void check_scale(const Scale& s);
  void check_metric(const Metric& m);
  void check_source(const Source& s);
  void check_benchmark(const Benchmark& b);
  void check_param(const Param& p);
  void check_define(const Define& d);
  void check_test(const Test& t);
  void check_rule(const Rule& r);
  void check_tiers(const Tiers& t);
  void check_kpi(const Kpi& k);
  Span otherwise_span(const Tiers& t) const;
  // A literal given for a metric (benchmark value, test data): its type must be the metric's.
  void check_metric_value(Expr& v, int m, const Scope& s);

  // ---- expressions (check_expr.cc, check_calls.cc) ----
  Type type(Expr& e, const Scope& s, const Want& w = {});
  // Types `e` and reports when it is not yes/no; `what` names the place ("met when").
  void require_bool(Expr& e, const Scope& s, std::string_view what);
  // Whether two typed operands may be compared (reports when not). `eq_only`:
  // `=`/`!=`/`in`, where yes/no and text are comparable too.
  bool comparable(const Expr& whole, const Expr& l, const Expr& r, const Scope& s, bool eq_only);
  // Resolves a metric reference outside expressions (source bindings, tests,
  // benchmark values): reports unknown metrics/groups/bounds; -1 when unresolved.
  int resolve_metric(const Name& metric, const Name& group, const Name& bound, int* group_out,
                     int* bound_out, bool allow_bound);
  Type metric_type(int m, std::string* scale) const;
  Type param_type(int p) const;
  // A bare non-zero number (or a param or define argument holding one), which
  // needs a unit next to a percent or points.
  std::optional<double> unitless_value(const Expr& e, const Scope& s) const;
  // A plain metric reference after typing (`m`, `m.group`, a define parameter bound to one).
  int metric_of(const Expr& e, const Scope& s, int* group = nullptr, int* bound = nullptr) const;
  // The type of a parameterless define's body (typed on first use).
  Type define_result(int d, std::string* scale);

  std::vector<char> metric_used, param_used;
  std::vector<std::string> missing_codes;  // every code a source declares ("" = blank)
  bool in_place = true;  // check_ruleset types define bodies where they stand

 private:
  Type ident(Expr& e, const Scope& s, const Want& w);
  Type member(Expr& e, const Scope& s);
  Type unary(Expr& e, const Scope& s, const Want& w);
  Type binary(Expr& e, const Scope& s, const Want& w);
  Type arithmetic(Expr& e, const Scope& s);
  Type compare(Expr& e, const Scope& s);
  Type type_beside(Expr& x, const Expr& other, const Scope& s);
  Type between(Expr& e, const Scope& s);
  Type in_list(Expr& e, const Scope& s);
  Type conditional(Expr& e, const Scope& s, const Want& w);
  Type number(Expr& e, const Want& w);
  Type call(Expr& e, const Scope& s, const Want& w);
  Type builtin_call(Expr& e, const Scope& s, const Want& w);
  Type aggregate_call(Expr& e, const Scope& s);
  Type benchmark_call(Expr& e, const Scope& s, int bench);
  Type define_call(Expr& e, const Scope& s, int d);
  Type lua_call(Expr& e, const Scope& s, const Want& w);
  // The period of change/improving/declining: `3 years`, `2 terms` (not for an
  // annual `metric`), or a param holding one.
  Type duration_arg(Expr& e, const Scope& s, std::string_view fn, int metric);
  void type_body(int d, std::set<std::string>* generic_keys);
  void generic_pass(int d);
  bool is_grade_word(const Expr& e, const Scope& s) const;
  bool is_lua_word(const Expr& e, const Scope& s) const;
  bool reports_unit(const Expr& lit, const Expr& other, Type other_type, const Scope& s);
  void unknown_name(Expr& e, const Scope& s, const Want& w);
  Type set(Expr& e, Type t, std::string scale = {});

  // One define's checking state. A define with parameters is typed once with its
  // parameters unknown (the generic pass: errors that do not depend on the
  // arguments, reported in the body) and then once per distinct argument
  // signature, on a copy, with errors reported at the call site.
  struct Instance {
    Type type = Type::Error;
    std::string scale;
    std::vector<Report> reports;
  };
  struct DefineState {
    int state = 0;  // 0 unchecked, 1 checking, 2 done
    bool cyclic = false;
    Type type = Type::Error;
    std::string scale;
    std::map<std::string, Instance> instances;
    std::set<std::string> generic;  // "file:line:col:message" of body errors already reported
  };

  const Ruleset& rs_;
  std::vector<DefineState> defines_;
  std::vector<Report> reports_;
  std::vector<std::vector<Report>*> sinks_;  // top receives reports (a define instance)
  std::set<std::string>* generic_keys_ = nullptr;  // set while a generic pass runs
  std::vector<char> bench_from_rows_;  // a source's `rows by` feeds this benchmark
  size_t errors_ = 0;
  int aggregates_seen_ = 0;
  int depth_ = 0;
};

}  // namespace tr::check
