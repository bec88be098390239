// The hand-written baseline for the trust tier rules (rules/trust.rules): each
// school's tier by best fit over the descriptors of rules/trust/tiers.rules,
// raised by breached floors (rules/trust/standards.rules), then in-year
// overrides — with nothing from the engine. It reads the trust files
// (bench/trust_gen.h, samples/trust/) in one pass each, with the CSV split,
// number parsing and three-valued logic of baseline_dfe.h, and the policy's
// thresholds written in as constants, as a programmer would hand-code them.
//
// Semantics it reproduces (docs/language.md):
//   as of       the latest period of any school value, capped at the rules' year
//               2024-25; a value is the latest at or before it (a missing review
//               term falls back to the one before; an NJ cell stays unknown)
//   valid for   KS2 and KS4 values stand for their own year only
//   time        previous / change / improving / every_year step back from the
//               metric's anchor (its latest valid value, else "now") to exactly
//               that period; a missing period is unknown
//   national    the phase's national row for the period of the school's value;
//               KS2 / KS4 national rows serve every phase
//   unknown     strong Kleene logic; comparisons with a relative tolerance of
//               1e-9, as the engine compares numbers
//   Lua         rules/lua/attendance_risk.lua's score, rounding gaps to 1/1000
#pragma once

#include "bench/baseline_dfe.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace baseline_tiers {

using baseline::Tri;
using baseline::t_and;
using baseline::t_not;
using baseline::t_or;

constexpr int kRulesYear = 2024;  // `year 2024-25` in rules/trust.rules caps "as of"
constexpr double kNaN = NAN;
enum Field { Safeguarding, Culture, Teaching, Leadership, Behaviour, Governance, Morale, Send, kFields };
enum Phase : uint8_t { NoPhase, Primary, Secondary, OtherPhase };

struct Data {
  int first = 0, years = 0;  // academic years first .. first + years - 1
  int as_year = 0, as_term = 0;
  std::vector<std::string> urn;
  std::vector<uint8_t> phase;
  std::unordered_map<std::string, int> index;
  // Termly, [school * 3 * years + period]; a row flag says the export had a row
  // (a row with an unknown cell is still "the latest value").
  std::vector<uint8_t> att_row, rev_row;
  std::vector<double> att, pa, susp, staff_abs, turnover;
  std::vector<int8_t> grade;  // [(school * P + p) * kFields + field]; -1 unknown
  // Annual, [school * years + y].
  std::vector<uint8_t> ks2_row, ks4_row;
  std::vector<double> cohort, rwm, rwm_dis, rwm_high, tpup, p8, p8_upper, att8, em4, em5, ebacc;
  // National rows: attendance [(phase - 1) * P + p]; KS2 / KS4 [y].
  std::vector<uint8_t> n_att_row, n_ks2_row, n_ks4_row;
  std::vector<double> n_att, n_pa, n_susp, n_rwm, n_rwm_dis, n_rwm_high, n_em4, n_em5, n_att8, n_ebacc;
  struct Override {
    std::string urn;
    int key, row, tier;
  };
  std::vector<Override> overrides;
  size_t bytes = 0;
  int periods() const { return 3 * years; }
};

