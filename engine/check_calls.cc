// Calls: built-in functions, kpi aggregates, benchmarks, defines and Lua functions.
//
// Defines are generic: `gap(m)` works for any metric with groups. A define with
// parameters is typed once with its parameters unknown (errors that do not depend
// on the arguments are reported in its body), then once per distinct signature of
// argument types, on a copy of the body; the errors of that copy are reported at
// each call site, with a note pointing into the body.
#include "check_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tr::check {

namespace {

struct BuiltinFn {
  const char* name;
  int min_args, max_args;  // max -1: any number
  const char* usage;
};

// Aggregates are listed with one argument; min and max take two or more per school.
const BuiltinFn kFunctions[] = {
    {"abs", 1, 1, "abs(x), e.g. abs(gap(rwm_expected))"},
    {"min", 2, -1, "min(a, b, …)"},
    {"max", 2, -1, "max(a, b, …)"},
    {"previous", 1, 1, "previous(x), e.g. previous(attendance)"},
    {"change", 2, 2, "change(x, N years), e.g. change(attendance, 3 years)"},
    {"improving", 2, 2, "improving(x, N years), e.g. improving(attendance, 3 terms)"},
    {"declining", 2, 2, "declining(x, N years), e.g. declining(rwm_expected, 3 years)"},
    {"every_year", 2, 2, "every_year(condition, N), e.g. every_year(rwm_expected < 85%, 3)"},
    {"known", 1, 1, "known(x), e.g. known(rwm_expected.disadvantaged)"},
    {"count_of", 1, -1, "count_of(a, b, …), e.g. count_of(attendance below 90%, safeguarding is ineffective)"},
    {"count", 1, 1, "count(condition), e.g. count(attendance below 90%)"},
    {"share", 1, 1, "share(condition), e.g. share(floors_met)"},
    {"mean", 1, 1, "mean(x), e.g. mean(attendance)"},
    {"spread", 1, 1, "spread(x), e.g. spread(attendance)"},
    {"variability", 1, 1, "variability(x), e.g. variability(rwm_expected)"},
};

const BuiltinFn* find_fn(std::string_view n) {
  for (const auto& f : kFunctions)
    if (n == f.name) return &f;
  return nullptr;
}

std::string plural(size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string signature(const Define& d) {
  std::string out = d.id.text + "(";
  for (size_t i = 0; i < d.params.size(); ++i) out += (i ? ", " : "") + d.params[i].text;
  return out + ")";
}

std::string report_key(const Diagnostic& d) {
  return fmt::format("{}:{}:{}:{}", d.span.begin.file, d.span.begin.line, d.span.begin.col, d.message);
}

}  // namespace

const std::vector<std::string>& builtin_function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& f : kFunctions) v.push_back(f.name);
    return v;
  }();
  return names;
}

bool is_builtin_function(std::string_view name) { return find_fn(name) != nullptr; }

bool is_aggregate(std::string_view n) {
  return n == "count" || n == "share" || n == "mean" || n == "spread" || n == "variability";
}

ExprPtr clone(const Expr& e) {
  auto c = std::make_unique<Expr>();
  c->kind = e.kind;
  c->span = e.span;
  c->number = e.number;
  c->unit = e.unit;
  c->term = e.term;
  c->op = e.op;
  c->text = e.text;
  c->written = e.written;
  for (const auto& a : e.args) c->args.push_back(clone(*a));
  return c;
}

