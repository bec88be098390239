// Declarations other than rules, tiers and kpis: scales, metrics, sources,
// benchmarks, params, defines and tests.
#include "check_internal.h"
#include "dataset.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace tr::check {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Reports the second of two equal names in one list, with a note at the first.
template <class Item, class Key>
void no_repeats(Checker& c, const std::vector<Item>& items, Key key, const std::string& what) {
  std::map<std::string, Span> seen;
  for (const Item& it : items) {
    auto [name, span] = key(it);
    auto [at, fresh] = seen.emplace(name, span);
    if (!fresh)
      c.error(span, fmt::format(fmt::runtime(what), name), "",
              {note_at(at->second, fmt::format("'{}' is first listed here", name))});
  }
}

}  // namespace

void Checker::check_scale(const Scale& s) {
  if (s.grades.empty()) {
    error(s.id.span, fmt::format("scale '{}' has no grades", s.id.text),
          "list its grades best first, one per line: outstanding \"Outstanding\"");
    return;
  }
  no_repeats(*this, s.grades, [](const Grade& g) { return std::pair(g.id.text, g.id.span); },
             "grade '{}' appears twice in scale '" + s.id.text + "'");
}

void Checker::check_metric(const Metric& m) {
  if (m.type == MetricType::Grade && rs_.find(rs_.scale_index, m.scale.text) < 0) {
    std::vector<std::string> names;
    for (const Scale* s : rs_.scales) names.push_back(s->id.text);
    std::string best = did_you_mean(m.scale.text, names);
    error(m.scale.span, fmt::format("unknown scale '{}'", m.scale.text),
          best.empty() ? fmt::format("declare it: scale {} \"label\" {{ best_grade … }}", m.scale.text)
                       : fmt::format("did you mean '{}'?", best));
  }
  no_repeats(*this, m.groups, [](const Name& g) { return std::pair(g.text, g.span); },
             "group '{}' is listed twice");
  for (const Name& g : m.groups) {
    if (g.text == "all")
      warning(g.span, "'all' is always a group; it need not be listed");
    else if (g.text == "lower" || g.text == "upper")
      error(g.span, fmt::format("'{}' cannot be a group: .{} is a confidence limit", g.text, g.text));
  }
  if (m.valid_for_span.begin.line > 0 && m.valid_for == 0)
    error(m.valid_for_span, "a value must stay valid for at least 1 period",
          "remove the line for no limit, or write: valid for 1 year");
  else if (m.valid_for_terms && m.cadence == Cadence::Annual)
    error(m.valid_for_span, fmt::format("'{}' is annual: its values cannot be valid for a number of terms", m.id.text),
          fmt::format("write: valid for {} year{}", (m.valid_for + 2) / 3, m.valid_for > 3 ? "s" : ""));
}

