// Trust-level measures: KPIs aggregated across schools and years, and the support
// capacity the schools' tiers add up to. Runs after every school is evaluated,
// serially in school order, so sums are the same whatever the thread count.
#pragma once

#include "plan.h"
#include "result.h"
#include "value.h"

#include <vector>

namespace tr {

class LuaBridge;

struct AggregateCounts {
  int schools = 0, known = 0, unknown = 0, not_applicable = 0;
};

// count(pred), share(pred) (percent of schools with a known answer), mean, min, max,
// spread (max - min), variability (coefficient of variation, %, population standard
// deviation over the mean) — over known values only; unknown and not applicable
// schools are counted, not guessed. No known value at all gives unknown.
Value aggregate(AggKind kind, const std::vector<KpiArg>& per_school, Type arg_type,
                AggregateCounts& counts);

// "improved", "declined", "unchanged", "changed" (no direction), "unknown".
std::string change_direction(const Value& change, Direction better);

// Fills result.kpis from the per-school KPI arguments in result.schools. `lua`
// runs the Lua functions a kpi uses as aggregates (null: they give unknown).
void evaluate_kpis(const Plan& plan, Period as_of, EvaluationResult& result, LuaBridge* lua = nullptr);

// Occurrences per term of each support id across schools (their final tiers).
std::vector<CapacityLine> support_capacity(const Plan& plan, const std::vector<SchoolResult>& schools);

}  // namespace tr
