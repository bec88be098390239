// The table for people: one line per school, then the trust KPIs and the support
// capacity. Columns are aligned by characters (UTF-8 aware), long names and
// labels are shortened with "…"; the JSON and `explain` carry the full text.
#include "report.h"

#include "approval.h"
#include "evaluate.h"
#include "term.h"

#include <algorithm>

namespace tr {

size_t text_width(const std::string& s) { return visible_width(s); }  // colour codes take no room

namespace {

std::string shorten(const std::string& s, size_t max) {
  if (text_width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n > max - 1) break;
    out += s[i];
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

std::string pad(const std::string& s, size_t w) {
  size_t n = text_width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

// Rows of cells printed with each column as wide as its widest cell; the last
// column is not padded.
std::string render(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], text_width(r[i]));
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) line += i + 1 == r.size() ? r[i] : pad(r[i], widths[i]) + "  ";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string tier_cell(const TierResult& t) {
  if (t.number == 0) return "unknown";
  std::string s = std::to_string(t.number) + " " + t.label;
  if (t.override_) s += " (override)";
  else if (t.raised_by_floor) s += " (floor)";
  return s;
}

std::string decided_cell(const SchoolResult& s) {
  const TierResult& t = s.tier;
  if (t.override_) return "override: " + shorten(t.override_->reason, 60);
  if (t.number == 0) return t.reasons.empty() ? "" : "undecided: " + shorten(t.reasons[0], 70);
  if (t.by_otherwise) return "no tier matched (otherwise)";
  std::string out;
  size_t shown = 0;
  for (const auto& id : t.decided_by) {
    auto it = std::find_if(s.results.begin(), s.results.end(),
                           [&](const RuleResult& r) { return r.kind == ResultKind::Descriptor && r.id == id; });
    if (it == s.results.end()) continue;
    if (shown == 3) {
      out += "; +" + std::to_string(t.decided_by.size() - 3) + " more";
      break;
    }
    out += (shown ? "; " : "") + shorten(std::string(it->label), 40);
    ++shown;
  }
  if (t.raised_by_floor) {
    for (const auto& f : t.floors)
      if (f.breached && f.to != f.from) {
        out = "floor " + f.floor + " (tier at least " + std::to_string(f.required) + ")" + (out.empty() ? "" : "; " + out);
        break;
      }
  }
  return out;
}

std::string signed_change(const Value& v) {
  if (v.kind != Value::Kind::Number) return "unknown";
  std::string s = format_plain(v);
  return v.num > 0 ? "+" + s : s;
}

std::string known_text(const Value& v) { return v.known() ? format_plain(v) : "unknown"; }

}  // namespace

std::string report_table(const EvaluationResult& r, bool color) {
  int top_tier = 0;  // colour: the tier with the most support is the one to notice
  for (const auto& s : r.schools)
    for (const auto& sc : s.tier.scores) top_tier = std::max(top_tier, sc.tier);
  std::string out;
  out += r.ruleset_name.empty() ? std::string("Ruleset") : r.ruleset_name;
  if (!r.ruleset_version.empty()) out += ", version " + r.ruleset_version;
  if (!r.ruleset_year.empty()) out += " (" + r.ruleset_year + ")";
  out += "\n" + approval_line(r);  // governance: approved, or a draft (approval.h)
  out += "\nAs of " + to_string(r.as_of) + ": " + std::to_string(r.schools.size()) +
         (r.schools.size() == 1 ? " school" : " schools") + "\n\n";

  // Rules without tiers (the DfE floor standards) get no tier columns at all.
  bool tiers = std::any_of(r.schools.begin(), r.schools.end(), [](const SchoolResult& s) { return !s.tier.policy.empty(); });
  std::vector<std::vector<std::string>> rows{{"URN", "School", "Tier", "Floors breached", "Standards met", "Decided by"}};
  if (!tiers) rows[0] = {"URN", "School", "Floors breached", "Standards met"};
  bool floor_mark = false, override_mark = false;
  for (const auto& s : r.schools) {
    std::string floors;
    for (const auto& f : s.floors_breached) floors += (floors.empty() ? "" : ", ") + f;
    if (floors.empty()) floors = s.floors_met == Status::Unknown ? "unknown" : "-";
    std::string standards = std::to_string(s.standards_met) + "/" + std::to_string(s.standards_applicable);
    if (s.standards_unknown) standards += " (unknown " + std::to_string(s.standards_unknown) + ")";
    floor_mark = floor_mark || (s.tier.raised_by_floor && !s.tier.override_);
    override_mark = override_mark || s.tier.override_.has_value();
    if (s.standards_applicable == 0) standards = "-";
    floors = paint(floors, Paint::Red, color && !s.floors_breached.empty());
    std::string tier = paint(tier_cell(s.tier), s.tier.number == 0 ? Paint::Yellow : Paint::Red,
                             color && (s.tier.number == 0 || s.tier.number == top_tier));
    if (tiers) rows.push_back({s.urn, shorten(s.name, 32), tier, floors, standards, decided_cell(s)});
    else rows.push_back({s.urn, shorten(s.name, 32), floors, standards});
  }
  out += render(rows);
  if (floor_mark) out += "(floor): raised by a breached floor after placement.\n";
  if (override_mark) out += "(override): reclassified in year; see `trustrules explain --school URN`.\n";

  if (!r.kpis.empty()) {
    std::string year = r.kpis[0].year, prev = r.kpis[0].previous_year;
    out += "\nTrust KPIs\n";
    std::vector<std::vector<std::string>> k{{"KPI", year, prev, "Change", "Met", "Schools"}};
    for (const auto& x : r.kpis) {
      std::string change = signed_change(x.change);
      if (x.direction != "unknown" && x.direction != "changed") change += " " + x.direction;
      std::string schools = std::to_string(x.known) + " known";
      if (x.unknown) schools += ", " + std::to_string(x.unknown) + " unknown";
      if (x.not_applicable) schools += ", " + std::to_string(x.not_applicable) + " n/a";
      k.push_back({shorten(x.label, 48), known_text(x.value), known_text(x.previous), change,
                   x.status == Status::NotApplicable ? "-"
                                                     : paint(result_status_words(x.status),
                                                             x.status == Status::Met      ? Paint::Green
                                                             : x.status == Status::NotMet ? Paint::Red
                                                                                          : Paint::Yellow,
                                                             color),
                   schools});
    }
    out += render(k);
  }
  if (!r.capacity.empty()) {
    out += "\nSupport capacity (occurrences per term across the trust)\n";
    std::vector<std::vector<std::string>> c{{"Support", "Per term", "Schools"}};
    for (const auto& x : r.capacity) {
      std::string per = format_num(x.per_term);
      if (x.one_off) per = x.one_off == x.schools ? "one-off" : per + " + " + std::to_string(x.one_off) + " one-off";
      if (x.schools == 0) per = "-";
      c.push_back({shorten(x.label, 40) + " (" + x.id + ")", per, std::to_string(x.schools)});
    }
    out += render(c);
  }
  return out;
}

}  // namespace tr
