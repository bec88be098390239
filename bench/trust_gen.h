// Synthetic data of a school trust in the layouts of samples/trust/ (see its
// README and generate.py), for N schools x Y academic years up to 2024-25, the
// year rules/trust.rules applies to. Used by bench_england's tier scenario and
// the benchmark's smoke test.
//
//   trust_schools.csv                 the trust's list (CRLF)
//   trust_attendance_YYYY-YY.csv      termly MIS export + NATIONAL rows per phase (BOM, CRLF)
//   trust_reviews.csv                 termly health-check judgements (LF)
//   trust_overrides.csv               a few in-year reclassifications (CRLF, quoted reasons)
//   YYYY-YYYY_ks2final.csv            KS2 rows, LA rows, national rows 4 and 5 (BOM, CRLF)
//   YYYY-YYYY_ks4.csv                 KS4 rows, LA rows, national rows 5 and 7 (BOM, LF)
//   YYYY-YYYY_census.csv              census rows + NAT rows per phase (BOM, LF)
//
// Each school gets a latent support level (1-4) that its figures and judgements
// scatter around, so every tier, floor breach and unknown occurs without any
// school's tier being written down here. The warts are the samples': SUPP
// groups, NP progress from 2024-25, NJ and blank judgements, missing review
// terms, judgements in lower case or as identifiers, infant schools and new
// secondaries with no KS2 / KS4 results, schools that joined the trust this
// year (one year of trust data), schools that joined this summer (a blank MIS
// row, no review yet: nothing can be judged), names with commas.
//
// Reproducible: bench::Rng draws only, in a fixed order, and printf formatting.
#pragma once

#include "bench/trust_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

struct TrustGenOptions {
  int schools = 200;
  int years = 3;  // academic years ending with 2024-25
  uint64_t seed = 20250701;
  // Drop ~2% of primaries from the latest KS2 table (results withheld) — off by
  // default: it exposes the engine's benchmark anchoring of stale metrics (see
  // the README's Performance section), on which engine and baseline differ.
  bool stale_ks2 = false;
  std::string out_dir;
};

