// The HTML report's view of the history store: which run the "change since the
// last run" column compares with (see report_html.h).
#include "report_html.h"

#include "sqlite_db.h"
#include "store.h"

#include <filesystem>

namespace tr {

HtmlReportOptions html_report_options(const std::string& store_path, const EvaluationResult& r) {
  HtmlReportOptions o;
  std::error_code ec;
  if (store_path.empty() || !std::filesystem::exists(store_path, ec)) return o;
  try {
    Store store(store_path, Store::Options{.read_only = true});
    // The latest run of the same ruleset before this term: re-running a term
    // (and recording this very run) must not count as "the last run".
    const RunInfo* best = nullptr;
    std::vector<RunInfo> runs = store.runs();
    for (const RunInfo& run : runs)
      if (run.ruleset_name == r.ruleset_name && run.as_of_key < r.as_of.key() &&
          (!best || run.as_of_key > best->as_of_key || (run.as_of_key == best->as_of_key && run.id > best->id)))
        best = &run;
    if (!best) return o;
    EarlierRun e;
    e.label = "run " + std::to_string(best->id) + " as of " + best->as_of + " (recorded " + best->recorded_at + ")";
    for (const StoredSchool& s : store.schools(best->id)) e.tiers[s.urn] = s.tier;
    o.earlier = std::move(e);
  } catch (const std::exception&) {
    // A store evaluate could not read has already been reported; the report
    // then simply has nothing to compare with.
  }
  return o;
}

}  // namespace tr
