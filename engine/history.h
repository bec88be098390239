// `history`: what the store says across terms. One column per term (the latest
// run recorded for it), with every change from one term to the next marked:
// tiers ("moved from Tier 2 to Tier 3"), floors and standards; and for each term
// which ruleset version and content produced the run, and whether the board had
// approved that exact content.
#pragma once

#include "store.h"

#include <string>
#include <vector>

namespace tr {

struct HistoryOptions {
  std::string urn;      // one school in detail; empty = every school
  std::string ruleset;  // runs of this ruleset name; empty = the latest run's
};

struct HistoryTerm {
  RunInfo run;   // the latest run recorded for the term
  int runs = 1;  // how many runs the term has
};

// A mark on a cell, against the term before.
enum class Mark : uint8_t { None, Better, Worse, Changed };

struct HistoryRow {
  std::string key;    // URN (school rows) or rule id
  std::string label;  // school name or rule label
  std::vector<std::string> cells;  // one per term; "-" when the run has no such row
  std::vector<Mark> marks;         // one per term
};

struct HistoryChange {
  size_t term = 0;     // index into History::terms
  std::string who;     // "990005 Oakfield Primary Academy"
  std::string what;    // "moved from Tier 2 to Tier 3 (Reinvent; raised by a floor)"
  Mark mark = Mark::Changed;
};

struct History {
  std::string store, ruleset_name;
  std::vector<std::string> other_rulesets;  // names of other rulesets with runs in the store
  std::vector<HistoryTerm> terms;           // by as-of period
  std::string urn, school_name;             // HistoryOptions::urn, and its name
  // Every school: one row per school in each table. One school: `tiers` has its
  // one row, `floors` and `standards` one row per rule.
  std::vector<HistoryRow> tiers, floors, standards;
  std::vector<HistoryChange> changes;  // by term, then as the rows are
};

// False with `error` when the options name a school or ruleset the store has no
// run for.
bool load_history(Store& store, const HistoryOptions& opts, History& out, std::string& error);

std::string render_history(const History& h);

}  // namespace tr