namespace trust_detail {

// ---- the files -----------------------------------------------------------------

inline void schools_file(const std::vector<School>& ss, CsvOut& o) {
  o << "URN" << "SchoolName" << "Phase" << "Type" << "LA" << "AgeRange" << "AcademicYear";
  o.end();
  for (const auto& s : ss) {
    o << s.urn << s.name << (s.secondary ? "Secondary" : "Primary") << s.type
      << s.la << s.ages << year_short(kLastYear);
    o.end();
  }
}

struct YearValues {  // one school's whole-year figures, before the term adjustments
  double att, pa, susp, staff_abs, turnover;
  int pex;
};

inline void attendance_file(Rng& r, const std::vector<School>& ss, int y, CsvOut& o) {
  o << "URN" << "SchoolName" << "Phase" << "AcademicYear" << "Term" << "AttendancePct"
    << "AttendancePct_Disadvantaged" << "AttendancePct_NotDisadvantaged" << "PersistentAbsencePct"
    << "PersistentAbsencePct_Disadvantaged" << "PersistentAbsencePct_NotDisadvantaged" << "SuspensionRate"
    << "PermanentExclusions" << "StaffAbsencePct" << "StaffTurnoverPct";
  o.end();
  int k = y - 2022, d = y - kLastYear;
  std::vector<YearValues> yv;
  for (const auto& s : ss) {
    YearValues v;
    double att_nat = nat_att(s.secondary, k, 2), pa_nat = nat_pa(s.secondary, k, 2);  // summer: the whole year
    v.att = std::clamp(att_nat + s.att_off + s.att_trend * d + 0.25 * r.normal(), 80.0, 99.4);
    v.pa = std::clamp(pa_nat + s.pa_off + s.pa_trend * d + 0.6 * r.normal(), 1.0, 60.0);
    v.susp = std::max(0.0, nat_susp(s.secondary, k, 2) * s.susp * uni(r, 0.9, 1.1));
    v.staff_abs = std::max(0.5, s.staff_abs + 0.4 * r.normal());
    v.turnover = std::max(0.0, s.turnover + 1.5 * r.normal());
    v.pex = s.secondary ? static_cast<int>(std::floor(uni(r, 0, s.band * 1.6))) : r.chance(0.05 * s.band) ? 1 : 0;
    yv.push_back(v);
  }
  for (int t = 0; t < 3; ++t) {
    for (size_t i = 0; i < ss.size(); ++i) {
      const School& s = ss[i];
      if (!s.trust_data(y) && s.joined != 2) continue;
      if (s.joined == 2) {  // joined this summer: the MIS export has the row, not the figures yet
        if (y != kLastYear || t != 2) continue;
        o << s.urn << s.name << (s.secondary ? "Secondary" : "Primary") << year_short(y) << kTerms[t];
        for (int c = 0; c < 10; ++c) o << "";
        o.end();
        continue;
      }
      const YearValues& v = yv[i];
      double att = std::min(99.6, v.att + kAttTerm[t] + 0.2 * r.normal());
      double pa = std::max(0.5, v.pa + kPaTerm[t] + 0.4 * r.normal());
      bool small = s.roll < 150 && r.chance(0.5);  // few disadvantaged pupils: suppressed
      o << s.urn << s.name << (s.secondary ? "Secondary" : "Primary") << year_short(y) << kTerms[t]
        << num(att, 1) << (small ? std::string("SUPP") : num(att - uni(r, 1, 5), 1)) << num(att + uni(r, 0.2, 2.5), 1)
        << num(pa, 1) << (small ? std::string("SUPP") : num(std::min(99.0, pa + uni(r, 5, 15)), 1))
        << num(std::max(0.0, pa - uni(r, 1, 6)), 1)
        << (r.chance(0.004) ? std::string() : num(v.susp * kSuspTerm[t], 2))
        << std::min(v.pex, static_cast<int>(std::floor(v.pex * (t + 1) / 3.0 + 0.5)))
        << (r.chance(0.004) ? std::string() : num(v.staff_abs * kStaffAbsTerm[t], 1))
        << num(v.turnover + (t == 1 ? 0.5 : 0), 1);
      o.end();
    }
    for (bool sec : {false, true}) {
      double att = nat_att(sec, k, t), pa = nat_pa(sec, k, t);
      o << "NATIONAL" << (sec ? "England, state-funded secondary schools" : "England, state-funded primary schools")
        << (sec ? "Secondary" : "Primary") << year_short(y) << kTerms[t] << num(att, 1)
        << num(att + (sec ? -3.8 : -1.9), 1) << num(att + (sec ? 1.4 : 0.7), 1) << num(pa, 1)
        << num(pa + (sec ? 14 : 9), 1) << num(pa + (sec ? -5 : -3), 1) << num(nat_susp(sec, k, t), 2) << "NA"
        << "NA" << "NA";
      o.end();
    }
  }
}

inline void reviews_file(Rng& r, const std::vector<School>& ss, int first, CsvOut& o) {
  static const char* const kFields[] = {"Culture", "Teaching", "Leadership", "Behaviour", "Governance",
                                        "StaffMorale", "SENDProvision"};
  static const char* const kReviewers[] = {"J. Whitcombe", "P. Adeyemi", "S. Kowalczyk", "R. Banerjee"};
  static const int kDay[3][2] = {{11, 19}, {3, 12}, {6, 25}};
  o << "URN" << "SchoolName" << "AcademicYear" << "Term" << "ReviewDate" << "LeadReviewer" << "Safeguarding";
  for (const char* f : kFields) o << f;
  o << "OfstedGrade" << "ReportCardGrade";
  o.end();
  // A judgement as reviewers type it: usually the label, sometimes in lower
  // case or as the identifier; now and then not judged (NJ) or left blank.
  auto judgement = [&](const char* label, const char* id) -> std::string {
    double u = r.uniform();
    if (u < 0.012) return "NJ";
    if (u < 0.016) return "";
    if (u < 0.036) {
      std::string s = label;
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    }
    if (u < 0.046) return id;
    return label;
  };
  for (int y = first; y <= kLastYear; ++y)
    for (int t = 0; t < 3; ++t)
      for (const auto& s : ss) {
        if (!s.trust_data(y) || s.joined == 2 || r.chance(0.02)) continue;  // a review that did not take place
        int m = kDay[t][0], day = kDay[t][1] + r.range(-3, 3), cy = t == 0 ? y : y + 1;
        int w = dow(cy, m, day);
        day -= w == 6 ? 1 : w == 0 ? 2 : 0;  // reviews happen on school days
        char date[40];
        std::snprintf(date, sizeof date, "%04d-%02d-%02d", cy, m, day);
        int safe = s.safeguarding;
        if (r.chance(0.05)) safe = std::clamp(safe + (r.chance(0.5) ? 1 : -1), 0, 2);
        o << s.urn << s.name << year_short(y) << kTerms[t] << date << kReviewers[r.range(0, 3)]
          << judgement(kSafe[safe], kSafeId[safe]);
        for (int f = 0; f < 7; ++f) {
          int g = std::clamp(static_cast<int>(std::lround(s.level + s.bias[f] + 0.35 * r.normal())), 0, 3);
          o << judgement(kReview[g], kReviewId[g]);
        }
        // Report cards began in November 2025, after these terms: always blank.
        o << kOfsted[s.ofsted] << "";
        o.end();
      }
}

inline void overrides_file(Rng& r, const std::vector<School>& ss, int first, CsvOut& o) {
  o << "URN" << "AcademicYear" << "Term" << "Tier" << "Reason" << "ApprovedBy" << "Date";
  o.end();
  int n = static_cast<int>(ss.size()), want = std::max(4, n / 60);
  std::vector<char> used(ss.size(), 0);
  used[ss.size() - 1] = 1;  // the last school stays unknown
  auto pick = [&](bool joining) {
    for (int tries = 0; tries < 64; ++tries) {
      int i = r.range(0, n - 1);
      if (used[i] || (ss[i].joined == 2) != joining) continue;
      used[i] = 1;
      return i;
    }
    return -1;
  };
  const std::string ceo = "Dr Amara Okafor (CEO); ratified by the trust board, minute TB/25/0";
  auto row = [&](int i, int y, int t, int tier, const std::string& why) {
    char date[40];
    static const int kMonth[] = {10, 1, 5};
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", t == 0 ? y : y + 1, kMonth[t], r.range(5, 25));
    o << ss[i].urn << year_short(y) << kTerms[t] << tier << why << ceo + std::to_string(r.range(10, 99)) << date;
    o.end();
  };
  for (int k = 0; k < want; ++k) {
    int i = pick(false);
    if (i < 0) break;
    int tier = std::clamp(ss[i].band + (r.chance(0.7) ? 1 : -1), 1, 4);
    if (k == 1 && first < kLastYear) {  // last year's: no longer applies
      row(i, kLastYear - 1, 1, tier, "Interim leadership after the headteacher's long-term absence.");
    } else if (k == 2) {  // moved in the autumn, back in the summer: the later one stands
      row(i, kLastYear, 0, 3, "Headteacher resigned at Christmas; interim leadership, \"trust-led\" support.");
      row(i, kLastYear, 2, 2, "Substantive headteacher appointed; leadership secure again.");
    } else {
      row(i, kLastYear, r.range(0, 2), tier, "Exceptional circumstances: local authority concerns, reviewed by the CEO.");
    }
  }
  if (int i = pick(true); i >= 0)
    row(i, kLastYear, 2, 3, "Joined the trust in the summer term; trust-led support until the first review.");
}

// The samples' subset of the DfE KS2 columns, in the DfE order.
inline std::vector<std::string> ks2_header() {
  std::vector<std::string> h = {
      "RECTYPE", "ALPHAIND", "LEA", "ESTAB", "URN", "SCHNAME", "TOWN", "PCODE", "NFTYPE", "RELDENOM", "AGERANGE",
      "TOTPUPS", "TELIG", "BELIG", "GELIG", "TFSM6CLA1A", "PTFSM6CLA1A", "TNotFSM6CLA1A", "PTNotFSM6CLA1A",
      "TEALGRP2", "PTEALGRP2", "PTRWM_EXP", "PTRWM_HIGH", "READPROG", "READPROG_LOWER", "READPROG_UPPER",
      "READCOV", "WRITPROG", "WRITPROG_LOWER", "WRITPROG_UPPER", "WRITCOV", "MATPROG", "MATPROG_LOWER",
      "MATPROG_UPPER", "MATCOV", "PTREAD_EXP", "READ_AVERAGE", "PTGPS_EXP", "GPS_AVERAGE", "PTMAT_EXP",
      "MAT_AVERAGE", "PTWRITTA_EXP", "PTRWM_EXP_B", "PTRWM_EXP_G", "PTRWM_EXP_FSM6CLA1A",
      "PTRWM_EXP_NotFSM6CLA1A", "PTRWM_EXP_EAL", "PTRWM_EXP_MOBN", "PTRWM_HIGH_FSM6CLA1A",
      "PTRWM_HIGH_NotFSM6CLA1A"};
  for (const char* sub : {"READ", "WRIT", "MAT"})
    for (const char* g : {"_FSM6CLA1A", "_NotFSM6CLA1A"})
      for (const char* b : {"", "_LOWER", "_UPPER"}) h.push_back(std::string(sub) + "PROG" + g + b);
  return h;
}

// A row filled by column name, so that no value lands in the wrong column.
class NamedRow {
 public:
  explicit NamedRow(const std::vector<std::string>& header) : header_(header), cells_(header.size()) {}
  void clear(const char* fill) { std::fill(cells_.begin(), cells_.end(), fill); }
  void set(std::string_view col, std::string v) {
    for (size_t i = 0; i < header_.size(); ++i)
      if (header_[i] == col) {
        cells_[i] = std::move(v);
        return;
      }
  }
  void write(CsvOut& o) const {
    for (const auto& c : cells_) o << c;
    o.end();
  }

