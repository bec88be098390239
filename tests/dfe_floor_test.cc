// rules/dfe evaluated on the real Hampshire KS2 files, checked school by school
// against an independent computation of the DfE primary floor standard and the
// coasting definition, written here in plain C++ from the published definitions:
//
//   scope     RECTYPE 1 (mainstream) and TELIG >= 11; otherwise not applicable
//   floor     met when PTRWM_EXP >= 65 or progress is sufficient, where
//             2016-17: sufficient when READPROG >= -5, WRITPROG >= -7, MATPROG >= -5;
//             from 2017-18: two or more subjects below -> insufficient; exactly one
//             below -> insufficient only if that subject's _UPPER < 0
//   coasting  in each of the three years to the one judged: PTRWM_EXP < 85 and
//             progress insufficient against -2.5 / -3.5 / -2.5 by the same rules
//             (the single-subject rule from 2017-18); the floor `ks2_coasting` is
//             met when the school is NOT coasting
//
// Unknowns: a SUPP / NE / NP / LOWCOV / NA / NEW / blank cell (or a missing year)
// is unknown. A school whose row stops before TELIG (a new school: `NEW` and then
// nothing) has no KS2 cohort that year, so it is out of scope, as rules/dfe says. The independent side decides by supervaluation — a result is known
// only when every way of filling in the unknown cells gives the same answer —
// not by the engine's three-valued operators, and the two must agree exactly,
// unknowns included.
#include "eval_run.h"

#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

using namespace tr;

namespace {

const std::string kDir = std::string(TRUSTRULES_SHARED_DATA) + "/dfe-ks2/hampshire-850/";
const char* kFiles[] = {"2016-2017_850_ks2final.csv", "2017-2018_850_ks2final.csv",
                        "2018-2019_850_ks2final.csv"};
const int kYears[] = {2016, 2017, 2018};

// ---- a CSV reader of our own (BOM, CRLF, quotes, short rows) ------------------

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  if (t.rfind("\xEF\xBB\xBF", 0) == 0) t.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (quoted) {
      if (c == '"' && i + 1 < t.size() && t[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(cell), cell.clear(), any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < t.size() && t[i + 1] == '\n') ++i;
      if (any || !cell.empty()) row.push_back(cell);
      if (!row.empty()) rows.push_back(row);
      row.clear(), cell.clear(), any = false;
    } else {
      cell += c;
    }
  }
  if (any || !cell.empty()) row.push_back(cell);
  if (!row.empty()) rows.push_back(row);
  return rows;
}

std::optional<double> number(const std::string& raw) {
  std::string s = raw;
  if (!s.empty() && s.back() == '%') s.pop_back();
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;  // SUPP, NE, NP, LOWCOV, NA, NEW
  return v;
}

struct YearRow {
  int rectype = 0;
  bool no_results = false;  // the row stops before TELIG: no KS2 cohort that year
  std::optional<double> telig, rwm, read, writ, mat, read_up, writ_up, mat_up;
};

// URN -> the school's row, per year.
std::map<std::string, YearRow> read_year(const std::string& file) {
  auto rows = read_csv(kDir + file);
  std::map<std::string, int> col;
  for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = static_cast<int>(i);
  auto get = [&](const std::vector<std::string>& r, const char* name) -> std::string {
    auto it = col.find(name);
    REQUIRE(it != col.end());
    return it->second < static_cast<int>(r.size()) ? r[it->second] : std::string();
  };
  std::map<std::string, YearRow> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    YearRow y;
    y.rectype = std::atoi(get(r, "RECTYPE").c_str());
    if (y.rectype != 1 && y.rectype != 2) continue;
    y.no_results = col["TELIG"] >= static_cast<int>(r.size());
    y.telig = number(get(r, "TELIG"));
    y.rwm = number(get(r, "PTRWM_EXP"));
    y.read = number(get(r, "READPROG"));
    y.writ = number(get(r, "WRITPROG"));
    y.mat = number(get(r, "MATPROG"));
    y.read_up = number(get(r, "READPROG_UPPER"));
    y.writ_up = number(get(r, "WRITPROG_UPPER"));
    y.mat_up = number(get(r, "MATPROG_UPPER"));
    out[get(r, "URN")] = y;
  }
  return out;
}

