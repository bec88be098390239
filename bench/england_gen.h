// Synthetic England-scale KS2 performance tables in the real DfE format, for the
// benchmarks (bench_england, gen_england) and the benchmark's smoke test.
//
// One file per year, `YYYY-YYYY_ks2final.csv`, with the real column set of that
// year: the header is copied from the real Hampshire file of the same year
// (290, 326, 318 columns; the key columns sit at different positions), so the
// shipped rules/sources/dfe_ks2.rules reads the files unchanged. Rows are
// RECTYPE 1 (mainstream) and 2 (special) schools, one RECTYPE 3 row per local
// authority, then the England rows (4 all schools, 5 state-funded). Warts as in
// the real files: a BOM, CRLF, percentages as text (`53%`), SUPP / NE / NP /
// LOWCOV / NA codes and blanks, quoted names with commas, new schools whose row
// stops at `NEW`, schools that open in a later year.
//
// Reproducible: every value is derived from raw 64-bit draws of a seeded
// splitmix64 generator through distributions written here (no std::
// distributions, whose output differs between standard libraries).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

struct Rng {
  uint64_t state;
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool chance(double p) { return uniform() < p; }
  int range(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  double normal() {  // Box-Muller, one value per call
    double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(1.0 - u)) * std::cos(6.283185307179586 * v);
  }
};

struct GenOptions {
  int schools = 1000;
  int years = 3;          // 1..3: the last `years` of 2016-17, 2017-18, 2018-19
  uint64_t seed = 20190;
  std::string header_dir;  // the real KS2 files whose headers are copied
  std::string out_dir;
};

inline const char* const kHeaderFiles[] = {"2016-2017_850_ks2final.csv", "2017-2018_850_ks2final.csv",
                                           "2018-2019_850_ks2final.csv"};

// The header line of a real file, split; empty when the file cannot be read.
inline std::vector<std::string> real_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::getline(in, line);
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  std::vector<std::string> cols;
  std::stringstream ss(line);
  for (std::string c; std::getline(ss, c, ',');) cols.push_back(c);
  return cols;
}

namespace gen_detail {

inline void pct(std::string& o, double v) {
  int p = static_cast<int>(std::lround(std::fmin(100.0, std::fmax(0.0, v))));
  o += std::to_string(p);
  o += '%';
}

// One decimal place, as the DfE writes scores: -2.5, 3, 0 (never -0).
inline void score(std::string& o, double v) {
  long t = std::lround(v * 10.0);
  if (t < 0) o += '-', t = -t;
  o += std::to_string(t / 10);
  if (t % 10) o += '.', o += static_cast<char>('0' + t % 10);
}

// A missing-value code for a cell, or null: the mix seen in the real files.
inline const char* code(Rng& r, int cohort) {
  double u = r.uniform();
  if (cohort <= 10 && u < 0.5) return "SUPP";
  if (u < 0.025) return "SUPP";
  if (u < 0.030) return "LOWCOV";
  if (u < 0.033) return "NP";
  if (u < 0.035) return "NE";
  if (u < 0.040) return "";
  return nullptr;
}

struct School {
  int urn, la, rectype, first_year, cohort;
  double quality;
  bool quoted_name, new_in_last;
};

enum class Col { Info, Rectype, Urn, Lea, Estab, Name, Nftype, Telig, Rwm, Prog, Upper, Lower, Pct, Score, Avg, Count };

inline Col classify(const std::string& n, bool before_results) {
  if (n == "RECTYPE") return Col::Rectype;
  if (n == "URN") return Col::Urn;
  if (n == "LEA") return Col::Lea;
  if (n == "ESTAB") return Col::Estab;
  if (n == "SCHNAME") return Col::Name;
  if (n == "NFTYPE") return Col::Nftype;
  if (n == "TELIG") return Col::Telig;
  if (before_results) return Col::Info;
  if (n == "PTRWM_EXP") return Col::Rwm;
  if (n == "READPROG" || n == "WRITPROG" || n == "MATPROG") return Col::Prog;
  if (n == "READPROG_UPPER" || n == "WRITPROG_UPPER" || n == "MATPROG_UPPER") return Col::Upper;
  if (n == "READPROG_LOWER" || n == "WRITPROG_LOWER" || n == "MATPROG_LOWER") return Col::Lower;
  if (n.find("AVERAGE") != std::string::npos) return Col::Avg;
  if (n.find("PROG") != std::string::npos || n.rfind("DIFFN", 0) == 0) return Col::Score;
  if (n.rfind("PT", 0) == 0 || n.rfind("P", 0) == 0 || n.find("COV") != std::string::npos) return Col::Pct;
  return Col::Count;
}

}  // namespace gen_detail

