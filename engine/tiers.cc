// Tier placement policies, floors' consequences and overrides (see tiers.h).
#include "tiers.h"

#include <algorithm>
#include <cmath>

namespace tr {
namespace {

std::string percent(double share) {
  return std::to_string(static_cast<int>(std::lround(share * 100))) + "%";
}

const TierInput* find_tier(const std::vector<TierInput>& tiers, int number) {
  for (const auto& t : tiers)
    if (t.number == number) return &t;
  return nullptr;
}

std::string quoted_list(const TierInput& t, Truth which, size_t limit = 4) {
  std::string s;
  size_t n = 0, total = 0;
  for (size_t i = 0; i < t.outcomes.size(); ++i) {
    if (t.outcomes[i] != which) continue;
    ++total;
    if (n == limit) continue;
    if (n) s += ", ";
    s += "\"" + std::string(t.labels[i]) + "\"";
    ++n;
  }
  if (total > n) s += " and " + std::to_string(total - n) + " more";
  return s;
}

// The final tier's label and leader, after every step.
void finish(const std::vector<TierInput>& tiers, TierResult& out) {
  out.label.clear();
  out.led_by = LedBy::Academy;
  if (const TierInput* t = find_tier(tiers, out.number)) {
    out.label = t->label;
    out.led_by = t->led_by;
  }
}

void place_otherwise(const Policy& policy, const std::vector<TierInput>& tiers, TierResult& out,
                     const std::string& why) {
  int highest = 0;
  for (const auto& t : tiers) highest = std::max(highest, t.number);
  int n = policy.otherwise > 0 ? policy.otherwise : highest;
  out.number = out.placed = n;
  out.by_otherwise = true;
  out.steps.push_back(why + ", so " +
                      (policy.otherwise > 0 ? "`otherwise tier " + std::to_string(n) + "` places it in "
                                            : std::string("it goes to the highest tier, ")) +
                      tier_name(tiers, n) + ".");
}

void best_fit(const Policy& policy, const std::vector<TierInput>& tiers, TierResult& out) {
  int best = -1;
  for (size_t i = 0; i < tiers.size(); ++i) {
    const TierScore& s = out.scores[i];
    if (s.known == 0) continue;
    // Ties go to more support: the higher tier number wins an equal share.
    if (best < 0 || s.share > out.scores[best].share + 1e-12 ||
        (std::fabs(s.share - out.scores[best].share) <= 1e-12 && s.tier > out.scores[best].tier))
      best = static_cast<int>(i);
  }
  if (best < 0) {
    if (policy.otherwise > 0) {
      place_otherwise(policy, tiers, out, "No descriptor of any tier could be judged");
      return;
    }
    out.steps.push_back("No descriptor of any tier could be judged, so no tier fits: the tier is unknown.");
    add_reason(out.reasons, "no descriptor of any tier could be judged");
    return;
  }
  const TierInput& w = tiers[best];
  const TierScore& ws = out.scores[best];
  out.number = out.placed = w.number;
  out.steps.push_back(tier_name(tiers, w.number) + " fits best: " + std::to_string(ws.met) + " of its " +
                      std::to_string(ws.known) + " known descriptors " + (ws.met == 1 ? "is" : "are") +
                      " met (" + percent(ws.share) + ").");
  std::vector<std::string> tied;
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (static_cast<int>(i) == best) continue;
    const TierScore& s = out.scores[i];
    if (s.known == 0) {
      out.steps.push_back(tier_name(tiers, s.tier) + ": none of its " +
                          std::to_string(tiers[i].outcomes.size()) +
                          " descriptors could be judged, so it cannot win.");
      continue;
    }
    out.steps.push_back(tier_name(tiers, s.tier) + ": " + std::to_string(s.met) + " of " +
                        std::to_string(s.known) + " (" + percent(s.share) + ").");
    if (std::fabs(s.share - ws.share) <= 1e-12) tied.push_back(tier_name(tiers, s.tier));
  }
  if (!tied.empty()) {
    std::string names;
    for (const auto& t : tied) names += (names.empty() ? "" : ", ") + t;
    out.steps.push_back(names + " scored the same " + percent(ws.share) +
                        "; ties go to more support, so " + tier_name(tiers, w.number) + ".");
  }
  for (size_t d = 0; d < w.outcomes.size(); ++d)
    if (w.outcomes[d] == Truth::True) out.decided_by.emplace_back(w.ids[d]);
}

// First match and at least N share the walk: in order, the first tier that
// certainly qualifies wins; one that might qualify stops the walk undecided.
void walk(const Policy& policy, const std::vector<TierInput>& tiers, TierResult& out) {
  bool at_least = policy.kind == PolicyKind::AtLeast;
  for (size_t i = 0; i < tiers.size(); ++i) {
    const TierInput& t = tiers[i];
    const TierScore& s = out.scores[i];
    int need = at_least ? policy.at_least : static_cast<int>(t.outcomes.size());
    int not_met = s.known - s.met;
    std::string name = tier_name(tiers, t.number);
    if (s.met >= need) {
      out.number = out.placed = t.number;
      for (size_t d = 0; d < t.outcomes.size(); ++d)
        if (t.outcomes[d] == Truth::True) out.decided_by.emplace_back(t.ids[d]);
      if (at_least)
        out.steps.push_back(name + " is the first tier with at least " + std::to_string(need) +
                            " descriptors met (" + std::to_string(s.met) + " of " +
                            std::to_string(t.outcomes.size()) + ").");
      else
        out.steps.push_back(name + " is the first tier whose descriptors are all met (" +
                            std::to_string(s.met) + " of " + std::to_string(t.outcomes.size()) + ").");
      return;
    }
    if (s.met + s.unknown >= need) {
      out.steps.push_back(name + " might apply, but " + std::to_string(s.unknown) +
                          (s.unknown == 1 ? " descriptor" : " descriptors") + " could not be judged (" +
                          quoted_list(t, Truth::Unknown) + "), so the tier is unknown.");
      add_reason(out.reasons, name + " might apply but " + quoted_list(t, Truth::Unknown) +
                                  " could not be judged");
      for (size_t d = 0; d < t.outcomes.size(); ++d)
        if (t.outcomes[d] == Truth::Unknown) add_reasons(out.reasons, t.reasons.size() > d ? t.reasons[d] : Reasons{});
      return;
    }
    if (at_least)
      out.steps.push_back(name + ": only " + std::to_string(s.met) + " of " +
                          std::to_string(t.outcomes.size()) + " met, fewer than " + std::to_string(need) +
                          (s.unknown ? " even if the unknown ones were met." : "."));
    else
      out.steps.push_back(name + " does not match: " + quoted_list(t, Truth::False) +
                          (not_met == 1 ? " is" : " are") + " not met.");
  }
  place_otherwise(policy, tiers, out, "No tier matched");
}

}  // namespace

