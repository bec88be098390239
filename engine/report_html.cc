// The HTML report: the document, the trust summary, then one academy card per
// school (html_card.cc). Everything is escaped where it is written; the page
// shell and stylesheet are shared with the board paper (html_style.h).
#include "report_html.h"

#include "html_internal.h"
#include "html_style.h"
#include "svg_chart.h"
#include "value.h"


namespace tr {

namespace {

using html::unknown_html;

// ---- approval -------------------------------------------------------------------

std::string banner(const EvaluationResult& r) {
  if (!r.approved)
    return "<p class=\"banner draft\" role=\"note\">DRAFT — not approved. The ruleset that produced these results "
           "has no approval record; treat them as a draft until the board approves it.</p>\n";
  std::string s = "Approved";
  if (!r.approved_by.empty()) s += " by " + r.approved_by;
  if (!r.approved_on.empty()) s += " on " + r.approved_on;
  if (!r.minute.empty()) s += " (minute " + r.minute + ")";
  return "<p class=\"banner approved\" role=\"note\"><span aria-hidden=\"true\">✔ </span>" + html_escape(s) +
         ". These results come from the approved ruleset.</p>\n";
}

// ---- the summary ----------------------------------------------------------------

std::string plural(int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string tier_cell(const TierResult& t) {
  std::string s = html_escape(html::tier_name(t));
  if (t.override_) s += " <span class=\"meta\">(override)</span>";
  else if (t.raised_by_floor) s += " <span class=\"meta\">(floor)</span>";
  return s;
}

std::string change_html(const HtmlReportOptions& o, const SchoolResult& s) {
  if (!o.earlier) return "no earlier run";
  auto it = o.earlier->tiers.find(s.urn);
  if (it == o.earlier->tiers.end()) return "new since the last run";
  int was = it->second, now = s.tier.number;
  if (was == now) return was == 0 ? "unchanged (tier unknown)" : "unchanged (tier " + std::to_string(now) + ")";
  if (was == 0) return "tier was unknown, now " + std::to_string(now);
  if (now == 0) return "was tier " + std::to_string(was) + ", now unknown";
  // Higher tier numbers mean more support.
  return now > was ? "<span aria-hidden=\"true\">▲ </span>up from tier " + std::to_string(was) + " (more support)"
                   : "<span aria-hidden=\"true\">▼ </span>down from tier " + std::to_string(was) + " (less support)";
}

std::string tier_distribution(const EvaluationResult& r, const Ruleset& rs) {
  if (!rs.tiers) return {};
  BarChart ch;
  ch.id = "tier-distribution";
  ch.title = "Schools per tier";
  std::string desc;
  auto add = [&](const std::string& label, int n) {
    ch.bars.push_back({label, static_cast<double>(n), plural(n, "school", "schools")});
    desc += (desc.empty() ? "" : "; ") + label + ": " + plural(n, "school", "schools");
  };
  for (const auto& t : rs.tiers->tiers) {
    int n = 0;
    for (const auto& s : r.schools) n += s.tier.number == t.number;
    add("Tier " + std::to_string(t.number) + " " + t.label, n);
  }
  int unknown = 0;
  for (const auto& s : r.schools) unknown += s.tier.number == 0;
  if (unknown) add("Tier unknown", unknown);
  ch.desc = "Schools per tier as of " + to_string(r.as_of) + ": " + desc + ".";
  return "<h3>Tier distribution</h3>\n<figure class=\"bars keep\">" + svg_bar_chart(ch) + "<figcaption>" + html_escape(ch.desc) +
         "</figcaption></figure>\n";
}

std::string schools_table(const EvaluationResult& r, const HtmlReportOptions& o) {
  bool tiers = false;
  for (const auto& s : r.schools) tiers = tiers || !s.tier.policy.empty();
  std::string out = "<h3>Schools</h3>\n<table class=\"data\"><thead><tr><th scope=\"col\">School</th><th scope=\"col\">URN</th>"
                    "<th scope=\"col\">Phase</th>";
  if (tiers) out += "<th scope=\"col\">Tier</th><th scope=\"col\">Change since the last run</th>";
  out += "<th scope=\"col\">Floors</th><th scope=\"col\" class=\"num\">Standards met</th></tr></thead>\n<tbody>\n";
  for (const auto& s : r.schools) {
    out += "<tr><th scope=\"row\"><a href=\"#school-" + html_escape(s.urn) + "\">" + html_escape(s.name.empty() ? s.urn : s.name) +
           "</a></th><td>" + html_escape(s.urn) + "</td><td>" + html_escape(s.phase) + "</td>";
    if (tiers) out += "<td>" + tier_cell(s.tier) + "</td><td>" + change_html(o, s) + "</td>";
    std::string floors;
    for (const auto& f : s.floors_breached) floors += (floors.empty() ? "" : "; ") + html::floor_label(s, f);
    out += "<td>" + html_status(s.floors_met);
    if (!floors.empty()) out += "<br><span class=\"meta\">breached: " + html_escape(floors) + "</span>";
    out += "</td><td class=\"num\">";
    if (s.standards_applicable == 0) out += "– none apply";
    else
      out += std::to_string(s.standards_met) + " of " + std::to_string(s.standards_applicable) +
             (s.standards_unknown ? "<br><span class=\"meta\">" + std::to_string(s.standards_unknown) + " unknown</span>" : "");
    out += "</td></tr>\n";
  }
  out += "</tbody></table>\n";
  if (o.earlier) out += "<p class=\"meta\">Compared with " + html_escape(o.earlier->label) + ".</p>\n";
  else out += "<p class=\"meta\">No earlier stored run to compare with (evaluate with a results store to see tier changes).</p>\n";
  return out;
}

// ▲ / ▼ for which way the number moved, and the words for whether that is better.
std::string direction_html(const KpiResult& k) {
  if (k.change.kind != Value::Kind::Number) {
    std::string why = k.change.reasons.empty() ? "no value for one of the years" : k.change.reasons[0];
    return unknown_html(why);
  }
  std::string arrow = k.change.num > 0 ? "▲ up" : k.change.num < 0 ? "▼ down" : "▬ no change";
  std::string words = k.direction == "improved" || k.direction == "declined" ? ", " + k.direction : "";
  return "<span class=\"status\">" + arrow + words + "</span>";
}

std::string value_cell(const Value& v) { return v.known() ? html_escape(format_plain(v)) : unknown_html(v.reasons.empty() ? "" : v.reasons[0]); }

std::string kpi_table(const EvaluationResult& r) {
  if (r.kpis.empty()) return {};
  const std::string& year = r.kpis[0].year;
  const std::string& prev = r.kpis[0].previous_year;
  std::string out = "<h3>Trust KPIs</h3>\n<table class=\"data\"><thead><tr><th scope=\"col\">KPI</th><th scope=\"col\" class=\"num\">" +
                    html_escape(year) + "</th><th scope=\"col\" class=\"num\">" + html_escape(prev) +
                    "</th><th scope=\"col\" class=\"num\">Change</th><th scope=\"col\">Year on year</th><th scope=\"col\">Target</th>"
                    "<th scope=\"col\">Schools</th></tr></thead>\n<tbody>\n";
  for (const auto& k : r.kpis) {
    std::string change = k.change.kind == Value::Kind::Number ? format_plain(k.change) : "";
    if (k.change.kind == Value::Kind::Number && k.change.num > 0) change = "+" + change;
    std::string schools = std::to_string(k.known) + " known";
    if (k.unknown) schools += ", " + std::to_string(k.unknown) + " unknown";
    if (k.not_applicable) schools += ", " + std::to_string(k.not_applicable) + " not applicable";
    out += std::string("<tr") + (k.status == Status::NotMet ? " class=\"row-not-met\"" : "") + "><th scope=\"row\">" +
           html_escape(k.label) + "</th><td class=\"num\">" + value_cell(k.value) + "</td><td class=\"num\">" +
           value_cell(k.previous) + "</td><td class=\"num nowrap\">" + (change.empty() ? "–" : html_escape(change)) + "</td><td>" +
           direction_html(k) + "</td><td>" +
           (k.status == Status::NotApplicable ? std::string("<span class=\"status na\">– no target</span>") : html_status(k.status)) +
           "</td><td>" + html_escape(schools) + "</td></tr>\n";
  }
  return out + "</tbody></table>\n<p class=\"meta\">▲ / ▼: the value went up / down since " + html_escape(prev) +
         "; \"improved\" or \"declined\" says whether that is better for this KPI.</p>\n";
}

std::string capacity_table(const EvaluationResult& r) {
  if (r.capacity.empty()) return {};
  std::string out = "<h3>Support capacity this term</h3>\n<table class=\"data keep\"><thead><tr><th scope=\"col\">Support</th>"
                    "<th scope=\"col\" class=\"num\">Occurrences per term</th><th scope=\"col\" class=\"num\">Schools</th>"
                    "<th scope=\"col\" class=\"num\">One-off</th></tr></thead>\n<tbody>\n";
  for (const auto& c : r.capacity)
    out += "<tr><th scope=\"row\">" + html_escape(c.label) + " <span class=\"meta\">(" + html_escape(c.id) + ")</span></th><td class=\"num\">" +
           (c.schools == 0 ? std::string("–")
            : c.one_off == c.schools ? std::string("one-off")
                                     : html_escape(format_num(c.per_term))) +
           "</td><td class=\"num\">" +
           std::to_string(c.schools) + "</td><td class=\"num\">" + (c.one_off ? std::to_string(c.one_off) : std::string("–")) +
           "</td></tr>\n";
  return out + "</tbody></table>\n<p class=\"meta\">Occurrences per term across every school receiving the item; one-off "
               "items (a master plan) are counted separately.</p>\n";
}

}  // namespace

std::string report_html(const EvaluationResult& r, const Ruleset& rs, const Dataset& ds, const HtmlReportOptions& opts) {
  html::Ctx c{r, rs, ds};
  std::string name = r.ruleset_name.empty() ? std::string("Evaluation") : r.ruleset_name;
  std::string title = name + " — as of " + to_string(r.as_of);

  std::string body;
  body += "<header>\n<h1>" + html_escape(name) + "</h1>\n";
  std::string meta = "Results as of " + to_string(r.as_of) + " · " + plural(static_cast<int>(r.schools.size()), "school", "schools");
  if (!r.ruleset_version.empty()) meta += " · ruleset version " + r.ruleset_version;
  if (!r.ruleset_year.empty()) meta += " for " + r.ruleset_year;
  body += "<p class=\"meta\">" + html_escape(meta) + "<br>Ruleset content " + html_escape(r.content_hash) + "</p>\n";
  body += banner(r) + "</header>\n";

  body += "<section aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Trust summary</h2>\n";
  body += tier_distribution(r, rs);
  body += schools_table(r, opts);
  body += kpi_table(r);
  body += capacity_table(r);
  body += "</section>\n";

  for (const auto& s : r.schools) body += html::academy_card(c, s, change_html(opts, s));

  std::string footer = name + " · as of " + to_string(r.as_of) + (r.approved ? "" : " · DRAFT");
  return html_page(title, body, footer);
}

}  // namespace tr
