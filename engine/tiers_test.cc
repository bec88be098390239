// Tier placement policies, ties, all-unknown descriptors, floors' consequences,
// overrides and support frequencies — on hand-built descriptor outcomes.
#include "tiers.h"

#include <catch2/catch.hpp>

#include <deque>
#include <string>

using namespace tr;

namespace {

const Truth Y = Truth::True, N = Truth::False, U = Truth::Unknown;

// TierInput holds views: the names live here for the whole test run.
std::string_view keep(std::string s) {
  static std::deque<std::string> names;
  return names.emplace_back(std::move(s));
}

TierInput tier(int number, const char* label, std::vector<Truth> outcomes) {
  TierInput t;
  t.number = number;
  t.label = label;
  t.led_by = number == 4 ? LedBy::Trust : LedBy::Academy;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    t.ids.push_back(keep("tier" + std::to_string(number) + ".d" + std::to_string(i + 1)));
    t.labels.push_back(keep("descriptor " + std::to_string(number) + "." + std::to_string(i + 1)));
    t.outcomes.push_back(outcomes[i]);
    t.reasons.push_back(outcomes[i] == U ? Reasons{"X is SUPP"} : Reasons{});
  }
  return t;
}

std::vector<TierInput> four(std::vector<Truth> a, std::vector<Truth> b, std::vector<Truth> c,
                            std::vector<Truth> d) {
  return {tier(1, "Lead", a), tier(2, "Grow", b), tier(3, "Reinvent", c), tier(4, "Stabilise", d)};
}

Policy best_fit() { return Policy{}; }

