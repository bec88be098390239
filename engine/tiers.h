// Tier placement: the assignment policies, then floors' consequences, then in-year
// overrides, each step recorded as a sentence a governor can read. These are pure
// functions over descriptor outcomes so that every policy, tie and all-unknown
// case can be tested without a ruleset (tiers_test.cc).
#pragma once

#include "ast.h"
#include "dataset.h"
#include "result.h"
#include "value.h"

#include <string>
#include <vector>

namespace tr {

struct TierInput {
  int number = 0;
  std::string label;
  LedBy led_by = LedBy::Academy;
  // One entry per descriptor, in the order written: views into the Plan (or
  // whatever outlives the placement), as a national run places every school.
  std::vector<std::string_view> ids;     // "tier3.d2"
  std::vector<std::string_view> labels;  // "Attendance close to national"
  std::vector<Truth> outcomes;
  std::vector<Reasons> reasons;     // why each unknown descriptor is unknown (may be empty)
};

struct FloorOutcome {
  std::string id, label;
  Status status = Status::Unknown;
  int breach_tier = 0;  // `on breach tier at least N`; 0 = no consequence
};

// "best fit, ties to more support", "first match", "at least 3 of".
std::string policy_text(const Policy& p);

// Runs the policy over the descriptor outcomes and fills `out` (number, placed,
// scores, decided_by, not_judged, reasons, steps, label, led_by).
//  - best fit: score = met / known; the best score wins, ties go to the higher tier;
//    a tier with no known descriptor cannot win; nothing known anywhere leaves the
//    tier unknown unless the rules wrote `otherwise tier N`.
//  - first match / at least N: tiers in the order written; a tier that might match
//    but depends on unknown descriptors stops the search with the tier unknown,
//    because placing the school further down could be wrong.
//  - no tier placed: `otherwise tier N`, by default the highest tier.
void place_tier(const Policy& policy, const std::vector<TierInput>& tiers, TierResult& out);

// Breached floors raise the tier to at least their `tier at least N`; floors that
// could not be judged are recorded as possible consequences. Floors are applied in
// the order given, after placement.
void apply_floors(const std::vector<FloorOutcome>& floors, const std::vector<TierInput>& tiers,
                  TierResult& out);

// An in-year reclassification, applied last. `o` may be null (nothing to apply).
void apply_override(const Override* o, const Dataset* ds, const std::vector<TierInput>& tiers,
                    TierResult& out);

// The override for `urn` that applies as of `as_of`: recorded in the same academic
// year, at or before it; the latest one wins (then the later row). Null if none.
const Override* find_override(const Dataset& ds, const std::string& urn, Period as_of);

// Occurrences per term: every N weeks = 13/N, every term = 1, N times a term = N,
// once a year = 1/3, N times a year = N/3; a one-off is 0 (listed, not counted).
double per_term(const Frequency& f);

// "Tier 3 Reinvent"
std::string tier_name(const std::vector<TierInput>& tiers, int number);

}  // namespace tr