// ---- the definitions, by supervaluation -------------------------------------

enum class K { False, True, Unknown };

// A yes/no atom from a cell: known, or unknown when the cell is.
struct Atom {
  bool known = false;
  bool value = false;
};
Atom atom(const std::optional<double>& x, bool (*pred)(double, double), double t) {
  if (!x) return {};
  return {true, pred(*x, t)};
}
bool lt(double a, double b) { return a < b; }
bool ge(double a, double b) { return a >= b; }

// Evaluates f over every completion of the unknown atoms; known iff all agree.
template <size_t N, class F>
K decide(const std::array<Atom, N>& atoms, F f) {
  std::vector<size_t> free;
  for (size_t i = 0; i < N; ++i)
    if (!atoms[i].known) free.push_back(i);
  bool seen_true = false, seen_false = false;
  for (uint32_t mask = 0; mask < (1u << free.size()); ++mask) {
    std::array<bool, N> v{};
    for (size_t i = 0; i < N; ++i) v[i] = atoms[i].value;
    for (size_t j = 0; j < free.size(); ++j) v[free[j]] = (mask >> j) & 1;
    (f(v) ? seen_true : seen_false) = true;
  }
  return seen_true && seen_false ? K::Unknown : seen_true ? K::True : K::False;
}

// Progress insufficient, by the year's rules. Atoms: below r/w/m, upper r/w/m < 0.
bool insufficient(int year, bool br, bool bw, bool bm, bool ur, bool uw, bool um) {
  int n = br + bw + bm;
  if (year <= 2016) return n >= 1;
  if (n >= 2) return true;
  if (n == 1) return (br && ur) || (bw && uw) || (bm && um);
  return false;
}

K floor_met(int year, const YearRow& y) {
  std::array<Atom, 7> a{atom(y.rwm, ge, 65), atom(y.read, lt, -5), atom(y.writ, lt, -7), atom(y.mat, lt, -5),
                        atom(y.read_up, lt, 0), atom(y.writ_up, lt, 0), atom(y.mat_up, lt, 0)};
  return decide(a, [&](const std::array<bool, 7>& v) {
    return v[0] || !insufficient(year, v[1], v[2], v[3], v[4], v[5], v[6]);
  });
}

K coasting_year(int year, const YearRow* y) {
  if (!y) return K::Unknown;  // no data for that year
  std::array<Atom, 7> a{atom(y->rwm, lt, 85), atom(y->read, lt, -2.5), atom(y->writ, lt, -3.5),
                        atom(y->mat, lt, -2.5), atom(y->read_up, lt, 0), atom(y->writ_up, lt, 0),
                        atom(y->mat_up, lt, 0)};
  return decide(a, [&](const std::array<bool, 7>& v) {
    return v[0] && insufficient(year, v[1], v[2], v[3], v[4], v[5], v[6]);
  });
}

// The years' atoms are disjoint cells, so combining per-year answers is exact.
K all_of(const std::vector<K>& ks) {
  bool unknown = false;
  for (K k : ks) {
    if (k == K::False) return K::False;
    if (k == K::Unknown) unknown = true;
  }
  return unknown ? K::Unknown : K::True;
}

Status expected(K scope_telig, int rectype, K met) {
  if (rectype != 1) return Status::NotApplicable;
  if (scope_telig == K::False) return Status::NotApplicable;
  if (scope_telig == K::Unknown) return Status::Unknown;
  return met == K::True ? Status::Met : met == K::False ? Status::NotMet : Status::Unknown;
}

const char* name(Status s) {
  switch (s) {
    case Status::Met: return "met";
    case Status::NotMet: return "not met";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "not applicable";
  }
  return "?";
}

}  // namespace

