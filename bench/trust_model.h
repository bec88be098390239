// The synthetic trust of bench/trust_gen.h: each school's make-up (phase,
// kind, when it joined the trust) and the latent support level (1-4) its
// figures and judgements scatter around; the national comparators by year; and
// the CSV writer. Split from trust_gen.h, which writes the files.
#pragma once

#include "bench/england_gen.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace bench {
namespace trust_detail {

constexpr int kLastYear = 2024;  // 2024-25
inline const char* const kTerms[] = {"Autumn", "Spring", "Summer"};
constexpr double kAttTerm[] = {0.3, -0.1, 0.0}, kPaTerm[] = {0.6, 0.3, 0.0};
constexpr double kSuspTerm[] = {0.35, 0.68, 1.0}, kStaffAbsTerm[] = {0.9, 1.1, 1.0};
inline const char* const kReview[] = {"Strong", "Secure", "Developing", "Weak"};
inline const char* const kReviewId[] = {"strong", "secure", "developing", "weak"};
inline const char* const kSafe[] = {"Highly effective", "Effective", "Ineffective"};
inline const char* const kSafeId[] = {"highly_effective", "effective", "ineffective"};
inline const char* const kOfsted[] = {"Outstanding", "Good", "Requires improvement", "Inadequate"};

inline std::string year_short(int y) {  // 2024 -> "2024-25"
  char b[16];
  std::snprintf(b, sizeof b, "%d-%02d", y, (y + 1) % 100);
  return b;
}
inline std::string year_long(int y) { return std::to_string(y) + "-" + std::to_string(y + 1); }

inline std::string num(double v, int places) {
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", places, v);
  std::string s = b;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // never "-0.0"
  return s;
}
inline std::string pct(double v, int places = 0) { return num(std::clamp(v, 0.0, 100.0), places) + "%"; }

// One file's text; cells are quoted only when they must be, as Excel does.
class CsvOut {
 public:
  CsvOut(bool bom, bool crlf) : crlf_(crlf) {
    if (bom) text += "\xEF\xBB\xBF";
  }
  CsvOut& operator<<(std::string_view c) {
    if (!first_) text += ',';
    first_ = false;
    if (c.find_first_of(",\"\n") == std::string_view::npos) {
      text += c;
      return *this;
    }
    text += '"';
    for (char ch : c) text += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    text += '"';
    return *this;
  }
  CsvOut& operator<<(int v) { return *this << std::string_view(std::to_string(v)); }
  void end() {
    text += crlf_ ? "\r\n" : "\n";
    first_ = true;
  }
  std::string text;