Type Checker::call(Expr& e, const Scope& s, const Want& w) {
  const std::string& n = e.text;
  e.ref = RefKind::None;
  e.ref_index = -1;
  if (int d = rs_.find(rs_.define_index, n); d >= 0) return define_call(e, s, d);
  if (int b = rs_.find(rs_.benchmark_index, n); b >= 0) return benchmark_call(e, s, b);
  if (is_builtin_function(n)) return builtin_call(e, s, w);
  if (is_lua_word(e, s)) return lua_call(e, s, w);
  for (auto& a : e.args) type(*a, s);
  if (rs_.find(rs_.metric_index, n) >= 0 || rs_.find(rs_.param_index, n) >= 0) {
    const char* kind = rs_.find(rs_.metric_index, n) >= 0 ? "metric" : "param";
    error(e.span, fmt::format("'{}' is a {}, not a function", n, kind),
          fmt::format("for a benchmark of it write national({})", n));
    return set(e, Type::Error);
  }
  std::vector<std::string> names = builtin_function_names();
  for (const Define* d : rs_.defines) names.push_back(d->id.text);
  names.insert(names.end(), rs_.benchmark_ids.begin(), rs_.benchmark_ids.end());
  names.insert(names.end(), rs_.lua_functions.begin(), rs_.lua_functions.end());
  std::string best = did_you_mean(n, names);
  std::string hint;
  const char* kind = "function";
  if (!best.empty()) {
    hint = fmt::format("did you mean '{}'?", best);
    if (rs_.find(rs_.benchmark_index, best) >= 0) kind = "benchmark";
    else if (rs_.find(rs_.define_index, best) >= 0) kind = "define";
  }
  else if (rs_.lua_scripts.empty())
    hint = "functions are the built-ins, defines, benchmarks, and the functions of a `use lua \"file.lua\"` script";
  else
    hint = "functions are the built-ins, defines, benchmarks, and the global functions of the `use lua` scripts";
  error(e.span, fmt::format("unknown {} '{}'", kind, n), hint);
  return set(e, Type::Error);
}

Type Checker::builtin_call(Expr& e, const Scope& s, const Want& w) {
  const std::string& n = e.text;
  const BuiltinFn& fn = *find_fn(n);
  e.ref = RefKind::Builtin;
  if ((n == "min" || n == "max") && e.args.size() == 1) return aggregate_call(e, s);
  if (is_aggregate(n)) return aggregate_call(e, s);
  int argc = static_cast<int>(e.args.size());
  if (argc < fn.min_args || (fn.max_args >= 0 && argc > fn.max_args)) {
    for (auto& a : e.args) type(*a, s);
    std::string takes = fn.max_args < 0 ? fmt::format("at least {}", plural(fn.min_args, "argument"))
                                        : plural(fn.min_args, "argument");
    error(e.span, fmt::format("'{}' takes {} but was given {}", n, takes, argc), fmt::format("write {}", fn.usage));
    return set(e, Type::Error);
  }
  auto numeric_arg = [&](Expr& a) -> Type {
    Type t = type(a, s);
    if (t == Type::Error || is_numeric(t)) return t;
    error(a.span, fmt::format("'{}' needs a number, but {} is {}", n, quote(a), describe(t, a.scale)),
          t == Type::Grade ? "grades have no arithmetic; compare them instead" : "");
    return Type::Error;
  };
  if (n == "abs") return set(e, numeric_arg(*e.args[0]));
  if (n == "min" || n == "max") {
    Type joined = Type::Number;
    const Expr* first = nullptr;
    for (auto& a : e.args) {
      Type t = numeric_arg(*a);
      if (t == Type::Error) return set(e, Type::Error);
      if (first && reports_unit(*a, *first, joined, s)) return set(e, Type::Error);
      if (first && t != Type::Number && joined != Type::Number && t != joined) {
        error(e.span, fmt::format("'{}' compares like with like, but {} is {} and {} is {}", n, quote(*first),
                                  describe(joined, {}), quote(*a), describe(t, {})));
        return set(e, Type::Error);
      }
      if (t != Type::Number) {
        if (first && joined == Type::Number && reports_unit(*first, *a, t, s)) return set(e, Type::Error);
        joined = t;
      }
      if (!first) first = a.get();
    }
    return set(e, joined);
  }
  if (n == "previous") {
    Type t = type(*e.args[0], s, w);
    return set(e, t, e.args[0]->scale);
  }
  if (n == "known") {
    Type t = type(*e.args[0], s);
    return set(e, t == Type::Error ? Type::Error : Type::Bool);
  }
  if (n == "count_of") {
    bool ok = true;
    for (auto& a : e.args) {
      require_bool(*a, s, "count_of");
      ok = ok && a->type == Type::Bool;
    }
    return set(e, ok ? Type::Count : Type::Error);
  }
  if (n == "every_year") {
    require_bool(*e.args[0], s, "every_year");
    Expr& y = *e.args[1];
    bool whole = y.kind == ExprKind::Number && y.number >= 1 && std::floor(y.number) == y.number &&
                 (y.unit == Unit::None || y.unit == Unit::Years);
    if (!whole) {
      type(y, s, Want{{}, {}, false, true});
      error(y.span, fmt::format("'every_year' counts whole years, but {} is not a number of years", quote(y)),
            "write every_year(condition, 3) for the last three years");
      return set(e, Type::Error);
    }
    set(y, y.unit == Unit::None ? Type::Number : Type::Duration);
    return set(e, e.args[0]->type == Type::Bool ? Type::Bool : Type::Error);
  }
  // change, improving, declining: a value and a period.
  Expr& x = *e.args[0];
  Type t = type(x, s);
  int metric = metric_of(x, s);
  Type period = duration_arg(*e.args[1], s, n, metric);
  if (t == Type::Error || period == Type::Error) return set(e, Type::Error);
  if (n == "change") {
    if (!is_numeric(t)) {
      error(x.span, fmt::format("'change' needs a number, but {} is {}", quote(x), describe(t, x.scale)),
            t == Type::Grade ? fmt::format("for grades use improving({}, …) or declining({}, …)",
                                           quote(x).substr(1, quote(x).size() - 2), quote(x).substr(1, quote(x).size() - 2))
                             : "");
      return set(e, Type::Error);
    }
    // The change of a percent or score is a difference in points.
    return set(e, t == Type::Percent || t == Type::Score ? Type::Points : t);
  }
  // improving / declining need to know which way is better.
  if (t != Type::Grade && !is_numeric(t)) {
    error(x.span, fmt::format("'{}' needs a metric, but {} is {}", n, quote(x), describe(t, x.scale)));
    return set(e, Type::Error);
  }
  if (t != Type::Grade && (metric < 0 || rs_.metrics[metric]->better == Direction::None)) {
    std::string xs = quote(x).substr(1, quote(x).size() - 2);
    if (metric < 0)
      error(x.span, fmt::format("'{}' needs a metric, so that it knows which way is better; {} is worked out", n,
                                quote(x)),
            fmt::format("for other values compare the change: change({}, {}) < 0", xs,
                        quote(*e.args[1]).substr(1, quote(*e.args[1]).size() - 2)));
    else
      error(x.span, fmt::format("'{}' needs to know which way is better, but metric '{}' has no `better`", n,
                                rs_.metrics[metric]->id.text),
            fmt::format("add `better higher` or `better lower` to metric {}", rs_.metrics[metric]->id.text),
            {note_at(rs_.metrics[metric]->id.span, fmt::format("'{}' is declared here", rs_.metrics[metric]->id.text))});
    return set(e, Type::Error);
  }
  return set(e, Type::Bool);
}

