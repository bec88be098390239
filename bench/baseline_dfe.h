// The hand-written baseline for bench_england: the DfE primary floor standard
// and coasting definition (rules/dfe) over KS2 final tables, computed the
// fastest straightforward way, with nothing from the engine — its own file
// reading, CSV splitting, number parsing, three-valued logic and JSON.
//
//   scope     RECTYPE 1 and TELIG known and >= 11 (SUPP / blank / a row that
//             stops early: not known, so out of scope); otherwise not applicable
//   floor     met when PTRWM_EXP >= 65 or progress is sufficient (2016-17: every
//             subject at or above -5 / -7 / -5; from 2017-18: insufficient when
//             two subjects are below, or one is and its _UPPER is below 0)
//   coasting  met (not coasting) unless, in each of the three years to the one
//             judged, PTRWM_EXP < 85 and progress is insufficient against
//             -2.5 / -3.5 / -2.5 by that year's rules; a missing year is unknown
//
// Unknown cells (SUPP, NE, NP, LOWCOV, NA, NEW, blank) make atoms unknown; the
// formulas are monotone in their atoms apart from the final negation, so strong
// Kleene logic here is exact (it equals deciding over every completion).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace baseline {

enum class Tri : uint8_t { F, T, U };
inline Tri t_and(Tri a, Tri b) { return a == Tri::F || b == Tri::F ? Tri::F : a == Tri::U || b == Tri::U ? Tri::U : Tri::T; }
inline Tri t_or(Tri a, Tri b) { return a == Tri::T || b == Tri::T ? Tri::T : a == Tri::U || b == Tri::U ? Tri::U : Tri::F; }
inline Tri t_not(Tri a) { return a == Tri::U ? Tri::U : a == Tri::T ? Tri::F : Tri::T; }

// NaN = not known.
struct YearRow {
  int rectype = 0;
  double telig = NAN, rwm = NAN, prog[3] = {NAN, NAN, NAN}, upper[3] = {NAN, NAN, NAN};
};

struct School {
  std::string urn;
  YearRow years[3];
  bool present[3] = {false, false, false};
};

struct Data {
  int first_year = 0, years = 0;  // years: how many consecutive years from first_year
  std::vector<School> schools;    // in order of first appearance
  size_t bytes = 0;
};

inline double number(std::string_view s) {
  if (s.empty()) return NAN;
  if (s.back() == '%') s.remove_suffix(1);
  char buf[32];
  if (s.empty() || s.size() >= sizeof buf) return NAN;
  char c = s[0];
  if (!(c == '-' || c == '.' || (c >= '0' && c <= '9'))) return NAN;  // SUPP, NE, NP, LOWCOV, NA, NEW
  s.copy(buf, s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  double v = std::strtod(buf, &end);
  return end == buf + s.size() ? v : NAN;
}

// Splits one line (no line end) into cells; quoted cells keep their text
// without the quotes (doubled quotes are not needed by the columns read here).
inline void split(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  size_t i = 0, n = line.size();
  while (true) {
    if (i < n && line[i] == '"') {
      size_t j = line.find('"', i + 1);
      while (j != std::string_view::npos && j + 1 < n && line[j + 1] == '"') j = line.find('"', j + 2);
      if (j == std::string_view::npos) j = n;
      cells.push_back(line.substr(i + 1, j - i - 1));
      i = j + 1;
      if (i >= n) break;
      ++i;  // the comma
      continue;
    }
    size_t j = line.find(',', i);
    if (j == std::string_view::npos) {
      cells.push_back(line.substr(i));
      break;
    }
    cells.push_back(line.substr(i, j - i));
    i = j + 1;
  }
}

inline bool slurp(const std::string& path, std::string& text) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::fseek(f, 0, SEEK_END);
  long size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  text.resize(static_cast<size_t>(size));
  size_t got = std::fread(text.data(), 1, text.size(), f);
  std::fclose(f);
  return got == text.size();
}

