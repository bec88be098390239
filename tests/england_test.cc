// rules/england on the DfE's national files: every state-funded primary,
// secondary and special school's absence standards and floor, checked against
// a computation written here from the files themselves (the national row of the
// school's phase in england_abs.csv; the phase from england_census.csv).
#include "eval_run.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

using namespace tr;

namespace {

const std::string kDir = std::string(TRUSTRULES_SHARED_DATA) + "/dfe-england/";

// These two files have no quoted cells: a plain split is enough here.
std::vector<std::vector<std::string>> rows_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (rows.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, ',')) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

std::optional<double> num(const std::string& s) {
  if (s.empty() || !(isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) return std::nullopt;
  return std::stod(s);
}

Status judge(std::optional<bool> b) { return !b ? Status::Unknown : *b ? Status::Met : Status::NotMet; }

}  // namespace

TEST_CASE("England absence standards on the DfE national files", "[eval][england]") {
  // Phase per school from the census; the national rate per phase from the absence file.
  std::map<std::string, std::string> phase;
  for (const auto& r : rows_of(kDir + "england_census.csv"))
    if (r.size() > 3 && r[0] != "URN" && r[0] != "NAT") phase[r[0]] = r[3];
  std::map<std::string, std::pair<double, double>> national;  // ESTAB -> (overall, persistent)
  std::map<std::string, std::pair<std::string, std::string>> school;  // URN -> (PERCTOT, PPERSABS10)
  for (const auto& r : rows_of(kDir + "england_abs.csv")) {
    if (r.size() < 5 || r[0] == "LA") continue;
    if (r[0] == "NAT") national[r[1]] = {*num(r[3]), *num(r[4])};
    else school[r[2]] = {r[3], r[4]};
  }
  REQUIRE(national.size() == 3);
  const std::map<std::string, std::string> estab = {
      {"State-funded primary", "PRI"}, {"State-funded secondary", "SEC"}, {"State-funded special school", "SPE"}};

  RunOptions o;
  o.rules = std::string(TRUSTRULES_SOURCE_DIR) + "/rules/england";
  o.data = {kDir};
  Run run;
  std::string messages;
  int rc = prepare_run(o, run, messages);
  INFO(messages);
  REQUIRE(rc == 0);
  EvaluationResult result = evaluate(run.plan, eval_options(run, 2));
  REQUIRE(result.schools.size() > 20000);

  std::map<std::string, int> tally;
  for (const SchoolResult& s : result.schools) {
    auto p = phase.find(s.urn);
    auto it = school.find(s.urn);
    if (p == phase.end() || !estab.count(p->second) || it == school.end()) continue;
    auto [nat_overall, nat_persistent] = national[estab.at(p->second)];
    std::optional<double> overall = num(it->second.first), persistent = num(it->second.second);
    // The rules' own definitions, restated: close means within 1 point.
    std::optional<bool> close, below, floor;
    if (overall) close = *overall <= nat_overall || std::abs(*overall - nat_overall) <= 1 + 1e-9;
    if (persistent) below = *persistent < nat_persistent;
    if (persistent) floor = *persistent <= nat_persistent + 5 + 1e-9;
    std::map<std::string, Status> want = {{"absence_close_to_national", judge(close)},
                                          {"persistent_absence_below_national", judge(below)},
                                          {"persistent_absence_floor", judge(floor)}};
    for (const RuleResult& r : s.results) {
      auto w = want.find(std::string(r.id));
      if (w == want.end()) continue;
      INFO("URN " << s.urn << " (" << p->second << ") " << r.id);
      CHECK(std::string(result_status_words(r.status)) == result_status_words(w->second));
      if (r.status == Status::Unknown) CHECK_FALSE(r.reasons.empty());
      ++tally[std::string(r.id) + " " + result_status_words(w->second)];
    }
  }
  // Every outcome occurs, so the agreement is not vacuous.
  CHECK(tally["absence_close_to_national met"] > 10000);
  CHECK(tally["absence_close_to_national not met"] > 100);
  CHECK(tally["persistent_absence_below_national not met"] > 1000);
  CHECK(tally["persistent_absence_floor not met"] > 100);
  CHECK(tally["persistent_absence_floor unknown"] > 10);  // SUPP cells
  for (const auto& [k, n] : tally) UNSCOPED_INFO(k << ": " << n);
}