Type Checker::duration_arg(Expr& e, const Scope& s, std::string_view fn, int metric) {
  if (e.kind == ExprKind::Ident) {
    Want w;
    w.duration = true;
    Type t = type(e, s, w);
    if (t == Type::Duration || t == Type::Error) return t;
  } else if (e.kind == ExprKind::Number) {
    std::string v = format_number(e.number);
    if (e.unit == Unit::None) {
      error(e.span, fmt::format("{} needs a unit here: years or terms", quote(e)),
            fmt::format("did you mean {} years?", v));
      return set(e, Type::Error);
    }
    if (e.unit == Unit::Weeks || e.unit == Unit::Percent || e.unit == Unit::Points) {
      error(e.span, fmt::format("'{}' counts back in years or terms, not {}", fn, quote(e)),
            fmt::format("for example: {}(attendance, 3 years)", fn));
      return set(e, Type::Error);
    }
    if (e.number < 1 || std::floor(e.number) != e.number) {
      error(e.span, fmt::format("the period of '{}' must be a whole number, at least 1: {}", fn, quote(e)));
      return set(e, Type::Error);
    }
    // A trend needs two values at least: this period and the one before.
    if ((fn == "improving" || fn == "declining") && e.number < 2) {
      error(e.span, fmt::format("'{}' looks for a trend, which takes at least 2 years or terms, not {}", fn, quote(e)),
            fmt::format("{}(…, 2 {}) compares this period with the one before", fn,
                        e.unit == Unit::Terms ? "terms" : "years"));
      return set(e, Type::Error);
    }
    if (e.unit == Unit::Terms && metric >= 0 && rs_.metrics[metric]->cadence == Cadence::Annual) {
      const Metric& m = *rs_.metrics[metric];
      error(e.span, fmt::format("'{}' is annual, so it has no termly values to compare", m.id.text),
            fmt::format("count in years: {}({}, {} years), or make the metric `cadence termly`", fn, m.id.text, v));
      return set(e, Type::Error);
    }
    return set(e, Type::Duration);
  } else {
    type(e, s);
  }
  if (e.type != Type::Error)
    error(e.span, fmt::format("the period of '{}' must be a number of years or terms, but {} is {}", fn, quote(e),
                              describe(e.type, e.scale)),
          fmt::format("for example: {}(attendance, 3 years)", fn));
  return set(e, Type::Error);
}

