#include "rule_diff.h"

#include "ast_equal.h"
#include "checker.h"
#include "edit_distance.h"
#include "evaluate.h"
#include "format.h"
#include "ruleset.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace tr {

namespace {

namespace fs = std::filesystem;

// A folder names its one root file, as `evaluate --rules` accepts.
bool root_of(const std::string& path, std::string& root, std::string& errors) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    errors += fmt::format("'{}' does not exist\n", path);
    return false;
  }
  if (!fs::is_directory(path, ec)) {
    root = path;
    return true;
  }
  Diagnostics d;
  std::vector<std::string> roots = find_root_files({path}, d);
  if (roots.size() != 1) {
    errors += fmt::format("'{}' holds {} root rule files; name one of them\n", path, roots.size());
    return false;
  }
  root = roots[0];
  return true;
}

std::unique_ptr<Ruleset> load(const std::string& path, std::string& errors) {
  std::string root;
  if (!root_of(path, root, errors)) return nullptr;
  Diagnostics d;
  std::unique_ptr<Ruleset> rs = load_and_check(root, d);
  if (!rs || d.has_errors()) {
    SourceFiles none;
    errors += d.render(rs ? rs->sources : none);
    if (!rs) errors += fmt::format("cannot read {}\n", root);
    return nullptr;
  }
  return rs;
}

std::string expr_text(const ExprPtr& e) { return e ? format_expr(*e) : std::string("(none)"); }

const char* kind_word(const Decl& d) {
  static const char* const kWords[] = {"include", "use lua", "scale", "metric", "source", "benchmark",
                                       "param", "define", "rule", "tiers", "kpi", "test"};
  if (auto* r = std::get_if<Rule>(&d)) return r->kind == RuleKind::Floor ? "floor" : "standard";
  return kWords[d.index()];
}

std::string decl_id(const Decl& d) {
  return std::visit(
      [](const auto& x) -> std::string {
        if constexpr (requires { x.id.text; }) return x.id.text;
        else return {};
      },
      d);
}

// ast_equal compares whole files; a declaration is lent to a one-declaration file
// and given back, so comments and layout never count.
bool same_decl(Decl& a, Decl& b, std::string& why) {
  File fa, fb;
  fa.decls.push_back(std::move(a));
  fb.decls.push_back(std::move(b));
  bool eq = ast_equal(fa, fb, &why);
  a = std::move(fa.decls[0]);
  b = std::move(fb.decls[0]);
  size_t cut = why.find("): ");
  if (cut != std::string::npos) why = why.substr(cut + 3);
  return eq;
}

void changed(std::vector<std::string>& out, const std::string& what, const std::string& a,
             const std::string& b) {
  if (a != b) out.push_back(fmt::format("{}: {} → {}", what, a, b));
}

std::string q(const std::string& s) { return "\"" + s + "\""; }

std::string breach_text(int t) { return t ? fmt::format("tier at least {}", t) : "no consequence"; }

// Keyed entries of a declaration (a source's columns, a scale's grades): what was
// added, removed or changed, by key, in the new version's order.
using Entries = std::vector<std::pair<std::string, std::string>>;
void compare_entries(std::vector<std::string>& out, const std::string& what, const Entries& a, const Entries& b) {
  std::map<std::string, std::string> old(a.begin(), a.end()), now(b.begin(), b.end());
  for (const auto& [k, v] : b) {
    auto it = old.find(k);
    if (it == old.end()) out.push_back(fmt::format("{} {} added: {}", what, k, v));
    else changed(out, fmt::format("{} {}", what, k), it->second, v);
  }
  for (const auto& [k, v] : a)
    if (!now.count(k)) out.push_back(fmt::format("{} {} removed (was {})", what, k, v));
}

const char* metric_type_text(MetricType t) {
  static const char* const kTypes[] = {"percent", "score", "count", "rate", "number", "yesno", "grade"};
  return kTypes[static_cast<int>(t)];
}

