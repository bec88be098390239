#include "render.h"

#include "format.h"
#include "html_style.h"

#include <fmt/format.h>

namespace tr {

namespace {

std::string led_by(LedBy l) { return l == LedBy::Trust ? "trust" : "academy"; }

std::string freq(const Frequency& f) { return f.written.empty() ? "once" : f.written; }

std::string policy_words(const Policy& p) {
  std::string s = p.kind == PolicyKind::BestFit
                      ? "best fit over the descriptors; ties go to the tier with more support"
                  : p.kind == PolicyKind::FirstMatch ? "the first tier whose descriptors all hold"
                                                     : fmt::format("the first tier with at least {} descriptors met", p.at_least);
  if (p.otherwise) s += fmt::format("; otherwise tier {}", p.otherwise);
  return s;
}

std::string title_of(const Ruleset& rs) { return rs.header ? rs.header->name : rs.root_path; }

std::vector<const Rule*> rules_of(const Ruleset& rs, RuleKind k) {
  std::vector<const Rule*> out;
  for (const Rule* r : rs.rules)
    if (r->kind == k) out.push_back(r);
  return out;
}

std::string criterion(const Rule& r) {
  return r.lua_function.text.empty() ? (r.met ? format_expr(*r.met) : "") : "judged by Lua function " + r.lua_function.text;
}

// ---- Markdown ----------------------------------------------------------------

// A table cell: pipes escaped, line breaks as <br> (GitHub-flavoured Markdown).
std::string cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else out += c;
  }
  return out;
}

std::string code(const std::string& s) { return "`" + s + "`"; }

}  // namespace

std::string render_markdown(const Ruleset& rs, const RenderMeta& m) {
  std::string s = "# " + title_of(rs) + "\n\n";
  if (rs.header) s += fmt::format("Version {} · academic year {}\n\n", rs.header->version, rs.header->year);
  s += "**" + m.approval + "**";
  if (!m.content_hash.empty()) s += " · content hash " + code(m.content_hash);
  s += "\n\n";

  auto rule_section = [&](RuleKind k, const char* heading) {
    auto rules = rules_of(rs, k);
    if (rules.empty()) return;
    s += fmt::format("## {}\n\n", heading);
    for (const Rule* r : rules) {
      s += fmt::format("- **{}** ({})  \n  Met when {}", r->label, code(r->id.text), code(criterion(*r)));
      if (r->applies) s += fmt::format("  \n  Applies to schools where {}", code(format_expr(*r->applies)));
      if (r->breach_tier) s += fmt::format("  \n  On breach: tier at least {} (the school gets at least that tier's support)", r->breach_tier);
      s += "\n";
    }
    s += "\n";
  };
  rule_section(RuleKind::Standard, "Performance standards");
  rule_section(RuleKind::Floor, "Floor expectations");

  if (rs.tiers) {
    const Tiers& t = *rs.tiers;
    s += "## " + (t.label.empty() ? std::string("School improvement tiers") : t.label) + "\n\n";
    s += "Placement: " + policy_words(t.policy) + ".\n\n";
    s += "| |";
    for (const Tier& tier : t.tiers) s += fmt::format(" Tier {}: {} |", tier.number, cell(tier.label));
    s += "\n|---|";
    for (size_t i = 0; i < t.tiers.size(); ++i) s += "---|";
    s += "\n| **Led by** |";
    for (const Tier& tier : t.tiers) s += " " + led_by(tier.led_by) + " |";
    s += "\n| **Descriptors** |";
    for (const Tier& tier : t.tiers) {
      std::string c;
      for (const Descriptor& d : tier.descriptors) c += (c.empty() ? "" : "\n") + ("• " + d.label);
      s += " " + cell(c) + " |";
    }
    s += "\n| **Support** |";
    for (const Tier& tier : t.tiers) {
      std::string c;
      for (const Support& sp : tier.support) c += (c.empty() ? "" : "\n") + ("• " + sp.label + " (" + freq(sp.freq) + ")");
      s += " " + cell(c) + " |";
    }
    s += "\n\n### Descriptor criteria\n\n";
    for (const Tier& tier : t.tiers)
      for (const Descriptor& d : tier.descriptors)
        s += fmt::format("- Tier {} — {}: {}\n", tier.number, d.label, code(d.expr ? format_expr(*d.expr) : ""));
    s += "\n";
  }

  if (!rs.params.empty()) {
    s += "## Thresholds set by the board\n\n| threshold | id | value |\n|---|---|---|\n";
    for (const Param* p : rs.params)
      s += fmt::format("| {} | {} | {} |\n", cell(p->label), code(p->id.text), cell(p->value ? format_expr(*p->value) : ""));
    s += "\n";
  }
  if (!rs.kpis.empty()) {
    s += "## Trust KPIs\n\n";
    for (const Kpi* k : rs.kpis) {
      s += fmt::format("- **{}** ({}): {}", k->label, code(k->id.text), code(k->value ? format_expr(*k->value) : ""));
      if (k->better != Direction::None) s += k->better == Direction::Higher ? ", higher is better" : ", lower is better";
      if (k->met) s += "; met when " + code(format_expr(*k->met));
      s += "\n";
    }
    s += "\n";
  }
  return s;
}