bool has_step(const TierResult& r, const std::string& text) {
  for (const auto& s : r.steps)
    if (s.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("best fit: the best share of known descriptors wins", "[eval][tiers]") {
  auto tiers = four({N, N, U}, {Y, N, N}, {Y, Y, Y, Y, N, U}, {N, N});
  TierResult r;
  place_tier(best_fit(), tiers, r);
  CHECK(r.number == 3);
  CHECK(r.placed == 3);
  CHECK(r.label == "Reinvent");
  REQUIRE(r.scores.size() == 4);
  CHECK(r.scores[2].met == 4);
  CHECK(r.scores[2].known == 5);
  CHECK(r.scores[2].unknown == 1);
  CHECK(r.scores[2].share == Approx(0.8));
  CHECK(r.decided_by == std::vector<std::string>{"tier3.d1", "tier3.d2", "tier3.d3", "tier3.d4"});
  CHECK(r.not_judged == std::vector<std::string>{"tier1.d3", "tier3.d6"});
  CHECK(has_step(r, "Tier 3 Reinvent fits best: 4 of its 5 known descriptors are met (80%)."));
  CHECK(has_step(r, "Tier 2 Grow: 1 of 3 (33%)."));
  CHECK(has_step(r, "2 descriptors could not be judged"));
}

TEST_CASE("best fit: ties go to more support", "[eval][tiers]") {
  auto tiers = four({Y, N}, {Y, N}, {N, N}, {N, N, N});
  TierResult r;
  place_tier(best_fit(), tiers, r);
  CHECK(r.number == 2);
  CHECK(has_step(r, "ties go to more support, so Tier 2 Grow"));
}

TEST_CASE("best fit: a tier with no known descriptors cannot win", "[eval][tiers]") {
  auto tiers = four({U, U}, {N, N}, {Y, N, N, N}, {N});
  TierResult r;
  place_tier(best_fit(), tiers, r);
  CHECK(r.number == 3);
  CHECK(r.scores[0].known == 0);
  CHECK(has_step(r, "Tier 1 Lead: none of its 2 descriptors could be judged, so it cannot win."));
}

TEST_CASE("best fit: every descriptor unknown leaves the tier unknown", "[eval][tiers]") {
  auto tiers = four({U}, {U, U}, {U}, {U});
  TierResult r;
  place_tier(best_fit(), tiers, r);
  CHECK(r.number == 0);
  CHECK(r.label.empty());
  CHECK(!r.reasons.empty());
  CHECK(r.not_judged.size() == 5);
  // ... unless the rules say where such a school goes.
  Policy p = best_fit();
  p.otherwise = 2;
  TierResult o;
  place_tier(p, tiers, o);
  CHECK(o.number == 2);
  CHECK(o.by_otherwise);
}

TEST_CASE("first match: the first tier with every descriptor met", "[eval][tiers]") {
  Policy p;
  p.kind = PolicyKind::FirstMatch;
  TierResult r;
  place_tier(p, four({Y, N}, {Y, Y}, {Y}, {}), r);
  CHECK(r.number == 2);
  CHECK(r.decided_by == std::vector<std::string>{"tier2.d1", "tier2.d2"});
  CHECK(has_step(r, "Tier 1 Lead does not match"));

  // A tier that might match depends on its unknown descriptors: undecided.
  TierResult u;
  place_tier(p, four({N}, {Y, U}, {Y}, {Y}), u);
  CHECK(u.number == 0);
  CHECK(!u.reasons.empty());

  // None matches: `otherwise`, by default the highest tier.
  TierResult none;
  place_tier(p, four({N}, {N}, {N}, {N}), none);
  CHECK(none.number == 4);
  CHECK(none.by_otherwise);
  p.otherwise = 3;
  TierResult other;
  place_tier(p, four({N}, {N}, {N}, {N}), other);
  CHECK(other.number == 3);
}

TEST_CASE("at least N of: the first tier with N met", "[eval][tiers]") {
  Policy p;
  p.kind = PolicyKind::AtLeast;
  p.at_least = 2;
  TierResult r;
  place_tier(p, four({Y, N, N}, {Y, Y, N}, {Y, Y, Y}, {}), r);
  CHECK(r.number == 2);
  CHECK(r.policy == "at least 2 of");
  TierResult u;
  place_tier(p, four({Y, U, N}, {Y, Y}, {}, {}), u);
  CHECK(u.number == 0);  // tier 1 might reach 2
  TierResult skip;
  place_tier(p, four({N, U, N}, {Y, Y}, {}, {}), skip);
  CHECK(skip.number == 2);  // tier 1 cannot reach 2 even if the unknown is met
}

TEST_CASE("floors raise the tier after placement and say so", "[eval][tiers]") {
  auto tiers = four({Y}, {Y}, {N}, {N});
  TierResult r;
  place_tier(best_fit(), tiers, r);
  REQUIRE(r.number == 2);
  apply_floors({{"attendance_floor", "attendance", Status::NotMet, 3},
                {"safeguarding_floor", "safeguarding", Status::Met, 4},
                {"ks2_floor", "KS2", Status::Unknown, 4}},
               tiers, r);
  CHECK(r.number == 3);
  CHECK(r.placed == 2);
  CHECK(r.raised_by_floor);
  CHECK(r.label == "Reinvent");
  REQUIRE(r.floors.size() == 2);
  CHECK(r.floors[0].from == 2);
  CHECK(r.floors[0].to == 3);
  CHECK(!r.floors[1].breached);
  CHECK(has_step(r, "Then the attendance floor was breached, which requires tier at least 3: raised from Tier 2 Grow to Tier 3 Reinvent."));
  CHECK(has_step(r, "could not be judged"));

  TierResult already;
  place_tier(best_fit(), four({N}, {N}, {N}, {Y}), already);
  apply_floors({{"f", "attendance", Status::NotMet, 3}}, tiers, already);
  CHECK(already.number == 4);
  CHECK(!already.raised_by_floor);
  CHECK(has_step(already, "no change."));

  // Undecided placement: a floor requiring the highest tier decides it.
  TierResult unknown;
  place_tier(best_fit(), four({U}, {U}, {U}, {U}), unknown);
  apply_floors({{"f", "safeguarding", Status::NotMet, 4}}, tiers, unknown);
  CHECK(unknown.number == 4);
}

TEST_CASE("overrides apply last with reason, approver and date", "[eval][tiers]") {
  Dataset ds;
  ds.files.push_back({"samples/trust/tier_overrides.csv", "overrides", {}, 2});
  Override o1{"100001", Period{2024, 1}, 2, "New head appointed", "Chair of trustees", "2024-11-02", {.row = 2, .file = 0, .col = 0}};
  Override o2{"100001", Period{2024, 2}, 1, "Later decision", "CEO", "2025-02-01", {.row = 3, .file = 0, .col = 0}};
  Override old{"100001", Period{2023, 2}, 4, "Last year", "CEO", "2024-02-01", {.row = 4, .file = 0, .col = 0}};
  ds.overrides = {o1, o2, old};
  CHECK(find_override(ds, "100001", Period{2024, 1})->reason == "New head appointed");
  CHECK(find_override(ds, "100001", Period{2024, 3})->reason == "Later decision");
  CHECK(find_override(ds, "100001", Period{2023, 0})->reason == "Last year");
  CHECK(find_override(ds, "999999", Period{2024, 3}) == nullptr);
  CHECK(find_override(ds, "100001", Period{2025, 1}) == nullptr);  // a new year starts clean

  auto tiers = four({N}, {N}, {Y}, {N});
  TierResult r;
  place_tier(best_fit(), tiers, r);
  apply_floors({{"f", "attendance", Status::NotMet, 3}}, tiers, r);
  apply_override(find_override(ds, "100001", Period{2024, 1}), &ds, tiers, r);
  CHECK(r.number == 2);
  REQUIRE(r.override_);
  CHECK(r.override_->from == 3);
  CHECK(r.override_->approved_by == "Chair of trustees");
  CHECK(r.override_->file == "samples/trust/tier_overrides.csv");
  CHECK(has_step(r, "Finally, an in-year override on 2024-11-02, approved by Chair of trustees, sets Tier 2 Grow (was Tier 3 Reinvent): New head appointed."));
}

TEST_CASE("support frequencies become occurrences per term", "[eval][tiers]") {
  auto f = [](FreqUnit u, double every, double times) {
    Frequency q;
    q.unit = u;
    q.every = every;
    q.times = times;
    return per_term(q);
  };
  CHECK(f(FreqUnit::Week, 4, 1) == Approx(13.0 / 4));
  CHECK(f(FreqUnit::Week, 1, 1) == Approx(13));
  CHECK(f(FreqUnit::Term, 1, 1) == Approx(1));
  CHECK(f(FreqUnit::Term, 1, 3) == Approx(3));
  CHECK(f(FreqUnit::Year, 1, 1) == Approx(1.0 / 3));
  CHECK(f(FreqUnit::Year, 1, 2) == Approx(2.0 / 3));
  CHECK(f(FreqUnit::Year, 1, 4) == Approx(4.0 / 3));
  CHECK(f(FreqUnit::Once, 1, 1) == 0);
}