void Checker::check_source(const Source& src) {
  no_repeats(*this, src.missing,
             [](const MissingCode& c) { return std::pair(c.code.empty() ? std::string("blank") : c.code, c.span); },
             "missing code '{}' is listed twice");
  bool has_rows = !src.rows_column.text.empty();
  for (const SchoolAttr& a : src.attrs)
    if (a.from_rows && !has_rows)
      error(a.span, "`school type from rows` needs a `rows by COLUMN { … }` block that names each school type");
  for (const RowRule& r : src.rows) {
    if (r.kind != RowKindTag::Benchmark || rs_.find(rs_.benchmark_index, r.benchmark.text) >= 0) continue;
    std::string best = did_you_mean(r.benchmark.text, rs_.benchmark_ids);
    error(r.benchmark.span, fmt::format("unknown benchmark '{}'", r.benchmark.text),
          best.empty() ? fmt::format("declare it: benchmark {} \"label\"", r.benchmark.text)
                       : fmt::format("did you mean '{}'?", best));
  }
  std::map<std::string, Span> bound;
  if (src.role == SourceRole::Overrides) {
    static const std::vector<std::string> fields{"tier", "reason", "approved_by", "date"};
    for (const ColumnBinding& b : src.columns) {
      if (std::find(fields.begin(), fields.end(), b.metric.text) == fields.end()) {
        std::string best = did_you_mean(b.metric.text, fields);
        error(b.metric.span,
              fmt::format("an overrides source binds only tier, reason, approved_by and date, not '{}'", b.metric.text),
              best.empty() ? "" : fmt::format("did you mean '{}'?", best));
        continue;
      }
      if (!b.group.text.empty() || !b.bound.text.empty()) {
        error(b.span, fmt::format("'{}' of an override has no groups or limits", b.metric.text));
        continue;
      }
      auto [at, fresh] = bound.emplace(b.metric.text, b.metric.span);
      if (!fresh)
        error(b.metric.span, fmt::format("'{}' is bound twice in source '{}'", b.metric.text, src.id.text), "",
              {note_at(at->second, "the first binding is here")});
    }
    if (!bound.count("tier"))
      error(src.id.span, fmt::format("overrides source '{}' does not bind 'tier'", src.id.text),
            "add `tier: COLUMN` to its columns");
    return;
  }
  for (const ColumnBinding& b : src.columns) {
    int g = 0, bd = 0;
    // A binding is not a use of the metric: resolve without marking it.
    int m = resolve_metric(b.metric, b.group, b.bound, &g, &bd, true);
    if (m < 0) continue;
    std::string name = SeriesIndex::name(rs_, m, g, bd);
    auto [at, fresh] = bound.emplace(name, b.span);
    if (!fresh)
      error(b.span, fmt::format("'{}' is bound twice in source '{}'", name, src.id.text),
            "list alternative column names on one line: rwm_expected: PTRWM_EXP | PTRWMEXP",
            {note_at(at->second, "the first binding is here")});
  }
}

void Checker::check_metric_value(Expr& v, int m, const Scope& s) {
  const Metric& met = *rs_.metrics[m];
  std::string scale;
  Type mt = metric_type(m, &scale);
  Want w;
  w.scale = scale;
  w.other = "'" + met.id.text + "'";
  w.boolean = mt == Type::Bool;
  Type t = type(v, s, w);
  if (t == Type::Error || mt == Type::Error) return;
  std::string mname = "'" + met.id.text + "'";
  if (mt == Type::Grade) {
    if (t == Type::Grade && v.scale == scale) return;
    int sc = rs_.find(rs_.scale_index, scale);
    std::vector<std::string> grades;
    for (const Grade& g : rs_.scales[sc]->grades) grades.push_back(g.id.text);
    error(v.span, fmt::format("{} is graded on {}, but {} is {}", mname, scale, quote(v), describe(t, v.scale)),
          fmt::format("give one of: {}", join(grades)));
    return;
  }
  if (t == mt) return;
  if (is_numeric(mt) && t == Type::Number) {
    if (!(mt == Type::Percent && unitless_value(v, s))) return;
    double n = *unitless_value(v, s);
    error(v.span, fmt::format("{} is a percent but {} has no unit", mname, quote(v)),
          fmt::format("did you mean {}%?", format_number(n > -1 && n < 1 ? n * 100 : n)));
    return;
  }
  error(v.span, fmt::format("{} is {}, but {} is {}", mname, describe(mt, scale), quote(v), describe(t, v.scale)),
        mt == Type::Bool ? "give yes or no" : "");
}

