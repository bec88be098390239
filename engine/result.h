// The result model: everything an evaluation decided, with enough of the why to
// explain it. The report writers (report_json.cc, report_table.cc, report_csv.cc,
// explain.cc) read only this model, never the plan, so every output says the
// same thing. docs/json-schema.md documents the JSON rendering of these structs.
#pragma once

#include "ast.h"
#include "dataset.h"
#include "value.h"

#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tr {

enum class ResultKind : uint8_t { Standard, Floor, Descriptor, Kpi };

// Names as the outputs print them (defined in result.cc).
const char* result_kind_id(ResultKind k);     // "standard", "floor", "descriptor", "kpi"
const char* result_status_id(Status s);       // "met", "not_met", "unknown", "not_applicable"
const char* result_status_words(Status s);    // "met", "not met", "unknown", "not applicable"
Status status_of(Truth t);                    // true -> met, false -> not met

// One value an expression used: a metric cell, a benchmark, a parameter. The
// provenance is the data cell it came from; literals and params have none.
// `name`, `file` and `column` are views into the Plan and Dataset the evaluation
// ran on (a national run records about a million of these; copying the same
// path into each was a third of the evaluation), so a result is read while its
// plan and data are alive — as every caller of evaluate() does.
struct ValueUse {
  std::string_view name;  // "rwm_expected.disadvantaged", "national(rwm_expected)", "close_margin"
  Value value;       // known, or unknown with its reasons
  std::string text;  // the value as a reader sees it: "53%", "good", "SUPP"
  std::string period;  // "2018-19", "2019-20 autumn"; "" when none
  int age = -1;        // whole periods between `period` and the as-of period; -1 when none
  std::string age_unit;  // "year" or "term"
  std::string_view file;  // provenance; empty for literals and params
  uint32_t row = 0;
  std::string_view column;
  enum class From : uint8_t { Data, Benchmark, Param, Literal } from = From::Data;
};

struct RuleResult {
  ResultKind kind = ResultKind::Standard;
  // Views into the Plan's rules and descriptors, like ValueUse's names: a
  // national run has ~35 results a school, and copied they were most of what a
  // summary run held per school.
  std::string_view id;     // rule id; descriptors: "tier3.d2" (tier 3, second descriptor)
  std::string_view label;
  int tier = 0;       // Descriptor: the tier it belongs to
  int index = -1;     // Standard/Floor: Ruleset::rules; Descriptor: position in its tier
  Status status = Status::Unknown;
  std::vector<ValueUse> values;
  Reasons reasons;    // unknown: why; not applicable: why not
};

struct TierScore {
  int tier = 0;
  int met = 0, known = 0, unknown = 0;  // descriptors
  double share = 0;                     // met / known, 0..1; 0 when nothing is known
};

struct TierOverride {
  int tier = 0;
  int from = 0;  // the tier before the override (0 = unknown)
  std::string reason, approved_by, date, period;
  std::string file;
  uint32_t row = 0;
};

struct FloorConsequence {
  std::string floor;  // rule id
  std::string label;
  int required = 0;   // `tier at least N`
  int from = 0, to = 0;  // the tier before and after (0 = unknown)
  bool breached = true;  // false: the floor is unknown, so it *might* require this
};

struct TierResult {
  int number = 0;  // the final tier; 0 = could not be decided
  std::string label;
  LedBy led_by = LedBy::Academy;
  std::string policy;  // "best fit, ties to more support", "first match", "at least 3 of"
  int placed = 0;      // the tier the policy chose, before floors and overrides (0 = unknown)
  bool by_otherwise = false;  // placed by `otherwise tier N`
  std::vector<TierScore> scores;           // one per tier, in tier order (best fit; counts otherwise)
  std::vector<std::string> decided_by;     // descriptor ids that decided the placement
  std::vector<std::string> not_judged;     // descriptor ids that were unknown
  std::vector<FloorConsequence> floors;    // breached (or unknown) floors with a consequence
  bool raised_by_floor = false;
  std::optional<TierOverride> override_;   // applied last
  Reasons reasons;                         // number == 0: why
  std::vector<std::string> steps;          // how it was decided, as sentences
};

struct SupportItem {
  std::string id, label;
  std::string frequency;  // as written: "every 4 weeks"; "" for a one-off
  double per_term = 0;    // occurrences per term; 0 for a one-off
  bool one_off = false;
};

