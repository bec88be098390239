// The evaluation plan: the checked AST compiled once into a flat tree of typed
// nodes in which every name is already resolved — metrics to series ids, grades to
// ranks, benchmarks to indexes, params to their values, defines inlined with their
// arguments substituted. Evaluating a school then does no string lookups at all,
// and the plan is read-only, so schools can be evaluated on many threads at once.
#pragma once

#include "ast.h"
#include "dataset.h"
#include "diagnostics.h"
#include "result.h"
#include "ruleset.h"
#include "value.h"

#include <memory>
#include <string>
#include <vector>

namespace tr {

enum class NodeOp : uint8_t {
  Const,      // constant
  Param,      // kids[0] = the param's value; name = param id
  Metric,     // series, metric; name "rwm_expected.disadvantaged"
  Benchmark,  // bench, series, metric, index = literal table (-1: from data rows)
  Neg, Not,   // kids[0]
  Arith,      // bin: Add Sub Mul Div
  Compare,    // bin: Eq Ne Lt Le Gt Ge
  And, Or,
  Between,    // kids: x, lo, hi
  In,         // kids: x, set…
  If,         // kids: cond, then, else
  Abs, Min, Max, CountOf, Known,
  Previous,   // kids[0] one period back (each metric in its own cadence)
  Change,     // kids[0] now minus kids[0] `step` back
  Improving, Declining,  // kids[0] over `count` periods, `step` apart, by `better`
  EveryYear,  // kids[0] true in each of the last `count` years
  Year, Phase, SchoolType,
  RuleRef,    // index = rule (Ruleset::rules)
  FloorsMet,  // every applicable floor met
  Define,     // kids[0] = the inlined body; index = define; src = the call
  Lua,        // name = function; kids = arguments
  KpiValue, KpiPrevious,  // `value`, `previous(value)` in a kpi's `met when`
  Aggregate,  // agg over kids[0] per school; index = Plan::aggregates slot
  LuaAcross,  // a Lua function as a kpi aggregate: name = function; kids = Aggregate (AggKind::Lua) nodes
};

enum class AggKind : uint8_t { Count, Share, Mean, Min, Max, Spread, Variability, Lua };
const char* agg_name(AggKind k);

// How far back a time function looks: whole periods of each metric's own cadence,
// plus explicit years and terms.
struct Shift {
  int periods = 0, years = 0, terms = 0;
  bool zero() const { return periods == 0 && years == 0 && terms == 0; }
  Shift operator+(Shift o) const { return {periods + o.periods, years + o.years, terms + o.terms}; }
  Shift times(int n) const { return {periods * n, years * n, terms * n}; }
  bool operator==(const Shift&) const = default;
};

struct PlanNode {
  NodeOp op = NodeOp::Const;
  Op bin = Op::Add;
  AggKind agg = AggKind::Count;
  Type type = Type::Error;
  Direction better = Direction::None;  // Metric and time functions: which way is better
  // Define: no parameters, and nothing in the body that depends on more than the
  // school and the period (no Lua, rule references, floors or KPI values), so
  // every call site has one value and an evaluation may reuse it.
  bool shared = false;
  Cadence cadence = Cadence::Annual;   // Metric, Benchmark
  int series = -1, metric = -1, bench = -1;
  int scale = -1;  // Metric/Benchmark of a grade measure: Ruleset::scales
  int index = -1;  // see NodeOp
  int count = 0;   // Improving/Declining/EveryYear: N
  int max_age = 0; // Metric: `valid for`, in periods of its cadence (0: no limit)
  Shift step;      // Change/Improving/Declining: the step back
  Value constant;  // Const
  std::string name;  // display name of a leaf or call
  std::vector<int> kids;
  const Expr* src = nullptr;  // for explanations; may be null
};

struct RulePlan {
  int rule = -1;  // Ruleset::rules
  RuleKind kind = RuleKind::Standard;
  std::string id, label;
  int applies = -1, met = -1;  // nodes; -1 when absent
  std::string scope;           // the `applies when` expression as written, for "not applicable" reasons
  std::string lua;             // `met by lua "fn"`
  int breach_tier = 0;
  const Rule* src = nullptr;
};

struct DescriptorPlan {
  std::string id, label;  // id "tier3.d2"
  int expr = -1;
  const Descriptor* src = nullptr;
};

struct TierPlan {
  int number = 0;
  std::string label;
  LedBy led_by = LedBy::Academy;
  std::vector<DescriptorPlan> descriptors;
  SupportPackage support;  // per_term already computed; shared by the tier's schools
};

struct AggregatePlan {
  AggKind kind = AggKind::Count;
  int arg = -1;   // per-school node
  int node = -1;  // the Aggregate node
  int kpi = -1;   // Plan::kpis
};

struct KpiPlan {
  int kpi = -1;  // Ruleset::kpis
  std::string id, label;
  int value = -1, met = -1;
  Direction better = Direction::None;
  std::vector<int> aggregates;  // slots in Plan::aggregates, in order of appearance
  const Kpi* src = nullptr;
};

struct Plan {
  const Ruleset* rs = nullptr;
  const Dataset* ds = nullptr;
  std::vector<PlanNode> nodes;
  std::vector<RulePlan> rules;        // standards and floors in source order
  std::vector<int> floors;            // indexes into `rules`
  std::vector<TierPlan> tiers;        // in the order written
  Policy policy;
  std::string tiers_label;
  std::vector<KpiPlan> kpis;
  std::vector<AggregatePlan> aggregates;
  // Literal benchmark values: per table, (year or 0 for every year, node).
  std::vector<std::vector<std::pair<int, int>>> literal_benchmarks;
  std::vector<std::string> lua_functions;  // Lua node index -> name
  // Inlined define bodies (clones); nodes point into them.
  std::vector<ExprPtr> owned;
};

// Compiles a checked ruleset against a loaded dataset. Problems the checker should
// have caught (an unresolved name) are reported to `diags`; returns false then.
bool build_plan(const Ruleset& rs, const Dataset& ds, Plan& out, Diagnostics& diags);

// Compiles one more school-level expression into a built plan (a rule test's
// `expect EXPR`); returns its node, or -1 with the problem in `diags`.
int plan_expression(Plan& plan, const Expr& e, Diagnostics& diags);

// A deep copy of an expression, checker fields included.
ExprPtr clone_expr(const Expr& e);

}  // namespace tr