std::string valid_text(const Metric& m) {
  if (!m.valid_for) return "no limit";
  return fmt::format("{} {}{}", m.valid_for, m.valid_for_terms ? "term" : "year", m.valid_for == 1 ? "" : "s");
}

std::string join_names(const std::vector<Name>& names, const char* sep = ", ") {
  std::string s;
  for (const Name& n : names) s += (s.empty() ? "" : sep) + n.text;
  return s.empty() ? "(none)" : s;
}

void compare_metric(const Metric& a, const Metric& b, const std::string& what, std::vector<std::string>& out) {
  changed(out, what + " label", q(a.label), q(b.label));
  auto type = [](const Metric& m) {
    return m.type == MetricType::Grade ? "grade on " + m.scale.text : std::string(metric_type_text(m.type));
  };
  changed(out, what + " type", type(a), type(b));
  auto better = [](Direction d) { return d == Direction::None ? "no direction" : d == Direction::Higher ? "higher" : "lower"; };
  changed(out, what + " better", better(a.better), better(b.better));
  changed(out, what + " groups", join_names(a.groups), join_names(b.groups));
  changed(out, what + " cadence", a.cadence == Cadence::Termly ? "termly" : "annual",
          b.cadence == Cadence::Termly ? "termly" : "annual");
  changed(out, what + " confidence interval", a.confidence ? "yes" : "no", b.confidence ? "yes" : "no");
  changed(out, what + " valid for", valid_text(a), valid_text(b));
}

void compare_scale(const Scale& a, const Scale& b, const std::string& what, std::vector<std::string>& out) {
  changed(out, what + " label", q(a.label), q(b.label));
  std::vector<Name> ga, gb;
  for (const Grade& g : a.grades) ga.push_back(g.id);
  for (const Grade& g : b.grades) gb.push_back(g.id);
  // The order is the meaning of a scale: best first.
  changed(out, what + " grades (best first)", join_names(ga, " > "), join_names(gb, " > "));
  Entries la, lb;
  for (const Grade& g : a.grades) la.emplace_back(g.id.text, q(g.label));
  for (const Grade& g : b.grades) lb.emplace_back(g.id.text, q(g.label));
  std::map<std::string, std::string> old(la.begin(), la.end());
  for (const auto& [id, label] : lb)
    if (old.count(id)) changed(out, fmt::format("{} grade {} label", what, id), old[id], label);
}

Entries column_entries(const Source& s) {
  Entries e;
  for (const ColumnBinding& c : s.columns) {
    std::string key = c.metric.text;
    if (!c.group.text.empty()) key += "." + c.group.text;
    if (!c.bound.text.empty()) key += "." + c.bound.text;
    std::string cols;
    for (const Name& n : c.columns) cols += (cols.empty() ? "" : " or ") + n.text;
    e.emplace_back(key, cols);
  }
  return e;
}

Entries missing_entries(const Source& s) {
  Entries e;
  for (const MissingCode& m : s.missing) e.emplace_back(m.code.empty() ? "blank" : m.code, q(m.reason));
  return e;
}

void compare_source(const Source& a, const Source& b, const std::string& what, std::vector<std::string>& out) {
  changed(out, what + " label", q(a.label), q(b.label));
  auto files = [](const Source& s) {
    std::string f;
    for (const auto& g : s.files) f += (f.empty() ? "" : ", ") + q(g);
    return f;
  };
  changed(out, what + " files", files(a), files(b));
  changed(out, what + " key", a.key.text, b.key.text);
  compare_entries(out, what + " column", column_entries(a), column_entries(b));
  compare_entries(out, what + " missing code", missing_entries(a), missing_entries(b));
}

