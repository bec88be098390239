// An academy card's data sections, read from the dataset rather than from the
// rule results: a board reads a school's context, its results by pupil group,
// its attendance over the last terms and its latest review judgements whether
// or not a rule happens to use them. Which measures go where is decided from
// the ruleset's declarations, never from hard-coded ids, so any trust's
// ruleset gets a sensible card:
//   context    metrics with no better/worse direction (census: roll, FSM, SEND, EAL)
//   annual     annual numeric metrics with a direction (KS2, KS4), by group, with gaps
//   trends     termly numeric metrics with a national line, percentages first, up to 4
//   termly     every termly numeric metric, latest against national and a year earlier
//   judgements every graded metric, latest grade and when it was given
#include "html_internal.h"

#include "html_style.h"
#include "svg_chart.h"
#include "value.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace tr::html {

namespace {

constexpr int kNational = 0;    // Ruleset::benchmark_ids[0] is always `national`
constexpr size_t kMaxCharts = 4;
constexpr int kMaxYears = 4;    // twelve terms keep a chart legible

bool numeric(MetricType t) { return t != MetricType::Grade && t != MetricType::YesNo; }

const char* term_short(int term) {
  switch (term) {
    case 1: return "Aut";
    case 2: return "Spr";
    case 3: return "Sum";
  }
  return "";
}

std::string year_text(int year) { return to_string(Period{static_cast<int16_t>(year), 0}); }

std::string number_text(const Metric& m, double v) {
  return m.type == MetricType::Percent ? format_num(v) + "%" : format_num(v);
}

// A difference between two values of the metric: percentages differ in points.
std::string diff_text(const Metric& m, double d) {
  double r = std::round(d * 100) / 100;
  std::string s = (r > 0 ? "+" : "") + format_num(r == 0 ? 0 : r);
  return m.type == MetricType::Percent ? s + " pts" : s;
}

std::string group_name(const std::string& id) {
  if (id == "eal") return "EAL";
  if (id == "send") return "SEND";
  std::string s = id;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

struct Lookup {
  const Ctx& c;
  const SchoolResult& s;
  // Tables name a missing-value code alone ("NP") and explain the codes they
  // used once, under the table; other text gives the code with its meaning.
  bool short_codes = false;
  mutable std::set<std::string> codes_seen;  // "NP = not published"

  Lookup(const Ctx& ctx, const SchoolResult& school, bool short_codes_ = false)
      : c(ctx), s(school), short_codes(short_codes_) {}

  const Metric& metric(int m) const { return *c.rs.metrics[m]; }
  int series(int m, int group = 0, int bound = 0) const { return c.ds.series.of(c.rs, m, group, bound); }
  const Cell* latest(int m, int group = 0, int bound = 0) const {
    return c.ds.latest(series(m, group, bound), s.school, c.run.as_of);
  }
  const Cell* at(int m, int group, Period p, int bound = 0) const { return c.ds.at(series(m, group, bound), s.school, p); }
  const Cell* national(int m, int group, Period p) const {
    const Cell* b = c.ds.benchmark(kNational, series(m, group), s.phase, p);
    return b && b->row != 0 ? b : nullptr;
  }
  bool has_any(int m, int group = 0) const { return latest(m, group) != nullptr; }

  // "SUPP: suppressed (small numbers)"; "not recorded"; "no data".
  std::string why(const Cell* cell) const {
    if (!cell) return "no data";
    switch (cell->missing()) {
      case Missing::None: return {};
      case Missing::Code:
        if (cell->code() < c.ds.codes.size()) {
          const auto& ci = c.ds.codes[cell->code()];
          if (ci.reason.empty()) return ci.code;
          if (!short_codes) return ci.code + ": " + ci.reason;
          codes_seen.insert(ci.code + " = " + ci.reason);
          return ci.code;
        }
        return "a missing-value code";
      case Missing::Blank:
        if (cell->code() < c.ds.codes.size() && !c.ds.codes[cell->code()].reason.empty()) return c.ds.codes[cell->code()].reason;
        return "blank";
      case Missing::ColumnAbsent:
      case Missing::BadValue:
        return cell->code() < c.ds.notes.size() ? c.ds.notes[cell->code()] : "not in the file";
    }
    return "no data";
  }

  std::string grade_text(const Metric& m, double rank) const {
    int sc = c.rs.find(c.rs.scale_index, m.scale.text);
    int r = static_cast<int>(rank);
    if (sc >= 0 && r >= 0 && r < static_cast<int>(c.rs.scales[sc]->grades.size())) {
      const Grade& g = c.rs.scales[sc]->grades[r];
      return g.label.empty() ? g.id.text : g.label;
    }
    return "grade " + std::to_string(r + 1);
  }

  // A cell as the reader sees it: "53%", "Good", or "? unknown (why)".
  std::string cell_html(const Metric& m, const Cell* cell) const {
    if (!cell || !cell->known()) return unknown_html(why(cell));
    if (m.type == MetricType::Grade) return html_escape(grade_text(m, cell->value));
    if (m.type == MetricType::YesNo) return cell->value != 0 ? "yes" : "no";
    return html_escape(number_text(m, cell->value));
  }
};

// One <tr>: a measure or group row of the annual and termly tables. Columns:
// measure, school, period, national, against national, a year earlier, change.
void put_value_row(std::string& out, const Lookup& q, int m, int group, bool sub) {
  const Metric& mt = q.metric(m);
  const Cell* cell = q.latest(m, group);
  std::string label = group == 0 ? mt.label : group_name(mt.groups[group - 1].text);
  put(out, "<tr", sub ? " class=\"sub\"" : "", "><th scope=\"row\">", Esc{label}, "</th><td class=\"num\">", q.cell_html(mt, cell));
  if (cell && cell->known() && mt.confidence) {
    const Cell* lo = q.at(m, group, cell->period(), 1);
    const Cell* hi = q.at(m, group, cell->period(), 2);
    if (lo && hi && lo->known() && hi->known())
      put(out, " <span class=\"meta\">(", Esc{format_num(lo->value)}, " to ", Esc{format_num(hi->value)}, ")</span>");
  }
  out += "</td><td class=\"nowrap\">";
  if (cell) html_escape_to(out, to_string(cell->period()));
  else out += "–";
  const Cell* nat = cell ? q.national(m, group, cell->period()) : nullptr;
  put(out, "</td><td class=\"num\">", nat ? q.cell_html(mt, nat) : std::string("–"), "</td>");
  if (cell && cell->known() && nat && nat->known())
    put(out, "<td class=\"num\">", Esc{diff_text(mt, cell->value - nat->value)}, "</td>");
  else
    out += "<td class=\"num\">–</td>";
  const Cell* before = nullptr;
  if (cell) before = q.at(m, group, Period{static_cast<int16_t>(cell->period().year - 1), cell->period().term});
  put(out, "<td class=\"num\">", before ? q.cell_html(mt, before) : std::string("–"), "</td>");
  if (cell && before && cell->known() && before->known())
    put(out, "<td class=\"num\">", Esc{diff_text(mt, cell->value - before->value)}, "</td>");
  else
    out += "<td class=\"num\">–</td>";
  out += "</tr>\n";
}

// Gap rows: not disadvantaged minus disadvantaged, the school's and national.
std::string gap_row(const Lookup& q, int m) {
  const Metric& mt = q.metric(m);
  int dis = 0, non = 0;
  for (size_t g = 0; g < mt.groups.size(); ++g) {
    if (mt.groups[g].text == "disadvantaged") dis = static_cast<int>(g) + 1;
    if (mt.groups[g].text == "not_disadvantaged") non = static_cast<int>(g) + 1;
  }
  if (!dis || !non || !q.has_any(m, dis)) return {};
  const Cell* d = q.latest(m, dis);
  const Cell* n = d ? q.at(m, non, d->period()) : nullptr;
  std::string row = "<tr class=\"sub gap\"><th scope=\"row\">disadvantaged gap (not disadvantaged − disadvantaged)</th>";
  if (d && n && d->known() && n->known())
    row += "<td class=\"num\">" + html_escape(diff_text(mt, n->value - d->value)) + "</td>";
  else
    row += "<td class=\"num\">" + unknown_html(!d || !d->known() ? "disadvantaged: " + q.why(d) : "not disadvantaged: " + q.why(n)) + "</td>";
  row += "<td class=\"nowrap\">" + html_escape(to_string(d->period())) + "</td>";
  const Cell* nd = q.national(m, dis, d->period());
  const Cell* nn = q.national(m, non, d->period());
  if (nd && nn && nd->known() && nn->known())
    row += "<td class=\"num\">" + html_escape(diff_text(mt, nn->value - nd->value)) + "</td>";
  else
    row += "<td class=\"num\">–</td>";
  return row + "<td class=\"num\">–</td><td class=\"num\">–</td><td class=\"num\">–</td></tr>\n";
}

std::string measures_table(const Lookup& q, const std::vector<int>& metrics, const char* caption_note) {
  std::string out = "<table class=\"data measures\"><thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" class=\"num\">School</th>"
                    "<th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">National</th>"
                    "<th scope=\"col\" class=\"num\">vs national</th><th scope=\"col\" class=\"num\">A year earlier</th>"
                    "<th scope=\"col\" class=\"num\">Change</th></tr></thead>\n";
  // A measure with its groups and gap is one unit: pages break between measures.
  bool gaps = false, percent = false;
  for (int m : metrics) {
    out += "<tbody class=\"group\">\n";
    put_value_row(out, q, m, 0, false);
    const Metric& mt = q.metric(m);
    for (size_t g = 0; g < mt.groups.size(); ++g)
      if (q.has_any(m, static_cast<int>(g) + 1)) put_value_row(out, q, m, static_cast<int>(g) + 1, true);
    std::string gap = gap_row(q, m);
    gaps = gaps || !gap.empty();
    percent = percent || mt.type == MetricType::Percent;
    out += gap + "</tbody>\n";
  }
  out += "</table>\n";
  std::string note = caption_note;  // sentences, each starting with a space
  if (!note.empty()) note = " " + note;
  if (gaps) note += " A disadvantaged gap is not disadvantaged minus disadvantaged pupils, in the same period.";
  if (percent) note += " pts: percentage points.";
  if (!q.codes_seen.empty()) {
    note += " Codes in the data:";
    for (const auto& code : q.codes_seen) note += " " + code + ";";
    note.back() = '.';
  }
  if (!note.empty()) out += "<p class=\"meta\">" + html_escape(note.substr(1)) + "</p>\n";
  return out;
}

}  // namespace

std::string unknown_html(const std::string& reason) {
  std::string out = "<span class=\"unknown-value\"><span aria-hidden=\"true\">? </span>unknown</span>";
  if (!reason.empty()) out += " <span class=\"reason\">(" + html_escape(reason) + ")</span>";
  return out;
}

std::string context_section(const Ctx& c, const SchoolResult& s) {
  Lookup q{c, s};
  std::vector<int> ms;
  for (size_t m = 0; m < c.rs.metrics.size(); ++m) {
    const Metric& mt = *c.rs.metrics[m];
    if (mt.better == Direction::None && numeric(mt.type) && q.has_any(static_cast<int>(m))) ms.push_back(static_cast<int>(m));
  }
  if (ms.empty()) return {};
  std::string out = "<h3>Context</h3>\n<table class=\"data keep\"><thead><tr><th scope=\"col\">Pupils</th>"
                    "<th scope=\"col\" class=\"num\">School</th><th scope=\"col\" class=\"num\">National</th>"
                    "<th scope=\"col\">Period</th></tr></thead>\n<tbody>\n";
  for (int m : ms) {
    const Metric& mt = q.metric(m);
    const Cell* cell = q.latest(m);
    // A national count (every pupil in England) is no comparison for one school.
    const Cell* nat = mt.type == MetricType::Percent ? q.national(m, 0, cell->period()) : nullptr;
    out += "<tr><th scope=\"row\">" + html_escape(mt.label) + "</th><td class=\"num\">" + q.cell_html(mt, cell) +
           "</td><td class=\"num\">" + (nat ? q.cell_html(mt, nat) : std::string("–")) + "</td><td>" +
           html_escape(to_string(cell->period())) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n";
}

std::string annual_section(const Ctx& c, const SchoolResult& s) {
  Lookup q{c, s, true};
  std::vector<int> ms;
  for (size_t m = 0; m < c.rs.metrics.size(); ++m) {
    const Metric& mt = *c.rs.metrics[m];
    if (mt.cadence == Cadence::Annual && mt.better != Direction::None && numeric(mt.type) && q.has_any(static_cast<int>(m)))
      ms.push_back(static_cast<int>(m));
  }
  std::string out = "<h3>Attainment and annual results</h3>\n";
  if (ms.empty())
    return out + "<p>No annual results in the data for this school (for example, no pupils at the end of a key stage yet).</p>\n";
  return out + measures_table(q, ms, "");
}

std::string termly_section(const Ctx& c, const SchoolResult& s) {
  Lookup q{c, s, true};
  std::vector<int> ms;
  for (size_t m = 0; m < c.rs.metrics.size(); ++m) {
    const Metric& mt = *c.rs.metrics[m];
    if (mt.cadence == Cadence::Termly && numeric(mt.type) && q.has_any(static_cast<int>(m))) ms.push_back(static_cast<int>(m));
  }
  if (ms.empty()) return {};
  return "<h3>Attendance, exclusions and other termly measures</h3>\n" +
         measures_table(q, ms, "\"A year earlier\" is the same term of the previous year.");
}

std::string trend_section(const Ctx& c, const SchoolResult& s) {
  Lookup q{c, s};
  Period as_of = c.run.as_of;
  if (as_of.term == 0) as_of.term = 3;  // a year means its summer term
  struct Pick {
    int metric;
    bool percent;
  };
  std::vector<Pick> picks;
  for (size_t m = 0; m < c.rs.metrics.size(); ++m) {
    const Metric& mt = *c.rs.metrics[m];
    if (mt.cadence != Cadence::Termly || !numeric(mt.type)) continue;
    int known = 0, national = 0;
    int sr = q.series(static_cast<int>(m));
    for (const Cell& cell : c.ds.values.of(sr, s.school))
      if (cell.known() && cell.period().key() <= as_of.key()) {
        ++known;
        const Cell* n = q.national(static_cast<int>(m), 0, cell.period());
        if (n && n->known()) ++national;
      }
    if (known >= 2 && national >= 1) picks.push_back({static_cast<int>(m), mt.type == MetricType::Percent});
  }
  std::stable_sort(picks.begin(), picks.end(), [](const Pick& a, const Pick& b) { return a.percent && !b.percent; });
  if (picks.size() > kMaxCharts) picks.resize(kMaxCharts);
  if (picks.empty()) return {};

  std::string out = "<h3>Termly trends</h3>\n<div class=\"grid2\">\n";
  for (const Pick& p : picks) {
    const Metric& mt = q.metric(p.metric);
    // The terms from the first with data to the as-of term, at most kMaxYears back.
    int sr = q.series(p.metric);
    int first = as_of.key();
    for (const Cell& cell : c.ds.values.of(sr, s.school))
      if (cell.period().term != 0) first = std::min(first, cell.period().key());
    first = std::max(first, as_of.key() - 4 * kMaxYears + 1);  // Period::key() has 4 per year
    LineChart ch;
    ch.id = "chart-" + s.urn + "-" + mt.id.text;
    ch.title = mt.label;
    ch.unit = mt.type == MetricType::Percent ? "%" : "";
    ChartSeries school{"This school", {}, false}, nat{"National (" + (s.phase.empty() ? std::string("all") : s.phase) + ")", {}, true};
    std::string said_school, said_nat;
    for (int k = first; k <= as_of.key(); ++k) {
      Period per{static_cast<int16_t>(k / 4), static_cast<uint8_t>(k % 4)};
      if (per.term == 0) continue;  // keys ending in 0 are not terms
      ch.ticks.push_back({term_short(per.term), year_text(per.year)});
      const Cell* a = q.at(p.metric, 0, per);
      const Cell* n = q.national(p.metric, 0, per);
      school.y.push_back(a && a->known() ? std::optional<double>(a->value) : std::nullopt);
      nat.y.push_back(n && n->known() ? std::optional<double>(n->value) : std::nullopt);
      std::string when = to_string(per);
      said_school += (said_school.empty() ? "" : "; ") + when + " " +
                     (a && a->known() ? number_text(mt, a->value) : "unknown (" + q.why(a) + ")");
      if (n && n->known()) said_nat += (said_nat.empty() ? "" : "; ") + when + " " + number_text(mt, n->value);
    }
    ch.series = {school, nat};
    ch.desc = mt.label + ", " + s.name + ": " + said_school + ". National: " + (said_nat.empty() ? "none" : said_nat) + ".";
    std::string svg = svg_line_chart(ch);
    if (svg.empty()) continue;
    const char* better = mt.better == Direction::Higher ? " (higher is better)" : mt.better == Direction::Lower ? " (lower is better)" : "";
    out += "<figure><figcaption><b>" + html_escape(mt.label) + "</b>" + better + "</figcaption>" + svg + "</figure>\n";
  }
  return out + "</div>\n<p class=\"meta\">Solid line with dots: this school; dashed line with squares: national for the "
               "school's phase. A break in a line is a term without a value.</p>\n";
}

std::string judgement_section(const Ctx& c, const SchoolResult& s) {
  Lookup q{c, s};
  std::string rows;
  for (size_t m = 0; m < c.rs.metrics.size(); ++m) {
    const Metric& mt = *c.rs.metrics[m];
    if (mt.type != MetricType::Grade) continue;
    const Cell* cell = q.latest(static_cast<int>(m));
    // A field no file ever gives any school (an unused source) is noise, not an unknown.
    int sr = q.series(static_cast<int>(m));
    bool anywhere = c.ds.values.any(sr);
    if (!cell && !anywhere) continue;
    rows += "<tr><th scope=\"row\">" + html_escape(mt.label) + "</th><td>" + q.cell_html(mt, cell) + "</td><td>" +
            (cell ? html_escape(to_string(cell->period())) : std::string("–")) + "</td></tr>\n";
  }
  if (rows.empty()) return {};
  return "<h3>Review judgements</h3>\n<table class=\"data keep\"><thead><tr><th scope=\"col\">Judgement</th>"
         "<th scope=\"col\">Latest</th><th scope=\"col\">Given</th></tr></thead>\n<tbody>\n" +
         rows + "</tbody></table>\n";
}

}  // namespace tr::html
