// Name resolution in expressions: identifiers (define parameters, grades, metrics,
// params, defines, rule ids, built-in names), groups and confidence bounds, and
// metric references outside expressions (source bindings, tests, benchmark values).
#include "check_internal.h"

#include <fmt/format.h>

#include <algorithm>

namespace tr::check {

namespace {

int grade_pos(const Scale& s, std::string_view name) {
  for (size_t i = 0; i < s.grades.size(); ++i)
    if (s.grades[i].id.text == name) return static_cast<int>(i);
  return -1;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The hint for an unknown group when nothing is close: the groups there are.
std::string group_hint(const Metric& m) {
  if (m.groups.empty())
    return "it is not broken down by pupil groups; add `groups …` to metric " + m.id.text + " if its data is";
  std::vector<std::string> g{"all"};
  for (const Name& n : m.groups) g.push_back(n.text);
  return "its groups are: " + join(g);
}

// The span of the field after the last dot of `x.field` (the parser gives the
// Member node one span for the whole reference).
Span field_span(const Expr& e) {
  Span fs = e.span;
  uint32_t len = static_cast<uint32_t>(e.text.size());
  if (fs.end.col > len) fs.begin = {fs.end.file, fs.end.line, fs.end.col - len};
  return fs;
}

}  // namespace

Type Checker::metric_type(int m, std::string* scale) const {
  const Metric& mt = *rs_.metrics[m];
  if (mt.type != MetricType::Grade) return value_type(mt.type);
  // An unknown scale is reported at the metric; its uses stay quiet.
  if (rs_.find(rs_.scale_index, mt.scale.text) < 0) return Type::Error;
  if (scale) *scale = mt.scale.text;
  return Type::Grade;
}

Type Checker::param_type(int p) const {
  const Param& pr = *rs_.params[p];
  const Expr* v = pr.value.get();
  while (v && v->kind == ExprKind::Unary && v->op == Op::Neg && !v->args.empty()) v = v->args[0].get();
  if (!v || v->kind != ExprKind::Number) return Type::Error;
  switch (v->unit) {
    case Unit::None: return Type::Number;
    case Unit::Percent: return Type::Percent;
    case Unit::Points: return Type::Points;
    case Unit::Years: case Unit::Terms: return Type::Duration;
    case Unit::Weeks: return Type::Error;
  }
  return Type::Error;
}

int Checker::metric_of(const Expr& e, const Scope& s, int* group, int* bound) const {
  if ((e.kind == ExprKind::Ident || e.kind == ExprKind::Member) && e.ref == RefKind::Metric) {
    if (group) *group = e.group;
    if (bound) *bound = e.bound;
    return e.ref_index;
  }
  if (e.kind == ExprKind::Ident && e.ref == RefKind::DefineParam && s.args && e.ref_index >= 0 &&
      e.ref_index < static_cast<int>(s.args->size())) {
    const Arg& a = (*s.args)[e.ref_index];
    if (group) *group = a.group;
    if (bound) *bound = a.bound;
    return a.metric;
  }
  return -1;
}

// Per-school values have no meaning in a kpi outside an aggregate, nor in a fixed
// value (param, benchmark value). Reports and returns false there.
static bool per_school_ok(Checker& c, const Expr& e, const Scope& s, std::string_view what) {
  if (s.in_aggregate) return true;
  if (s.ctx == ExprContext::Kpi || s.ctx == ExprContext::KpiMet) {
    std::string w = c.quote(e).substr(1, c.quote(e).size() - 2);
    c.error(e.span, fmt::format("{} is {} for each school, but a kpi adds schools up", c.quote(e), what),
            fmt::format("wrap it in an aggregate, e.g. mean({})", w));
    return false;
  }
  if (s.ctx == ExprContext::Param || s.ctx == ExprContext::Benchmark) {
    c.error(e.span, fmt::format("{} is {} for each school; this value must be a fixed number", c.quote(e), what));
    return false;
  }
  return true;
}

Type Checker::ident(Expr& e, const Scope& s, const Want& w) {
  const std::string& n = e.text;
  e.ref = RefKind::None;
  e.ref_index = -1;
  e.group = 0;
  e.bound = 0;
  // Define parameters shadow every global name.
  if (s.define) {
    for (size_t i = 0; i < s.define->params.size(); ++i) {
      if (s.define->params[i].text != n) continue;
      e.ref = RefKind::DefineParam;
      e.ref_index = static_cast<int>(i);
      if (!s.args) return set(e, Type::Error);  // the generic pass: unknown until a call
      const Arg& a = (*s.args)[i];
      e.group = a.group;
      e.bound = a.bound;
      return set(e, a.type, a.scale);
    }
  }
  // A grade of the other side's scale: `safeguarding is effective`.
  if (!w.scale.empty()) {
    int sc = rs_.find(rs_.scale_index, w.scale);
    int pos = sc >= 0 ? grade_pos(*rs_.scales[sc], n) : -1;
    if (pos >= 0) {
      e.ref = RefKind::Grade;
      e.ref_index = pos;
      return set(e, Type::Grade, w.scale);
    }
  }
  if (n == "value" && s.ctx == ExprContext::KpiMet && !s.in_aggregate) {
    e.ref = RefKind::KpiValue;
    return set(e, s.kpi_type, s.kpi_scale);
  }
  if (int m = rs_.find(rs_.metric_index, n); m >= 0) {
    metric_used[m] = 1;
    e.ref = RefKind::Metric;
    e.ref_index = m;
    if (!per_school_ok(*this, e, s, "a metric")) return set(e, Type::Error);
    std::string scale;
    Type t = metric_type(m, &scale);
    return set(e, t, scale);
  }
  if (int p = rs_.find(rs_.param_index, n); p >= 0) {
    param_used[p] = 1;
    e.ref = RefKind::Param;
    e.ref_index = p;
    Type t = param_type(p);
    if (t == Type::Duration && !w.duration) {
      error(e.span, fmt::format("param '{}' is a length of time, which can only be the period of change, "
                                "improving, declining or every_year", n));
      return set(e, Type::Error);
    }
    return set(e, t);
  }
  if (int d = rs_.find(rs_.define_index, n); d >= 0) {
    const Define& def = *rs_.defines[d];
    e.ref = RefKind::Define;
    e.ref_index = d;
    if (!def.params.empty()) {
      std::vector<std::string> ps;
      for (const Name& p : def.params) ps.push_back(p.text);
      error(e.span,
            fmt::format("'{}' takes {} argument{}", n, def.params.size(), def.params.size() == 1 ? "" : "s"),
            fmt::format("write {}({})", n, join(ps)), {note_at(def.id.span, fmt::format("'{}' is defined here", n))});
      return set(e, Type::Error);
    }
    if (!per_school_ok(*this, e, s, "worked out")) return set(e, Type::Error);
    std::string scale;
    Type t = define_result(d, &scale);
    return set(e, t, scale);
  }
  if (int r = rs_.find(rs_.rule_index, n); r >= 0) {
    e.ref = RefKind::Rule;
    e.ref_index = r;
    if (s.in_aggregate) return set(e, Type::Bool);
    const char* kind = rs_.rules[r]->kind == RuleKind::Floor ? "floor" : "standard";
    error(e.span,
          fmt::format("'{}' is a {}; a rule's result can only be counted across schools in a kpi", n, kind),
          fmt::format("for example: value share({})", n));
    return set(e, Type::Error);
  }
  if (int b = builtin_attribute(n); b >= 0) {
    e.ref = RefKind::Builtin;
    e.ref_index = b;
    switch (static_cast<Builtin>(b)) {
      case Builtin::Phase:
      case Builtin::SchoolType:
        if (!per_school_ok(*this, e, s, "known")) return set(e, Type::Error);
        return set(e, Type::Text);
      case Builtin::Year: return set(e, Type::Year);
      case Builtin::FloorsMet:
        if (s.in_aggregate) return set(e, Type::Bool);
        error(e.span, "'floors_met' counts schools meeting every floor, so it belongs in a kpi aggregate",
              "for example: value share(floors_met)");
        return set(e, Type::Error);
      case Builtin::Yes:
      case Builtin::No: return set(e, Type::Bool);
    }
  }
  // A grade of some scale: unambiguous only if exactly one scale has it.
  std::vector<int> scales;
  for (size_t i = 0; i < rs_.scales.size(); ++i)
    if (grade_pos(*rs_.scales[i], n) >= 0) scales.push_back(static_cast<int>(i));
  if (!w.scale.empty() && !scales.empty()) {
    int sc = rs_.find(rs_.scale_index, w.scale);
    std::vector<std::string> owners;
    for (int i : scales) owners.push_back(rs_.scales[i]->id.text);
    std::vector<std::string> grades;
    if (sc >= 0)
      for (const Grade& g : rs_.scales[sc]->grades) grades.push_back(g.id.text);
    error(e.span, fmt::format("{} is graded on {} but '{}' is a grade on {}", w.other, w.scale, n, join(owners)),
          fmt::format("grades compare only within their own scale; {} has: {}", w.scale, join(grades)));
    return set(e, Type::Error);
  }
  if (scales.size() == 1) {
    e.ref = RefKind::Grade;
    e.ref_index = grade_pos(*rs_.scales[scales[0]], n);
    return set(e, Type::Grade, rs_.scales[scales[0]]->id.text);
  }
  if (scales.size() > 1) {
    std::vector<std::string> owners;
    for (int i : scales) owners.push_back(rs_.scales[i]->id.text);
    error(e.span, fmt::format("'{}' is a grade on several scales ({}), and nothing here says which", n, join(owners)),
          fmt::format("compare it with a graded metric so the scale is clear, e.g. teaching at least {}", n));
    return set(e, Type::Error);
  }
  unknown_name(e, s, w);
  return set(e, Type::Error);
}

void Checker::unknown_name(Expr& e, const Scope& s, const Want& w) {
  const std::string& n = e.text;
  if (!w.scale.empty()) {
    int sc = rs_.find(rs_.scale_index, w.scale);
    std::vector<std::string> grades;
    if (sc >= 0)
      for (const Grade& g : rs_.scales[sc]->grades) grades.push_back(g.id.text);
    std::string best = did_you_mean(n, grades);
    if (!best.empty()) {
      error(e.span, fmt::format("'{}' is not a grade on {}", n, w.scale), fmt::format("did you mean '{}'?", best));
      return;
    }
  }
  if (n == "value") {
    error(e.span, "'value' is a kpi's own value, so it can only be used in a kpi's `met when`",
          "for example: met when value at least 95%");
    return;
  }
  // The closest name of any kind, and what kind it is.
  std::vector<std::string> names;
  std::vector<const char*> kinds;
  auto add = [&](const std::string& name, const char* kind) {
    names.push_back(name);
    kinds.push_back(kind);
  };
  if (s.define)
    for (const Name& p : s.define->params) add(p.text, "name");
  for (const Metric* m : rs_.metrics) add(m->id.text, "metric");
  for (const Param* p : rs_.params) add(p->id.text, "param");
  for (const Define* d : rs_.defines) add(d->id.text, "define");
  if (s.in_aggregate)
    for (const Rule* r : rs_.rules) add(r->id.text, "rule");
  for (const char* b : {"phase", "school_type", "year"}) add(b, "name");
  if (s.in_aggregate) add("floors_met", "name");
  if (s.ctx == ExprContext::KpiMet) add("value", "name");
  // Beside a graded value only its own scale's grades are worth suggesting.
  if (w.scale.empty())
    for (const Scale* sc : rs_.scales)
      for (const Grade& g : sc->grades) add(g.id.text, "grade");
  std::string best = did_you_mean(n, names);
  if (!best.empty()) {
    const char* kind = kinds[std::find(names.begin(), names.end(), best) - names.begin()];
    // The misspelling meant the suggestion: do not also call it unused.
    if (int m = rs_.find(rs_.metric_index, best); m >= 0) metric_used[m] = 1;
    if (int p = rs_.find(rs_.param_index, best); p >= 0) param_used[p] = 1;
    error(e.span, fmt::format("unknown {} '{}'", kind, n), fmt::format("did you mean '{}'?", best));
    return;
  }
  if (!w.scale.empty()) {
    int sc = rs_.find(rs_.scale_index, w.scale);
    std::vector<std::string> grades;
    if (sc >= 0)
      for (const Grade& g : rs_.scales[sc]->grades) grades.push_back(g.id.text);
    error(e.span, fmt::format("'{}' is not a grade on {}", n, w.scale),
          fmt::format("{} has: {}", w.scale, join(grades)));
    return;
  }
  error(e.span, fmt::format("unknown name '{}'", n),
        "it is not a metric, param, define or grade declared in this ruleset");
}

Type Checker::member(Expr& e, const Scope& s) {
  Expr& base = *e.args[0];
  Type bt = type(base, s);
  e.ref = RefKind::None;
  int g = 0, b = 0;
  int m = metric_of(base, s, &g, &b);
  if (m < 0) {
    if (bt == Type::Error) return set(e, Type::Error);
    error(e.span,
          fmt::format("'.{}' follows a metric name, but {} is {}", e.text, quote(base), describe(bt, base.scale)),
          "groups and confidence limits belong to metrics: rwm_expected.disadvantaged, read_progress.lower");
    return set(e, Type::Error);
  }
  const Metric& met = *rs_.metrics[m];
  Span fs = field_span(e);
  if (e.text == "lower" || e.text == "upper") {
    if (b != 0) {
      error(fs, fmt::format("{} already names a confidence limit", quote(base)));
      return set(e, Type::Error);
    }
    if (!met.confidence) {
      error(fs, fmt::format("'{}' has no confidence interval, so it has no .{}", met.id.text, e.text),
            fmt::format("add `confidence interval` to metric {} if its data has lower and upper limits", met.id.text),
            {note_at(met.id.span, fmt::format("'{}' is declared here", met.id.text))});
      return set(e, Type::Error);
    }
    b = e.text == "lower" ? 1 : 2;
  } else {
    if (g != 0 || b != 0) {
      error(fs, fmt::format("{} already names a group; write the group before .lower or .upper", quote(base)));
      return set(e, Type::Error);
    }
    if (e.text != "all") {
      auto it = std::find_if(met.groups.begin(), met.groups.end(), [&](const Name& x) { return x.text == e.text; });
      if (it == met.groups.end()) {
        std::vector<std::string> gs{"all"};
        for (const Name& x : met.groups) gs.push_back(x.text);
        std::string best = did_you_mean(e.text, gs);
        error(fs, fmt::format("'{}' has no group '{}'", met.id.text, e.text),
              best.empty() ? group_hint(met)
                           : fmt::format("did you mean '{}'?", best));
        return set(e, Type::Error);
      }
      g = static_cast<int>(it - met.groups.begin()) + 1;
    }
  }
  e.ref = RefKind::Metric;
  e.ref_index = m;
  e.group = g;
  e.bound = b;
  if (bt == Type::Error) return set(e, Type::Error);
  std::string scale;
  Type t = metric_type(m, &scale);
  return set(e, t, scale);
}

int Checker::resolve_metric(const Name& metric, const Name& group_in, const Name& bound_in, int* group_out,
                            int* bound_out, bool allow_bound) {
  Name group = group_in, bound = bound_in;
  // `read_progress.lower`: one field after the metric, and it is a bound.
  if (bound.text.empty() && (group.text == "lower" || group.text == "upper")) std::swap(group, bound);
  int m = rs_.find(rs_.metric_index, metric.text);
  if (m < 0) {
    std::vector<std::string> names;
    for (const Metric* x : rs_.metrics) names.push_back(x->id.text);
    std::string best = did_you_mean(metric.text, names);
    if (int near = rs_.find(rs_.metric_index, best); near >= 0) metric_used[near] = 1;
    error(metric.span, fmt::format("unknown metric '{}'", metric.text),
          best.empty() ? fmt::format("declare it first: metric {} \"label\" {{ type … }}", metric.text)
                       : fmt::format("did you mean '{}'?", best));
    return -1;
  }
  const Metric& met = *rs_.metrics[m];
  int g = 0, b = 0;
  if (!group.text.empty() && group.text != "all") {
    auto it = std::find_if(met.groups.begin(), met.groups.end(), [&](const Name& x) { return x.text == group.text; });
    if (it == met.groups.end()) {
      std::vector<std::string> gs{"all"};
      for (const Name& x : met.groups) gs.push_back(x.text);
      std::string best = did_you_mean(group.text, gs);
      error(group.span, fmt::format("'{}' has no group '{}'", met.id.text, group.text),
            best.empty() ? group_hint(met) : fmt::format("did you mean '{}'?", best));
      return -1;
    }
    g = static_cast<int>(it - met.groups.begin()) + 1;
  }
  if (!bound.text.empty()) {
    if (bound.text != "lower" && bound.text != "upper") {
      error(bound.span, fmt::format("'.{}' is neither a group nor a confidence limit (.lower, .upper)", bound.text));
      return -1;
    }
    if (!allow_bound) {
      error(bound.span, fmt::format("a confidence limit (.{}) cannot be given here", bound.text));
      return -1;
    }
    if (!met.confidence) {
      error(bound.span, fmt::format("'{}' has no confidence interval, so it has no .{}", met.id.text, bound.text),
            fmt::format("add `confidence interval` to metric {} if its data has lower and upper limits", met.id.text));
      return -1;
    }
    b = bound.text == "lower" ? 1 : 2;
  }
  if (group_out) *group_out = g;
  if (bound_out) *bound_out = b;
  return m;
}

}  // namespace tr::check
