// The evaluation as one self-contained HTML file for people to read and print:
// the trust summary (approval, tier distribution, schools, KPIs, support
// capacity) and then an academy card per school on its own printed page
// (context, results, trend charts, judgements, every rule with its values and
// reasons, the tier and what decided it, the support package). Reads the
// result model for what was decided and the dataset for a school's history
// (trend charts need every term, not only the values the rules used).
#pragma once

#include "dataset.h"
#include "result.h"
#include "ruleset.h"

#include <map>
#include <optional>
#include <string>

namespace tr {

// The previous stored run, for the "change since the last run" column. Filled
// by the caller from the governance store's history when there is one.
struct EarlierRun {
  std::string label;               // how to name it: "run 12 (2024-25 spring), 14 Apr 2025"
  std::map<std::string, int> tiers;  // URN -> tier in that run (0 = undecided); absent = not in it
};

struct HtmlReportOptions {
  std::optional<EarlierRun> earlier;  // none: every school shows "no earlier run"
};

// The options for a report of `r` beside the history store at `store_path`: the
// earlier run is the latest one stored for the same ruleset as of an earlier
// term. No store there, an unreadable one, or no such run: no earlier run. Opens
// the store read-only, so it never creates or changes it.
HtmlReportOptions html_report_options(const std::string& store_path, const EvaluationResult& r);

// `rs` and `ds` must be the ruleset and dataset `r` was evaluated from.
std::string report_html(const EvaluationResult& r, const Ruleset& rs, const Dataset& ds,
                        const HtmlReportOptions& opts = {});

}  // namespace tr