std::string tier_name(const std::vector<TierInput>& tiers, int number) {
  std::string s = "Tier " + std::to_string(number);
  if (const TierInput* t = find_tier(tiers, number); t && !t->label.empty()) s += " " + t->label;
  return s;
}

std::string policy_text(const Policy& p) {
  std::string s;
  switch (p.kind) {
    case PolicyKind::BestFit: s = "best fit, ties to more support"; break;
    case PolicyKind::FirstMatch: s = "first match"; break;
    case PolicyKind::AtLeast: s = "at least " + std::to_string(p.at_least) + " of"; break;
  }
  if (p.otherwise > 0) s += ", otherwise tier " + std::to_string(p.otherwise);
  return s;
}

void place_tier(const Policy& policy, const std::vector<TierInput>& tiers, TierResult& out) {
  out.policy = policy_text(policy);
  out.scores.clear();
  for (const auto& t : tiers) {
    TierScore s;
    s.tier = t.number;
    for (size_t d = 0; d < t.outcomes.size(); ++d) {
      switch (t.outcomes[d]) {
        case Truth::True: ++s.met; ++s.known; break;
        case Truth::False: ++s.known; break;
        case Truth::Unknown:
          ++s.unknown;
          out.not_judged.emplace_back(t.ids[d]);
          break;
      }
    }
    s.share = s.known ? static_cast<double>(s.met) / s.known : 0;
    out.scores.push_back(s);
  }
  if (tiers.empty()) {
    add_reason(out.reasons, "the rules define no tiers");
    return;
  }
  if (policy.kind == PolicyKind::BestFit)
    best_fit(policy, tiers, out);
  else
    walk(policy, tiers, out);
  if (!out.not_judged.empty() && policy.kind == PolicyKind::BestFit) {
    std::string list;
    size_t shown = 0;
    for (const auto& t : tiers)
      for (size_t d = 0; d < t.outcomes.size(); ++d) {
        if (t.outcomes[d] != Truth::Unknown) continue;
        if (shown++ < 6) list += (list.empty() ? "" : "; ") + ("\"" + std::string(t.labels[d]) + "\" (tier " + std::to_string(t.number) + ")");
      }
    if (shown > 6) list += " and " + std::to_string(shown - 6) + " more";
    out.steps.push_back(std::to_string(out.not_judged.size()) +
                        (out.not_judged.size() == 1 ? " descriptor" : " descriptors") +
                        " could not be judged and did not count: " + list + ".");
  }
  finish(tiers, out);
}