Type Checker::aggregate_call(Expr& e, const Scope& s) {
  const std::string& n = e.text;
  e.ref = RefKind::Builtin;
  Scope inner = s;
  inner.in_aggregate = true;
  if (s.ctx != ExprContext::Kpi && s.ctx != ExprContext::KpiMet) {
    for (auto& a : e.args) type(*a, inner);
    std::string hint = "a kpi's value adds up across schools: value mean(attendance)";
    if (n == "count") hint = "to count conditions for one school use count_of(a, b, …)";
    if (n == "min" || n == "max") hint = fmt::format("for the {} of two values write {}(a, b)",
                                                     n == "min" ? "smaller" : "larger", n);
    error(e.span, fmt::format("'{}' adds up across schools, so it can only be used in a kpi", n), hint);
    return set(e, Type::Error);
  }
  if (s.in_aggregate) {
    error(e.span, fmt::format("'{}' is inside another aggregate; aggregates do not nest", n));
    return set(e, Type::Error);
  }
  if (e.args.size() != 1) {
    for (auto& a : e.args) type(*a, inner);
    error(e.span, fmt::format("'{}' takes 1 argument but was given {}", n, e.args.size()),
          fmt::format("write {}", find_fn(n)->usage));
    return set(e, Type::Error);
  }
  ++aggregates_seen_;
  Expr& a = *e.args[0];
  if (n == "count" || n == "share") {
    require_bool(a, inner, n);
    if (a.type != Type::Bool) return set(e, Type::Error);
    return set(e, n == "count" ? Type::Count : Type::Percent);
  }
  Type t = type(a, inner);
  if (t == Type::Error) return set(e, t);
  if (!is_numeric(t)) {
    error(a.span, fmt::format("'{}' needs a number, but {} is {}", n, quote(a), describe(t, a.scale)),
          t == Type::Bool ? fmt::format("for the share of schools where it holds use share({})",
                                        quote(a).substr(1, quote(a).size() - 2))
                          : "");
    return set(e, Type::Error);
  }
  if (n == "spread") return set(e, t == Type::Percent || t == Type::Score ? Type::Points : t);
  if (n == "variability") return set(e, Type::Percent);  // coefficient of variation, %
  return set(e, t);  // mean, min, max
}

