// History across three terms of the sample trust: each school's tier per term,
// the changes between terms, and which (approved) content produced each run.
#include "history.h"

#include "content_hash.h"
#include "governance.h"
#include "governance_test_util.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace tr;
using namespace tr::govtest;

namespace {

const std::string kSrc = TRUSTRULES_SOURCE_DIR;

// evaluate --store as cmd_evaluate.cc runs it, as of `term`, at a fixed time.
void record_term(const std::string& store, const std::string& term, const std::string& at) {
  RunOptions ro;
  ro.rules = kSrc + "/rules/trust.rules";
  ro.data = {kSrc + "/samples/trust"};
  ro.as_of = term;
  ro.jobs = 2;
  Run run;
  std::string messages;
  REQUIRE(prepare_run(ro, run, messages) == 0);
  GovernanceOptions go;
  go.store = store;
  go.recorded_at = at;
  EvaluationGovernance gov(go);
  REQUIRE(gov.before(run, messages) == 0);
  EvaluationResult result = evaluate(run.plan, eval_options(run, 2));
  INFO(messages);
  REQUIRE(gov.after(run, result, messages) == 0);
}

void approve_shipped_rules(const std::string& store) {
  Diagnostics d;
  auto rs = load_ruleset(kSrc + "/rules/trust.rules", d);
  REQUIRE(rs);
  Store s(store);
  Approval a;
  a.content_hash = content_hash(*rs).hash;
  a.approved_by = "Trust board";
  a.approved_on = "2024-07-10";
  a.minute = "B/24/07";
  Approval in_force;
  REQUIRE(record_approval(s, a, in_force) == ApproveOutcome::Recorded);
}

HistoryOptions school(const std::string& urn) {
  HistoryOptions o;
  o.urn = urn;
  return o;
}

HistoryOptions ruleset(const std::string& name) {
  HistoryOptions o;
  o.ruleset = name;
  return o;
}

const HistoryRow& row(const std::vector<HistoryRow>& rows, const std::string& key) {
  auto it = std::find_if(rows.begin(), rows.end(), [&](const HistoryRow& r) { return r.key == key; });
  REQUIRE(it != rows.end());
  return *it;
}

bool has_change(const History& h, size_t term, const std::string& text) {
  return std::any_of(h.changes.begin(), h.changes.end(), [&](const HistoryChange& c) {
    return c.term == term && (c.who + ": " + c.what).find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("history: three terms of the sample trust, tiers and changes", "[history][e2e]") {
  Scratch s;
  std::string store = s.path("history.db");
  // Recorded out of order on purpose: columns follow the terms, not the run ids.
  record_term(store, "2023-24 summer", "2024-07-20T10:00:00Z");
  record_term(store, "2022-23 summer", "2024-07-20T10:05:00Z");
  approve_shipped_rules(store);
  record_term(store, "2024-25 summer", "2025-07-20T10:00:00Z");

  Store st(store, Store::Options{.read_only = true});
  History h;
  std::string error;
  REQUIRE(load_history(st, {}, h, error));
  REQUIRE(h.terms.size() == 3);
  CHECK(h.terms[0].run.as_of == "2022-23 summer");
  CHECK(h.terms[1].run.as_of == "2023-24 summer");
  CHECK(h.terms[2].run.as_of == "2024-25 summer");
  CHECK(h.ruleset_name == "Meridian Learning Trust — school improvement framework");
  // Which version produced each run: the first two before the board's approval.
  CHECK_FALSE(h.terms[0].run.approved);
  CHECK_FALSE(h.terms[1].run.approved);
  CHECK(h.terms[2].run.approved);
  CHECK(h.terms[2].run.minute == "B/24/07");
  REQUIRE(h.tiers.size() == 8);

  // Millbrook Junior: Tier 2 by best fit, moved to Tier 3 by the CEO in 2024-25.
  const HistoryRow& junior = row(h.tiers, "990003");
  CHECK(junior.cells == std::vector<std::string>{"2 Grow", "2 Grow", "3 Reinvent (override)"});
  CHECK(junior.marks[1] == Mark::None);
  CHECK(junior.marks[2] == Mark::Worse);
  CHECK(has_change(h, 2, "990003 Millbrook Junior Academy: moved from Tier 2 to Tier 3 (Reinvent; override)"));
  // Castle Hill: Tier 3 (raised by a floor), then Tier 4.
  const HistoryRow& castle = row(h.tiers, "990008");
  CHECK(castle.cells[1] == "4 Stabilise");
  CHECK(castle.marks[1] == Mark::Worse);
  CHECK(has_change(h, 1, "990008 Castle Hill Academy: moved from Tier 3 to Tier 4"));
  // Brookfield stays in Tier 1 throughout: no change.
  CHECK(row(h.tiers, "990001").cells == std::vector<std::string>{"1 Lead", "1 Lead", "1 Lead"});
  CHECK_FALSE(has_change(h, 1, "990001"));
  CHECK_FALSE(has_change(h, 2, "990001 Brookfield Primary Academy: moved"));
  // Floors: Oakfield's KS2 floor breached from 2023-24.
  const HistoryRow& oak = row(h.floors, "990005");
  CHECK(oak.cells == std::vector<std::string>{"none", "ks2_outcomes_floor", "ks2_outcomes_floor"});
  CHECK(oak.marks[1] == Mark::Worse);
  CHECK(has_change(h, 1, "990005 Oakfield Primary Academy: floor ks2_outcomes_floor"));

  std::string text = render_history(h);
  INFO(text);
  CHECK(text.find("Term            Run  Recorded") != std::string::npos);
  CHECK(text.find("2022-23 summer  2    2024-07-20T10:05:00Z  2025.1   sha256:") != std::string::npos);
  CHECK(text.find("approved by Trust board on 2024-07-10 (minute B/24/07)") != std::string::npos);
  CHECK(text.find("DRAFT — not approved") != std::string::npos);
  CHECK(text.find("990003  Millbrook Junior Academy     2 Grow              2 Grow              3 Reinvent (override) ↓") !=
        std::string::npos);
  CHECK(text.find("2024-25 summer  990003 Millbrook Junior Academy: moved from Tier 2 to Tier 3 (Reinvent; override) ↓") !=
        std::string::npos);
}

TEST_CASE("history: one school in detail; the latest run of a term counts", "[history][e2e]") {
  Scratch s;
  std::string store = s.path("history.db");
  record_term(store, "2022-23 summer", "2024-07-20T10:00:00Z");
  record_term(store, "2023-24 summer", "2024-07-20T10:01:00Z");
  record_term(store, "2023-24 summer", "2024-07-21T10:00:00Z");  // re-run: a new run, the old one kept

  Store st(store, Store::Options{.read_only = true});
  CHECK(st.runs().size() == 3);
  History h;
  std::string error;
  REQUIRE(load_history(st, school("990005"), h, error));
  REQUIRE(h.terms.size() == 2);
  CHECK(h.terms[1].runs == 2);
  CHECK(h.terms[1].run.id == 3);
  CHECK(h.school_name == "Oakfield Primary Academy");
  REQUIRE(h.tiers.size() == 1);
  CHECK(h.tiers[0].cells == std::vector<std::string>{"3 Reinvent", "3 Reinvent (floor)"});
  const HistoryRow& ks2 = row(h.floors, "ks2_outcomes_floor");
  CHECK(ks2.cells == std::vector<std::string>{"met", "not met"});
  CHECK(ks2.marks[1] == Mark::Worse);
  CHECK(row(h.floors, "ks4_outcomes_floor").cells == std::vector<std::string>{"n/a", "n/a"});
  CHECK_FALSE(h.standards.empty());
  CHECK(has_change(h, 1, "floor ks2_outcomes_floor (KS2 reading, writing and maths not far below national): from met to not met"));
  std::string text = render_history(h);
  CHECK(text.find("History of 990005 Oakfield Primary Academy, Meridian") != std::string::npos);
  CHECK(text.find("3 (latest of 2)") != std::string::npos);

  CHECK_FALSE(load_history(st, school("123456"), h, error));
  CHECK(error.find("no school with URN 123456") != std::string::npos);
  CHECK_FALSE(load_history(st, ruleset("Other"), h, error));
  CHECK(error.find("no run of the ruleset \"Other\"") != std::string::npos);
}

TEST_CASE("history: the command", "[history][e2e]") {
  Scratch s;
  std::string store = s.path("history.db");
  CliResult r = run_cli(s, "history --store " + store);
  CHECK(r.exit == 1);
  CHECK(r.err.find("no store at " + store) != std::string::npos);
  CHECK_FALSE(fs::exists(store));  // history never creates one

  for (const char* term : {"2022-23 summer", "2023-24 summer", "2024-25 summer"}) {
    r = run_cli(s, std::string("evaluate --rules rules/trust.rules --data samples/trust --as-of '") + term +
                       "' --store " + store);
    REQUIRE(r.exit == 0);
  }
  r = run_cli(s, "history --store " + store);
  CHECK(r.exit == 0);
  CHECK(r.out.find("URN     School                       2022-23 summer      2023-24 summer      2024-25 summer") !=
        std::string::npos);
  CHECK(r.out.find("moved from Tier 3 to Tier 4 (Stabilise) ↓") != std::string::npos);
  r = run_cli(s, "history --store " + store + " --school 990008");
  CHECK(r.exit == 0);
  CHECK(r.out.find("safeguarding_floor") != std::string::npos);
  r = run_cli(s, "history --store " + store + " --school 1");
  CHECK(r.exit == 1);
  CHECK(r.err.find("no school with URN 1 ") != std::string::npos);
}

TEST_CASE("history: an empty store", "[history]") {
  Scratch s;
  { Store st(s.path("h.db")); }
  Store st(s.path("h.db"), Store::Options{.read_only = true});
  History h;
  std::string error;
  REQUIRE(load_history(st, {}, h, error));
  CHECK(render_history(h).find("No runs recorded in") == 0);
}