// Reads the files (names start with the year: "2018-2019_…"); false on an error.
inline bool read(const std::vector<std::string>& paths, Data& d, std::string& error) {
  std::unordered_map<std::string, size_t> index;
  std::vector<int> file_years;
  for (const auto& p : paths) {
    size_t slash = p.find_last_of('/');
    file_years.push_back(std::atoi(p.c_str() + (slash == std::string::npos ? 0 : slash + 1)));
  }
  d.first_year = 1 << 30;
  int last = 0;
  for (int y : file_years) d.first_year = std::min(d.first_year, y), last = std::max(last, y);
  d.years = last - d.first_year + 1;
  if (d.years > 3) {
    error = "the baseline reads at most three consecutive years";
    return false;
  }
  std::string text;
  std::vector<std::string_view> cells;
  for (size_t f = 0; f < paths.size(); ++f) {
    if (!slurp(paths[f], text)) {
      error = "cannot read " + paths[f];
      return false;
    }
    d.bytes += text.size();
    int yi = file_years[f] - d.first_year;
    std::string_view all(text);
    if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);
    bool header = true;
    int c_rect = -1, c_urn = -1, c_telig = -1, c_rwm = -1, c_prog[3] = {-1, -1, -1}, c_up[3] = {-1, -1, -1};
    while (!all.empty()) {
      size_t e = all.find('\n');
      std::string_view line = all.substr(0, e);
      all.remove_prefix(e == std::string_view::npos ? all.size() : e + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      split(line, cells);
      if (header) {
        static const char* const prog[] = {"READPROG", "WRITPROG", "MATPROG"};
        static const char* const up[] = {"READPROG_UPPER", "WRITPROG_UPPER", "MATPROG_UPPER"};
        for (int c = 0; c < static_cast<int>(cells.size()); ++c) {
          std::string_view h = cells[static_cast<size_t>(c)];
          if (h == "RECTYPE") c_rect = c;
          if (h == "URN") c_urn = c;
          if (h == "TELIG") c_telig = c;
          if (h == "PTRWM_EXP") c_rwm = c;
          for (int k = 0; k < 3; ++k) {
            if (h == prog[k]) c_prog[k] = c;
            if (h == up[k]) c_up[k] = c;
          }
        }
        if (c_rect < 0 || c_urn < 0) {
          error = paths[f] + ": no RECTYPE or URN column";
          return false;
        }
        header = false;
        continue;
      }
      auto cell = [&](int c) { return c >= 0 && static_cast<size_t>(c) < cells.size() ? cells[static_cast<size_t>(c)] : std::string_view(); };
      std::string_view rect = cell(c_rect);
      if (rect != "1" && rect != "2") continue;  // LA and national rows
      std::string urn(cell(c_urn));
      auto [it, added] = index.try_emplace(urn, d.schools.size());
      if (added) d.schools.push_back(School{urn, {}, {}});
      School& s = d.schools[it->second];
      YearRow& y = s.years[yi];
      s.present[yi] = true;
      y.rectype = rect[0] - '0';
      y.telig = number(cell(c_telig));
      y.rwm = number(cell(c_rwm));
      for (int k = 0; k < 3; ++k) y.prog[k] = number(cell(c_prog[k])), y.upper[k] = number(cell(c_up[k]));
    }
  }
  return true;
}

// a < t, unknown when a is.
inline Tri below(double a, double t) { return std::isnan(a) ? Tri::U : a < t ? Tri::T : Tri::F; }

inline Tri insufficient(int year, const YearRow& y, const double t[3]) {
  Tri b[3], conf = Tri::F;
  int known_below = 0, unknown = 0;
  for (int k = 0; k < 3; ++k) {
    b[k] = below(y.prog[k], t[k]);
    known_below += b[k] == Tri::T;
    unknown += b[k] == Tri::U;
  }
  // How many subjects are below: at least known_below, at most known_below + unknown.
  auto at_least = [&](int n) { return known_below >= n ? Tri::T : known_below + unknown >= n ? Tri::U : Tri::F; };
  if (year <= 2016) return at_least(1);
  for (int k = 0; k < 3; ++k) conf = t_or(conf, t_and(b[k], below(y.upper[k], 0)));
  return t_or(at_least(2), conf);
}

enum class Status : uint8_t { Met, NotMet, Unknown, NotApplicable };
inline const char* status_name(Status s) {
  return s == Status::Met ? "met" : s == Status::NotMet ? "not met" : s == Status::Unknown ? "unknown" : "not applicable";
}

struct Result {
  const std::string* urn;
  Status floor, coasting;
};

inline Status status(Tri met) { return met == Tri::T ? Status::Met : met == Tri::F ? Status::NotMet : Status::Unknown; }

// Every school present in the latest year, judged as of that year.
inline std::vector<Result> evaluate(const Data& d) {
  static const double floor_t[3] = {-5, -7, -5}, coast_t[3] = {-2.5, -3.5, -2.5};
  std::vector<Result> out;
  out.reserve(d.schools.size());
  int yi = d.years - 1, year = d.first_year + yi;
  for (const School& s : d.schools) {
    if (!s.present[yi]) continue;
    const YearRow& y = s.years[yi];
    Result r{&s.urn, Status::NotApplicable, Status::NotApplicable};
    if (y.rectype == 1 && !std::isnan(y.telig) && y.telig >= 11) {
      Tri rwm_ok = std::isnan(y.rwm) ? Tri::U : y.rwm >= 65 ? Tri::T : Tri::F;
      r.floor = status(t_or(rwm_ok, t_not(insufficient(year, y, floor_t))));
      Tri coasting = Tri::T;
      for (int back = 0; back < 3; ++back) {
        int k = yi - back;
        Tri c = Tri::U;
        if (k >= 0 && s.present[k]) {
          const YearRow& p = s.years[k];
          c = t_and(below(p.rwm, 85), insufficient(year - back, p, coast_t));
        }
        coasting = t_and(coasting, c);
      }
      r.coasting = status(t_not(coasting));
    }
    out.push_back(r);
  }
  return out;
}

inline std::string json(const std::vector<Result>& rs) {
  std::string o;
  o.reserve(rs.size() * 64);
  o += "[\n";
  for (size_t i = 0; i < rs.size(); ++i) {
    o += "  {\"urn\": \"";
    o += *rs[i].urn;  // digits only
    o += "\", \"ks2_floor\": \"";
    o += status_name(rs[i].floor);
    o += "\", \"ks2_coasting\": \"";
    o += status_name(rs[i].coasting);
    o += i + 1 < rs.size() ? "\"},\n" : "\"}\n";
  }
  o += "]\n";
  return o;
}

}  // namespace baseline