Type Checker::benchmark_call(Expr& e, const Scope& s, int bench) {
  const std::string& n = e.text;
  e.ref = RefKind::Benchmark;
  e.ref_index = bench;
  // The argument names a metric; it is not a per-school value even in a kpi.
  Scope inner = s;
  inner.ctx = ExprContext::School;
  if (e.args.size() != 1) {
    for (auto& a : e.args) type(*a, inner);
    error(e.span, fmt::format("'{}' takes one metric but was given {}", n, plural(e.args.size(), "argument")),
          fmt::format("write {}(metric) or {}(metric.group), e.g. {}(attendance)", n, n, n));
    return set(e, Type::Error);
  }
  if (s.ctx == ExprContext::Param || s.ctx == ExprContext::Benchmark) {
    error(e.span, fmt::format("{} is not a fixed number; this value must be one", quote(e)));
    return set(e, Type::Error);
  }
  Expr& a = *e.args[0];
  Type t = type(a, inner);
  int g = 0;
  int m = metric_of(a, inner, &g);
  if (m < 0) {
    if (t != Type::Error)
      error(a.span, fmt::format("'{}' takes a metric, but {} is {}", n, quote(a), describe(t, a.scale)),
            fmt::format("write {}(metric) or {}(metric.group), e.g. {}(attendance)", n, n, n));
    return set(e, Type::Error);
  }
  // A benchmark that only has literal values has no value for other metrics.
  const Benchmark* decl = rs_.benchmarks[bench];
  if (decl && !decl->values.empty() && !bench_from_rows_[bench]) {
    const Metric& met = *rs_.metrics[m];
    std::string group = g == 0 ? "" : met.groups[g - 1].text;
    bool found = false;
    std::vector<std::string> have;
    for (const BenchmarkValue& v : decl->values) {
      std::string vg = v.group.text == "all" ? "" : v.group.text;
      have.push_back(v.metric.text + (vg.empty() ? "" : "." + vg));
      if (v.metric.text == met.id.text && vg == group) found = true;
    }
    if (!found) {
      std::string list;
      for (const auto& h : have) list += (list.empty() ? "" : ", ") + h;
      error(e.span, fmt::format("benchmark '{}' has no value for {}", n, quote(a)),
            fmt::format("it gives values for: {}", list),
            {note_at(decl->id.span, fmt::format("'{}' is declared here", n))});
      return set(e, Type::Error);
    }
  }
  std::string scale;
  Type mt = t == Type::Error ? Type::Error : metric_type(m, &scale);
  return set(e, mt, scale);
}

Type Checker::lua_call(Expr& e, const Scope& s, const Want& w) {
  e.ref = RefKind::Lua;
  e.ref_index = static_cast<int>(std::find(rs_.lua_functions.begin(), rs_.lua_functions.end(), e.text) -
                                 rs_.lua_functions.begin());
  // In a kpi, outside an aggregate, a Lua function is itself the aggregate: each
  // argument is worked out for every school and the function gets the lists.
  bool across = (s.ctx == ExprContext::Kpi || s.ctx == ExprContext::KpiMet) && !s.in_aggregate;
  Scope inner = s;
  inner.in_aggregate = s.in_aggregate || across;
  if (across) {
    ++aggregates_seen_;
    if (e.args.empty()) {
      error(e.span, fmt::format("'{}' in a kpi needs an argument to work out for each school", e.text),
            fmt::format("for example: {}(attendance)", e.text));
      return set(e, Type::Error);
    }
  }
  bool ok = true;
  for (auto& a : e.args) ok = type(*a, inner) != Type::Error && ok;
  if (!ok) return set(e, Type::Error);
  // Lua values carry no type: a number, unless it stands where yes/no is wanted.
  return set(e, w.boolean ? Type::Bool : Type::Number);
}

// Types a define's body where it stands: once for a define without parameters,
// and once with its parameters unknown (the generic pass) for one with them.
void Checker::type_body(int d, std::set<std::string>* generic_keys) {
  const Define& def = *rs_.defines[d];
  defines_[d].state = 1;
  // The body's own errors belong in the body, not inside whatever call got here first.
  auto saved_sinks = std::move(sinks_);
  sinks_.clear();
  auto* saved_keys = generic_keys_;
  generic_keys_ = generic_keys;
  static const std::vector<Arg> kNoArgs;
  Scope sc;
  sc.define = &def;
  sc.args = def.params.empty() ? &kNoArgs : nullptr;
  if (def.body) type(*def.body, sc);
  sinks_ = std::move(saved_sinks);
  generic_keys_ = saved_keys;
  DefineState& st = defines_[d];
  st.state = 2;
  if (def.params.empty() && def.body) {
    st.type = def.body->type;
    st.scale = def.body->scale;
  }
}

Type Checker::define_result(int d, std::string* scale) {
  const Define& def = *rs_.defines[d];
  if (!in_place) {  // check_expression: the ruleset was checked; read the body's type
    if (scale) *scale = def.body ? def.body->scale : std::string();
    return def.body ? def.body->type : Type::Error;
  }
  DefineState& st = defines_[d];
  if (st.cyclic || st.state == 1) return Type::Error;
  if (st.state == 0) type_body(d, nullptr);
  if (scale) *scale = defines_[d].scale;
  return defines_[d].type;
}

