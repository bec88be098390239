// The trust tier scenario of bench_england: the engine's answer per school for
// rules/trust.rules (run_engine with tier_answer), and one timed run of the
// hand-written tier baseline (baseline_tiers.h). Both sides write the same
// answer line — final tier, best-fit tier, floor / override, and every
// descriptor's truth — so agreement covers each descriptor, not just the tier.
#pragma once

#include "bench/baseline_tiers.h"
#include "bench/england_run.h"

#include <map>

namespace bench {

// The engine's answer line for a school in the tier baseline's words: final tier,
// best-fit tier, floor / override, and every descriptor's truth.
inline std::string tier_answer(const tr::SchoolResult& s) {
  std::string ds;
  int tier = 0;
  for (const auto& r : s.results) {
    if (r.kind != tr::ResultKind::Descriptor) continue;
    if (r.tier != tier && tier != 0) ds += '/';
    tier = r.tier;
    ds += r.status == tr::Status::Met ? 'T' : r.status == tr::Status::NotMet ? 'F' : 'U';
  }
  return baseline_tiers::answer(s.urn, s.tier.number, s.tier.placed, s.tier.raised_by_floor,
                                s.tier.override_.has_value(), ds);
}

inline Outcome run_tier_baseline(const std::vector<std::string>& paths, const std::string& out_path) {
  return run_timed_baseline<baseline_tiers::Data>(
      paths, out_path, baseline_tiers::read, baseline_tiers::evaluate, baseline_tiers::json,
      [](const baseline_tiers::Result& r) { return baseline_tiers::answer(r); });
}

// "tier-1 35, tier-2 70, ..., floor 12, override 4": counts of the words of the
// answers before the descriptors.
inline std::map<std::string, int> tier_counts(const Outcome& o) {
  std::map<std::string, int> n;
  for (const auto& a : o.answers) {
    size_t d = a.find(" d="), at = a.find(' ');
    while (at != std::string::npos && at < d) {
      size_t next = a.find(' ', at + 1);
      std::string w = a.substr(at + 1, std::min(next, d) - at - 1);
      if (w.rfind("fit-", 0) != 0) ++n[w];
      at = next;
    }
  }
  return n;
}

}  // namespace bench
