// Shared between the HTML report's files: report_html.cc (the document and the
// trust summary), html_card.cc (an academy card: rules, tier, support) and
// html_measures.cc (a card's data sections, read from the dataset).
#pragma once

#include "dataset.h"
#include "result.h"
#include "ruleset.h"

#include <string>

namespace tr::html {

struct Ctx {
  const EvaluationResult& run;
  const Ruleset& rs;
  const Dataset& ds;
};

// "Tier 3 Reinvent"; "Tier unknown" when it could not be decided.
std::string tier_name(const TierResult& t);

// A floor's label by its id ("Safeguarding is effective"), for lists of breaches.
std::string floor_label(const SchoolResult& s, const std::string& id);

// A whole academy card (a <section class="page">): `change` is the HTML of the
// change since the earlier run, shown beside the tier.
std::string academy_card(const Ctx& c, const SchoolResult& s, const std::string& change);

// The card's data sections, each "" when the ruleset or data has nothing for it.
std::string context_section(const Ctx& c, const SchoolResult& s);     // who the school serves
std::string annual_section(const Ctx& c, const SchoolResult& s);      // attainment, groups, gaps
std::string trend_section(const Ctx& c, const SchoolResult& s);       // termly charts with national
std::string termly_section(const Ctx& c, const SchoolResult& s);      // attendance, exclusions, …
std::string judgement_section(const Ctx& c, const SchoolResult& s);   // latest grade per field

// An unknown value as the reader sees it: "? unknown" and why, never a blank or zero.
std::string unknown_html(const std::string& reason);

}  // namespace tr::html
