#include "rule_tests.h"

#include "cell_values.h"
#include "checker.h"
#include "dataset.h"
#include "dataset_builder.h"
#include "eval_lua.h"
#include "evaluate.h"
#include "format.h"
#include "plan.h"
#include "ruleset.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace tr {

namespace {

namespace fs = std::filesystem;

Period to_period(const Expr& e) {
  Period p;
  p.year = static_cast<int16_t>(e.number);
  p.term = e.term;
  return p;
}

// A literal given value: numbers (with their unit already stripped by the
// parser: `72%` is 72), negatives, yes/no. Grades are handled by the caller.
bool literal_number(const Expr& e, double& out) {
  if (e.kind == ExprKind::Number) {
    out = e.number;
    return true;
  }
  if (e.kind == ExprKind::Unary && e.op == Op::Neg && !e.args.empty() && literal_number(*e.args[0], out)) {
    out = -out;
    return true;
  }
  if (e.kind == ExprKind::Ident) {
    std::string t = fold_name(e.text);
    if (t == "yes" || t == "true") return out = 1, true;
    if (t == "no" || t == "false") return out = 0, true;
  }
  return false;
}

std::string where_of(const Ruleset& rs, Span s) {
  if (s.begin.file >= rs.sources.size()) return {};
  return fmt::format("{}:{}", rs.sources.path(s.begin.file), s.begin.line);
}

// Builds the Dataset a test describes. Values without `in PERIOD` belong to the
// test's as-of period (the whole year for annual metrics, so `rwm_expected: 60%`
// in a test as of a summer term is that year's result). Benchmark values carry
// no phase, so they apply to every school. Problems are appended to `errors`.
void build_dataset(const Ruleset& rs, const Test& t, Period as_of, Dataset& ds,
                   std::vector<std::string>& errors) {
  ds.series.build(rs);
  // One pseudo-file: the test's own rules file, a column per given value, so an
  // unknown reason reads "read_progress is SUPP (…) in tests.rules row 95".
  DataFile file;
  file.path = t.span.begin.file < rs.sources.size() ? rs.sources.path(t.span.begin.file) : "test";
  file.source = "test";
  ds.files.push_back(file);
  DatasetPart b(ds.series.count);
  for (const GivenSchool& gs : t.schools) {
    int si = b.school(gs.urn);
    b.offer(si, Attr::Name, gs.name, 0, as_of);
    b.offer(si, Attr::Phase, normalize_phase(gs.phase), 0, as_of);
    b.offer(si, Attr::Type, normalize_type(gs.type), 0, as_of);
    for (const GivenValue& gv : gs.values) {
      int m = rs.find(rs.metric_index, gv.metric.text);
      if (m < 0) {
        errors.push_back(fmt::format("{}: unknown metric '{}'", where_of(rs, gv.span), gv.metric.text));
        continue;
      }
      const Metric& mt = *rs.metrics[m];
      int group = 0;
      for (size_t i = 0; i < mt.groups.size(); ++i)
        if (mt.groups[i].text == gv.group.text) group = static_cast<int>(i) + 1;
      int bound = gv.bound.text == "lower" ? 1 : gv.bound.text == "upper" ? 2 : 0;
      int series = ds.series.of(rs, m, group, bound);

      Cell c;
      Period at = gv.period ? to_period(*gv.period) : as_of;
      if (!gv.period && mt.cadence == Cadence::Annual) at.term = 0;
      c.set_period(at);
      ds.files[0].headers.push_back(gv.metric.text + (gv.group.text.empty() ? "" : "." + gv.group.text) +
                                    (gv.bound.text.empty() ? "" : "." + gv.bound.text));
      c.row = gv.span.begin.line ? gv.span.begin.line : 1;
      c.place = ds.place_of(0, static_cast<uint16_t>(ds.files[0].headers.size()));
      if (!gv.code.empty()) {
        c.set_missing(Missing::Code, static_cast<uint32_t>(ds.codes.size()));
        ds.codes.push_back({gv.code, fmt::format("{} in test '{}'", gv.code, t.label)});
      } else if (!gv.value) {
        errors.push_back(fmt::format("{}: no value for '{}'", where_of(rs, gv.span), gv.metric.text));
        continue;
      } else if (mt.type == MetricType::Grade) {
        int sc = rs.find(rs.scale_index, mt.scale.text);
        int rank = sc < 0 ? -1 : GradeTable(*rs.scales[sc]).rank(gv.value->text);
        if (rank < 0) {
          errors.push_back(fmt::format("{}: '{}' is not a grade of {}'s scale", where_of(rs, gv.span),
                                       gv.value->text, gv.metric.text));
          continue;
        }
        c.value = rank;
      } else if (!literal_number(*gv.value, c.value)) {
        errors.push_back(fmt::format("{}: the value for '{}' is not a literal", where_of(rs, gv.span),
                                     gv.metric.text));
        continue;
      }
      if (gv.benchmark.text.empty()) {
        b.put(series, si, c);
      } else {
        int bi = gv.benchmark.text == "national" ? 0 : rs.find(rs.benchmark_index, gv.benchmark.text);
        if (bi < 0) {
          errors.push_back(fmt::format("{}: unknown benchmark '{}'", where_of(rs, gv.span), gv.benchmark.text));
          continue;
        }
        b.put_benchmark(bi, "", "", series, c);
      }
    }
  }
  DatasetBuilder whole(ds, ds.series.count);
  whole.take(std::move(b), nullptr);
  whole.finish();
}

std::string reasons_text(const Reasons& r) {
  std::string s;
  for (size_t i = 0; i < r.size() && i < 3; ++i) s += (i ? "; " : "") + r[i];
  if (r.size() > 3) s += fmt::format("; and {} more", r.size() - 3);
  return s;
}

// Why a school landed in the tier it did, compactly: the per-tier scores and
// the descriptors that could not be judged (with the first reason each).
std::string tier_detail(const SchoolResult& r) {
  std::string s = "scores (met/known):";
  for (size_t i = 0; i < r.tier.scores.size(); ++i) {
    const TierScore& sc = r.tier.scores[i];
    s += fmt::format("{} tier {} {}/{}", i ? "," : "", sc.tier, sc.met, sc.known);
  }
  if (r.tier.raised_by_floor) s += "; raised by a floor";
  if (r.tier.override_) s += "; overridden";
  std::vector<std::string> unknown;
  for (const RuleResult& x : r.results)
    if (x.kind == ResultKind::Descriptor && x.status == Status::Unknown)
      unknown.push_back(x.reasons.empty() ? std::string(x.id) : std::string(x.id) + " — " + x.reasons[0]);
  if (!unknown.empty()) {
    s += "; not judged: ";
    for (size_t i = 0; i < unknown.size() && i < 4; ++i) s += (i ? ", " : "") + unknown[i];
    if (unknown.size() > 4) s += fmt::format(" and {} more", unknown.size() - 4);
  }
  if (r.tier.number == 0 && !r.tier.reasons.empty()) s += "; " + reasons_text(r.tier.reasons);
  return s;
}

// `expect EXPR`: the expression, evaluated for the school, must be true. A
// failure shows what the left side of a comparison came to, so that the lead
// sees the actual value, not just "false".
std::string check_value(const Expect& ex, const std::string& urn, const std::string& who, Plan& plan,
                        const EvalOptions& opts) {
  std::string text = format_expr(*ex.value);
  int school = -1;
  for (size_t i = 0; i < plan.ds->schools.size(); ++i)
    if (plan.ds->schools[i].urn == urn) school = static_cast<int>(i);
  if (school < 0) return fmt::format("no school {} in the test", urn);
  Diagnostics d;
  int node = plan_expression(plan, *ex.value, d);
  if (node < 0) return fmt::format("{}expect {}: the expression could not be planned", who, text);
  std::unique_ptr<LuaBridge> lua = opts.lua ? opts.lua() : nullptr;
  Evaluator ev(plan, opts.as_of, lua.get());
  ev.set_school(school);
  Value v = ev.eval(node);
  if (v.is_true()) return {};
  std::string actual;
  const PlanNode& n = plan.nodes[node];
  if ((n.op == NodeOp::Compare || n.op == NodeOp::Between || n.op == NodeOp::In) && !n.kids.empty()) {
    Value left = ev.eval(n.kids[0]);
    actual = fmt::format("{} is {}", ex.value->args.empty() ? "the value" : format_expr(*ex.value->args[0]),
                         left.known() ? describe_value(*plan.rs, left) : "unknown");
    if (!left.known() && !left.reasons.empty()) actual += " (" + reasons_text(left.reasons) + ")";
  } else {
    actual = v.known() ? "it is false" : "it is unknown";
  }
  if (!v.known() && actual.find('(') == std::string::npos && !v.reasons.empty())
    actual += " (" + reasons_text(v.reasons) + ")";
  return fmt::format("{}expected {}, but {}", who, text, actual);
}

// Compares one expectation with the evaluation; "" when it holds.
std::string check_expect(const Expect& ex, const Test& t, const EvaluationResult& res, Plan& plan,
                         const EvalOptions& opts) {
  std::string urn = ex.urn.empty() && !t.schools.empty() ? t.schools[0].urn : ex.urn;
  std::string who = t.schools.size() > 1 ? fmt::format("school {}: ", urn) : "";
  if (ex.kind == ExpectKind::Value) return check_value(ex, urn, who, plan, opts);
  // A KPI is trust-level: look for it before the school.
  if (ex.kind == ExpectKind::Status)
    for (const KpiResult& k : res.kpis)
      if (k.id == ex.rule.text) {
        if (k.status == ex.status) return {};
        std::string s = fmt::format("expected {} {}, got {}", k.id, result_status_words(ex.status),
                                    result_status_words(k.status));
        if (!k.reasons.empty()) s += " (" + reasons_text(k.reasons) + ")";
        return s;
      }
  const SchoolResult* sr = nullptr;
  for (const SchoolResult& s : res.schools)
    if (s.urn == urn) sr = &s;
  if (!sr) return fmt::format("no school {} in the test", urn);
  if (ex.kind == ExpectKind::Tier) {
    if (sr->tier.number == ex.tier) return {};
    std::string got = sr->tier.number ? fmt::format("tier {}", sr->tier.number) : "no tier";
    return fmt::format("{}expected tier {}, got {} ({})", who, ex.tier, got, tier_detail(*sr));
  }
  for (const RuleResult& x : sr->results)
    if (x.id == ex.rule.text) {
      if (x.status == ex.status) return {};
      std::string id = x.kind == ResultKind::Descriptor ? fmt::format("{} (\"{}\")", x.id, x.label) : std::string(x.id);
      std::string s = fmt::format("{}expected {} {}, got {}", who, id, result_status_words(ex.status),
                                  result_status_words(x.status));
      if (!x.reasons.empty()) s += " (" + reasons_text(x.reasons) + ")";
      return s;
    }
  return fmt::format("{}no standard, floor, descriptor or kpi '{}' in the results", who, ex.rule.text);
}

// Coverage, kept simple: a test exercises a standard, floor, kpi or descriptor
// when it expects that id's status; expecting `tier N` exercises the descriptors
// of tier N (the ones that must hold for the placement to come out as expected).
void coverage(const Ruleset& rs, const std::string& prefix, std::vector<std::string>& out) {
  std::set<std::string> ids;
  std::set<int> tiers;
  for (const Test* t : rs.tests)
    for (const Expect& ex : t->expects) {
      if (ex.kind == ExpectKind::Tier) tiers.insert(ex.tier);
      if (ex.kind == ExpectKind::Status) ids.insert(ex.rule.text);
    }
  for (const Rule* r : rs.rules)
    if (!ids.count(r->id.text)) out.push_back(prefix + r->id.text);
  if (!rs.tiers) return;
  for (const Tier& tier : rs.tiers->tiers) {
    if (tiers.count(tier.number)) continue;
    for (size_t i = 0; i < tier.descriptors.size(); ++i) {
      std::string id = fmt::format("tier{}.d{}", tier.number, i + 1);
      if (!ids.count(id)) out.push_back(prefix + id);
    }
  }
}

void run_root(const std::string& root, bool color, bool several, std::set<std::string>& seen,
              RuleTestReport& rep) {
  Diagnostics d;
  std::unique_ptr<Ruleset> rs = load_and_check(root, d);
  if (!rs || d.has_errors()) {
    SourceFiles none;
    rep.errors += d.render(rs ? rs->sources : none, color);
    if (!rs) rep.errors += fmt::format("trustrules test: cannot read {}\n", root);
    rep.rule_errors = true;
    return;
  }
  Period year;
  if (!rs->header || !parse_period(rs->header->year, year)) year = Period{};
  for (const Test* t : rs->tests) {
    RuleTestOutcome out;
    out.label = t->label;
    out.where = where_of(*rs, t->span);
    // A test file included by two roots runs once.
    if (!seen.insert(out.where).second) continue;
    Period as_of = t->as_of ? to_period(*t->as_of) : year;
    Dataset ds;
    std::vector<std::string> errors;
    build_dataset(*rs, *t, as_of, ds, errors);
    Plan plan;
    Diagnostics pd;
    if (!errors.empty() || !build_plan(*rs, ds, plan, pd)) {
      for (auto& e : errors) out.failures.push_back(e);
      if (pd.has_errors()) out.failures.push_back("the rules could not be planned:\n" + pd.render(rs->sources, color));
      rep.tests.push_back(std::move(out));
      continue;
    }
    EvalOptions opts;
    opts.as_of = as_of;
    opts.jobs = 1;
    opts.lua = make_lua_bridge_factory(plan);
    EvaluationResult res = evaluate(plan, opts);
    for (const Expect& ex : t->expects) {
      std::string f = check_expect(ex, *t, res, plan, opts);
      if (!f.empty()) out.failures.push_back(std::move(f));
    }
    rep.tests.push_back(std::move(out));
  }
  coverage(*rs, several ? fs::path(root).filename().string() + ": " : "", rep.uncovered);
}

}  // namespace