namespace detail {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline double num(std::string_view s) { return baseline::number(trim(s)); }

// Lower case, runs of space / _ / - as one '_': how the engine matches grade names.
inline std::string fold(std::string_view s) {
  std::string out;
  bool gap = false;
  for (char c : trim(s)) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += '_';
    gap = false;
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

inline int8_t grade_of(std::string_view s, bool safeguarding) {
  std::string f = fold(s);
  static const char* const review[] = {"strong", "secure", "developing", "weak"};
  static const char* const safe[] = {"highly_effective", "effective", "ineffective"};
  if (safeguarding) {
    for (int8_t i = 0; i < 3; ++i)
      if (f == safe[i]) return i;
  } else {
    for (int8_t i = 0; i < 4; ++i)
      if (f == review[i]) return i;
  }
  return -1;  // NJ, blank
}

inline uint8_t phase_of(std::string_view s) {
  std::string f = fold(s);
  if (f == "primary" || f == "pri" || f == "state_funded_primary") return Primary;
  if (f == "secondary" || f == "sec" || f == "state_funded_secondary") return Secondary;
  return f.empty() ? NoPhase : OtherPhase;
}

inline int term_of(std::string_view s) {
  std::string f = fold(s);
  return f == "autumn" ? 1 : f == "spring" ? 2 : f == "summer" ? 3 : 0;
}

inline int key(int year, int term) { return year * 4 + (term == 0 ? 3 : term); }

// Calls row(cells, line number) for each record after the header; `cols` gets
// the index of each wanted column name (-1 if absent).
template <class F>
void each_row(std::string_view all, const std::vector<const char*>& want, std::vector<int>& cols, F&& row) {
  if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);
  std::vector<std::string_view> cells;
  bool header = true;
  int line_no = 0;
  while (!all.empty()) {
    size_t e = all.find('\n');
    std::string_view line = all.substr(0, e);
    all.remove_prefix(e == std::string_view::npos ? all.size() : e + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    baseline::split(line, cells);
    if (header) {
      cols.assign(want.size(), -1);
      for (size_t c = 0; c < cells.size(); ++c)
        for (size_t w = 0; w < want.size(); ++w)
          if (trim(cells[c]) == want[w]) cols[w] = static_cast<int>(c);
      header = false;
      continue;
    }
    row(cells, line_no);
  }
}

inline std::string_view cell(const std::vector<std::string_view>& cells, int c) {
  return c >= 0 && static_cast<size_t>(c) < cells.size() ? trim(cells[static_cast<size_t>(c)]) : std::string_view();
}

inline std::string base_name(const std::string& p) {
  size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

inline bool ends_with(const std::string& s, const char* suffix) {
  std::string_view x(suffix);
  return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

}  // namespace detail

// The school for `urn`, added (with every value unknown) on first sight.
inline int school(Data& d, std::string_view urn) {
  auto [it, added] = d.index.try_emplace(std::string(urn), static_cast<int>(d.urn.size()));
  if (!added) return it->second;
  d.urn.emplace_back(urn);
  d.phase.push_back(NoPhase);
  size_t n = d.urn.size(), P = static_cast<size_t>(d.periods()), Y = static_cast<size_t>(d.years);
  for (auto* v : {&d.att_row, &d.rev_row}) v->resize(n * P, 0);
  for (auto* v : {&d.att, &d.pa, &d.susp, &d.staff_abs, &d.turnover}) v->resize(n * P, kNaN);
  d.grade.resize(n * P * kFields, -1);
  for (auto* v : {&d.ks2_row, &d.ks4_row}) v->resize(n * Y, 0);
  for (auto* v : {&d.cohort, &d.rwm, &d.rwm_dis, &d.rwm_high, &d.tpup, &d.p8, &d.p8_upper, &d.att8, &d.em4, &d.em5,
                  &d.ebacc})
    v->resize(n * Y, kNaN);
  return it->second;
}

// Reads the trust files; false (and `error`) on an unreadable file.
inline bool read(const std::vector<std::string>& paths, Data& d, std::string& error) {
  using namespace detail;
  // The academic years, from the file names (2024-2025_ks2final.csv, trust_attendance_2024-25.csv).
  int lo = 1 << 30, hi = -1;
  for (const auto& p : paths) {
    std::string b = base_name(p);
    int y = b.rfind("trust_attendance_", 0) == 0 ? std::atoi(b.c_str() + 17) : std::atoi(b.c_str());
    if (y > 1900) lo = std::min(lo, y), hi = std::max(hi, y);
  }
  if (hi < 0) lo = hi = kRulesYear;
  d.first = lo, d.years = hi - lo + 1;
  const int P = d.periods(), Y = d.years;
  d.n_att_row.assign(2 * P, 0);
  for (auto* v : {&d.n_att, &d.n_pa, &d.n_susp}) v->assign(2 * P, kNaN);
  d.n_ks2_row.assign(Y, 0), d.n_ks4_row.assign(Y, 0);
  for (auto* v : {&d.n_rwm, &d.n_rwm_dis, &d.n_rwm_high, &d.n_em4, &d.n_em5, &d.n_att8, &d.n_ebacc}) v->assign(Y, kNaN);
  // "As of": the latest period of any school value, the later term winning a tie with an annual value.
  int best_key = -1, best_term = 0;
  auto saw = [&](int year, int term) {
    int k = key(year, term);
    if (year > kRulesYear || k > key(kRulesYear, 0)) return;
    if (k > best_key || (k == best_key && term > best_term)) best_key = k, best_term = term, d.as_year = year, d.as_term = term;
  };
  auto termly = [&](std::string_view year, std::string_view term) {
    int y = std::atoi(std::string(year.substr(0, 4)).c_str()) - d.first, t = term_of(term);
    return y >= 0 && y < Y && t > 0 ? y * 3 + t - 1 : -1;
  };
  std::string text;
  std::vector<int> c;
  for (const auto& path : paths) {
    if (!baseline::slurp(path, text)) {
      error = "cannot read " + path;
      return false;
    }
    d.bytes += text.size();
    std::string b = base_name(path);
    int yi = std::atoi(b.c_str()) - d.first;
    if (b.rfind("trust_schools", 0) == 0) {
      each_row(text, {"URN", "Phase"}, c, [&](const auto& cells, int) {
        int s = school(d, cell(cells, c[0]));
        if (d.phase[s] == NoPhase) d.phase[s] = phase_of(cell(cells, c[1]));
      });
    } else if (b.rfind("trust_attendance", 0) == 0) {
      each_row(text, {"URN", "Phase", "AcademicYear", "Term", "AttendancePct", "PersistentAbsencePct", "SuspensionRate",
                      "StaffAbsencePct", "StaffTurnoverPct"},
               c, [&](const auto& cells, int) {
                 int p = termly(cell(cells, c[2]), cell(cells, c[3]));
                 if (p < 0) return;
                 std::string_view urn = cell(cells, c[0]);
                 if (urn == "NATIONAL") {
                   uint8_t ph = phase_of(cell(cells, c[1]));
                   if (ph != Primary && ph != Secondary) return;
                   size_t i = static_cast<size_t>((ph - 1) * P + p);
                   d.n_att_row[i] = 1;
                   d.n_att[i] = num(cell(cells, c[4])), d.n_pa[i] = num(cell(cells, c[5]));
                   d.n_susp[i] = num(cell(cells, c[6]));
                   return;
                 }
                 size_t i = static_cast<size_t>(school(d, urn)) * P + p;
                 d.att_row[i] = 1;
                 d.att[i] = num(cell(cells, c[4])), d.pa[i] = num(cell(cells, c[5]));
                 d.susp[i] = num(cell(cells, c[6])), d.staff_abs[i] = num(cell(cells, c[7]));
                 d.turnover[i] = num(cell(cells, c[8]));
                 saw(d.first + p / 3, p % 3 + 1);
               });
    } else if (b.rfind("trust_reviews", 0) == 0) {
      each_row(text, {"URN", "AcademicYear", "Term", "Safeguarding", "Culture", "Teaching", "Leadership", "Behaviour",
                      "Governance", "StaffMorale", "SENDProvision"},
               c, [&](const auto& cells, int) {
                 int p = termly(cell(cells, c[1]), cell(cells, c[2]));
                 if (p < 0) return;
                 size_t i = static_cast<size_t>(school(d, cell(cells, c[0]))) * P + p;
                 d.rev_row[i] = 1;
                 for (int f = 0; f < kFields; ++f) d.grade[i * kFields + f] = grade_of(cell(cells, c[3 + f]), f == 0);
                 saw(d.first + p / 3, p % 3 + 1);
               });
    } else if (b.rfind("trust_overrides", 0) == 0) {
      each_row(text, {"URN", "AcademicYear", "Term", "Tier"}, c, [&](const auto& cells, int line) {
        int y = std::atoi(std::string(cell(cells, c[1]).substr(0, 4)).c_str());
        double tier = num(cell(cells, c[3]));
        d.overrides.push_back({std::string(cell(cells, c[0])), key(y, term_of(cell(cells, c[2]))), line,
                               std::isnan(tier) ? 0 : static_cast<int>(tier)});
      });
    } else if (yi >= 0 && yi < Y && ends_with(b, "_ks2final.csv")) {
      each_row(text, {"RECTYPE", "URN", "TELIG", "PTRWM_EXP", "PTRWM_EXP_FSM6CLA1A", "PTRWM_HIGH"}, c,
               [&](const auto& cells, int) {
                 std::string_view rect = cell(cells, c[0]);
                 if (rect == "5") {  // state-funded England: the `national` row
                   d.n_ks2_row[yi] = 1;
                   d.n_rwm[yi] = num(cell(cells, c[3])), d.n_rwm_dis[yi] = num(cell(cells, c[4]));
                   d.n_rwm_high[yi] = num(cell(cells, c[5]));
                 }
                 if (rect != "1" && rect != "2") return;
                 size_t i = static_cast<size_t>(school(d, cell(cells, c[1]))) * Y + yi;
                 d.ks2_row[i] = 1;
                 d.cohort[i] = num(cell(cells, c[2])), d.rwm[i] = num(cell(cells, c[3]));
                 d.rwm_dis[i] = num(cell(cells, c[4])), d.rwm_high[i] = num(cell(cells, c[5]));
                 saw(d.first + yi, 0);
               });
    } else if (yi >= 0 && yi < Y && ends_with(b, "_ks4.csv")) {
      each_row(text, {"RECTYPE", "URN", "TPUP", "P8MEA", "P8CIUPP", "ATT8SCR", "PTL2BASICS_94", "PTL2BASICS_95",
                      "PTEBACC_E_PTQ_EE"},
               c, [&](const auto& cells, int) {
                 std::string_view rect = cell(cells, c[0]);
                 if (rect == "7") {  // state-funded England
                   d.n_ks4_row[yi] = 1;
                   d.n_att8[yi] = num(cell(cells, c[5])), d.n_em4[yi] = num(cell(cells, c[6]));
                   d.n_em5[yi] = num(cell(cells, c[7])), d.n_ebacc[yi] = num(cell(cells, c[8]));
                 }
                 if (rect != "1" && rect != "2") return;
                 size_t i = static_cast<size_t>(school(d, cell(cells, c[1]))) * Y + yi;
                 d.ks4_row[i] = 1;
                 d.tpup[i] = num(cell(cells, c[2])), d.p8[i] = num(cell(cells, c[3]));
                 d.p8_upper[i] = num(cell(cells, c[4])), d.att8[i] = num(cell(cells, c[5]));
                 d.em4[i] = num(cell(cells, c[6])), d.em5[i] = num(cell(cells, c[7]));
                 d.ebacc[i] = num(cell(cells, c[8]));
                 saw(d.first + yi, 0);
               });
    } else if (yi >= 0 && yi < Y && ends_with(b, "_census.csv")) {
      // Nothing the tiers use, but its schools are schools the engine judges.
      each_row(text, {"URN"}, c, [&](const auto& cells, int) {
        std::string_view urn = cell(cells, c[0]);
        if (urn == "NAT") return;
        school(d, urn);
        saw(d.first + yi, 0);
      });
    }
  }
  if (best_key < 0) d.as_year = kRulesYear, d.as_term = 0;
  return true;
}

// ---- evaluation -------------------------------------------------------------------

namespace detail {

inline int cmp(double a, double b) {
  double tol = 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)}), x = a - b;
  return std::fabs(x) <= tol ? 0 : x < 0 ? -1 : 1;
}
inline Tri tri(bool b) { return b ? Tri::T : Tri::F; }
inline bool unk(double a, double b) { return std::isnan(a) || std::isnan(b); }
inline Tri lt(double a, double b) { return unk(a, b) ? Tri::U : tri(cmp(a, b) < 0); }
inline Tri gt(double a, double b) { return unk(a, b) ? Tri::U : tri(cmp(a, b) > 0); }
inline Tri le(double a, double b) { return unk(a, b) ? Tri::U : tri(cmp(a, b) <= 0); }
inline Tri ge(double a, double b) { return unk(a, b) ? Tri::U : tri(cmp(a, b) >= 0); }
inline Tri is(int grade, int want) { return grade < 0 ? Tri::U : tri(grade == want); }
inline Tri at_least(int grade, int want) { return grade < 0 ? Tri::U : tri(grade <= want); }  // 0 is best
inline Tri all(std::initializer_list<Tri> xs) {
  Tri a = Tri::T;
  for (Tri x : xs) a = t_and(a, x);
  return a;
}

// rules/lua/attendance_risk.lua, attendance_risk(): unknown in, unknown out.
inline double attendance_risk(double att, double pa, double nat_att, double nat_pa, double prev_att, double prev_pa,
                              double prev_nat_att, double prev_nat_pa) {
  for (double v : {att, pa, nat_att, nat_pa, prev_att, prev_pa, prev_nat_att, prev_nat_pa})
    if (std::isnan(v)) return kNaN;
  auto gap = [](double a, double b) { return std::floor((a - b) * 1000 + 0.5) / 1000; };
  int points = 0;
  double att_gap = gap(nat_att, att), pa_gap = gap(pa, nat_pa);
  if (att_gap > 0) points += att_gap > 2 ? 2 : 1;
  if (pa_gap > 0) points += pa_gap > 5 ? 2 : 1;
  if (att_gap > gap(prev_nat_att, prev_att) || pa_gap > gap(prev_pa, prev_nat_pa)) points += 1;
  return points;
}

}  // namespace detail

