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

// One aggregate's running state over the schools, taken in school order: what
// aggregate() needs of each argument, so a national run folds a window of
// schools at a time and lets their arguments go.
class AggregateFold {
 public:
  explicit AggregateFold(AggKind kind) : kind_(kind) {}
  void add(const KpiArg& v);
  Value result(Type arg_type, AggregateCounts& counts) const;

 private:
  AggKind kind_;
  AggregateCounts counts_;
  int yes_ = 0, no_ = 0;  // count and share
  size_t values_ = 0;     // the rest: known numbers
  double sum_ = 0, lo_ = 0, hi_ = 0;
  std::vector<double> xs_;  // variability's second pass
};

// count(pred), share(pred) (percent of schools with a known answer), mean, min, max,
// spread (max - min), variability (coefficient of variation, %, population standard
// deviation over the mean) — over known values only; unknown and not applicable
// schools are counted, not guessed. No known value at all gives unknown.
Value aggregate(AggKind kind, const std::vector<KpiArg>& per_school, Type arg_type,
                AggregateCounts& counts);

// "improved", "declined", "unchanged", "changed" (no direction), "unknown".
std::string change_direction(const Value& change, Direction better);

// What the trust phase reads, by aggregate slot (Plan::aggregates): each one's
// fold this year and the year before, and a Lua aggregate's whole values (the
// columns; empty for a built-in aggregate).
struct KpiInputs {
  explicit KpiInputs(const Plan& plan);
  // Folds in the KPI arguments of schools [first, first + count), which must
  // follow the schools taken before, and empties them.
  void take(const Plan& plan, std::vector<SchoolResult>& schools, size_t first, size_t count);
  std::vector<AggregateFold> now, before;
  std::vector<std::vector<Value>> cols_now, cols_before;
};

// Fills result.kpis from the schools' KPI arguments, taken into `in`. `lua`
// runs the Lua functions a kpi uses as aggregates (null: they give unknown).
void evaluate_kpis(const Plan& plan, Period as_of, KpiInputs& in, EvaluationResult& result, LuaBridge* lua = nullptr);

// Occurrences per term of each support id across schools (their final tiers).
std::vector<CapacityLine> support_capacity(const Plan& plan, const std::vector<SchoolResult>& schools);

}  // namespace tr