void Checker::generic_pass(int d) {
  if (defines_[d].state != 0 || defines_[d].cyclic) return;
  // Errors reported now do not depend on the arguments; instances skip them.
  type_body(d, &defines_[d].generic);
}

Type Checker::define_call(Expr& e, const Scope& s, int d) {
  const Define& def = *rs_.defines[d];
  const std::string& n = e.text;
  e.ref = RefKind::Define;
  e.ref_index = d;
  DefineState& st = defines_[d];
  if (e.args.size() != def.params.size()) {
    for (auto& a : e.args) type(*a, s);
    error(e.span,
          fmt::format("'{}' takes {} but was given {}", n, plural(def.params.size(), "argument"), e.args.size()),
          fmt::format("it is defined as {}", signature(def)),
          {note_at(def.id.span, fmt::format("'{}' is defined here", n))});
    return set(e, Type::Error);
  }
  if ((s.ctx == ExprContext::Kpi || s.ctx == ExprContext::KpiMet) && !s.in_aggregate) {
    error(e.span, fmt::format("{} is worked out for each school, but a kpi adds schools up", quote(e)),
          fmt::format("wrap it in an aggregate, e.g. mean({})", quote(e).substr(1, quote(e).size() - 2)));
    return set(e, Type::Error);
  }
  if (def.params.empty()) {
    std::string scale;
    Type t = define_result(d, &scale);
    return set(e, t, scale);
  }
  std::vector<Arg> args;
  bool ok = true;
  for (auto& a : e.args) {
    Arg arg;
    arg.type = type(*a, s);
    arg.scale = a->scale;
    arg.metric = metric_of(*a, s, &arg.group, &arg.bound);
    if (auto v = unitless_value(*a, s)) {
      arg.unitless = true;
      arg.number = *v;
    }
    arg.text = quote(*a);
    ok = ok && arg.type != Type::Error;
    args.push_back(std::move(arg));
  }
  if (in_place) generic_pass(d);
  if (!ok || st.cyclic || !def.body) return set(e, Type::Error);
  std::string sig;
  for (const Arg& a : args)
    sig += fmt::format("{}:{}:{}:{}:{}:{}|", static_cast<int>(a.type), a.scale, a.metric, a.group, a.bound,
                       a.unitless ? format_number(a.number) : "");
  auto it = st.instances.find(sig);
  if (it == st.instances.end()) {
    if (depth_ > 32) {  // only a cycle missed by find_define_cycles could get here
      error(e.span, fmt::format("'{}' calls itself too deeply", n));
      return set(e, Type::Error);
    }
    Instance inst;
    ExprPtr body = clone(*def.body);
    Scope inner;
    inner.define = &def;
    inner.args = &args;
    sinks_.push_back(&inst.reports);
    auto* saved_keys = generic_keys_;
    generic_keys_ = nullptr;
    ++depth_;
    inst.type = type(*body, inner);
    --depth_;
    inst.scale = body->scale;
    generic_keys_ = saved_keys;
    sinks_.pop_back();
    it = defines_[d].instances.emplace(sig, std::move(inst)).first;
  }
  const DefineState& done = defines_[d];
  std::string where;
  for (size_t i = 0; i < args.size(); ++i)
    where += fmt::format("{}{} is {} ({})", i ? ", " : "", def.params[i].text, args[i].text,
                         describe(args[i].type, args[i].scale));
  for (const Report& r : it->second.reports) {
    if (done.generic.count(report_key(r.main))) continue;
    std::vector<Diagnostic> notes;
    notes.push_back(note_at(r.main.span, fmt::format("in define '{}', where {}", n, where)));
    notes.insert(notes.end(), r.notes.begin(), r.notes.end());
    if (r.main.severity == Severity::Error) error(e.span, r.main.message, r.main.hint, std::move(notes));
    else warning(e.span, r.main.message, r.main.hint, std::move(notes));
  }
  return set(e, it->second.type, it->second.scale);
}

}  // namespace tr::check