 private:
  const std::vector<std::string>& header_;
  std::vector<std::string> cells_;
};

inline void ks2_file(Rng& r, const std::vector<School>& ss, int y, const std::vector<std::string>& las, CsvOut& o) {
  static const std::vector<std::string> header = ks2_header();
  for (const auto& h : header) o << h;
  o.end();
  int k = y - 2022, d = y - kLastYear, nat = nat_rwm(k);
  bool np = y >= 2024;  // no KS2 progress for 2024-25 (no KS1 baseline)
  NamedRow row(header);
  for (const auto& s : ss) {
    if (!s.has_ks2() || (s.ks2_withheld && y == kLastYear)) continue;
    int telig = std::max(4, static_cast<int>(std::lround(s.roll / (s.kind == Kind::Junior ? 4 : 7) * uni(r, 0.85, 1.15))));
    int tdis = std::min(telig, static_cast<int>(std::lround(telig * s.fsm6 / 100 * uni(r, 0.8, 1.2))));
    int tnot = telig - tdis, teal = std::max(1, static_cast<int>(std::lround(telig * uni(r, 0.03, 0.3))));
    bool tiny = telig <= 5;  // every figure suppressed
    int rwm = std::clamp(static_cast<int>(std::lround(nat + s.out_off + s.out_trend * d + 3 * r.normal())), 0, 100);
    int dis = std::clamp(static_cast<int>(std::lround(rwm - (s.band == 1 ? uni(r, -6, 8) : uni(r, 5, 25)))), 0, 100);
    int notdis = tnot > 0 ? std::clamp(static_cast<int>(std::lround((rwm * telig - dis * tdis) / double(tnot))), 0, 100) : rwm;
    int high = std::clamp(static_cast<int>(std::lround(8 + (rwm - nat) * 0.4 + 2 * r.normal())), 0, rwm);
    auto sup = [&](bool suppressed, std::string v) { return tiny || suppressed ? std::string("SUPP") : v; };
    row.clear("");
    row.set("RECTYPE", "1");
    row.set("ALPHAIND", std::to_string(r.range(1, 999)));
    row.set("LEA", s.la);
    row.set("ESTAB", s.estab);
    row.set("URN", s.urn);
    row.set("SCHNAME", s.name);
    row.set("TOWN", "Meridian");
    row.set("PCODE", "MX" + std::to_string(r.range(1, 99)) + " " + std::to_string(r.range(1, 9)) + "AB");
    row.set("NFTYPE", s.type == "Academy converter" ? "ACC" : "AC");
    row.set("RELDENOM", "Does not apply");
    row.set("AGERANGE", s.ages);
    row.set("TOTPUPS", std::to_string(static_cast<int>(s.roll)));
    row.set("TELIG", std::to_string(telig));
    row.set("BELIG", std::to_string(telig / 2));
    row.set("GELIG", std::to_string(telig - telig / 2));
    row.set("TFSM6CLA1A", std::to_string(tdis));
    row.set("PTFSM6CLA1A", pct(100.0 * tdis / telig));
    row.set("TNotFSM6CLA1A", std::to_string(tnot));
    row.set("PTNotFSM6CLA1A", pct(100.0 * tnot / telig));
    row.set("TEALGRP2", std::to_string(teal));
    row.set("PTEALGRP2", pct(100.0 * teal / telig));
    row.set("PTRWM_EXP", sup(false, pct(rwm)));
    row.set("PTRWM_HIGH", sup(false, pct(high)));
    row.set("PTREAD_EXP", sup(false, pct(std::min(99, rwm + 12))));
    row.set("READ_AVERAGE", std::to_string(105 + (rwm - 60) / 6));
    row.set("PTGPS_EXP", sup(false, pct(std::min(99, rwm + 10))));
    row.set("GPS_AVERAGE", std::to_string(105 + (rwm - 60) / 6));
    row.set("PTMAT_EXP", sup(false, pct(std::min(99, rwm + 11))));
    row.set("MAT_AVERAGE", std::to_string(104 + (rwm - 60) / 6));
    row.set("PTWRITTA_EXP", sup(false, pct(std::min(99, rwm + 9))));
    row.set("PTRWM_EXP_B", sup(false, pct(rwm - r.range(3, 6))));
    row.set("PTRWM_EXP_G", sup(false, pct(rwm + r.range(3, 6))));
    row.set("PTRWM_EXP_FSM6CLA1A", sup(tdis < 6, pct(dis)));
    row.set("PTRWM_EXP_NotFSM6CLA1A", sup(tnot < 6, pct(notdis)));
    row.set("PTRWM_EXP_EAL", sup(teal < 6, pct(rwm - r.range(-4, 6))));
    row.set("PTRWM_EXP_MOBN", sup(false, pct(rwm + r.range(0, 2))));
    row.set("PTRWM_HIGH_FSM6CLA1A", sup(tdis < 6, pct(std::max(0, high - 5 - r.range(0, 3)))));
    row.set("PTRWM_HIGH_NotFSM6CLA1A", sup(tnot < 6, pct(high + r.range(0, 2))));
    for (const char* sub : {"READ", "WRIT", "MAT"}) {
      std::string p = std::string(sub) + "PROG";
      double score = (rwm - nat) / 6.0 + 1.2 * r.normal(), dp = score - uni(r, 1, 2.5), ndp = score + uni(r, 0.3, 0.7);
      auto put = [&](const std::string& col, double v, int n, bool suppressed) {
        double half = 1.96 * 5.6 / std::sqrt(std::max(n, 1));
        row.set(col, np ? "NP" : sup(suppressed, num(v, 1)));
        row.set(col + "_LOWER", np ? "NP" : sup(suppressed, num(v - half, 1)));
        row.set(col + "_UPPER", np ? "NP" : sup(suppressed, num(v + half, 1)));
      };
      put(p, score, telig, false);
      put(p + "_FSM6CLA1A", dp, tdis, tdis < 6);
      put(p + "_NotFSM6CLA1A", ndp, tnot, tnot < 6);
      row.set(std::string(sub) + "COV", np ? "NP" : pct(94 + r.range(0, 5)));
    }
    row.write(o);
  }
  // LA rows (3), then England (4 all schools, 5 state-funded), as the DfE has
  // them: school-only columns hold a single space, progress is blank.
  auto national = [&](const char* rectype, const std::string& la, const std::string& name, int lift, int telig) {
    int v = nat + lift;
    row.clear(" ");
    row.set("RECTYPE", rectype);
    if (!la.empty()) row.set("LEA", la);
    row.set("SCHNAME", name);
    row.set("TELIG", std::to_string(telig));
    const std::pair<const char*, int> cols[] = {
        {"PTRWM_EXP", v}, {"PTRWM_HIGH", 8}, {"PTREAD_EXP", v + 12}, {"PTGPS_EXP", v + 10}, {"PTMAT_EXP", v + 11},
        {"PTWRITTA_EXP", v + 9}, {"PTRWM_EXP_B", v - 3}, {"PTRWM_EXP_G", v + 3}, {"PTRWM_EXP_FSM6CLA1A", v - 15},
        {"PTRWM_EXP_NotFSM6CLA1A", v + 7}, {"PTRWM_EXP_EAL", v - 1}, {"PTRWM_EXP_MOBN", v + 1},
        {"PTRWM_HIGH_FSM6CLA1A", 3}, {"PTRWM_HIGH_NotFSM6CLA1A", 10}};
    for (const auto& [c, x] : cols) row.set(c, pct(x));
    row.set("READ_AVERAGE", "105");
    row.set("GPS_AVERAGE", "105");
    row.set("MAT_AVERAGE", "104");
    row.write(o);
  };
  for (const auto& la : las) national("3", la, "Local authority " + la, 2, 6120 + 40 * k);
  national("4", "", " ", -1, 660400 + 3000 * k);
  national("5", "", " ", 0, 655000 + 3000 * k);
}

inline void ks4_file(Rng& r, const std::vector<School>& ss, int y, const std::vector<std::string>& las, CsvOut& o) {
  static const char* const kHeader[] = {
      "RECTYPE", "LEA", "ESTAB", "URN", "SCHNAME", "ICLOSE", "NFTYPE", "TPUP", "ATT8SCR", "P8PUP", "TP8ADJ",
      "P8MEA", "P8CILOW", "P8CIUPP", "P8MEA_ORIG", "P8CILOW_ORIG", "P8CIUPP_ORIG", "PTL2BASICS_94",
      "PTL2BASICS_95", "EBACCAPS", "PTEBACC_E_PTQ_EE", "PTEBACC_94", "PTEBACC_95", "PT5EM_94", "P8_BANDING"};
  for (const char* h : kHeader) o << h;
  o.end();
  int k = y - 2022, d = y - kLastYear;
  double nat = nat_em94(k), nat95 = 45.3 + 0.05 * k, att8 = 46.3 - 0.2 * k, ebacc = 39.3 + 0.85 * k;
  for (const auto& s : ss) {
    if (!s.has_ks4()) continue;
    int tpup = static_cast<int>(std::lround(s.roll / 5.5 * uni(r, 0.9, 1.1))), p8pup = tpup - r.range(3, 9);
    double p8 = std::round((s.p8 + 0.05 * s.out_trend * d + 0.1 * r.normal()) * 100) / 100;
    double half = std::round(1.96 * 1.23 / std::sqrt(p8pup) * 100) / 100, low = p8 - half, upp = p8 + half;
    double em = std::clamp(nat + s.out_off + s.out_trend * d + 2.5 * r.normal(), 5.0, 98.0);
    double em5 = std::max(2.0, em - uni(r, 16, 24)), a8 = att8 + (em - nat) * 0.25;
    const char* band = low > 0.5 ? "1" : low > 0 ? "2" : upp < -0.5 ? "5" : upp < 0 ? "4" : "3";
    o << "1" << s.la << s.estab << s.urn << s.name << "0" << (s.type == "Academy converter" ? "ACC" : "AC") << tpup
      << num(a8, 1) << p8pup << r.range(0, 3) << num(p8, 2) << num(low, 2) << num(upp, 2) << num(p8 - 0.01, 2)
      << num(low - 0.01, 2) << num(upp - 0.01, 2) << pct(em, 1) << (r.chance(0.01) ? std::string("SUPP") : pct(em5, 1))
      << num(3.2 + (a8 - 36) / 11, 2) << (r.chance(0.02) ? std::string("NE") : pct(ebacc + 0.8 * s.out_off + 5 * r.normal(), 1))
      << pct(ebacc * 0.62, 1) << pct(ebacc * 0.4, 1) << pct(em - 4, 1) << band;
    o.end();
  }
  for (const auto& la : las) {
    o << "4" << la << "" << "" << "" << "" << "" << 5870 << num(att8 - 0.4, 1) << 5610 << 38 << "-0.08" << "-0.11"
      << "-0.05" << "-0.09" << "-0.12" << "-0.06" << pct(nat - 1.2, 1) << pct(nat95 - 1, 1) << "4.03"
      << pct(ebacc - 2, 1) << pct(ebacc * 0.6, 1) << pct(ebacc * 0.38, 1) << pct(nat - 5, 1) << "3";
    o.end();
  }
  for (bool state : {false, true}) {
    double lift = state ? 0 : -5.3;
    o << (state ? "7" : "5") << "" << "" << "" << "" << "" << "" << (state ? 588000 : 641000) + 5000 * k
      << num(att8 + (state ? 0 : -1.7), 1) << (state ? std::to_string(557000 + 5000 * k) : std::string()) << (state ? "4650" : "")
      << (state ? "-0.03" : "") << "" << "" << (state ? "-0.03" : "") << "" << "" << pct(nat + lift, 1)
      << pct(nat95 + lift * 0.7, 1) << "4.05" << pct(ebacc + lift * 0.6, 1) << pct(26.8 + lift * 0.4, 1)
      << pct(16.9 + lift * 0.3, 1) << pct(60.1 + lift, 1) << "";
    o.end();
  }
}

inline void census_file(Rng& r, const std::vector<School>& ss, int y, CsvOut& o) {
  static const char* const kHeader[] = {"URN", "LA", "ESTAB", "SCHOOLTYPE", "NOR", "NORG", "NORB", "PNORG",
                                        "PNORB", "TSENELSE", "PSENELSE", "TSENELK", "PSENELK", "NUMEAL",
                                        "NUMENGFL", "NUMUNCFL", "PNUMEAL", "PNUMENGFL", "PNUMUNCFL", "NUMFSM",
                                        "NUMFSMEVER", "PNUMFSMEVER"};
  for (const char* h : kHeader) o << h;
  o.end();
  auto row = [&](const std::string& urn, const std::string& la, const std::string& estab, const char* type,
                 int nor, double pg, double psenk, double psene, double peal, double pfsm6) {
    int norg = static_cast<int>(std::lround(nor * pg / 100)), numeal = static_cast<int>(std::lround(nor * peal / 100));
    int uncl = static_cast<int>(std::lround(nor * 0.003)), numeng = nor - numeal - uncl;
    int fsm6 = static_cast<int>(std::lround(nor * pfsm6 / 100));
    o << urn << la << estab << type << nor << norg << nor - norg << num(100.0 * norg / nor, 1)
      << num(100.0 * (nor - norg) / nor, 1) << static_cast<int>(std::lround(nor * psene / 100)) << num(psene, 1)
      << static_cast<int>(std::lround(nor * psenk / 100)) << num(psenk, 1) << numeal << numeng << uncl
      << num(peal, 1) << num(100.0 * numeng / nor, 1) << num(100.0 * uncl / nor, 1)
      << static_cast<int>(std::lround(fsm6 * 0.78)) << fsm6 << num(pfsm6, 1);
    o.end();
  };
  int k = y - 2022;
  for (const auto& s : ss) {
    if (s.joined == 2 && y != kLastYear) continue;  // a new school: on this year's census only
    int nor = static_cast<int>(s.roll) + (y - kLastYear) * r.range(2, 9);
    row(s.urn, s.la, s.estab, s.secondary ? "State-funded secondary" : "State-funded primary", std::max(nor, 20),
        uni(r, 46, 53), uni(r, 8, 19), uni(r, 1, 4), uni(r, 3, 30), s.fsm6);
  }
  row("NAT", "", "PRI", "State-funded primary", 4650000 - 50000 * k, 49.1, 13.2 + 0.45 * k, 2.5 + 0.25 * k, 21.4, 24.9 + 0.7 * k);
  row("NAT", "", "SEC", "State-funded secondary", 3500000 + 30000 * k, 49.6, 11.9 + 0.5 * k, 2.4 + 0.2 * k, 17.5, 28.1 + 0.5 * k);
  row("NAT", "", "SPE", "State-funded special school", 149000 + 9000 * k, 27.5, 1.0, 97.8, 15.3, 51.0);
}

inline bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out.flush());
}

}  // namespace trust_detail