// Writes the files; returns their paths (empty on an error, with `error` set).
inline std::vector<std::string> generate_england(const GenOptions& o, std::string& error) {
  using namespace gen_detail;
  std::vector<std::string> paths;
  int years = o.years < 1 ? 1 : o.years > 3 ? 3 : o.years;
  Rng r(o.seed);
  std::vector<School> schools(static_cast<size_t>(o.schools));
  for (int i = 0; i < o.schools; ++i) {
    School& s = schools[static_cast<size_t>(i)];
    s.urn = 100000 + i;
    s.la = 201 + i % 150;
    s.rectype = r.chance(0.05) ? 2 : 1;
    s.first_year = r.chance(0.03) ? r.range(1, 2) : 0;  // opened in a later year
    s.cohort = r.chance(0.06) ? r.range(1, 10) : r.range(11, 120);
    s.quality = r.normal();
    s.quoted_name = r.chance(0.02);
    s.new_in_last = r.chance(0.005);
  }
  for (int y = 3 - years; y < 3; ++y) {
    std::vector<std::string> header = real_header(o.header_dir + "/" + kHeaderFiles[y]);
    if (header.empty()) {
      error = "cannot read the header of " + o.header_dir + "/" + kHeaderFiles[y];
      return {};
    }
    size_t results_at = header.size();  // TOTPUPS (or TELIG): a NEW row stops here
    for (size_t c = 0; c < header.size(); ++c)
      if (header[c] == "TOTPUPS" || header[c] == "TELIG") {
        results_at = c;
        break;
      }
    std::vector<Col> kinds;
    for (size_t c = 0; c < header.size(); ++c) kinds.push_back(classify(header[c], c < results_at));

    int year = 2016 + y;
    std::string path = o.out_dir + "/" + std::to_string(year) + "-" + std::to_string(year + 1) + "_ks2final.csv";
    std::ofstream out(path, std::ios::binary);
    if (!out) {
      error = "cannot write " + path;
      return {};
    }
    std::string line = "\xEF\xBB\xBF";
    for (size_t c = 0; c < header.size(); ++c) line += (c ? "," : "") + header[c];
    line += "\r\n";
    out << line;

    for (const School& s : schools) {
      if (s.first_year > y) continue;
      bool is_new = y == 2 && s.new_in_last;
      int cohort = std::max(1, s.cohort + r.range(-4, 4));
      double q = s.quality + 0.4 * r.normal();
      double prog[3] = {0.8 + 2.6 * q + 1.2 * r.normal(), 0.6 + 2.6 * q + 1.2 * r.normal(),
                        0.8 + 2.6 * q + 1.2 * r.normal()};
      double half = 11.0 / std::sqrt(static_cast<double>(cohort));
      int pi = 0, ui = 0, li = 0;
      line.clear();
      for (size_t c = 0; c < header.size(); ++c) {
        if (is_new && c == results_at) {
          line += ",NEW";
          break;
        }
        if (c) line += ',';
        const char* miss = nullptr;
        switch (kinds[c]) {
          case Col::Rectype: line += std::to_string(s.rectype); break;
          case Col::Urn: line += std::to_string(s.urn); break;
          case Col::Lea: line += std::to_string(s.la); break;
          case Col::Estab: line += std::to_string(2000 + s.urn % 7000); break;
          case Col::Name:
            if (s.quoted_name) line += "\"St Mary's, Town " + std::to_string(s.urn % 997) + "\"";
            else line += "Synthetic Primary School " + std::to_string(s.urn);
            break;
          case Col::Nftype: line += s.rectype == 2 ? "CYS" : (s.urn % 3 ? "AC" : "CY"); break;
          case Col::Info: line += (c % 3 == 0) ? "" : (c % 3 == 1 ? "Station Road" : "Does not apply"); break;
          case Col::Telig:
            if (r.chance(0.003)) line += "SUPP";
            else line += std::to_string(cohort);
            break;
          case Col::Rwm:
            if ((miss = code(r, cohort))) line += miss;
            else pct(line, 62 + 14 * q + 4 * r.normal());
            break;
          case Col::Prog:
            if ((miss = code(r, cohort))) line += miss;
            else score(line, prog[pi % 3]);
            ++pi;
            break;
          case Col::Upper:
            if ((miss = code(r, cohort))) line += miss;
            else score(line, prog[ui % 3] + half);
            ++ui;
            break;
          case Col::Lower:
            if ((miss = code(r, cohort))) line += miss;
            else score(line, prog[li % 3] - half);
            ++li;
            break;
          case Col::Pct:
            if ((miss = code(r, cohort))) line += miss;
            else if (r.chance(0.04)) line += "NA";
            else pct(line, 60 + 20 * r.normal());
            break;
          case Col::Score:
            if ((miss = code(r, cohort))) line += miss;
            else score(line, 3 * r.normal());
            break;
          case Col::Avg:
            if ((miss = code(r, cohort))) line += miss;
            else line += std::to_string(104 + static_cast<int>(r.next() % 7) - 3);
            break;
          case Col::Count: line += std::to_string(r.range(0, cohort * 4)); break;
        }
      }
      line += "\r\n";
      out << line;
    }
    // Aggregate rows: one per LA, then England (4) and England state-funded (5).
    auto aggregate = [&](int rectype, int la) {
      line.clear();
      for (size_t c = 0; c < header.size(); ++c) {
        if (c) line += ',';
        switch (kinds[c]) {
          case Col::Rectype: line += std::to_string(rectype); break;
          case Col::Lea: line += la ? std::to_string(la) : " "; break;
          case Col::Info: case Col::Urn: case Col::Estab: case Col::Name: case Col::Nftype: line += ' '; break;
          case Col::Telig: line += std::to_string(600000 / (la ? 150 : 1)); break;
          case Col::Rwm: case Col::Pct: pct(line, 65); break;
          case Col::Prog: case Col::Upper: case Col::Lower: case Col::Score: line += la ? "0.1" : "0"; break;
          case Col::Avg: line += "105"; break;
          case Col::Count: line += "1000"; break;
        }
      }
      line += "\r\n";
      out << line;
    };
    for (int la = 201; la < 201 + 150 && la < 201 + o.schools; ++la) aggregate(3, la);
    aggregate(4, 0);
    aggregate(5, 0);
    if (!out.flush()) {
      error = "cannot write " + path;
      return {};
    }
    paths.push_back(path);
  }
  return paths;
}

}  // namespace bench