struct Result {
  const std::string* urn;
  int tier = 0, placed = 0;  // 0 = unknown
  bool raised = false, overridden = false;
  char descriptors[4][8] = {};  // 'T' / 'F' / 'U' per descriptor, tier by tier
};

inline std::vector<Result> evaluate(const Data& d) {
  using namespace detail;
  const int P = d.periods(), Y = d.years;
  const int term = d.as_term == 0 ? 3 : d.as_term;
  const int aidx = std::min(P - 1, (d.as_year - d.first) * 3 + term - 1);
  const int now_y = (d.as_term == 1 || d.as_term == 2 ? d.as_year - 1 : d.as_year) - d.first;  // annual "now"
  const int as_key = key(d.as_year, d.as_term);
  // The latest override of this academic year at or before "as of" (the later row on a tie).
  std::unordered_map<std::string_view, const Data::Override*> over;
  for (const auto& o : d.overrides) {
    if (o.key / 4 != d.as_year || o.key > as_key) continue;
    auto& b = over[o.urn];
    if (!b || o.key > b->key || (o.key == b->key && o.row > b->row)) b = &o;
  }
  std::vector<Result> out(d.urn.size());
  for (size_t s = 0; s < d.urn.size(); ++s) {
    Result& r = out[s];
    r.urn = &d.urn[s];
    const size_t tb = s * P, ab = s * Y;
    const bool primary = d.phase[s] == Primary;
    const int ph = d.phase[s] == Primary || d.phase[s] == Secondary ? d.phase[s] - 1 : -1;
    // Termly measures: the latest row, and exact periods back from it.
    int q = -1, qr = -1;
    for (int p = aidx; p >= 0 && (q < 0 || qr < 0); --p) {
      if (q < 0 && d.att_row[tb + p]) q = p;
      if (qr < 0 && d.rev_row[tb + p]) qr = p;
    }
    const int anchor = q >= 0 ? q : aidx;
    auto termly = [&](const std::vector<double>& v, int p) { return p >= 0 && p < P && d.att_row[tb + p] ? v[tb + p] : kNaN; };
    auto nat_row = [&](int p) { return ph >= 0 && p >= 0 && p < P && d.n_att_row[ph * P + p]; };
    int nq = q >= 0 && nat_row(q) ? q : -1;
    for (int p = aidx; nq < 0 && p >= 0; --p)
      if (nat_row(p)) nq = p;
    auto nat = [&](const std::vector<double>& v, int p) { return nat_row(p) ? v[ph * P + p] : kNaN; };
    double att = termly(d.att, q), pa = termly(d.pa, q), susp = termly(d.susp, q);
    double nat_att = nat(d.n_att, nq), nat_pa = nat(d.n_pa, nq), nat_susp = nat(d.n_susp, nq);
    int g[kFields];
    for (int f = 0; f < kFields; ++f) g[f] = qr >= 0 ? d.grade[(tb + qr) * kFields + f] : -1;
    // Annual measures: this year's row only; earlier years exactly, counted from now.
    auto row_at = [&](const std::vector<uint8_t>& rows, int y) { return y >= 0 && y < Y && rows[ab + y]; };
    auto annual = [&](const std::vector<uint8_t>& rows, const std::vector<double>& v, int y) {
      return row_at(rows, y) ? v[ab + y] : kNaN;
    };
    // National rows of the year of the school's latest value (any age), else the latest year.
    auto nat_year = [&](const std::vector<uint8_t>& rows, const std::vector<uint8_t>& nrows) {
      for (int y = std::min(now_y, Y - 1); y >= 0; --y)
        if (row_at(rows, y)) {
          if (nrows[y]) return y;
          break;
        }
      for (int y = std::min(now_y, Y - 1); y >= 0; --y)
        if (nrows[y]) return y;
      return -1;
    };
    auto nat_at = [&](const std::vector<uint8_t>& nrows, const std::vector<double>& v, int y) {
      return y >= 0 && y < Y && nrows[y] ? v[y] : kNaN;
    };
    const auto& rows = primary ? d.ks2_row : d.ks4_row;
    const auto& nrows = primary ? d.n_ks2_row : d.n_ks4_row;
    const auto& headline = primary ? d.rwm : d.em4;
    const auto& n_headline = primary ? d.n_rwm : d.n_em4;
    const int ny = nat_year(rows, nrows), ny_ks2 = nat_year(d.ks2_row, d.n_ks2_row);
    double ovn[3], head[3];
    for (int k = 0; k < 3; ++k) {
      head[k] = annual(rows, headline, now_y - k);
      // Stepping back, the national figure keeps pace with the school's own value.
      ovn[k] = head[k] - nat_at(nrows, n_headline, k == 0 ? ny : now_y - k);
    }
    bool has_ks2 = !std::isnan(annual(d.ks2_row, d.cohort, now_y));
    bool has_ks4 = !std::isnan(annual(d.ks4_row, d.tpup, now_y));
    Tri areas_ok;  // areas_below_national at most 1
    {
      std::vector<Tri> below;
      if (primary) {
        below = {lt(head[0], nat_at(nrows, d.n_rwm, ny)),
                 lt(annual(rows, d.rwm_dis, now_y), nat_at(nrows, d.n_rwm_dis, ny)),
                 lt(annual(rows, d.rwm_high, now_y), nat_at(nrows, d.n_rwm_high, ny))};
      } else {
        below = {lt(head[0], nat_at(nrows, d.n_em4, ny)), lt(annual(rows, d.em5, now_y), nat_at(nrows, d.n_em5, ny)),
                 lt(annual(rows, d.att8, now_y), nat_at(nrows, d.n_att8, ny)),
                 lt(annual(rows, d.ebacc, now_y), nat_at(nrows, d.n_ebacc, ny)), lt(annual(rows, d.p8, now_y), 0)};
      }
      int yes = 0, maybe = 0;
      for (Tri b : below) yes += b == Tri::T, maybe += b == Tri::U;
      areas_ok = yes + maybe <= 1 ? Tri::T : yes > 1 ? Tri::F : Tri::U;
    }
    const int y1 = anchor - 3, y2 = anchor - 6;  // the same term, one and two years back
    Tri improving_att = t_and(gt(att, termly(d.att, y1)), gt(termly(d.att, y1), termly(d.att, y2)));
    Tri improving_pa = t_and(lt(pa, termly(d.pa, y1)), lt(termly(d.pa, y1), termly(d.pa, y2)));
    double risk = attendance_risk(att, pa, nat_att, nat_pa, termly(d.att, anchor - 1), termly(d.pa, anchor - 1),
                                  nat(d.n_att, anchor - 1), nat(d.n_pa, anchor - 1));
    Tri susp_above = gt(susp, nat_susp), susp_well_above = gt(susp, nat_susp * 1.5);
    Tri declining = t_and(lt(head[0], head[1]), lt(head[1], head[2]));

    const std::vector<Tri> tiers[4] = {
        {is(g[Culture], 0),
         all({ge(ovn[0], 5), ge(ovn[1], 5), ge(ovn[2], 5),
              t_or(tri(!has_ks2), ge(annual(d.ks2_row, d.rwm_dis, now_y), nat_at(d.n_ks2_row, d.n_rwm, ny_ks2))),
              is(g[Send], 0)}),
         t_and(is(g[Morale], 0), le(termly(d.turnover, q), 10)), is(g[Governance], 0), is(g[Safeguarding], 0),
         t_and(gt(att, nat_att), ge(att, 95))},
        {t_and(le(std::fabs(att - nat_att), 2), le(std::fabs(pa - nat_pa), 2)),
         t_and(le(std::fabs(ovn[0]), 2), areas_ok), is(g[Safeguarding], 1),
         t_and(at_least(g[Teaching], 1), at_least(g[Leadership], 1))},
        {all({lt(att, nat_att), improving_att, gt(pa, nat_pa), improving_pa}),
         all({lt(ovn[0], 0), gt(ovn[0] - ovn[2], 0), t_not(t_and(gt(ovn[0] - ovn[1], 0), gt(ovn[1] - ovn[2], 0)))}),
         t_and(susp_above, t_not(susp_well_above)), t_or(is(g[Teaching], 2), is(g[Leadership], 2))},
        {t_and(lt(att, nat_att - 3), gt(pa, nat_pa + 4)),
         t_and(lt(ovn[0], 0), t_or(lt(ovn[0] - ovn[2], 2), declining)), susp_well_above,
         gt(termly(d.staff_abs, q), 5), is(g[Safeguarding], 2), t_or(is(g[Leadership], 3), is(g[Behaviour], 3)),
         ge(risk, 3)}};

    // Best fit: the best share of known descriptors met; ties to more support.
    int best = -1, met[4] = {}, known[4] = {};
    for (int t = 0; t < 4; ++t) {
      for (size_t i = 0; i < tiers[t].size(); ++i) {
        Tri x = tiers[t][i];
        r.descriptors[t][i] = x == Tri::T ? 'T' : x == Tri::F ? 'F' : 'U';
        met[t] += x == Tri::T, known[t] += x != Tri::U;
      }
      if (known[t] && (best < 0 || met[t] * known[best] >= met[best] * known[t])) best = t;
    }
    r.placed = r.tier = best + 1;

    // Floors, in the order written: safeguarding (tier 4), attendance, KS2, KS4 (tier 3).
    Tri applies_ks2 = tri(primary && has_ks2), applies_ks4 = tri(d.phase[s] == Secondary && has_ks4);
    const std::pair<Tri, int> floors[] = {
        {at_least(g[Safeguarding], 1), 4},
        {ge(att, primary ? 92 : 89), 3},
        {applies_ks2 == Tri::T ? ge(annual(d.ks2_row, d.rwm, now_y), nat_at(d.n_ks2_row, d.n_rwm, ny_ks2) - 10) : Tri::T, 3},
        {applies_ks4 == Tri::T
             ? t_not(t_and(lt(annual(rows, d.p8, now_y), -0.5), lt(annual(rows, d.p8_upper, now_y), 0)))
             : Tri::T,
         3}};
    for (const auto& [met_floor, at_least_tier] : floors) {
      if (met_floor != Tri::F) continue;
      // An undecided placement is decided only by a floor that demands the highest tier.
      if ((r.tier == 0 && at_least_tier >= 4) || (r.tier != 0 && r.tier < at_least_tier))
        r.tier = at_least_tier, r.raised = true;
    }
    if (auto it = over.find(d.urn[s]); it != over.end() && it->second->tier >= 1 && it->second->tier <= 4)
      r.tier = it->second->tier, r.overridden = true;
  }
  return out;
}