void apply_floors(const std::vector<FloorOutcome>& floors, const std::vector<TierInput>& tiers,
                  TierResult& out) {
  int highest = 0;
  for (const auto& t : tiers) highest = std::max(highest, t.number);
  for (const auto& f : floors) {
    if (f.breach_tier <= 0) continue;
    if (f.status == Status::NotMet) {
      FloorConsequence c{f.id, f.label, f.breach_tier, out.number, out.number, true};
      std::string head = "Then the " + f.label + " floor was breached, which requires tier at least " +
                         std::to_string(f.breach_tier) + ": ";
      if (out.number == 0) {
        // Unknown placement: only a floor that demands the highest tier decides it.
        if (f.breach_tier >= highest) {
          c.to = out.number = f.breach_tier;
          out.raised_by_floor = true;
          out.reasons.clear();
          out.steps.push_back(head + "that is the highest tier, so the school is in " +
                              tier_name(tiers, c.to) + " even though placement was undecided.");
        } else {
          out.steps.push_back(head + "the tier is still unknown, but it is at least " +
                              std::to_string(f.breach_tier) + ".");
          add_reason(out.reasons, "the " + f.label + " floor requires at least tier " +
                                      std::to_string(f.breach_tier));
        }
      } else if (out.number < f.breach_tier) {
        c.to = out.number = f.breach_tier;
        out.raised_by_floor = true;
        out.steps.push_back(head + "raised from " + tier_name(tiers, c.from) + " to " +
                            tier_name(tiers, c.to) + ".");
      } else {
        out.steps.push_back(head + "no change.");
      }
      out.floors.push_back(c);
    } else if (f.status == Status::Unknown) {
      FloorConsequence c{f.id, f.label, f.breach_tier, out.number, out.number, false};
      out.floors.push_back(c);
      out.steps.push_back("The " + f.label + " floor could not be judged; if it were breached it would require tier at least " +
                          std::to_string(f.breach_tier) +
                          (out.number >= f.breach_tier ? ", which the school already has." : "."));
    }
  }
  finish(tiers, out);
}

void apply_override(const Override* o, const Dataset* ds, const std::vector<TierInput>& tiers,
                    TierResult& out) {
  if (!o) return;
  TierOverride ov;
  ov.tier = o->tier;
  ov.from = out.number;
  ov.reason = o->reason;
  ov.approved_by = o->approved_by;
  ov.date = o->date;
  ov.period = to_string(o->period);
  if (ds && o->prov.file < ds->files.size()) ov.file = ds->files[o->prov.file].path;
  ov.row = o->prov.row;
  if (!find_tier(tiers, o->tier)) {
    out.steps.push_back("An override to tier " + std::to_string(o->tier) +
                        " was ignored: the rules have no such tier.");
    return;
  }
  std::string who = o->approved_by.empty() ? "" : ", approved by " + o->approved_by + ",";
  std::string when = o->date.empty() ? "" : " on " + o->date;
  out.steps.push_back("Finally, an in-year override" + when + who + " sets " + tier_name(tiers, o->tier) +
                      (ov.from ? " (was " + tier_name(tiers, ov.from) + ")" : "") + ": " + o->reason + ".");
  out.number = o->tier;
  out.reasons.clear();
  out.override_ = std::move(ov);
  finish(tiers, out);
}

const Override* find_override(const Dataset& ds, const std::string& urn, Period as_of) {
  const Override* best = nullptr;
  for (const auto& o : ds.overrides) {
    if (o.urn != urn || o.period.year != as_of.year || o.period.key() > as_of.key()) continue;
    if (!best || o.period.key() > best->period.key() ||
        (o.period.key() == best->period.key() &&
         (o.prov.file > best->prov.file || (o.prov.file == best->prov.file && o.prov.row > best->prov.row))))
      best = &o;
  }
  return best;
}

double per_term(const Frequency& f) {
  double every = f.every > 0 ? f.every : 1;
  switch (f.unit) {
    case FreqUnit::Once: return 0;
    case FreqUnit::Week: return 13.0 * f.times / every;
    case FreqUnit::Term: return f.times / every;
    case FreqUnit::Year: return f.times / (3.0 * every);
  }
  return 0;
}

}  // namespace tr
