// Per-school evaluation of a plan, and the driver that evaluates every school on
// a pool of threads. Each school's result lands in its own slot (by school index),
// and the trust-level phase (kpi.cc) runs after all schools are done, serially and
// in school order, so the output is byte-identical whatever the thread count.
#pragma once

#include "plan.h"
#include "result.h"
#include "value.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tr {

// The record of one evaluation, node by node, for `explain`. Built only when asked
// for: normal runs pass a null trace and pay nothing but a branch.
struct TraceNode {
  int node = -1;      // Plan::nodes
  Value value;
  std::string note;   // "in 2017-18", "1 year earlier"
  std::string source; // data leaves: "2018-19, file.csv row 41, column PTRWM_EXP, 1 year old"
  std::vector<TraceNode> kids;
};

struct ResultTrace {
  TraceNode applies, met;
  bool has_applies = false, has_met = false;
};

// Parallel to SchoolResult::results.
struct SchoolTrace {
  std::vector<ResultTrace> results;
};

// The bridge to `use lua` functions, one per worker thread (a Lua state is not
// thread-safe). A failing call returns unknown with the reason.
class LuaBridge {
 public:
  virtual ~LuaBridge() = default;
  // `rule` (the rule, descriptor or kpi id) and `school` (-1: trust level) only
  // locate errors.
  virtual Value call(const std::string& function, const std::vector<Value>& args, const std::string& rule,
                     int school) = 0;
  // `met by lua "fn"`: a whole rule, judged from the school's data.
  virtual Value rule(const std::string& function, int school, Period as_of, const std::string& rule) = 0;
  // A Lua function used as a kpi aggregate: each argument is a list of one value
  // per school, in school order.
  virtual Value across(const std::string& function, const std::vector<std::vector<Value>>& lists,
                       const std::string& rule) = 0;
  // Every failed call so far, located (LuaError::to_string).
  virtual std::vector<std::string> errors() const { return {}; }
};
using LuaBridgeFactory = std::function<std::unique_ptr<LuaBridge>()>;

// Evaluates plan nodes for one school (or, with school -1, at trust level) as of a
// period. Not thread-safe; each worker thread has its own.
class Evaluator {
 public:
  Evaluator(const Plan& plan, Period as_of, LuaBridge* lua = nullptr);

  void set_school(int school);  // -1: trust level (no school data)
  void set_as_of(Period p) {
    as_of_ = p;
    ++stamp_;
  }
  Period as_of() const { return as_of_; }

  Value eval(int node, TraceNode* trace = nullptr);
  // A standard's or floor's status (Plan::rules index); reasons for unknown and
  // not applicable.
  Status rule(int rule, Reasons& reasons, ResultTrace* trace = nullptr);

  // Where values used are recorded (null: not recorded).
  std::vector<ValueUse>* uses = nullptr;
  // false: evaluate_school() records no values (a summary run).
  bool keep_values = true;
  // Trust phase: the aggregates' values by Plan::aggregates slot, and a kpi's
  // `value` and `previous(value)`.
  const std::vector<Value>* aggregates = nullptr;
  // Per slot, every school's value of the slot's argument (for Lua aggregates).
  const std::vector<std::vector<Value>>* columns = nullptr;
  const Value* kpi_value = nullptr;
  const Value* kpi_previous = nullptr;
  // The rule, descriptor or kpi being evaluated, for Lua errors.
  std::string lua_rule;

 private:
  Value eval_node(const PlanNode& n, TraceNode* t);
  Value sub(int node, TraceNode* t, std::string note = {});
  Value sub_shifted(int node, TraceNode* t);  // sub() noting the shift, for a trace
  Value metric(const PlanNode& n);
  Value benchmark(const PlanNode& n);
  Value trend(const PlanNode& n, TraceNode* t);
  Value from_cell(const PlanNode& n, const Cell& c) const;
  Period anchor(const PlanNode& n) const;
  Period now(const PlanNode& n) const;
  int age(const PlanNode& n, const Cell& c) const;
  const Cell* current(const PlanNode& n) const;
  bool shifted(Period anchor, Period& out) const;
  Period current_year() const;
  void record(ValueUse u);
  bool recording() const { return uses || cur_; }
  std::string shift_note() const;

  const Plan& plan_;
  const Dataset& ds_;
  Period as_of_;
  LuaBridge* lua_;
  int school_ = -1;
  Shift shift_;
  int depth_ = 0;
  TraceNode* cur_ = nullptr;  // the node being traced, for leaves to note their source
  // Shared defines' values (PlanNode::shared) for this school and period, by
  // define and then by the shift a time function put on it: a define used by
  // several rules and descriptors, and again by the KPIs, is evaluated once
  // for each step back it is asked at. Only when nothing is traced or
  // recorded. set_school and set_as_of bump the stamp, which empties it.
  struct Memo {
    uint64_t stamp = 0;
    Type type = Type::Error;
    Shift shift;
    Value value;
  };
  std::vector<std::vector<Memo>> memo_;
  uint64_t stamp_ = 1;
};

// One school: standards and floors, descriptors, tier placement, floors'
// consequences, override, support, and the per-school arguments of the KPIs.
SchoolResult evaluate_school(Evaluator& ev, const Plan& plan, int school, SchoolTrace* trace = nullptr);

struct EvalOptions {
  Period as_of;
  int jobs = 0;  // worker threads; 0 = one per core
  LuaBridgeFactory lua;
  // Record the values each result used, with their provenance (the full detail).
  // false gives the summary: every status, reason, tier and KPI, no values —
  // what a national run over every school needs, at a fraction of the cost.
  bool values = true;
  // When set, schools are evaluated a window at a time and each finished window
  // is handed over in school order (a writer streams it out); when it returns,
  // those schools' explanations are released: `results`, `floors_breached` and
  // the tier's scores, steps, reasons, floors and override. What the trust phase
  // and the caller sum stays (identity, tier number and label, support, tallies,
  // KPI arguments).
  // A national run then never holds every school's explanation at once.
  std::function<void(EvaluationResult& so_far, size_t first, size_t count)> on_window;
  // Schools per window with on_window. A full-detail school holds ~40 KB of
  // explanation until its window is written: 2,048 of them were 100 MB of a
  // national run's peak; 256 are 10 MB, at no measurable cost in CPU time.
  size_t window = 256;
  // The ruleset's content hash when the caller has it already (the governance
  // step computes it before evaluating): it re-parses and formats every rule
  // file, and one run should hash the rules and scripts once, not twice.
  std::string content_hash;
};

// Every school (in parallel), then the trust KPIs and support capacity.
EvaluationResult evaluate(const Plan& plan, const EvalOptions& opts);

// The latest period the data has, but not after the ruleset's year; the ruleset's
// year when the data has nothing.
Period default_as_of(const Ruleset& rs, const Dataset& ds);

// A hash of the ruleset's raw file texts, "fnv1a64:…": the fallback when the
// canonical content hash (content_hash.h) cannot be computed.
std::string ruleset_hash(const Ruleset& rs);

// A value as a governor reads it, grades by their label: "53%", "Good", "no".
std::string describe_value(const Ruleset& rs, const Value& v);

// "1 year", "2 terms"
std::string age_text(int age, const std::string& unit);

}  // namespace tr