// The specific differences of the declarations that governors approve; the rest
// are reported through ast_equal's first difference.
void compare_decl(Decl& a, Decl& b, std::vector<std::string>& out) {
  std::string what = fmt::format("{} {}", kind_word(b), decl_id(b));
  size_t before = out.size();
  if (a.index() != b.index() || std::string(kind_word(a)) != kind_word(b)) {
    out.push_back(fmt::format("{} {}: was a {}, now a {}", kind_word(b), decl_id(b), kind_word(a), kind_word(b)));
    return;
  }
  if (auto* p = std::get_if<Param>(&a)) {
    auto& n = std::get<Param>(b);
    changed(out, what + " (" + n.label + ")", expr_text(p->value), expr_text(n.value));
    changed(out, what + " label", q(p->label), q(n.label));
  } else if (auto* r = std::get_if<Rule>(&a)) {
    auto& n = std::get<Rule>(b);
    changed(out, what + " label", q(r->label), q(n.label));
    changed(out, what + " applies to", expr_text(r->applies), expr_text(n.applies));
    changed(out, what + " criterion", r->lua_function.text.empty() ? expr_text(r->met) : "lua " + r->lua_function.text,
            n.lua_function.text.empty() ? expr_text(n.met) : "lua " + n.lua_function.text);
    changed(out, what + " on breach", breach_text(r->breach_tier), breach_text(n.breach_tier));
  } else if (auto* d = std::get_if<Define>(&a)) {
    auto& n = std::get<Define>(b);
    changed(out, what, expr_text(d->body), expr_text(n.body));
  } else if (auto* m = std::get_if<Metric>(&a)) {
    compare_metric(*m, std::get<Metric>(b), what, out);
  } else if (auto* sc = std::get_if<Scale>(&a)) {
    compare_scale(*sc, std::get<Scale>(b), what, out);
  } else if (auto* src = std::get_if<Source>(&a)) {
    compare_source(*src, std::get<Source>(b), what, out);
  } else if (auto* k = std::get_if<Kpi>(&a)) {
    auto& n = std::get<Kpi>(b);
    changed(out, what + " label", q(k->label), q(n.label));
    changed(out, what + " value", expr_text(k->value), expr_text(n.value));
    changed(out, what + " met when", expr_text(k->met), expr_text(n.met));
  }
  std::string why;
  if (out.size() == before && !same_decl(a, b, why)) out.push_back(fmt::format("{} changed ({})", what, why));
}

std::string policy_text(const Policy& p) {
  std::string s = p.kind == PolicyKind::BestFit      ? "best fit, ties to more support"
                  : p.kind == PolicyKind::FirstMatch ? "first match"
                                                     : fmt::format("at least {} of", p.at_least);
  if (p.otherwise) s += fmt::format(", otherwise tier {}", p.otherwise);
  return s;
}

bool similar(const std::string& a, const std::string& b) {
  size_t longest = std::max(a.size(), b.size());
  return longest == 0 || edit_distance(a, b) * 2 <= longest;
}

// Descriptors are matched by label, then by position when the label is similar or
// the expression the same, then by expression anywhere; the rest are added/removed.
void compare_descriptors(const Tier& a, const Tier& b, std::vector<std::string>& out) {
  const auto& da = a.descriptors;
  const auto& db = b.descriptors;
  std::vector<int> pair(da.size(), -1);
  std::vector<bool> used(db.size(), false);
  auto take = [&](size_t i, size_t j) { pair[i] = static_cast<int>(j), used[j] = true; };
  for (size_t i = 0; i < da.size(); ++i)
    for (size_t j = 0; j < db.size() && pair[i] < 0; ++j)
      if (!used[j] && da[i].label == db[j].label) take(i, j);
  for (size_t i = 0; i < da.size(); ++i)
    if (pair[i] < 0 && i < db.size() && !used[i] &&
        (similar(da[i].label, db[i].label) || expr_text(da[i].expr) == expr_text(db[i].expr)))
      take(i, i);
  for (size_t i = 0; i < da.size(); ++i)
    for (size_t j = 0; j < db.size() && pair[i] < 0; ++j)
      if (!used[j] && expr_text(da[i].expr) == expr_text(db[j].expr)) take(i, j);
  std::string t = fmt::format("tier {}", b.number);
  for (size_t i = 0; i < da.size(); ++i) {
    if (pair[i] < 0) {
      out.push_back(fmt::format("{} descriptor removed: {}", t, q(da[i].label)));
      continue;
    }
    const Descriptor& n = db[pair[i]];
    if (da[i].label != n.label) out.push_back(fmt::format("{} descriptor reworded: {} → {}", t, q(da[i].label), q(n.label)));
    changed(out, fmt::format("{} descriptor {}", t, q(n.label)), expr_text(da[i].expr), expr_text(n.expr));
  }
  for (size_t j = 0; j < db.size(); ++j)
    if (!used[j]) out.push_back(fmt::format("{} descriptor added: {}: {}", t, q(db[j].label), expr_text(db[j].expr)));
}

