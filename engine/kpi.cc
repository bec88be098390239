// Trust KPIs and support capacity (see kpi.h).
#include "kpi.h"

#include "evaluate.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace tr {

void AggregateFold::add(const KpiArg& v) {
  ++counts_.schools;
  if (v.kind == Value::Kind::Unknown && v.not_applicable) {
    ++counts_.not_applicable;
    return;
  }
  if (kind_ == AggKind::Lua) {  // the Lua function sees every value; here they are only counted
    ++(v.known() ? counts_.known : counts_.unknown);
    return;
  }
  bool predicate = kind_ == AggKind::Count || kind_ == AggKind::Share;
  if (predicate ? v.kind != Value::Kind::Bool : v.kind != Value::Kind::Number) {
    ++counts_.unknown;
    return;
  }
  ++counts_.known;
  if (predicate) {
    (v.num != 0 ? yes_ : no_)++;
    return;
  }
  // Sums run in school order, so the result does not depend on the thread count.
  lo_ = values_ == 0 ? v.num : std::min(lo_, v.num);
  hi_ = values_ == 0 ? v.num : std::max(hi_, v.num);
  sum_ += v.num;
  ++values_;
  if (kind_ == AggKind::Variability) xs_.push_back(v.num);
}

Value AggregateFold::result(Type arg_type, AggregateCounts& counts) const {
  counts = counts_;
  auto none = [&](const char* what) {
    return Value::unknown(std::string("no school had a known ") + what, kind_ == AggKind::Count ? Type::Count : arg_type);
  };
  switch (kind_) {
    case AggKind::Count:
      if (counts.known == 0 && counts.unknown > 0) return none("answer");
      return Value::number(yes_, Type::Count);
    case AggKind::Share:
      if (yes_ + no_ == 0) return Value::unknown("no school had a known answer", Type::Percent);
      return Value::number(100.0 * yes_ / (yes_ + no_), Type::Percent);
    case AggKind::Lua: return Value::unknown("a Lua aggregate's lists are in the columns", arg_type);
    default: break;
  }
  if (values_ == 0) return none("value");
  double mean = sum_ / static_cast<double>(values_);
  switch (kind_) {
    case AggKind::Mean: return Value::number(mean, arg_type);
    case AggKind::Min: return Value::number(lo_, arg_type);
    case AggKind::Max: return Value::number(hi_, arg_type);
    case AggKind::Spread:
      return Value::number(hi_ - lo_, arg_type == Type::Percent || arg_type == Type::Score ? Type::Points : arg_type);
    case AggKind::Variability: {
      if (std::fabs(mean) < 1e-12) return Value::unknown("the mean is zero, so variability is undefined", Type::Percent);
      double ss = 0;
      for (double x : xs_) ss += (x - mean) * (x - mean);
      double sd = std::sqrt(ss / static_cast<double>(values_));
      return Value::number(100.0 * sd / std::fabs(mean), Type::Percent);
    }
    default: break;
  }
  return Value::unknown("unknown aggregate");
}

Value aggregate(AggKind kind, const std::vector<KpiArg>& per_school, Type arg_type, AggregateCounts& counts) {
  AggregateFold fold(kind);
  for (const auto& v : per_school) fold.add(v);
  return fold.result(arg_type, counts);
}

KpiInputs::KpiInputs(const Plan& plan) : cols_now(plan.aggregates.size()), cols_before(plan.aggregates.size()) {
  for (const auto& a : plan.aggregates) {
    now.emplace_back(a.kind);
    before.emplace_back(a.kind);
  }
}

void KpiInputs::take(const Plan& plan, std::vector<SchoolResult>& schools, size_t first, size_t count) {
  const KpiArg missing = KpiArg::of(Value::unknown("not evaluated"));
  auto lua_value = [](std::vector<Value>& lua, size_t slot) {
    return slot < lua.size() ? std::move(lua[slot]) : Value::unknown("not evaluated");
  };
  for (size_t i = first; i < first + count; ++i) {
    SchoolResult& s = schools[i];
    size_t lua_slot = 0;
    for (size_t a = 0; a < plan.aggregates.size(); ++a) {
      now[a].add(a < s.kpi_now.size() ? s.kpi_now[a] : missing);
      before[a].add(a < s.kpi_before.size() ? s.kpi_before[a] : missing);
      if (plan.aggregates[a].kind == AggKind::Lua) {  // moved: the school's values have no other reader
        cols_now[a].push_back(lua_value(s.kpi_lua_now, lua_slot));
        cols_before[a].push_back(lua_value(s.kpi_lua_before, lua_slot));
        ++lua_slot;
      }
    }
    std::vector<KpiArg>().swap(s.kpi_now);
    std::vector<KpiArg>().swap(s.kpi_before);
    std::vector<Value>().swap(s.kpi_lua_now);
    std::vector<Value>().swap(s.kpi_lua_before);
  }
}

std::string change_direction(const Value& change, Direction better) {
  if (change.kind != Value::Kind::Number) return "unknown";
  if (std::fabs(change.num) < 1e-9) return "unchanged";
  if (better == Direction::None) return "changed";
  bool up = change.num > 0;
  return up == (better == Direction::Higher) ? "improved" : "declined";
}

void evaluate_kpis(const Plan& plan, Period as_of, KpiInputs& in, EvaluationResult& result, LuaBridge* lua) {
  size_t slots = plan.aggregates.size();
  std::vector<Value> now(slots), before(slots);
  std::vector<AggregateCounts> counts(slots);
  for (size_t a = 0; a < slots; ++a) {
    Type arg = plan.nodes[plan.aggregates[a].arg].type;
    AggregateCounts ignored;
    now[a] = in.now[a].result(arg, counts[a]);
    before[a] = in.before[a].result(arg, ignored);
  }
  std::vector<std::vector<Value>>& now_cols = in.cols_now;
  std::vector<std::vector<Value>>& before_cols = in.cols_before;
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
