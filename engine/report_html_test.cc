// The HTML report from hand-built results: every string escaped, the approval
// banner, unknowns shown with their reasons, the change since the last stored
// run, and that run found in a real store.
#include "report_html.h"

#include "store.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

using namespace tr;
namespace fs = std::filesystem;

namespace {

// Labels that would break naive HTML: markup, quotes, ampersands, Unicode.
EvaluationResult tricky_result() {
  EvaluationResult r;
  r.ruleset_name = "St Mary’s & St John’s <Trust> “framework”";
  r.ruleset_version = "1";
  r.content_hash = "sha256:abc";
  REQUIRE(parse_period("2024-25 summer", r.as_of));
  SchoolResult s;
  s.urn = "100001";
  s.name = "<script>alert(1)</script> Academy – “Primary”";
  s.phase = "primary";
  s.tier.number = 3;
  s.tier.label = "Reinvent & <grow>";
  s.tier.policy = "best fit, ties to more support";
  s.tier.placed = 2;
  s.tier.steps = {"Tier 2 fits best: 3 of 4 \"known\" descriptors."};
  s.tier.override_ = TierOverride{3, 2, "Head resigned; <interim> leadership", "Dr A. O’Neil (CEO)", "2025-01-13",
                                  "2024-25 spring", "overrides.csv", 2};
  RuleResult gap;
  gap.kind = ResultKind::Standard;
  gap.id = "gap";
  gap.label = "Gap < 5 points & falling";
  gap.status = Status::Unknown;
  gap.reasons = {"PTRWM_EXP_FSM6CLA1A is SUPP (suppressed <small numbers>)"};
  ValueUse u;
  u.name = "rwm_expected.disadvantaged";
  u.value = Value::unknown("PTRWM_EXP_FSM6CLA1A is SUPP");
  u.text = "SUPP";
  u.period = "2024-25";
  gap.values.push_back(u);
  s.results.push_back(gap);
  RuleResult floor;
  floor.kind = ResultKind::Floor;
  floor.id = "attendance_floor";
  floor.label = "Attendance ≥ 92%";
  floor.status = Status::NotMet;
  s.results.push_back(floor);
  s.floors_met = Status::NotMet;
  s.floors_breached = {"attendance_floor"};
  s.standards_applicable = 1;
  s.standards_unknown = 1;
  s.support = {{"ceo", "CEO 1:1 “fortnightly”", "every 2 weeks", 6.5, false}};
  r.schools.push_back(s);
  KpiResult k;
  k.id = "att";
  k.label = "Mean attendance <all schools>";
  k.value = Value::number(93.1, Type::Percent);
  k.previous = Value::number(93.0, Type::Percent);
  k.change = Value::number(0.1, Type::Points);
  k.year = "2024-25";
  k.previous_year = "2023-24";
  k.direction = "improved";
  k.status = Status::NotMet;
  r.kpis.push_back(k);
  KpiResult unknown = k;
  unknown.id = "gap_mean";
  unknown.label = "Mean gap";
  unknown.value = Value::unknown("no school has a known gap");
  unknown.change = Value::unknown("no school has a known gap");
  unknown.direction = "unknown";
  unknown.status = Status::Unknown;
  r.kpis.push_back(unknown);
  r.capacity = {{"ceo", "CEO 1:1", 6.5, 1, 0}};
  return r;
}

std::string render(const EvaluationResult& r, const HtmlReportOptions& o = {}) {
  static const Ruleset rs;  // no metrics: the card's data sections are left out
  static const Dataset ds;
  return report_html(r, rs, ds, o);
}

}  // namespace

TEST_CASE("every string in the HTML report is escaped", "[html]") {
  std::string html = render(tricky_result());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt; Academy – “Primary”") != std::string::npos);
  CHECK(html.find("<title>St Mary’s &amp; St John’s &lt;Trust&gt; “framework”") != std::string::npos);
  CHECK(html.find("Tier 3 Reinvent &amp; &lt;grow&gt;") != std::string::npos);
  CHECK(html.find("Gap &lt; 5 points &amp; falling") != std::string::npos);
  CHECK(html.find("suppressed &lt;small numbers&gt;") != std::string::npos);
  CHECK(html.find("Head resigned; &lt;interim&gt; leadership") != std::string::npos);
  CHECK(html.find("Dr A. O&#39;Neil") == std::string::npos);  // ’ is not ', and stays as it is
  CHECK(html.find("Dr A. O’Neil (CEO)") != std::string::npos);
  CHECK(html.find("3 of 4 &quot;known&quot; descriptors") != std::string::npos);
  CHECK(html.find("Mean attendance &lt;all schools&gt;") != std::string::npos);
  CHECK(html.find("CEO 1:1 “fortnightly”") != std::string::npos);
}

