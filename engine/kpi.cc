// Trust KPIs and support capacity (see kpi.h).
#include "kpi.h"

#include "evaluate.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tr {

Value aggregate(AggKind kind, const std::vector<KpiArg>& per_school, Type arg_type, AggregateCounts& counts) {
  counts = {};
  counts.schools = static_cast<int>(per_school.size());
  std::vector<double> xs;
  int yes = 0, no = 0;
  for (const auto& v : per_school) {
    if (v.kind == Value::Kind::Unknown && v.not_applicable) {
      ++counts.not_applicable;
      continue;
    }
    if (kind == AggKind::Lua) {  // the Lua function sees every value; here they are only counted
      ++(v.known() ? counts.known : counts.unknown);
      continue;
    }
    bool predicate = kind == AggKind::Count || kind == AggKind::Share;
    if (predicate ? v.kind != Value::Kind::Bool : v.kind != Value::Kind::Number) {
      ++counts.unknown;
      continue;
    }
    ++counts.known;
    if (predicate) (v.num != 0 ? yes : no)++;
    else xs.push_back(v.num);
  }
  auto none = [&](const char* what) {
    return Value::unknown(std::string("no school had a known ") + what, kind == AggKind::Count ? Type::Count : arg_type);
  };
  switch (kind) {
    case AggKind::Count:
      if (counts.known == 0 && counts.unknown > 0) return none("answer");
      return Value::number(yes, Type::Count);
    case AggKind::Share:
      if (yes + no == 0) return Value::unknown("no school had a known answer", Type::Percent);
      return Value::number(100.0 * yes / (yes + no), Type::Percent);
    case AggKind::Lua: return Value::unknown("a Lua aggregate's lists are in the columns", arg_type);
    default: break;
  }
  if (xs.empty()) return none("value");
  // Sums run in school order, so the result does not depend on the thread count.
  double sum = 0, lo = xs[0], hi = xs[0];
  for (double x : xs) {
    sum += x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  double mean = sum / static_cast<double>(xs.size());
  switch (kind) {
    case AggKind::Mean: return Value::number(mean, arg_type);
    case AggKind::Min: return Value::number(lo, arg_type);
    case AggKind::Max: return Value::number(hi, arg_type);
    case AggKind::Spread:
      return Value::number(hi - lo, arg_type == Type::Percent || arg_type == Type::Score ? Type::Points : arg_type);
    case AggKind::Variability: {
      if (std::fabs(mean) < 1e-12) return Value::unknown("the mean is zero, so variability is undefined", Type::Percent);
      double ss = 0;
      for (double x : xs) ss += (x - mean) * (x - mean);
      double sd = std::sqrt(ss / static_cast<double>(xs.size()));
      return Value::number(100.0 * sd / std::fabs(mean), Type::Percent);
    }
    default: break;
  }
  return Value::unknown("unknown aggregate");
}

std::string change_direction(const Value& change, Direction better) {
  if (change.kind != Value::Kind::Number) return "unknown";
  if (std::fabs(change.num) < 1e-9) return "unchanged";
  if (better == Direction::None) return "changed";
  bool up = change.num > 0;
  return up == (better == Direction::Higher) ? "improved" : "declined";
}

void evaluate_kpis(const Plan& plan, Period as_of, EvaluationResult& result, LuaBridge* lua) {
  size_t slots = plan.aggregates.size();
  std::vector<Value> now(slots), before(slots);
  std::vector<AggregateCounts> counts(slots);
  // A Lua aggregate's whole values per slot, this year and the year before
  // (empty for a built-in aggregate's slot).
  std::vector<std::vector<Value>> now_cols(slots), before_cols(slots);
  std::vector<KpiArg> now_args, before_args;
  const KpiArg missing = KpiArg::of(Value::unknown("not evaluated"));
  auto take = [](std::vector<Value>& lua, size_t slot) {
    return slot < lua.size() ? std::move(lua[slot]) : Value::unknown("not evaluated");
  };
  size_t lua_slot = 0;
  for (size_t a = 0; a < slots; ++a) {
    const AggregatePlan& ap = plan.aggregates[a];
    Type arg = plan.nodes[ap.arg].type;
    AggregateCounts ignored;
    now_args.clear();
    before_args.clear();
    for (const auto& s : result.schools) {
      now_args.push_back(a < s.kpi_now.size() ? s.kpi_now[a] : missing);
      before_args.push_back(a < s.kpi_before.size() ? s.kpi_before[a] : missing);
    }
    if (ap.kind == AggKind::Lua) {
      // Moved, not copied: the per-school values have no other reader.
      now_cols[a].reserve(result.schools.size());
      before_cols[a].reserve(result.schools.size());
      for (auto& s : result.schools) {
        now_cols[a].push_back(take(s.kpi_lua_now, lua_slot));
        before_cols[a].push_back(take(s.kpi_lua_before, lua_slot));
      }
      ++lua_slot;
    }
    now[a] = aggregate(ap.kind, now_args, arg, counts[a]);
    before[a] = aggregate(ap.kind, before_args, arg, ignored);
  }
  for (auto& s : result.schools) {
    std::vector<KpiArg>().swap(s.kpi_now);
    std::vector<KpiArg>().swap(s.kpi_before);
    std::vector<Value>().swap(s.kpi_lua_now);
    std::vector<Value>().swap(s.kpi_lua_before);
  }
  Period prev{static_cast<int16_t>(as_of.year - 1), as_of.term};
  Evaluator ev(plan, as_of, lua);
  ev.set_school(-1);
  for (const auto& kp : plan.kpis) {
    KpiResult k;
    k.id = kp.id;
    k.label = kp.label;
    k.better = kp.better;
    k.year = to_string(Period{as_of.year, 0});
    k.previous_year = to_string(Period{prev.year, 0});
    if (!kp.aggregates.empty()) {
      const AggregatePlan& first = plan.aggregates[kp.aggregates[0]];
      k.aggregate = first.kind == AggKind::Lua ? plan.nodes[first.node].name : agg_name(first.kind);
      const AggregateCounts& c = counts[kp.aggregates[0]];
      k.schools = c.schools;
      k.known = c.known;
      k.unknown = c.unknown;
      k.not_applicable = c.not_applicable;
    }
    ev.lua_rule = kp.id;
    if (kp.value >= 0) {
      ev.aggregates = &now;
      ev.columns = &now_cols;
      k.value = ev.eval(kp.value);
      ev.aggregates = &before;
      ev.columns = &before_cols;
      ev.set_as_of(prev);
      k.previous = ev.eval(kp.value);
      ev.set_as_of(as_of);
    } else {
      k.value = k.previous = Value::unknown("the kpi has no value");
    }
    k.change = arith(Op::Sub, k.value, k.previous);
    k.direction = change_direction(k.change, kp.better);
    if (kp.met >= 0) {
      ev.aggregates = &now;
      ev.columns = &now_cols;
      ev.kpi_value = &k.value;
      ev.kpi_previous = &k.previous;
      Value m = ev.eval(kp.met);
      k.status = status_of(m.truth());
      if (k.status == Status::Unknown) add_reasons(k.reasons, m.reasons);
      ev.kpi_value = ev.kpi_previous = nullptr;
    }
    if (!k.value.known()) add_reasons(k.reasons, k.value.reasons);
    result.kpis.push_back(std::move(k));
  }
}

std::vector<CapacityLine> support_capacity(const Plan& plan, const std::vector<SchoolResult>& schools) {
  std::vector<CapacityLine> lines;
  auto line = [&](const SupportItem& s) -> CapacityLine& {
    for (auto& l : lines)
      if (l.id == s.id) return l;
    lines.push_back({s.id, s.label, 0, 0, 0});
    return lines.back();
  };
  // Lines in the order the rules list support, so the table reads like the policy.
  for (const auto& t : plan.tiers)
    for (const auto& s : t.support) line(s);
  for (const auto& r : schools)
    for (const auto& s : r.support) {
      CapacityLine& l = line(s);
      ++l.schools;
      if (s.one_off) ++l.one_off;
      else l.per_term += s.per_term;
    }
  return lines;
}

}  // namespace tr