int RuleTestReport::passed() const {
  int n = 0;
  for (const auto& t : tests) n += t.passed();
  return n;
}

int RuleTestReport::failed() const { return static_cast<int>(tests.size()) - passed(); }

RuleTestReport run_rule_tests(const std::vector<std::string>& paths_in, bool color) {
  std::vector<std::string> paths = paths_in;
  if (paths.empty()) paths.push_back("rules");
  RuleTestReport rep;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      rep.errors += fmt::format("trustrules test: '{}' does not exist\n", p);
      rep.rule_errors = true;
    }
  }
  if (rep.rule_errors) return rep;
  Diagnostics found;
  rep.roots = find_root_files(paths, found);
  if (found.has_errors()) {
    rep.errors += found.render(SourceFiles{}, color);
    rep.rule_errors = true;
  }
  std::set<std::string> seen;
  for (const auto& root : rep.roots) run_root(root, color, rep.roots.size() > 1, seen, rep);
  return rep;
}

std::string format_rule_test_report(const RuleTestReport& r) {
  std::string s;
  for (const RuleTestOutcome& t : r.tests) {
    if (t.passed()) {
      s += fmt::format("ok   \"{}\"\n", t.label);
      continue;
    }
    // The first failure on the FAIL line, the rest beneath it.
    s += fmt::format("FAIL \"{}\": {}\n", t.label, t.failures[0]);
    for (size_t i = 1; i < t.failures.size(); ++i) s += fmt::format("     \"{}\": {}\n", t.label, t.failures[i]);
    s += fmt::format("     at {}\n", t.where);
  }
  if (r.uncovered.empty()) {
    s += "coverage: every standard, floor and descriptor is exercised by a test\n";
  } else {
    s += "not exercised by any test: ";
    for (size_t i = 0; i < r.uncovered.size(); ++i) s += (i ? ", " : "") + r.uncovered[i];
    s += "\n";
  }
  s += fmt::format("{} passed, {} failed\n", r.passed(), r.failed());
  return s;
}

}  // namespace tr