void Checker::check_benchmark(const Benchmark& b) {
  std::map<std::string, Span> seen;
  Scope s;
  s.ctx = ExprContext::Benchmark;
  for (const BenchmarkValue& bv : b.values) {
    int g = 0;
    int m = resolve_metric(bv.metric, bv.group, Name{}, &g, nullptr, false);
    if (m >= 0) metric_used[m] = 1;
    for (const auto& py : bv.values) {
      std::string key = fmt::format("{}.{}@{}", bv.metric.text, g, py.year);
      auto [at, fresh] = seen.emplace(key, py.span);
      if (!fresh)
        error(py.span,
              py.year ? fmt::format("benchmark '{}' gives '{}' twice for {}-{:02}", b.id.text, bv.metric.text, py.year,
                                    (py.year + 1) % 100)
                      : fmt::format("benchmark '{}' gives '{}' twice", b.id.text, bv.metric.text),
              "", {note_at(at->second, "the first value is here")});
      if (!py.value) continue;
      const Expr* lit = py.value.get();
      while (lit->kind == ExprKind::Unary && lit->op == Op::Neg) lit = lit->args[0].get();
      if (lit->kind != ExprKind::Number && lit->kind != ExprKind::Ident) {
        error(py.value->span, fmt::format("a benchmark value is a fixed number, such as 96%, not {}", quote(*py.value)));
        continue;
      }
      if (m >= 0) check_metric_value(*py.value, m, s);
    }
  }
}

void Checker::check_param(const Param& p) {
  if (!p.value) return;
  Expr* v = p.value.get();
  while (v->kind == ExprKind::Unary && v->op == Op::Neg && !v->args.empty()) v = v->args[0].get();
  if (v->kind != ExprKind::Number) {
    error(p.value->span, fmt::format("a param's value must be a number with its unit, not {}", quote(*p.value)),
          "for example 95%, 2 points or 11; use a define for a value that is worked out");
    return;
  }
  if (v->unit == Unit::Weeks) {
    error(v->span, "a param cannot be a number of weeks; weeks only count support frequencies");
    return;
  }
  Want w;
  w.duration = true;
  type(*p.value, Scope{}, w);
}

void Checker::check_define(const Define& d) {
  no_repeats(*this, d.params, [](const Name& n) { return std::pair(n.text, n.span); },
             "parameter '{}' is listed twice");
  int i = rs_.find(rs_.define_index, d.id.text);
  if (i < 0 || rs_.defines[i] != &d) return;  // a duplicate, reported already
  if (defines_[i].cyclic) return;
  if (d.params.empty()) define_result(i, nullptr);
  else generic_pass(i);
}