 private:
  bool crlf_, first_ = true;
};

enum class Kind { Primary, Junior, Infant, Secondary, NewSecondary };

struct School {
  std::string urn, name, la, estab, ages, type;
  Kind kind = Kind::Primary;
  bool secondary = false;
  int band = 2;          // 1-4: the support the figures point to
  int joined = 0;        // 0 long-standing; 1 joined this year; 2 joined this summer (no data yet)
  bool ks2_withheld = false;
  double roll = 0, fsm6 = 0;
  double att_off = 0, att_trend = 0, pa_off = 0, pa_trend = 0, susp = 1, staff_abs = 3, turnover = 10;
  double out_off = 0, out_trend = 0, p8 = 0;  // headline outcome against national, points
  double level = 1, bias[7] = {};             // review judgements: 0 strong .. 3 weak
  int safeguarding = 1, ofsted = 1;
  bool has_ks2() const { return kind == Kind::Primary || kind == Kind::Junior; }
  bool has_ks4() const { return kind == Kind::Secondary; }
  bool trust_data(int y) const { return joined == 0 || (joined == 1 && y == kLastYear); }
};

inline double uni(Rng& r, double lo, double hi) { return lo + (hi - lo) * r.uniform(); }

// National comparators by year (k = years after 2022-23) and phase.
inline double nat_att(bool sec, int k, int t) { return (sec ? 91.0 + 0.15 * k : 94.0 + 0.4 * k) + kAttTerm[t]; }
inline double nat_pa(bool sec, int k, int t) { return (sec ? 28.3 - 1.7 * k : 16.2 - 1.4 * k) + kPaTerm[t]; }
inline double nat_susp(bool sec, int k, int t) { return (sec ? 18.9 + 2.3 * k : 1.8 + 0.2 * k) * kSuspTerm[t]; }
inline int nat_rwm(int k) {
  static const int kRwm[] = {59, 61, 62};
  return k >= 0 && k < 3 ? kRwm[k] : 59 + 2 * k;
}
inline double nat_em94(int k) { return 65.1 - 0.35 * k; }

inline School make_school(Rng& r, int i, int n, int n_la) {
  static const char* const kPlaces[] = {
      "Brookfield", "Harrow Lane", "Millbrook", "Oakfield", "Kingsmead", "Northgate", "Castle Hill", "Ashworth",
      "Beacon", "Cedar Park", "Dunmore", "Elmstead", "Fernhill", "Greystone", "Hollybank", "Ivydale",
      "Juniper Way", "Kestrel", "Larchwood", "Meadowside", "Netherby", "Orchard", "Priory", "Queensway",
      "Riverside", "Sandhurst", "Thornbury", "Upton", "Valley Road", "Westfield", "Yew Tree", "Abbotsford"};
  School s;
  s.urn = std::to_string(700001 + i);
  s.la = std::to_string(800 + r.range(0, n_la - 1));
  double u = r.uniform();
  s.secondary = u < 0.25;
  if (s.secondary) {
    s.kind = r.chance(0.06) ? Kind::NewSecondary : Kind::Secondary;
    s.ages = r.chance(0.5) ? "11-16" : "11-18";
  } else {
    double v = r.uniform();
    s.kind = v < 0.08 ? Kind::Infant : v < 0.15 ? Kind::Junior : Kind::Primary;
    s.ages = s.kind == Kind::Infant ? "4-7" : s.kind == Kind::Junior ? "7-11" : "4-11";
  }
  std::string place = kPlaces[r.range(0, 31)];
  const char* what = s.secondary ? "Academy" : s.kind == Kind::Infant ? "Infant Academy"
                                           : s.kind == Kind::Junior   ? "Junior Academy"
                                                                      : "Primary Academy";
  s.name = r.chance(0.05) ? "St Mary's, " + place + " C of E " + what : place + " " + what;
  s.estab = std::to_string((s.secondary ? 4000 : 2000) + i % 1000);
  s.type = r.chance(0.6) ? "Academy converter" : "Academy sponsor led";
  s.roll = s.secondary ? uni(r, 600, 1600) : s.kind == Kind::Primary ? uni(r, 90, 480) : uni(r, 150, 360);
  s.fsm6 = uni(r, 6, 45);
  double b = r.uniform();
  s.band = b < 0.18 ? 1 : b < 0.55 ? 2 : b < 0.83 ? 3 : 4;
  // Per band: attendance against national and its yearly trend; persistent
  // absence likewise (a negative trend is falling, i.e. improving); suspensions
  // as a multiple of national; staff absence and turnover; the headline outcome.
  switch (s.band) {
    case 1:
      s.att_off = uni(r, 0.8, 2.6), s.att_trend = uni(r, -0.1, 0.2), s.pa_off = uni(r, -6, -2);
      s.pa_trend = uni(r, -0.5, 0.2), s.susp = uni(r, 0.2, 0.8), s.staff_abs = uni(r, 1.8, 3.4);
      s.turnover = uni(r, 4, 12), s.out_off = uni(r, 4, 14), s.out_trend = uni(r, -1, 1.5), s.p8 = uni(r, 0.2, 0.7);
      break;
    case 2:
      s.att_off = uni(r, -1.6, 1.2), s.att_trend = uni(r, -0.3, 0.3), s.pa_off = uni(r, -1.5, 2.2);
      s.pa_trend = uni(r, -0.6, 0.6), s.susp = uni(r, 0.6, 1.15), s.staff_abs = uni(r, 2.5, 4.6);
      s.turnover = uni(r, 8, 16), s.out_off = uni(r, -2.5, 2.5), s.out_trend = uni(r, -1, 1), s.p8 = uni(r, -0.25, 0.25);
      break;
    case 3:
      s.att_off = uni(r, -3.2, -0.6), s.att_trend = uni(r, 0.1, 0.8), s.pa_off = uni(r, 0.8, 5);
      s.pa_trend = uni(r, -1.6, -0.2), s.susp = uni(r, 1.0, 1.55), s.staff_abs = uni(r, 3, 5.6);
      s.turnover = uni(r, 12, 20), s.out_off = uni(r, -9, -1), s.out_trend = uni(r, -0.5, 3), s.p8 = uni(r, -0.65, -0.05);
      break;
    default:
      s.att_off = uni(r, -6.5, -2.5), s.att_trend = uni(r, -0.8, 0.1), s.pa_off = uni(r, 3.5, 10);
      s.pa_trend = uni(r, -0.1, 1.2), s.susp = uni(r, 1.4, 2.6), s.staff_abs = uni(r, 4, 7.6);
      s.turnover = uni(r, 15, 28), s.out_off = uni(r, -17, -3), s.out_trend = uni(r, -3, 0.5), s.p8 = uni(r, -1.2, -0.35);
  }
  static const double kLevel[] = {0.15, 1.0, 1.8, 2.5};
  s.level = kLevel[s.band - 1];
  for (double& x : s.bias) x = 0.4 * r.normal();
  double g = r.uniform();
  s.safeguarding = s.band == 1 ? (g < 0.7 ? 0 : 1) : s.band == 4 ? (g < 0.35 ? 2 : 1) : (g < 0.05 ? 0 : g < 0.97 ? 1 : 2);
  double o = r.uniform();
  s.ofsted = s.band == 1 ? (o < 0.6 ? 0 : 1) : s.band == 2 ? (o < 0.05 ? 0 : o < 0.9 ? 1 : 2)
           : s.band == 3 ? (o < 0.5 ? 1 : 2) : (o < 0.6 ? 2 : 3);
  // The last school joined this summer (so an unknown tier always occurs); a few
  // others did too, and some joined in the autumn.
  double j = r.uniform();
  s.joined = i == n - 1 || j < 0.01 ? 2 : j < 0.04 ? 1 : 0;
  if (s.joined == 2 && s.kind == Kind::Secondary) s.kind = Kind::NewSecondary;
  if (s.joined == 2 && s.has_ks2()) s.kind = Kind::Infant, s.ages = "4-7";
  return s;
}

inline int dow(int y, int m, int d) {  // 0 = Sunday (Sakamoto)
  static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  if (m < 3) y -= 1;
  return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

}  // namespace trust_detail
}  // namespace bench