std::string freq_text(const Frequency& f) { return f.written.empty() ? "once" : f.written; }

void compare_support(const Tier& a, const Tier& b, std::vector<std::string>& out) {
  std::string t = fmt::format("tier {} support", b.number);
  for (const Support& s : a.support) {
    auto it = std::find_if(b.support.begin(), b.support.end(), [&](const Support& x) { return x.id.text == s.id.text; });
    if (it == b.support.end()) {
      out.push_back(fmt::format("{} removed: {} ({})", t, s.id.text, q(s.label)));
      continue;
    }
    changed(out, fmt::format("{} {} label", t, s.id.text), q(s.label), q(it->label));
    changed(out, fmt::format("{} {} frequency", t, s.id.text), freq_text(s.freq), freq_text(it->freq));
  }
  for (const Support& s : b.support)
    if (std::none_of(a.support.begin(), a.support.end(), [&](const Support& x) { return x.id.text == s.id.text; }))
      out.push_back(fmt::format("{} added: {} ({}, {})", t, s.id.text, q(s.label), freq_text(s.freq)));
}

void compare_tiers(const Tiers* a, const Tiers* b, std::vector<std::string>& out) {
  if (!a || !b) {
    if (a != b) out.push_back(b ? "tiers added" : "tiers removed");
    return;
  }
  changed(out, "tiers label", q(a->label), q(b->label));
  changed(out, "tier policy", policy_text(a->policy), policy_text(b->policy));
  for (const Tier& ta : a->tiers) {
    auto it = std::find_if(b->tiers.begin(), b->tiers.end(), [&](const Tier& x) { return x.number == ta.number; });
    if (it == b->tiers.end()) {
      out.push_back(fmt::format("tier {} removed: {}", ta.number, q(ta.label)));
      continue;
    }
    changed(out, fmt::format("tier {} label", ta.number), q(ta.label), q(it->label));
    changed(out, fmt::format("tier {} led by", ta.number), ta.led_by == LedBy::Trust ? "trust" : "academy",
            it->led_by == LedBy::Trust ? "trust" : "academy");
    compare_descriptors(ta, *it, out);
    compare_support(ta, *it, out);
  }
  for (const Tier& tb : b->tiers)
    if (std::none_of(a->tiers.begin(), a->tiers.end(), [&](const Tier& x) { return x.number == tb.number; }))
      out.push_back(fmt::format("tier {} added: {} ({} descriptors)", tb.number, q(tb.label), tb.descriptors.size()));
}

// Every declaration with an id, keyed "kind id", in file order. Tests and includes
// are not criteria (includes only say where the text lives).
std::vector<std::pair<std::string, Decl*>> keyed(Ruleset& rs, Tiers** tiers) {
  std::vector<std::pair<std::string, Decl*>> out;
  for (File& f : rs.files)
    for (Decl& d : f.decls) {
      if (auto* t = std::get_if<Tiers>(&d)) *tiers = t;
      if (auto* u = std::get_if<UseLua>(&d)) out.push_back({"use lua " + fs::path(u->path).filename().string(), &d});
      std::string id = decl_id(d);
      if (!id.empty()) out.push_back({std::string(d.index() == 8 ? "rule" : kind_word(d)) + " " + id, &d});
    }
  return out;
}

}  // namespace

