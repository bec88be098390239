// The CSV rendering: one row per school per result, RFC 4180 quoting, CRLF line
// ends. Each school also gets a `tier` row, and the trust KPIs follow with an
// empty URN, so one file holds the whole run for a spreadsheet.
#include "report.h"

namespace tr {

std::string csv_field(const std::string& s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "; ") + x;
  return s;
}

// "rwm_expected = 53% (2018-19, 2018-2019_850_ks2final.csv row 41 PTRWM_EXP)"
std::string value_text(const ValueUse& u) {
  std::string s = std::string(u.name) + " = " + (u.text.empty() ? format_plain(u.value) : u.text);
  std::string where;
  if (!u.period.empty()) where = u.period;
  if (!u.file.empty()) {
    where += (where.empty() ? "" : ", ") + std::string(u.file) + " row " + std::to_string(u.row);
    if (!u.column.empty()) where += " " + std::string(u.column);
  }
  return where.empty() ? s : s + " (" + where + ")";
}

void row(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + csv_field(cells[i]);
  out += "\r\n";
}

}  // namespace

std::string report_csv(const EvaluationResult& r) {
  std::string out;
  row(out, {"urn", "name", "kind", "id", "label", "status", "values", "reasons"});
  for (const auto& s : r.schools) {
    for (const auto& rr : s.results) {
      std::vector<std::string> values;
      for (const auto& u : rr.values) values.push_back(value_text(u));
      row(out, {s.urn, s.name, result_kind_id(rr.kind), std::string(rr.id), std::string(rr.label), result_status_id(rr.status), join(values),
                join(rr.reasons)});
    }
    const TierResult& t = s.tier;
    std::string label = t.number ? "Tier " + std::to_string(t.number) + " " + t.label : "unknown";
    std::vector<std::string> why = t.steps;
    if (t.number == 0) why.insert(why.end(), t.reasons.begin(), t.reasons.end());
    row(out, {s.urn, s.name, "tier", "tier", label, t.number ? std::to_string(t.number) : "unknown", join(t.decided_by),
              join(why)});
  }
  for (const auto& k : r.kpis) {
    std::string values = k.year + " = " + (k.value.known() ? format_plain(k.value) : "unknown") + "; " +
                         k.previous_year + " = " + (k.previous.known() ? format_plain(k.previous) : "unknown") +
                         "; change = " + (k.change.known() ? format_plain(k.change) : "unknown") + " (" + k.direction + ")";
    row(out, {"", "trust", "kpi", k.id, k.label, result_status_id(k.status), values, join(k.reasons)});
  }
  return out;
}

}  // namespace tr
