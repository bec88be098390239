// Per-school evaluation and the parallel driver (see evaluate.h). The expression
// evaluator itself is in eval_expr.cc; tier placement in tiers.cc; KPIs in kpi.cc.
#include "evaluate.h"

#include "content_hash.h"
#include "kpi.h"
#include "tiers.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace tr {

std::string age_text(int age, const std::string& unit) {
  return std::to_string(age) + " " + unit + (age == 1 ? "" : "s");
}

std::string describe_value(const Ruleset& rs, const Value& v) {
  if (v.kind == Value::Kind::Grade && v.scale >= 0 && v.scale < static_cast<int>(rs.scales.size())) {
    const auto& grades = rs.scales[v.scale]->grades;
    int rank = static_cast<int>(v.num);
    if (rank >= 0 && rank < static_cast<int>(grades.size()))
      return grades[rank].label.empty() ? grades[rank].id.text : grades[rank].label;
  }
  return format_plain(v);
}

// ---- one school --------------------------------------------------------------

SchoolResult evaluate_school(Evaluator& ev, const Plan& plan, int s, SchoolTrace* trace) {
  const Dataset& ds = *plan.ds;
  const School& sch = ds.schools[s];
  SchoolResult r;
  r.school = s;
  r.urn = sch.urn;
  r.name = sch.name;
  r.phase = sch.phase;
  r.type = sch.type;
  ev.set_school(s);
  size_t descriptors = 0;
  for (const auto& tp : plan.tiers) descriptors += tp.descriptors.size();
  r.results.reserve(plan.rules.size() + descriptors);
  auto slot = [&]() -> ResultTrace* {
    if (!trace) return nullptr;
    trace->results.emplace_back();
    return &trace->results.back();
  };
  for (size_t i = 0; i < plan.rules.size(); ++i) {
    const RulePlan& rp = plan.rules[i];
    RuleResult rr;
    rr.kind = rp.kind == RuleKind::Floor ? ResultKind::Floor : ResultKind::Standard;
    rr.id = rp.id;
    rr.label = rp.label;
    rr.index = rp.rule;
    ev.uses = ev.keep_values ? &rr.values : nullptr;
    rr.status = ev.rule(static_cast<int>(i), rr.reasons, slot());
    r.results.push_back(std::move(rr));
  }
  std::vector<TierInput> inputs;
  inputs.reserve(plan.tiers.size());
  for (const auto& tp : plan.tiers) {
    TierInput in;
    in.ids.reserve(tp.descriptors.size());
    in.labels.reserve(tp.descriptors.size());
    in.outcomes.reserve(tp.descriptors.size());
    in.reasons.reserve(tp.descriptors.size());
    in.number = tp.number;
    in.label = tp.label;
    in.led_by = tp.led_by;
    for (size_t d = 0; d < tp.descriptors.size(); ++d) {
      const DescriptorPlan& dp = tp.descriptors[d];
      RuleResult rr;
      rr.kind = ResultKind::Descriptor;
      rr.id = dp.id;
      rr.label = dp.label;
      rr.tier = tp.number;
      rr.index = static_cast<int>(d);
      ev.uses = ev.keep_values ? &rr.values : nullptr;
      ResultTrace* rt = slot();
      if (rt) rt->has_met = true;
      ev.lua_rule = dp.id;
      Value v = dp.expr >= 0 ? ev.eval(dp.expr, rt ? &rt->met : nullptr) : Value::unknown("no expression");
      rr.status = status_of(v.truth());
      if (rr.status == Status::Unknown) {
        if (v.known()) add_reason(rr.reasons, "the descriptor is not yes/no: " + format_plain(v));
        add_reasons(rr.reasons, v.reasons);
      }
      in.ids.push_back(dp.id);
      in.labels.push_back(dp.label);
      in.outcomes.push_back(v.truth());
      in.reasons.push_back(rr.reasons);
      r.results.push_back(std::move(rr));
    }
    inputs.push_back(std::move(in));
  }
  ev.uses = nullptr;

  // Floors: who breached, and whether every applicable one is met.
  std::vector<FloorOutcome> floors;
  bool any_unknown = false, any_failed = false;
  for (int f : plan.floors) {
    const RuleResult& fr = r.results[f];
    floors.push_back({std::string(fr.id), std::string(fr.label), fr.status, plan.rules[f].breach_tier});
    if (fr.status == Status::NotMet) {
      any_failed = true;
      r.floors_breached.emplace_back(fr.id);
    }
    if (fr.status == Status::Unknown) any_unknown = true;
  }
  r.floors_met = any_failed ? Status::NotMet : any_unknown ? Status::Unknown : Status::Met;
  for (const auto& rr : r.results) {
    if (rr.kind != ResultKind::Standard || rr.status == Status::NotApplicable) continue;
    ++r.standards_applicable;
    if (rr.status == Status::Met) ++r.standards_met;
    if (rr.status == Status::Unknown) ++r.standards_unknown;
  }

  if (!plan.tiers.empty()) {
    place_tier(plan.policy, inputs, r.tier);
    apply_floors(floors, inputs, r.tier);
    apply_override(find_override(ds, sch.urn, ev.as_of()), &ds, inputs, r.tier);
    for (const auto& tp : plan.tiers)
      if (tp.number == r.tier.number) r.support = tp.support;
  }

  // The KPIs' per-school arguments, this year and last; the trust phase sums them.
  if (!plan.aggregates.empty()) {
    Period now = ev.as_of();
    Period before{static_cast<int16_t>(now.year - 1), now.term};
    auto arguments = [&](std::vector<KpiArg>& args, std::vector<Value>& lua) {
      args.reserve(plan.aggregates.size());
      for (const auto& a : plan.aggregates) {
        Value v = ev.eval(a.arg);
        args.push_back(KpiArg::of(v));
        if (a.kind == AggKind::Lua) lua.push_back(std::move(v));
      }
    };
    arguments(r.kpi_now, r.kpi_lua_now);
    ev.set_as_of(before);
    arguments(r.kpi_before, r.kpi_lua_before);
    ev.set_as_of(now);
  }
  return r;
}