void Checker::check_test(const Test& t) {
  Scope s;
  s.ctx = ExprContext::Test;
  if (t.as_of) {
    if (t.as_of->kind == ExprKind::Year) set(*t.as_of, Type::Year);
    else error(t.as_of->span, fmt::format("`as of` needs an academic year or a term, such as 2024-25 summer"));
  }
  std::map<std::string, Span> urns;
  for (const GivenSchool& school : t.schools) {
    auto [at, fresh] = urns.emplace(school.urn, school.span);
    if (!fresh)
      error(school.span, fmt::format("school {} is given twice in this test", school.urn), "",
            {note_at(at->second, "it is first given here")});
    for (const GivenValue& gv : school.values) {
      if (!gv.benchmark.text.empty() && rs_.find(rs_.benchmark_index, gv.benchmark.text) < 0) {
        std::string best = did_you_mean(gv.benchmark.text, rs_.benchmark_ids);
        error(gv.benchmark.span, fmt::format("unknown benchmark '{}'", gv.benchmark.text),
              best.empty() ? fmt::format("the benchmarks are: {}", join(rs_.benchmark_ids))
                           : fmt::format("did you mean '{}'?", best));
      }
      int g = 0, b = 0;
      int m = resolve_metric(gv.metric, gv.group, gv.bound, &g, &b, true);
      if (m >= 0) metric_used[m] = 1;
      if (gv.period) {
        if (gv.period->kind == ExprKind::Year) set(*gv.period, Type::Year);
        else error(gv.period->span, "a given value's period is an academic year or a term, such as 2024-25");
      }
      if (!gv.code.empty()) {
        bool known = gv.code == "blank" ||
                     std::find(missing_codes.begin(), missing_codes.end(), gv.code) != missing_codes.end();
        if (!known) {
          std::vector<std::string> codes;
          for (const auto& c : missing_codes) codes.push_back(c.empty() ? "blank" : c);
          std::string best = did_you_mean(gv.code, codes);
          error(gv.span, fmt::format("'{}' is not a missing-value code of any source", gv.code),
                !best.empty() ? fmt::format("did you mean '{}'?", best)
                : codes.empty() ? std::string("declare it in a source: missing { SUPP: \"suppressed\" }")
                                : fmt::format("the sources declare: {}", join(codes)));
        }
      } else if (gv.value && m >= 0) {
        check_metric_value(*gv.value, m, s);
      }
    }
  }
  std::vector<std::string> tiers;
  if (rs_.tiers)
    for (const Tier& tier : rs_.tiers->tiers) tiers.push_back(fmt::format("{} {}", tier.number, tier.label));
  for (const Expect& e : t.expects) {
    if (!e.urn.empty() && !urns.count(e.urn)) {
      std::vector<std::string> have;
      for (const auto& [u, span] : urns) have.push_back(u);
      error(e.span, fmt::format("this test gives no school {}", e.urn), fmt::format("its schools are: {}", join(have)));
    }
    if (e.urn.empty() && t.schools.size() > 1)
      error(e.span, "this test gives several schools, so the expectation must name one",
            fmt::format("write: expect school {} …", t.schools.front().urn));
    switch (e.kind) {
      case ExpectKind::Tier: {
        bool exists = rs_.tiers && std::any_of(rs_.tiers->tiers.begin(), rs_.tiers->tiers.end(),
                                               [&](const Tier& x) { return x.number == e.tier; });
        if (!rs_.tiers) error(e.span, fmt::format("expect tier {}: this ruleset has no tiers", e.tier));
        else if (!exists)
          error(e.span, fmt::format("there is no tier {}", e.tier), fmt::format("the tiers are: {}", join(tiers)));
        break;
      }
      case ExpectKind::Status: {
        if (rs_.find(rs_.rule_index, e.rule.text) >= 0 || rs_.find(rs_.kpi_index, e.rule.text) >= 0) break;
        std::vector<std::string> names;
        for (const Rule* r : rs_.rules) names.push_back(r->id.text);
        for (const Kpi* k : rs_.kpis) names.push_back(k->id.text);
        // Descriptors are named by place: tier3.d2 is tier 3's second descriptor.
        if (rs_.tiers)
          for (const Tier& tier : rs_.tiers->tiers)
            for (size_t i = 0; i < tier.descriptors.size(); ++i)
              names.push_back(fmt::format("tier{}.d{}", tier.number, i + 1));
        if (std::find(names.begin(), names.end(), e.rule.text) != names.end()) break;
        if (e.rule.text.find('.') != std::string::npos && e.rule.text.starts_with("tier")) {
          std::string best = did_you_mean(e.rule.text, names);
          error(e.rule.span, fmt::format("there is no descriptor '{}'", e.rule.text),
                best.empty() ? "descriptors are named tierN.dM: tier N's M-th descriptor, counting from 1"
                             : fmt::format("did you mean '{}'? (tierN.dM is tier N's M-th descriptor)", best));
          break;
        }
        std::string best = did_you_mean(e.rule.text, names);
        error(e.rule.span, fmt::format("unknown rule '{}'", e.rule.text),
              best.empty() ? "an expectation names a standard, floor, kpi or descriptor (tierN.dM)" : fmt::format("did you mean '{}'?", best));
        break;
      }
      case ExpectKind::Value:
        // The parser keeps the whole comparison: `expect gap(rwm_expected) = 5 points`.
        if (e.value) require_bool(*e.value, s, "expect");
        break;
    }
  }
}

}  // namespace tr::check
