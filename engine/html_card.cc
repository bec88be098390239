// An academy card: one school on its own printed page(s). The tier and what
// follows from it come first (the question a governor asks), then the school's
// data (html_measures.cc), then every standard, floor and descriptor with the
// values it used and, when it could not be judged, why not.
#include "html_internal.h"

#include "evaluate.h"
#include "html_style.h"

#include <algorithm>
#include <cmath>

namespace tr::html {

std::string tier_name(const TierResult& t) {
  if (t.number == 0) return "Tier unknown";
  return "Tier " + std::to_string(t.number) + (t.label.empty() ? "" : " " + t.label);
}

std::string floor_label(const SchoolResult& s, const std::string& id) {
  for (const auto& r : s.results)
    if (r.kind == ResultKind::Floor && r.id == id) return r.label.empty() ? id : std::string(r.label);
  return id;
}

namespace {

const char* from_word(ValueUse::From f) {
  switch (f) {
    case ValueUse::From::Benchmark: return "benchmark";
    case ValueUse::From::Param: return "threshold";
    default: return "";
  }
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The values a rule used: "rwm_expected.disadvantaged = 45% (2024-25)". Literals
// are left out (they are in the rule's own text); everything else is shown,
// unknown ones with their reasons.
void put_values(std::string& out, const RuleResult& r) {
  auto shown = [](const ValueUse& u) { return u.from != ValueUse::From::Literal; };
  if (std::none_of(r.values.begin(), r.values.end(), shown)) {
    out += "–";
    return;
  }
  out += "<ul class=\"plain\">";
  for (const auto& u : r.values) {
    if (!shown(u)) continue;
    put(out, "<li>", Esc{u.name}, " = ");
    if (u.value.known() && !u.text.empty()) put(out, "<b>", Esc{u.text}, "</b>");
    else if (u.value.known()) put(out, "<b>", Esc{format_plain(u.value)}, "</b>");
    else out += unknown_html(join(u.value.reasons, "; "));
    std::string note;
    if (!u.period.empty()) note = u.period;
    if (u.age > 0) note += (note.empty() ? "" : ", ") + age_text(u.age, u.age_unit) + " old";
    if (*from_word(u.from)) note += (note.empty() ? "" : ", ") + std::string(from_word(u.from));
    if (!note.empty()) put(out, " <span class=\"meta\">(", Esc{note}, ")</span>");
    out += "</li>";
  }
  out += "</ul>";
}

std::string why_html(const RuleResult& r) {
  if (r.status == Status::Unknown || r.status == Status::NotApplicable) {
    if (r.reasons.empty()) return r.status == Status::Unknown ? "not known" : "";
    std::string out;
    for (const auto& x : r.reasons) out += "<li>" + html_escape(x) + "</li>";
    return "<ul class=\"plain reason\">" + out + "</ul>";
  }
  return "";
}

const char* row_class(Status s) {
  return s == Status::NotMet ? " class=\"row-not-met\"" : s == Status::Unknown ? " class=\"row-unknown\"" : "";
}

// One rule as a table row. `note` goes under the rule's name; `why` (the
// reasons it is unknown or not applicable, a floor's consequence) gets its own
// column only when some row of the table has one, leaving the values room.
struct RuleRow {
  const RuleResult* r;
  std::string note, why;
};

std::string rules_table(const std::vector<std::vector<RuleRow>>& groups, const std::vector<std::string>& group_heads) {
  bool why_col = false;
  for (const auto& g : groups)
    for (const auto& row : g) why_col = why_col || !row.why.empty();
  int cols = why_col ? 4 : 3;
  // Short tables stay whole on a page; long ones break between rows (the header
  // repeats), and grouped ones only between groups (a tier's descriptors).
  size_t rows = 0;
  for (const auto& g : groups) rows += g.size();
  bool keep = rows <= 6;
  const char* tbody = groups.size() > 1 ? "<tbody class=\"group\">\n" : "<tbody>\n";
  std::string out;
  put(out, "<table class=\"data", keep ? " keep" : "",
      "\"><thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Rule</th><th scope=\"col\">Values used</th>",
      why_col ? "<th scope=\"col\">Why</th>" : "", "</tr></thead>\n");
  for (size_t i = 0; i < groups.size(); ++i) {
    out += tbody;
    if (i < group_heads.size() && !group_heads[i].empty())
      put(out, "<tr><th scope=\"rowgroup\" colspan=\"", std::to_string(cols), "\">", group_heads[i], "</th></tr>\n");
    for (const auto& row : groups[i]) {
      const RuleResult& r = *row.r;
      put(out, "<tr", row_class(r.status), "><td>", html_status(r.status), "</td><th scope=\"row\">", Esc{r.label},
          "<br><span class=\"meta\">", Esc{r.id}, "</span>", row.note, "</th><td>");
      put_values(out, r);
      out += "</td>";
      if (why_col) put(out, "<td>", row.why, "</td>");
      out += "</tr>\n";
    }
    out += "</tbody>\n";
  }
  return out + "</table>\n";
}

std::string rules_section(const SchoolResult& s, ResultKind kind, const char* heading) {
  std::vector<RuleRow> rows;
  for (const auto& r : s.results) {
    if (r.kind != kind) continue;
    RuleRow row{&r, {}, why_html(r)};
    if (kind == ResultKind::Floor)
      for (const auto& f : s.tier.floors)
        if (f.floor == r.id && f.required > 0)
          row.why += "<p class=\"reason\">" +
                     html_escape(f.breached ? "Breached: requires tier at least " + std::to_string(f.required) + "."
                                            : "Not judged: if breached it would require tier at least " +
                                                  std::to_string(f.required) + ".") +
                     "</p>";
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return {};
  return std::string("<h3>") + heading + "</h3>\n" + rules_table({rows}, {});
}

std::string descriptor_section(const Ctx& c, const SchoolResult& s) {
  const TierResult& t = s.tier;
  std::vector<int> tiers;
  for (const auto& r : s.results)
    if (r.kind == ResultKind::Descriptor && std::find(tiers.begin(), tiers.end(), r.tier) == tiers.end()) tiers.push_back(r.tier);
  if (tiers.empty()) return {};
  std::vector<std::vector<RuleRow>> groups;
  std::vector<std::string> heads;
  for (int n : tiers) {
    std::string label;
    if (c.rs.tiers)
      for (const auto& tier : c.rs.tiers->tiers)
        if (tier.number == n) label = tier.label;
    std::string score;
    for (const auto& sc : t.scores)
      if (sc.tier == n)
        score = " — " + std::to_string(sc.met) + " of " + std::to_string(sc.known) + " known met" +
                (sc.unknown ? ", " + std::to_string(sc.unknown) + " not judged" : "");
    heads.push_back("<b>Tier " + std::to_string(n) + (label.empty() ? "" : " " + html_escape(label)) + "</b>" + html_escape(score));
    groups.emplace_back();
    for (const auto& r : s.results)
      if (r.kind == ResultKind::Descriptor && r.tier == n) {
        bool decided = std::find(t.decided_by.begin(), t.decided_by.end(), r.id) != t.decided_by.end();
        groups.back().push_back({&r, decided ? "<br><b>★ decided the placement</b>" : "", why_html(r)});
      }
  }
  return "<h3>Tier descriptors</h3>\n" + rules_table(groups, heads);
}

std::string override_html(const TierOverride& o) {
  std::string out = "<div class=\"override keep\"><p><b>Reclassified in year to tier " + std::to_string(o.tier) + "</b>";
  if (o.from) out += " (from tier " + std::to_string(o.from) + ")";
  out += ".</p><dl class=\"facts\"><dt>Reason</dt><dd>" + (o.reason.empty() ? unknown_html("no reason recorded") : html_escape(o.reason)) + "</dd>";
  out += "<dt>Approved by</dt><dd>" + (o.approved_by.empty() ? unknown_html("no approver recorded") : html_escape(o.approved_by)) + "</dd>";
  out += "<dt>Date</dt><dd>" + (o.date.empty() ? unknown_html("no date recorded") : html_escape(o.date)) +
         (o.period.empty() ? "" : " <span class=\"meta\">(" + html_escape(o.period) + ")</span>") + "</dd>";
  if (!o.file.empty())
    out += "<dt>Recorded in</dt><dd class=\"meta\">" + html_escape(o.file) + " row " + std::to_string(o.row) + "</dd>";
  return out + "</dl></div>\n";
}

std::string tier_section(const Ctx& c, const SchoolResult& s) {
  const TierResult& t = s.tier;
  if (t.policy.empty()) return {};  // a ruleset without tiers
  std::string out = "<h3>How the tier was decided</h3>\n";
  out += "<p>Policy: " + html_escape(t.policy) + ".</p>\n";
  if (!t.steps.empty()) {
    out += "<ol class=\"steps\">";
    for (const auto& st : t.steps) out += "<li>" + html_escape(st) + "</li>";
    out += "</ol>\n";
  }
  if (t.number == 0 && !t.reasons.empty()) {
    out += "<p>" + unknown_html(join(t.reasons, "; ")) + "</p>\n";
  }
  if (!t.scores.empty()) {
    out += "<table class=\"data keep\"><thead><tr><th scope=\"col\">Tier</th><th scope=\"col\" class=\"num\">Descriptors met</th>"
           "<th scope=\"col\" class=\"num\">Known</th><th scope=\"col\" class=\"num\">Not judged</th>"
           "<th scope=\"col\" class=\"num\">Share of known met</th></tr></thead>\n<tbody>\n";
    for (const auto& sc : t.scores) {
      bool placed = sc.tier == t.placed;
      out += std::string("<tr><th scope=\"row\">") + (placed ? "<b>" : "") + "Tier " + std::to_string(sc.tier) +
             (placed ? " (best fit)</b>" : "") + "</th><td class=\"num\">" + std::to_string(sc.met) + "</td><td class=\"num\">" +
             std::to_string(sc.known) + "</td><td class=\"num\">" + std::to_string(sc.unknown) + "</td><td class=\"num\">" +
             (sc.known ? format_num(std::round(sc.share * 100)) + "%" : unknown_html("nothing known")) + "</td></tr>\n";
    }
    out += "</tbody></table>\n";
  }
  if (t.override_) out += override_html(*t.override_);
  return out + descriptor_section(c, s);
}

std::string support_section(const SchoolResult& s) {
  if (s.tier.policy.empty()) return {};
  std::string out = "<h3>Support package</h3>\n";
  if (s.support.empty())
    return out + (s.tier.number == 0 ? "<p>" + unknown_html("the tier is unknown, so the support package is too") + "</p>\n"
                                     : "<p>No support items for this tier.</p>\n");
  out += "<table class=\"data keep\"><thead><tr><th scope=\"col\">Support (" + html_escape(tier_name(s.tier)) +
         ")</th><th scope=\"col\">How often</th><th scope=\"col\" class=\"num\">Per term</th></tr></thead>\n<tbody>\n";
  for (const auto& x : s.support)
    out += "<tr><th scope=\"row\">" + html_escape(x.label) + "</th><td>" + (x.one_off ? std::string("once") : html_escape(x.frequency)) +
           "</td><td class=\"num\">" + (x.one_off ? std::string("one-off") : html_escape(format_num(x.per_term))) + "</td></tr>\n";
  return out + "</tbody></table>\n";
}

// The box under the school's name: tier, who leads, why in one line, change.
std::string headline(const SchoolResult& s, const std::string& change) {
  const TierResult& t = s.tier;
  std::string out = "<div class=\"keep\"><dl class=\"facts\">";
  if (!t.policy.empty()) {
    out += "<dt>Tier</dt><dd><span class=\"badge" + std::string(t.led_by == LedBy::Trust && t.number ? " trust-led" : "") + "\">" +
           html_escape(tier_name(t)) + "</span>";
    if (t.number) out += t.led_by == LedBy::Trust ? " trust-led" : " academy-led";
    if (t.override_) out += " — <b>in-year override</b>";
    else if (t.raised_by_floor) out += " — <b>raised by a breached floor</b>";
    if (t.number == 0) out += " " + unknown_html(join(t.reasons, "; "));
    out += "</dd><dt>Since the last run</dt><dd>" + change + "</dd>";
  }
  std::string floors;
  for (const auto& f : s.floors_breached) floors += (floors.empty() ? "" : "; ") + floor_label(s, f);
  out += "<dt>Floors</dt><dd>" + html_status(s.floors_met) +
         (floors.empty() ? std::string() : " — breached: " + html_escape(floors)) + "</dd>";
  if (s.standards_applicable)
    out += "<dt>Standards</dt><dd>" + std::to_string(s.standards_met) + " of " + std::to_string(s.standards_applicable) +
           " met" + (s.standards_unknown ? ", " + std::to_string(s.standards_unknown) + " unknown" : "") + "</dd>";
  return out + "</dl></div>\n";
}

}  // namespace

std::string academy_card(const Ctx& c, const SchoolResult& s, const std::string& change) {
  std::string id = "school-" + s.urn;
  std::string out;
  out.reserve(64 * 1024);  // a card on the shipped rules is about 53 KB: no regrowth on the way
  put(out, "<section class=\"page academy\" id=\"", Esc{id}, "\" aria-labelledby=\"", Esc{id}, "-h\">\n");
  out += "<h2 id=\"" + html_escape(id) + "-h\">" + html_escape(s.name.empty() ? "URN " + s.urn : s.name) + "</h2>\n";
  std::string meta = "URN " + s.urn;
  if (!s.phase.empty()) meta += " · " + s.phase;
  if (!s.type.empty()) {
    std::string type = s.type;  // normalized to "academy_converter"; a reader wants words
    std::replace(type.begin(), type.end(), '_', ' ');
    meta += " · " + type;
  }
  meta += " · as of " + to_string(c.run.as_of);
  out += "<p class=\"meta\">" + html_escape(meta) + "</p>\n";
  out += headline(s, change);
  out += context_section(c, s);
  out += annual_section(c, s);
  out += trend_section(c, s);
  out += termly_section(c, s);
  out += judgement_section(c, s);
  out += rules_section(s, ResultKind::Standard, "Performance standards");
  out += rules_section(s, ResultKind::Floor, "Floor expectations");
  out += tier_section(c, s);
  out += support_section(s);
  return out + "</section>\n";
}

}  // namespace tr::html