TEST_CASE("DfE floor standard and coasting on real Hampshire KS2 data", "[eval][dfe]") {
  std::vector<std::map<std::string, YearRow>> years;
  for (const char* f : kFiles) years.push_back(read_year(f));

  RunOptions o;
  o.rules = std::string(TRUSTRULES_SOURCE_DIR) + "/rules/dfe";
  for (const char* f : kFiles) o.data.push_back(kDir + f);

  for (int yi = 0; yi < 3; ++yi) {
    int year = kYears[yi];
    o.as_of = std::to_string(year) + "-" + std::to_string((year + 1) % 100);
    Run run;
    std::string messages;
    int rc = prepare_run(o, run, messages);
    INFO(messages);
    REQUIRE(rc == 0);
    EvaluationResult result = evaluate(run.plan, eval_options(run, 2));

    std::map<std::string, const SchoolResult*> by_urn;
    for (const auto& s : result.schools) by_urn[s.urn] = &s;
    std::map<std::string, int> tally;
    int compared = 0;
    // A school absent from this year's file (closed, or no KS2 cohort) has no
    // result this year: its older results are stale (`valid for 1 year`), so both
    // definitions are not applicable, never judged on an earlier year.
    int absent = 0;
    for (const auto& s : result.schools) {
      if (years[yi].count(s.urn)) continue;
      INFO("URN " << s.urn << " " << s.name << " is not in the " << o.as_of << " file");
      int seen = 0;
      for (const auto& r : s.results)
        if (r.id == "ks2_floor" || r.id == "ks2_coasting") {
          CHECK(name(r.status) == std::string("not applicable"));
          ++seen;
        }
      CHECK(seen == 2);
      ++absent;
    }
    if (yi > 0) CHECK(absent > 0);  // later years do have schools that left the tables
    for (const auto& [urn, row] : years[yi]) {
      auto it = by_urn.find(urn);
      REQUIRE(it != by_urn.end());
      const SchoolResult& s = *it->second;
      K scope = row.no_results ? K::False : row.telig ? (*row.telig >= 11 ? K::True : K::False) : K::Unknown;

      Status floor = expected(scope, row.rectype, floor_met(year, row));
      std::vector<K> coasting;
      for (int back = 0; back < 3; ++back) {
        int k = yi - back;
        const YearRow* y = nullptr;
        if (k >= 0) {
          auto f = years[k].find(urn);
          if (f != years[k].end()) y = &f->second;
        }
        coasting.push_back(coasting_year(year - back, y));
      }
      K coast = all_of(coasting);
      K not_coasting = coast == K::True ? K::False : coast == K::False ? K::True : K::Unknown;
      Status coasting_status = expected(scope, row.rectype, not_coasting);

      Status got_floor = Status::Unknown, got_coasting = Status::Unknown;
      for (const auto& r : s.results) {
        if (r.id == "ks2_floor") got_floor = r.status;
        if (r.id == "ks2_coasting") got_coasting = r.status;
      }
      INFO("URN " << urn << " " << s.name << " as of " << o.as_of);
      CHECK(name(got_floor) == std::string(name(floor)));
      CHECK(name(got_coasting) == std::string(name(coasting_status)));
      ++tally[std::string("floor ") + name(floor)];
      ++tally[std::string("coasting ") + name(coasting_status)];
      ++compared;
    }
    // The data exercises every outcome, so agreement is not vacuous.
    CHECK(compared > 300);
    CHECK(tally["floor met"] > 100);
    CHECK(tally["floor not applicable"] > 0);
    CHECK(tally["floor unknown"] + tally["floor not met"] > 0);
    if (year == 2018) {
      CHECK(tally["floor not met"] > 0);
      CHECK(tally["coasting not met"] > 0);
      CHECK(tally["coasting unknown"] > 0);
    }
    for (const auto& [k, n] : tally) UNSCOPED_INFO(o.as_of << " " << k << ": " << n);
  }
}