// A tier's support package. Every school placed in a tier gets the same one, so
// they share it: a national run held 25,000 copies (8 MB). Reads as a const
// vector; empty when the tier is unknown.
class SupportPackage {
 public:
  SupportPackage() = default;
  SupportPackage(std::vector<SupportItem> items)
      : items_(std::make_shared<const std::vector<SupportItem>>(std::move(items))) {}
  SupportPackage(std::initializer_list<SupportItem> items) : SupportPackage(std::vector<SupportItem>(items)) {}
  const std::vector<SupportItem>& items() const { return items_ ? *items_ : none(); }
  auto begin() const { return items().begin(); }
  auto end() const { return items().end(); }
  size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  const SupportItem& operator[](size_t i) const { return items()[i]; }

 private:
  static const std::vector<SupportItem>& none() {
    static const std::vector<SupportItem> empty;
    return empty;
  }
  std::shared_ptr<const std::vector<SupportItem>> items_;
};

// A KPI argument as a built-in aggregate reads it: it only counts and sums. A
// whole Value (reasons, text) for every school and aggregate of a national run
// was most of the memory evaluation added.
struct KpiArg {
  double num = 0;
  Value::Kind kind = Value::Kind::Unknown;
  bool not_applicable = false;  // unknown because the rule does not apply
  bool known() const { return Value::known(kind); }
  static KpiArg of(const Value& v) { return {v.num, v.kind, v.not_applicable}; }
};

struct SchoolResult {
  int school = -1;  // index into Dataset::schools
  std::string urn, name, phase, type;
  std::vector<RuleResult> results;  // standards and floors in source order, then descriptors
  TierResult tier;
  SupportPackage support;  // the final tier's package
  Status floors_met = Status::Met;   // every applicable floor met
  std::vector<std::string> floors_breached;  // floor ids
  int standards_met = 0, standards_applicable = 0, standards_unknown = 0;
  // Per-school arguments of the trust KPIs' aggregates (Plan::aggregates order),
  // this year and the year before; kept here so the per-school phase can run in
  // parallel and the trust phase only sums. A Lua aggregate sees whole values:
  // those are in kpi_lua_*, one per Lua slot in slot order. Each window of
  // schools is folded into the trust phase's inputs as soon as it is evaluated,
  // and these emptied (kpi.h KpiInputs): they are empty in a finished result.
  std::vector<KpiArg> kpi_now, kpi_before;
  std::vector<Value> kpi_lua_now, kpi_lua_before;
};

struct KpiResult {
  std::string id, label;
  std::string aggregate;  // the first aggregate in its value: "share", "mean", …
  Value value, previous, change;
  std::string year, previous_year;  // "2024-25", "2023-24"
  Direction better = Direction::None;
  std::string direction;  // "improved", "declined", "unchanged", "changed", "unknown"
  Status status = Status::NotApplicable;  // `met when`; not applicable when it has none
  Reasons reasons;
  int schools = 0, known = 0, unknown = 0, not_applicable = 0;  // this year, first aggregate
};

struct CapacityLine {
  std::string id, label;
  double per_term = 0;  // total occurrences per term across the trust
  int schools = 0;      // schools receiving it
  int one_off = 0;      // schools receiving it as a one-off (not counted in per_term)
};

struct EvaluationResult {
  std::string ruleset_name, ruleset_version, ruleset_year, content_hash;
  // Governance (approval.h): whether the board approved exactly this content
  // (content_hash); false = a draft. Filled by `evaluate` from the store.
  bool approved = false;
  std::string approved_by, approved_on, minute;
  Period as_of;
  bool values = true;  // EvalOptions::values: RuleResult::values recorded ("detail": "full")
  int jobs = 1;  // not reported: output never depends on it
  std::vector<SchoolResult> schools;  // Dataset::schools order (by URN)
  std::vector<KpiResult> kpis;
  std::vector<CapacityLine> capacity;  // by support id, first-seen order
  // Lua scripts that failed (runtime error, limit, bad return value), each located
  // ("script:line: in fn: ... (rule r, school u)"), sorted. A run with any is not
  // a valid result: `evaluate` exits non-zero and records nothing.
  std::vector<std::string> script_errors;
};

}  // namespace tr
