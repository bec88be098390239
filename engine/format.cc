// The first half of `fmt`: every declaration becomes a tree of layout nodes in the
// canonical spelling (format_layout.cc then adds the comments and prints it).
//
// Items keep the order they were written in. The AST stores a block's properties by
// meaning (Metric::better, Source::key …), so their order is recovered from
// item_spans: the keyword at the start of each item span says which property it is.
// A property the AST holds but no span accounts for (a hand-built AST) is printed
// after the others in the order docs/language.md lists them.
#include "format.h"
#include "format_internal.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

namespace tr::fmtdetail {
namespace {

// An optional label is left out when empty; a required one is always written.
std::string label(const std::string& l) { return l.empty() ? "" : " " + quote_label(l); }
std::string req_label(const std::string& l) { return " " + quote_label(l); }

std::string expr(const ExprPtr& e, const SourceFiles& files) { return e ? format_expr_src(*e, files) : ""; }

bool identifier_like(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool number_like(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// A column name, row value or missing code: bare or quoted as the author wrote it
// (a header such as "PhaseOfEducation (name)" must stay quoted; a bare one that
// happens to be a keyword elsewhere must not gain quotes it never needed).
std::string word(const SourceFiles& files, const std::string& text, Pos at) {
  std::string_view src = text_at(files, at);
  if (!src.empty()) return src[0] == '"' ? quote_label(text) : text;
  return identifier_like(text) || number_like(text) ? text : quote_label(text);
}

LayoutNode leaf(Span span, std::string head, std::string cont = {}) {
  LayoutNode n;
  n.span = span;
  n.head = std::move(head);
  n.cont = std::move(cont);
  return n;
}

LayoutNode block(Span span, std::string head) {
  LayoutNode n;
  n.span = span;
  n.head = std::move(head);
  n.block = true;
  return n;
}

// One property of a block, tagged with the keyword that starts it in the source.
// A property at its default value (`cadence annual`, `role data`) is printed only
// when it was written, which only a span can tell: `if_written`.
struct Item {
  std::string keyword;
  LayoutNode node;
  bool if_written = false;
};

// Gives the k-th item span starting with keyword K to the k-th item tagged K, then
// orders the items by where they were written.
std::vector<LayoutNode> in_source_order(std::vector<Item> items, const std::vector<Span>& spans,
                                        const SourceFiles& files) {
  std::vector<bool> taken(items.size(), false);
  for (const Span& s : spans) {
    std::string kw = word_at(files, s.begin);
    for (size_t i = 0; i < items.size(); ++i) {
      if (!taken[i] && items[i].keyword == kw) {
        items[i].node.span = s;
        taken[i] = true;
        break;
      }
    }
  }
  std::erase_if(items, [](const Item& i) { return i.if_written && !valid(i.node.span); });
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    bool va = valid(a.node.span), vb = valid(b.node.span);
    if (va != vb) return va;  // written items first, synthetic ones after
    if (!va) return false;
    const Pos &x = a.node.span.begin, &y = b.node.span.begin;
    return x.line != y.line ? x.line < y.line : x.col < y.col;
  });
  std::vector<LayoutNode> out;
  for (auto& i : items) out.push_back(std::move(i.node));
  return out;
}

Item item(std::string kw, std::string text, Span span = {}) {
  return {std::move(kw), leaf(span, std::move(text))};
}

// An item whose expression may move to the next line after `head` (the grammar
// allows a line break after `:`, `=` and `when`).
Item wrappable(std::string kw, std::string head, const ExprPtr& e, const SourceFiles& files, Span span = {}) {
  Item it{std::move(kw), leaf(span, std::move(head), expr(e, files))};
  it.node.cont_expr = e.get();
  return it;
}

// Items the AST keeps without a span (`led by`, `otherwise`): the line in `within`,
// outside every span in `skip`, whose first word is `kw`.
Span find_line(const SourceFiles& files, const Span& within, std::string_view kw,
               const std::vector<Span>& skip) {
  if (!valid(within)) return {};
  for (uint32_t l = within.begin.line + 1; l < last_line(within); ++l) {
    bool inside = false;
    for (const Span& s : skip) inside = inside || (valid(s) && l >= s.begin.line && l <= last_line(s));
    if (inside) continue;
    std::string_view text = files.line(within.begin.file, l);
    size_t i = text.find_first_not_of(" \t");
    if (i == std::string_view::npos || text.compare(i, kw.size(), kw) != 0) continue;
    if (i + kw.size() < text.size() && (std::isalnum(static_cast<unsigned char>(text[i + kw.size()])) ||
                                        text[i + kw.size()] == '_'))
      continue;
    // The item ends before a trailing comment; leading blanks are one byte each.
    size_t end = text.find('#', i);
    std::string_view body = text.substr(i, end == std::string_view::npos ? end : end - i);
    while (!body.empty() && std::isspace(static_cast<unsigned char>(body.back()))) body.remove_suffix(1);
    uint32_t col = static_cast<uint32_t>(i + 1);
    uint32_t f = within.begin.file;
    return {{f, l, col}, {f, l, col + static_cast<uint32_t>(body.size())}};
  }
  return {};
}

const char* metric_type(MetricType t) {
  switch (t) {
    case MetricType::Percent: return "percent";
    case MetricType::Score: return "score";
    case MetricType::Count: return "count";
    case MetricType::Rate: return "rate";
    case MetricType::Number: return "number";
    case MetricType::YesNo: return "yesno";
    case MetricType::Grade: return "grade";
  }
  return "number";
}

const char* direction(Direction d) { return d == Direction::Lower ? "lower" : "higher"; }

std::string names(const std::vector<Name>& list) {
  std::string s;
  for (const auto& n : list) s += (s.empty() ? "" : ", ") + n.text;
  return s;
}

LayoutNode scale_node(const Scale& s) {
  LayoutNode n = block(s.span, "scale " + s.id.text + label(s.label));
  for (const auto& g : s.grades) n.children.push_back(leaf(g.span, g.id.text + label(g.label)));
  return n;
}

LayoutNode metric_node(const Metric& m, const SourceFiles& files) {
  LayoutNode n = block(m.span, "metric " + m.id.text + req_label(m.label));
  std::string type = metric_type(m.type);
  if (m.type == MetricType::Grade) type += " on " + m.scale.text;
  std::vector<Item> items;
  items.push_back(item("type", "type " + type));
  items.back().if_written = m.type == MetricType::Number;
  if (m.better != Direction::None) items.push_back(item("better", std::string("better ") + direction(m.better)));
  if (!m.groups.empty()) items.push_back(item("groups", "groups " + names(m.groups)));
  items.push_back(item("cadence", m.cadence == Cadence::Termly ? "cadence termly" : "cadence annual"));
  items.back().if_written = m.cadence == Cadence::Annual;
  if (m.confidence) items.push_back(item("confidence", "confidence interval"));
  if (m.valid_for > 0)
    items.push_back(item("valid", fmt::format("valid for {} {}{}", m.valid_for, m.valid_for_terms ? "term" : "year",
                                              m.valid_for == 1 ? "" : "s")));
  n.children = in_source_order(std::move(items), m.item_spans, files);
  return n;
}

std::string column_ref(const ColumnBinding& b) {
  std::string s = b.metric.text;
  if (!b.group.text.empty()) s += "." + b.group.text;
  if (!b.bound.text.empty()) s += "." + b.bound.text;
  return s;
}

std::string period_text(const PeriodSpec& p, const SourceFiles& files) {
  switch (p.from) {
    case PeriodFrom::Fixed: return "period " + format_year(p.year, p.term);
    case PeriodFrom::FileName: return "period from file name";
    case PeriodFrom::Column: return "period from column " + word(files, p.column.text, p.column.span.begin);
    case PeriodFrom::Columns:
      return "period from columns " + word(files, p.column.text, p.column.span.begin) + ", " +
             word(files, p.term_column.text, p.term_column.span.begin);
  }
  return "period from file name";
}

std::string row_kind(const RowRule& r, const SourceFiles& files) {
  switch (r.kind) {
    case RowKindTag::School: return r.school_type.empty() ? "school" : "school " + quote_label(r.school_type);
    case RowKindTag::Skip: return "skip";
    case RowKindTag::Benchmark: {
      std::string s = r.benchmark.text;
      if (!r.phase_column.text.empty())
        s += " phase from " + word(files, r.phase_column.text, r.phase_column.span.begin);
      return s;
    }
  }
  return "skip";
}

LayoutNode source_node(const Source& s, const SourceFiles& files) {
  LayoutNode n = block(s.span, "source " + s.id.text + req_label(s.label));
  std::vector<Item> items;
  items.push_back(item("role", s.role == SourceRole::Overrides ? "role overrides" : "role data"));
  items.back().if_written = s.role == SourceRole::Data;
  if (!s.files.empty()) {
    std::string f = "files ";
    for (size_t i = 0; i < s.files.size(); ++i) f += (i ? ", " : "") + quote_label(s.files[i]);
    items.push_back(item("files", f));
  }
  if (!s.key.text.empty()) items.push_back(item("key", "key " + word(files, s.key.text, s.key.span.begin)));
  items.push_back(item("period", period_text(s.period, files), s.period.span));
  items.back().if_written = s.period.from == PeriodFrom::FileName;
  for (const auto& a : s.attrs) {
    std::string t = "school " + a.attr.text + " ";
    t += a.from_rows ? "from rows" : word(files, a.column.text, a.column.span.begin);
    items.push_back(item("school", t, a.span));
  }
  if (!s.rows_column.text.empty() || !s.rows.empty()) {
    Item it{"rows", block({}, "rows by " + word(files, s.rows_column.text, s.rows_column.span.begin))};
    for (const auto& r : s.rows) {
      std::string v = r.is_else ? "else" : word(files, r.value, r.span.begin);
      it.node.children.push_back(leaf(r.span, v + ": " + row_kind(r, files)));
    }
    items.push_back(std::move(it));
  }
  {
    Item it{"missing", block({}, "missing"), s.missing.empty()};
    for (const auto& m : s.missing) {
      // `blank` is the empty cell; a code spelt "blank" in quotes is a different code.
      std::string code = m.code.empty() ? "blank" : m.code == "blank" ? quote_label(m.code)
                                                                       : word(files, m.code, m.span.begin);
      it.node.children.push_back(leaf(m.span, code + ": " + quote_label(m.reason)));
    }
    items.push_back(std::move(it));
  }
  if (s.bad_values_warn) items.push_back(item("bad", "bad values warn"));
  {
    Item it{"columns", block({}, "columns"), s.columns.empty()};
    for (const auto& b : s.columns) {
      std::string cols;
      for (const auto& c : b.columns) cols += (cols.empty() ? "" : " | ") + word(files, c.text, c.span.begin);
      it.node.children.push_back(leaf(b.span, column_ref(b) + ": " + cols));
    }
    items.push_back(std::move(it));
  }
  n.children = in_source_order(std::move(items), s.item_spans, files);
  return n;
}

LayoutNode benchmark_node(const Benchmark& b, const SourceFiles& files) {
  std::string head = "benchmark " + b.id.text + label(b.label);
  if (b.values.empty()) return leaf(b.span, head);
  LayoutNode n = block(b.span, head);
  for (const auto& v : b.values) {
    std::string t = v.metric.text;
    if (!v.group.text.empty()) t += "." + v.group.text;
    t += ": ";
    for (size_t i = 0; i < v.values.size(); ++i) {
      if (i) t += ", ";
      if (v.values[i].value) t += format_additive(*v.values[i].value, files);
      if (v.values[i].year) t += " in " + format_year(v.values[i].year);
    }
    n.children.push_back(leaf(v.span, t));
  }
  return n;
}

LayoutNode define_node(const Define& d, const SourceFiles& files) {
  std::string t = "define " + d.id.text;
  if (d.has_parens || !d.params.empty()) t += "(" + names(d.params) + ")";
  LayoutNode n = leaf(d.span, t + label(d.label) + " =", expr(d.body, files));
  n.cont_expr = d.body.get();
  return n;
}

LayoutNode rule_node(const Rule& r, const SourceFiles& files) {
  LayoutNode n =
      block(r.span, (r.kind == RuleKind::Floor ? "floor " : "standard ") + r.id.text + req_label(r.label));
  std::vector<Item> items;
  if (r.applies) items.push_back(wrappable("applies", "applies when", r.applies, files));
  if (r.met) items.push_back(wrappable("met", "met when", r.met, files));
  if (!r.lua_function.text.empty())
    items.push_back(item("met", "met by lua " + quote_label(r.lua_function.text)));
  if (r.breach_tier)
    items.push_back(item("on", "on breach tier at least " + std::to_string(r.breach_tier), r.breach_span));
  n.children = in_source_order(std::move(items), r.item_spans, files);
  return n;
}

std::string policy_text(const Policy& p, const SourceFiles& files) {
  switch (p.kind) {
    case PolicyKind::BestFit:
      // `, ties to more support` only spells out what best fit does; kept as written.
      if (valid(p.span) && text_at(files, p.span.begin).find("ties") == std::string_view::npos)
        return "assign by best fit";
      return "assign by best fit, ties to more support";
    case PolicyKind::FirstMatch: return "assign by first match";
    case PolicyKind::AtLeast: return "assign by at least " + std::to_string(p.at_least) + " of";
  }
  return "";
}

LayoutNode tier_node(const Tier& t, const SourceFiles& files) {
  LayoutNode n = block(t.span, "tier " + std::to_string(t.number) + req_label(t.label));
  std::vector<Item> items;
  std::vector<Span> taken;
  for (const auto& d : t.descriptors) taken.push_back(d.span);
  for (const auto& s : t.support) taken.push_back(s.span);
  Span led = find_line(files, t.span, "led", taken);
  if (valid(led) || t.led_by == LedBy::Trust)
    items.push_back(item("led", t.led_by == LedBy::Trust ? "led by trust" : "led by academy", led));
  for (const auto& d : t.descriptors) {
    items.push_back(wrappable("descriptor", "descriptor " + quote_label(d.label) + ":", d.expr, files, d.span));
  }
  for (const auto& s : t.support) {
    // The parser keeps the frequency's words, single-spaced, as written.
    std::string text = "support " + s.id.text + req_label(s.label);
    if (!s.freq.written.empty()) text += " " + s.freq.written;
    items.push_back(item("support", text, s.span));
  }
  n.children = in_source_order(std::move(items), {}, files);
  return n;
}

LayoutNode tiers_node(const Tiers& t, const SourceFiles& files) {
  LayoutNode n = block(t.span, "tiers" + label(t.label));
  std::vector<Item> items;
  items.push_back(item("assign", policy_text(t.policy, files), t.policy.span));
  items.back().if_written = t.policy.kind == PolicyKind::BestFit;
  std::vector<Span> taken;
  for (const auto& tier : t.tiers) taken.push_back(tier.span);
  if (t.policy.otherwise)
    items.push_back(item("otherwise", "otherwise tier " + std::to_string(t.policy.otherwise),
                         find_line(files, t.span, "otherwise", taken)));
  for (const auto& tier : t.tiers) items.push_back({"tier", tier_node(tier, files)});
  n.children = in_source_order(std::move(items), {}, files);
  return n;
}

LayoutNode kpi_node(const Kpi& k, const SourceFiles& files) {
  LayoutNode n = block(k.span, "kpi " + k.id.text + req_label(k.label));
  std::vector<Item> items;
  if (k.value) items.push_back(item("value", "value " + expr(k.value, files)));
  if (k.better != Direction::None) items.push_back(item("better", std::string("better ") + direction(k.better)));
  if (k.met) items.push_back(wrappable("met", "met when", k.met, files));
  n.children = in_source_order(std::move(items), k.item_spans, files);
  return n;
}

const char* status_text(Status s) {
  switch (s) {
    case Status::Met: return "met";
    case Status::NotMet: return "not met";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "not applicable";
  }
  return "unknown";
}

std::string given_value(const GivenValue& v, const SourceFiles& files) {
  std::string t = v.metric.text;
  if (!v.group.text.empty()) t += "." + v.group.text;
  if (!v.bound.text.empty()) t += "." + v.bound.text;
  if (!v.benchmark.text.empty()) t = v.benchmark.text + "(" + t + ")";
  if (v.period) t += " in " + expr(v.period, files);
  t += ": ";
  t += v.code.empty() ? expr(v.value, files) : v.code;
  return t;
}

LayoutNode test_node(const Test& t, const SourceFiles& files) {
  LayoutNode n = block(t.span, "test" + req_label(t.label));
  std::vector<Item> items;
  if (t.as_of) items.push_back(item("as", "as of " + expr(t.as_of, files), t.as_of->span));
  for (const auto& s : t.schools) {
    std::string head = "given school " + s.urn + label(s.name);
    if (!s.phase.empty()) head += " phase " + quote_label(s.phase);
    if (!s.type.empty()) head += " type " + quote_label(s.type);
    Item it{"given", block(s.span, head)};
    for (const auto& v : s.values) it.node.children.push_back(leaf(v.span, given_value(v, files)));
    items.push_back(std::move(it));
  }
  for (const auto& e : t.expects) {
    std::string text = "expect ";
    if (!e.urn.empty()) text += "school " + e.urn + " ";
    switch (e.kind) {
      case ExpectKind::Tier: text += "tier " + std::to_string(e.tier); break;
      case ExpectKind::Status: text += e.rule.text + " " + status_text(e.status); break;
      case ExpectKind::Value: text += expr(e.value, files); break;  // the whole comparison
    }
    items.push_back(item("expect", text, e.span));
  }
  n.children = in_source_order(std::move(items), {}, files);
  return n;
}

struct DeclPrinter {
  const SourceFiles& files;
  LayoutNode operator()(const Include& d) const { return leaf(d.span, "include " + quote_label(d.path)); }
  LayoutNode operator()(const UseLua& d) const { return leaf(d.span, "use lua " + quote_label(d.path)); }
  LayoutNode operator()(const Scale& d) const { return scale_node(d); }
  LayoutNode operator()(const Metric& d) const { return metric_node(d, files); }
  LayoutNode operator()(const Source& d) const { return source_node(d, files); }
  LayoutNode operator()(const Benchmark& d) const { return benchmark_node(d, files); }
  LayoutNode operator()(const Param& d) const {
    // A threshold stays on its name's line however long the label: `=\n  85%` helps nobody.
    LayoutNode n = leaf(d.span, "param " + d.id.text + label(d.label) + " =", expr(d.value, files));
    n.auto_wrap = false;
    return n;
  }
  LayoutNode operator()(const Define& d) const { return define_node(d, files); }
  LayoutNode operator()(const Rule& d) const { return rule_node(d, files); }
  LayoutNode operator()(const Tiers& d) const { return tiers_node(d, files); }
  LayoutNode operator()(const Kpi& d) const { return kpi_node(d, files); }
  LayoutNode operator()(const Test& d) const { return test_node(d, files); }
};

}  // namespace

LayoutFile build_layout(const File& f, const SourceFiles& files) {
  LayoutFile lf;
  lf.files = &files;
  for (const auto& d : f.decls) lf.decls.push_back(std::visit(DeclPrinter{files}, d));
  if (f.header) {
    // The header is kept apart from the declarations; put it back where it was written.
    const Header& h = *f.header;
    std::string t = "ruleset " + quote_label(h.name);
    if (!h.version.empty()) t += " version " + quote_label(h.version);
    if (!h.year.empty()) t += " year " + h.year;
    auto at = std::find_if(lf.decls.begin(), lf.decls.end(), [&](const LayoutNode& n) {
      const Pos &a = n.span.begin, &b = h.span.begin;
      return valid(n.span) && (a.line > b.line || (a.line == b.line && a.col > b.col));
    });
    if (!valid(h.span)) at = lf.decls.begin();
    lf.decls.insert(at, leaf(h.span, t));
  }
  return lf;
}

}  // namespace tr::fmtdetail

namespace tr {

std::string format_file(const File& f, const SourceFiles& files) {
  auto lf = fmtdetail::build_layout(f, files);
  return fmtdetail::render_layout(lf, f);
}

}  // namespace tr