// "700123 tier-3 fit-2 floor override d=TFTTFF/TFTT/FFUF/FFFFFFF": the final
// tier, the best-fit tier, what moved it, and every descriptor's truth.
inline std::string answer(const std::string& urn, int tier, int placed, bool raised, bool overridden,
                          const std::string& descriptors) {
  auto t = [](int n) { return n ? std::to_string(n) : std::string("unknown"); };
  return urn + " tier-" + t(tier) + " fit-" + t(placed) + (raised ? " floor" : "") + (overridden ? " override" : "") +
         " d=" + descriptors;
}

inline std::string answer(const Result& r) {
  std::string ds;
  for (int t = 0; t < 4; ++t) {
    if (t) ds += '/';
    ds += r.descriptors[t];
  }
  return answer(*r.urn, r.tier, r.placed, r.raised, r.overridden, ds);
}

inline std::string json(const std::vector<Result>& rs) {
  std::string o;
  o.reserve(rs.size() * 48);
  o += "[\n";
  for (size_t i = 0; i < rs.size(); ++i) {
    o += "  {\"urn\": \"" + *rs[i].urn + "\", \"tier\": ";  // URNs are digits
    o += rs[i].tier ? std::to_string(rs[i].tier) : "null";
    o += ", \"placed\": ";
    o += rs[i].placed ? std::to_string(rs[i].placed) : "null";
    o += i + 1 < rs.size() ? "},\n" : "}\n";
  }
  o += "]\n";
  return o;
}

}  // namespace baseline_tiers