// ---- every school ------------------------------------------------------------

namespace {

// What a written window lets go of: everything that explains a school, not what
// the trust phase sums (tier number, support, tallies). Swapped
// with empties so the memory is returned, not just the sizes zeroed.
void release_explanation(SchoolResult& r) {
  std::vector<RuleResult>().swap(r.results);
  std::vector<std::string>().swap(r.floors_breached);
  TierResult& t = r.tier;
  std::vector<TierScore>().swap(t.scores);
  std::vector<std::string>().swap(t.decided_by);
  std::vector<std::string>().swap(t.not_judged);
  std::vector<FloorConsequence>().swap(t.floors);
  std::vector<std::string>().swap(t.steps);
  Reasons().swap(t.reasons);
  t.override_.reset();
}

}  // namespace

EvaluationResult evaluate(const Plan& plan, const EvalOptions& opts) {
  const Dataset& ds = *plan.ds;
  EvaluationResult out;
  out.as_of = opts.as_of;
  out.values = opts.values;
  if (plan.rs->header) {
    out.ruleset_name = plan.rs->header->name;
    out.ruleset_version = plan.rs->header->version;
    out.ruleset_year = plan.rs->header->year;
  }
  // The hash the board approves (content_hash.h); the plain text hash only when a
  // Lua script could not be read for it.
  if (!opts.content_hash.empty()) {
    out.content_hash = opts.content_hash;
  } else {
    ContentHash h = content_hash(*plan.rs);
    out.content_hash = h.ok() ? h.hash : ruleset_hash(*plan.rs);
  }
  size_t n = ds.schools.size();
  out.schools.resize(n);
  int jobs = opts.jobs > 0 ? opts.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = static_cast<int>(std::min<size_t>(static_cast<size_t>(jobs), std::max<size_t>(n, 1)));
  out.jobs = jobs;

  // Workers take small blocks of schools from a shared counter and write each
  // result into its own slot: no ordering depends on which thread ran what.
  // With on_window, the schools go a window at a time: fresh threads each, but
  // each worker's evaluator and Lua sandbox live for the whole run (the Lua
  // benchmark views by phase and LA are built once a run: eval_lua.cc).
  struct Worker {
    std::unique_ptr<LuaBridge> lua;
    std::unique_ptr<Evaluator> ev;
  };
  std::vector<Worker> workers(static_cast<size_t>(jobs));
  std::atomic<size_t> next{0};
  size_t n_end = n;
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto work = [&](Worker& w) {
    try {
      if (!w.ev) {
        w.lua = opts.lua ? opts.lua() : nullptr;
        w.ev = std::make_unique<Evaluator>(plan, opts.as_of, w.lua.get());
        w.ev->keep_values = opts.values;
      }
      constexpr size_t kBlock = 8;
      for (;;) {
        size_t begin = next.fetch_add(kBlock);
        if (begin >= n_end) break;
        for (size_t s = begin; s < std::min(n_end, begin + kBlock); ++s)
          out.schools[s] = evaluate_school(*w.ev, plan, static_cast<int>(s));
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mu);
      if (!failure) failure = std::current_exception();
      next.store(n);
    }
  };
  KpiInputs kpi_inputs(plan);  // each window's KPI arguments, folded as it is done
  const size_t window = opts.on_window ? std::max<size_t>(1, opts.window) : std::max<size_t>(n, 1);
  for (size_t first = 0;; first += window) {  // one window without on_window
    n_end = std::min(n, first + window);
    next.store(first);
    if (jobs <= 1) {
      work(workers[0]);
    } else {
      std::vector<std::thread> pool;
      for (auto& w : workers) pool.emplace_back(work, std::ref(w));
      for (auto& th : pool) th.join();
    }
    if (failure) std::rethrow_exception(failure);
    kpi_inputs.take(plan, out.schools, first, n_end - first);
    if (opts.on_window) {  // called at least once, with an empty range when there are no schools
      opts.on_window(out, first, n_end - first);
      for (size_t s = first; s < n_end; ++s) release_explanation(out.schools[s]);
    }
    if (n_end >= n) break;
  }
  for (const auto& w : workers)
    if (w.lua) {
      std::vector<std::string> errors = w.lua->errors();
      out.script_errors.insert(out.script_errors.end(), errors.begin(), errors.end());
    }
  {
    // Lua aggregates run on the calling thread, in a sandbox of their own.
    bool lua_kpis = std::any_of(plan.aggregates.begin(), plan.aggregates.end(),
                                [](const AggregatePlan& a) { return a.kind == AggKind::Lua; });
    std::unique_ptr<LuaBridge> lua = lua_kpis && opts.lua ? opts.lua() : nullptr;
    evaluate_kpis(plan, opts.as_of, kpi_inputs, out, lua.get());
    if (lua) {
      std::vector<std::string> errors = lua->errors();
      out.script_errors.insert(out.script_errors.end(), errors.begin(), errors.end());
    }
    // Whatever thread met which error, the list reads the same.
    std::sort(out.script_errors.begin(), out.script_errors.end());
    out.script_errors.erase(std::unique(out.script_errors.begin(), out.script_errors.end()), out.script_errors.end());
  }
  out.capacity = support_capacity(plan, out.schools);
  return out;
}

Period default_as_of(const Ruleset& rs, const Dataset& ds) {
  Period cap{};
  bool has_cap = rs.header && parse_period(rs.header->year, cap);
  Period best{};
  bool found = false;
  // Cells are sorted by period, so each school's latest usable one is the last
  // not after the cap: a national data set is not scanned cell by cell.
  for (int series = 0; series < ds.values.series(); ++series)
    for (uint32_t school = 0; school < ds.values.schools; ++school) {
      std::span<const Cell> cells = ds.values.of(series, static_cast<int>(school));
      for (auto it = cells.rbegin(); it != cells.rend(); ++it) {
        const Cell& c = *it;
        if (has_cap && c.period().key() > cap.key()) continue;
        if (!found || c.period().key() > best.key() || (c.period().key() == best.key() && c.period().term > best.term)) {
          best = c.period();
          found = true;
        }
        break;
      }
    }
  if (found) return best;
  return has_cap ? cap : Period{};
}

std::string ruleset_hash(const Ruleset& rs) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char ch : s) {
      h ^= ch;
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // separator, so that file boundaries count
    h *= 1099511628211ull;
  };
  for (const auto& f : rs.files) mix(rs.sources.text(f.id));
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace tr