bool diff_rules(const std::string& old_root, const std::string& new_root, std::vector<std::string>& changes,
                std::string& errors) {
  auto a = load(old_root, errors);
  auto b = load(new_root, errors);
  if (!a || !b) return false;
  if (a->header && b->header) {
    changed(changes, "ruleset name", q(a->header->name), q(b->header->name));
    changed(changes, "version", a->header->version, b->header->version);
    changed(changes, "year", a->header->year, b->header->year);
  }
  Tiers *ta = nullptr, *tb = nullptr;
  auto ka = keyed(*a, &ta);
  auto kb = keyed(*b, &tb);
  std::map<std::string, Decl*> old_by_key(ka.begin(), ka.end());
  std::set<std::string> seen;
  for (auto& [key, d] : kb) {
    seen.insert(key);
    auto it = old_by_key.find(key);
    if (it == old_by_key.end()) {
      std::string extra;
      if (auto* r = std::get_if<Rule>(d)) extra = fmt::format(": {}, met when {}", q(r->label), expr_text(r->met));
      else if (auto* p = std::get_if<Param>(d)) extra = fmt::format(": {} = {}", q(p->label), expr_text(p->value));
      changes.push_back(fmt::format("{} added{}", key.rfind("rule ", 0) == 0 ? std::string(kind_word(*d)) + " " + decl_id(*d) : key, extra));
      continue;
    }
    if (std::get_if<UseLua>(d)) continue;
    compare_decl(*it->second, *d, changes);
  }
  for (auto& [key, d] : ka)
    if (!seen.count(key))
      changes.push_back(fmt::format("{} removed", key.rfind("rule ", 0) == 0 ? std::string(kind_word(*d)) + " " + decl_id(*d) : key));
  compare_tiers(ta, tb, changes);
  return true;
}

namespace {

std::string tier_word(const SchoolResult& s) { return s.tier.number ? fmt::format("tier {}", s.tier.number) : "no tier"; }

}  // namespace

bool diff_results(const std::string& old_root, const std::string& new_root, const std::vector<std::string>& data,
                  const std::string& as_of, std::vector<std::string>& changes, std::string& errors) {
  std::string roots[2];
  if (!root_of(old_root, roots[0], errors) || !root_of(new_root, roots[1], errors)) return false;
  Run runs[2];
  EvaluationResult res[2];
  // The new version decides the as-of period, and the old one is evaluated as of
  // the same period, so only the rules differ.
  for (int i : {1, 0}) {
    RunOptions o;
    o.rules = roots[i];
    o.data = data;
    o.as_of = i == 0 ? to_string(runs[1].as_of) : as_of;
    std::string msg;
    if (prepare_run(o, runs[i], msg) != 0) {
      errors += msg;
      return false;
    }
    res[i] = evaluate(runs[i].plan, eval_options(runs[i]));
  }
  std::map<std::string, const SchoolResult*> before;
  for (const SchoolResult& s : res[0].schools) before[s.urn] = &s;
  for (const SchoolResult& now : res[1].schools) {
    auto it = before.find(now.urn);
    if (it == before.end()) continue;
    const SchoolResult& was = *it->second;
    std::string block;
    if (now.tier.number != was.tier.number) block += fmt::format("\n  {} → {}", tier_word(was), tier_word(now));
    std::map<std::string_view, const RuleResult*> old_rules;
    for (const RuleResult& r : was.results) old_rules[r.id] = &r;
    std::string why;
    for (const RuleResult& r : now.results) {
      auto o = old_rules.find(r.id);
      Status from = o == old_rules.end() ? Status::NotApplicable : o->second->status;
      if (o != old_rules.end() && from == r.status) continue;
      std::string line = fmt::format("{} {} ({}): {} → {}", result_kind_id(r.kind), r.id, r.label,
                                     o == old_rules.end() ? "absent" : result_status_words(from),
                                     result_status_words(r.status));
      if (r.kind == ResultKind::Descriptor) why += "\n    " + line;
      else block += "\n  " + line;
    }
    if (block.empty() && why.empty()) continue;
    if (block.empty()) continue;  // descriptor-only changes that move nothing are not results
    if (!why.empty()) block += "\n  because:" + why;
    changes.push_back(fmt::format("{} {}:{}", now.urn, now.name, block));
  }
  return true;
}

}  // namespace tr