std::string render_html(const Ruleset& rs, const RenderMeta& m) {
  auto e = [](const std::string& x) { return html_escape(x); };
  std::string title = title_of(rs);
  std::string b = "<h1>" + e(title) + "</h1>";
  if (rs.header)
    b += fmt::format("<p class=\"meta\">Version {} · academic year {}</p>", e(rs.header->version), e(rs.header->year));
  b += fmt::format("<p class=\"banner {}\">{}", m.approved ? "approved" : "draft", e(m.approval));
  if (!m.content_hash.empty()) b += " <span class=\"meta\">content hash " + e(m.content_hash) + "</span>";
  b += "</p>";

  auto rule_section = [&](RuleKind k, const char* heading) {
    auto rules = rules_of(rs, k);
    if (rules.empty()) return;
    b += fmt::format("<h2>{}</h2><table class=\"data\"><thead><tr><th scope=\"col\">{}</th>"
                     "<th scope=\"col\">Met when</th><th scope=\"col\">Applies to</th>{}</tr></thead><tbody>",
                     heading, k == RuleKind::Floor ? "Floor" : "Standard",
                     k == RuleKind::Floor ? "<th scope=\"col\">On breach</th>" : "");
    for (const Rule* r : rules) {
      b += fmt::format("<tr><th scope=\"row\">{}<br><span class=\"meta\">{}</span></th><td><code>{}</code></td><td>{}</td>",
                       e(r->label), e(r->id.text), e(criterion(*r)),
                       r->applies ? "<code>" + e(format_expr(*r->applies)) + "</code>" : "every school");
      if (k == RuleKind::Floor)
        b += "<td>" + (r->breach_tier ? fmt::format("tier at least {}", r->breach_tier) : std::string("—")) + "</td>";
      b += "</tr>";
    }
    b += "</tbody></table>";
  };
  rule_section(RuleKind::Standard, "Performance standards");
  rule_section(RuleKind::Floor, "Floor expectations");

  if (rs.tiers) {
    const Tiers& t = *rs.tiers;
    b += "<section class=\"keep\"><h2>" + e(t.label.empty() ? "School improvement tiers" : t.label) + "</h2>";
    b += "<p>Placement: " + e(policy_words(t.policy)) + ".</p>";
    b += "<table class=\"data\"><thead><tr><th scope=\"col\"></th>";
    for (const Tier& tier : t.tiers) b += fmt::format("<th scope=\"col\">Tier {}<br>{}</th>", tier.number, e(tier.label));
    b += "</tr></thead><tbody><tr><th scope=\"row\">Led by</th>";
    for (const Tier& tier : t.tiers) b += "<td>" + led_by(tier.led_by) + "</td>";
    b += "</tr><tr><th scope=\"row\">Descriptors</th>";
    for (const Tier& tier : t.tiers) {
      b += "<td><ul>";
      for (const Descriptor& d : tier.descriptors)
        b += "<li>" + e(d.label) + (d.expr ? "<br><span class=\"meta\">" + e(format_expr(*d.expr)) + "</span>" : "") + "</li>";
      b += "</ul></td>";
    }
    b += "</tr><tr><th scope=\"row\">Support</th>";
    for (const Tier& tier : t.tiers) {
      b += "<td><ul>";
      for (const Support& sp : tier.support) b += "<li>" + e(sp.label) + " <span class=\"meta\">(" + e(freq(sp.freq)) + ")</span></li>";
      b += "</ul></td>";
    }
    b += "</tr></tbody></table></section>";
  }

  if (!rs.params.empty()) {
    b += "<h2>Thresholds set by the board</h2><table class=\"data\"><thead><tr><th scope=\"col\">Threshold</th>"
         "<th scope=\"col\">Value</th></tr></thead><tbody>";
    for (const Param* p : rs.params)
      b += fmt::format("<tr><th scope=\"row\">{}<br><span class=\"meta\">{}</span></th><td class=\"num\">{}</td></tr>",
                       e(p->label), e(p->id.text), e(p->value ? format_expr(*p->value) : ""));
    b += "</tbody></table>";
  }
  if (!rs.kpis.empty()) {
    b += "<h2>Trust KPIs</h2><table class=\"data\"><thead><tr><th scope=\"col\">KPI</th><th scope=\"col\">Measure</th>"
         "<th scope=\"col\">Better</th><th scope=\"col\">Met when</th></tr></thead><tbody>";
    for (const Kpi* k : rs.kpis)
      b += fmt::format("<tr><th scope=\"row\">{}</th><td><code>{}</code></td><td>{}</td><td>{}</td></tr>", e(k->label),
                       e(k->value ? format_expr(*k->value) : ""),
                       k->better == Direction::Higher ? "higher" : k->better == Direction::Lower ? "lower" : "—",
                       k->met ? "<code>" + e(format_expr(*k->met)) + "</code>" : "—");
    b += "</tbody></table>";
  }
  std::string footer = title + (rs.header ? " — version " + rs.header->version : "") + (m.approved ? "" : " — DRAFT");
  return html_page(title, b, footer);
}

}  // namespace tr