TEST_CASE("unknowns are shown as unknown with their reason, never blank", "[html]") {
  std::string html = render(tricky_result());
  // The standard's value and its status.
  CHECK(html.find("rwm_expected.disadvantaged = <span class=\"unknown-value\">") != std::string::npos);
  CHECK(html.find("(PTRWM_EXP_FSM6CLA1A is SUPP)") != std::string::npos);
  // The KPI with no value this year.
  CHECK(html.find("unknown</span> <span class=\"reason\">(no school has a known gap)</span>") != std::string::npos);
}

TEST_CASE("the banner says DRAFT until the ruleset is approved", "[html]") {
  EvaluationResult r = tricky_result();
  std::string draft = render(r);
  CHECK(draft.find("DRAFT — not approved") != std::string::npos);
  CHECK(draft.find("· DRAFT\"") != std::string::npos);  // in the printed footer too
  r.approved = true;
  r.approved_by = "Trust board";
  r.approved_on = "2024-07-10";
  r.minute = "TB/24/031";
  std::string approved = render(r);
  CHECK(approved.find("DRAFT") == std::string::npos);
  CHECK(approved.find("Approved by Trust board on 2024-07-10 (minute TB/24/031).") != std::string::npos);
}

TEST_CASE("the change since the last stored run", "[html]") {
  EvaluationResult r = tricky_result();
  CHECK(render(r).find("<td>no earlier run</td>") != std::string::npos);
  HtmlReportOptions o;
  o.earlier = EarlierRun{"run 4 as of 2024-25 spring", {{"100001", 2}}};
  std::string up = render(r, o);
  CHECK(up.find("up from tier 2 (more support)") != std::string::npos);
  CHECK(up.find("Compared with run 4 as of 2024-25 spring.") != std::string::npos);
  o.earlier->tiers["100001"] = 3;
  CHECK(render(r, o).find("unchanged (tier 3)") != std::string::npos);
  o.earlier->tiers["100001"] = 4;
  CHECK(render(r, o).find("down from tier 4 (less support)") != std::string::npos);
  o.earlier->tiers.clear();
  CHECK(render(r, o).find("new since the last run") != std::string::npos);
}

TEST_CASE("the earlier run comes from the store: the latest of an earlier term", "[html]") {
  fs::path dir = fs::temp_directory_path() / ("trustrules_html_store_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string path = (dir / "history.db").string();
  EvaluationResult r = tricky_result();

  CHECK_FALSE(html_report_options(path, r).earlier);  // no store: nothing, and nothing created
  CHECK_FALSE(fs::exists(path));
  {
    Store store(path);
    EvaluationResult autumn = r, spring = r, summer = r;
    REQUIRE(parse_period("2024-25 autumn", autumn.as_of));
    REQUIRE(parse_period("2024-25 spring", spring.as_of));
    autumn.schools[0].tier.number = 1;
    spring.schools[0].tier.number = 2;
    summer.schools[0].tier.number = 4;  // this term's own run is not "earlier"
    RecordOptions ro;
    ro.recorded_at = "2025-01-01T00:00:00Z";
    store.record_run(autumn, ro);
    store.record_run(spring, ro);
    store.record_run(summer, ro);
    EvaluationResult other = spring;
    other.ruleset_name = "Another trust";
    other.schools[0].tier.number = 1;
    store.record_run(other, ro);  // another ruleset's run is not this one's history
  }
  HtmlReportOptions o = html_report_options(path, r);
  REQUIRE(o.earlier);
  CHECK(o.earlier->label.find("as of 2024-25 spring") != std::string::npos);
  CHECK(o.earlier->tiers.at("100001") == 2);
  fs::remove_all(dir);
}