// Writes the files into o.out_dir; returns their paths (sorted), or none and `error`.
inline std::vector<std::string> generate_trust(const TrustGenOptions& o, std::string& error) {
  using namespace trust_detail;
  if (o.schools < 2 || o.years < 1 || o.years > 8) {
    error = "generate_trust: need at least 2 schools and 1-8 years";
    return {};
  }
  Rng r(o.seed);
  int n_la = std::clamp(o.schools / 150, 1, 150), first = kLastYear - o.years + 1;
  std::vector<School> ss;
  ss.reserve(static_cast<size_t>(o.schools));
  for (int i = 0; i < o.schools; ++i) ss.push_back(make_school(r, i, o.schools, n_la));
  for (auto& s : ss) s.ks2_withheld = o.stale_ks2 && o.years > 1 && s.has_ks2() && r.chance(0.02);
  std::vector<std::string> las;
  for (const auto& s : ss)
    if (std::find(las.begin(), las.end(), s.la) == las.end()) las.push_back(s.la);
  std::sort(las.begin(), las.end());

  std::vector<std::pair<std::string, std::string>> files;
  auto add = [&](const std::string& name, CsvOut& c) { files.emplace_back(name, std::move(c.text)); };
  {
    CsvOut c(false, true);
    schools_file(ss, c);
    add("trust_schools.csv", c);
  }
  for (int y = first; y <= kLastYear; ++y) {
    CsvOut c(true, true);
    attendance_file(r, ss, y, c);
    add("trust_attendance_" + year_short(y) + ".csv", c);
  }
  {
    CsvOut c(false, false);
    reviews_file(r, ss, first, c);
    add("trust_reviews.csv", c);
  }
  {
    CsvOut c(false, true);
    overrides_file(r, ss, first, c);
    add("trust_overrides.csv", c);
  }
  for (int y = first; y <= kLastYear; ++y) {
    CsvOut k2(true, true), k4(true, false), ce(true, false);
    ks2_file(r, ss, y, las, k2);
    ks4_file(r, ss, y, las, k4);
    census_file(r, ss, y, ce);
    add(year_long(y) + "_ks2final.csv", k2);
    add(year_long(y) + "_ks4.csv", k4);
    add(year_long(y) + "_census.csv", ce);
  }
  std::vector<std::string> paths;
  for (const auto& [name, text] : files) {
    std::string path = o.out_dir + "/" + name;
    if (!write_file(path, text)) {
      error = "cannot write " + path;
      return {};
    }
    paths.push_back(path);
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace bench
