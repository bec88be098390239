// Reading the store across terms and printing it (see history.h).
#include "history.h"

#include "content_hash.h"
#include "report.h"

#include <algorithm>
#include <map>
#include <set>

namespace tr {

namespace {

const char* mark_text(Mark m) {
  switch (m) {
    case Mark::None: return "";
    case Mark::Better: return " ↑";
    case Mark::Worse: return " ↓";
    case Mark::Changed: return " *";
  }
  return "";
}

std::string tier_cell(const StoredSchool& s) {
  if (s.tier == 0) return "unknown";
  std::string t = std::to_string(s.tier) + " " + s.tier_label;
  if (s.overridden) t += " (override)";
  else if (s.raised_by_floor) t += " (floor)";
  return t;
}

// A lower tier is less support: better. A tier against an undecided one is a change.
Mark tier_mark(const StoredSchool& prev, const StoredSchool& cur) {
  if (prev.tier == cur.tier) return Mark::None;
  if (!prev.tier || !cur.tier) return Mark::Changed;
  return cur.tier < prev.tier ? Mark::Better : Mark::Worse;
}

std::string tier_change(const StoredSchool& prev, const StoredSchool& cur) {
  if (!cur.tier) return "tier could not be decided (was Tier " + std::to_string(prev.tier) + ")";
  std::string how = cur.tier_label;
  if (cur.overridden) how += "; override";
  else if (cur.raised_by_floor) how += "; raised by a floor";
  if (!prev.tier) return "placed in Tier " + std::to_string(cur.tier) + " (" + how + "; undecided the term before)";
  return "moved from Tier " + std::to_string(prev.tier) + " to Tier " + std::to_string(cur.tier) + " (" + how + ")";
}

std::string status_words(const std::string& id) {
  if (id == "not_met") return "not met";
  if (id == "not_applicable") return "n/a";
  return id;
}

Mark status_mark(const std::string& prev, const std::string& cur) {
  if (prev == cur) return Mark::None;
  if (prev == "not_met" && cur == "met") return Mark::Better;
  if (prev == "met" && cur == "not_met") return Mark::Worse;
  return Mark::Changed;
}

// One term's rows, looked up by URN.
struct TermData {
  std::map<std::string, StoredSchool> schools;
  std::map<std::string, std::vector<StoredRule>> rules;  // by URN, standards and floors only
};

std::string floors_cell(const StoredSchool& s, const std::vector<StoredRule>& rules) {
  std::string breached;
  bool any = false;
  for (const auto& r : rules)
    if (r.kind == "floor") {
      any = true;
      if (r.status == "not_met") breached += (breached.empty() ? "" : ", ") + r.id;
    }
  if (!any) return "n/a";
  if (!breached.empty()) return breached;
  return s.floors_met == "unknown" ? "unknown" : "none";
}

std::string standards_cell(const StoredSchool& s) {
  if (s.standards_applicable == 0) return "n/a";
  std::string t = std::to_string(s.standards_met) + "/" + std::to_string(s.standards_applicable);
  if (s.standards_unknown) t += " (" + std::to_string(s.standards_unknown) + " unknown)";
  return t;
}

int breached_count(const std::vector<StoredRule>& rules) {
  return static_cast<int>(std::count_if(rules.begin(), rules.end(), [](const StoredRule& r) {
    return r.kind == "floor" && r.status == "not_met";
  }));
}

// Fewer floors breached, more standards met: better; anything else that moved: changed.
template <typename T>
Mark count_mark(T prev, T cur, bool lower_is_better) {
  if (prev == cur) return Mark::None;
  return (cur < prev) == lower_is_better ? Mark::Better : Mark::Worse;
}

std::string shorten(const std::string& s, size_t max) {
  if (text_width(s) <= max) return s;
  std::string out;
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++n > max - 1) break;
    out += c;
  }
  return out + "…";
}

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> w;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (w.size() <= i) w.push_back(0);
      w[i] = std::max(w[i], text_width(r[i]));
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(w[i] - text_width(r[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

bool load_history(Store& store, const HistoryOptions& opts, History& out, std::string& error) {
  out = History{};
  out.store = store.path();
  out.urn = opts.urn;
  std::vector<RunInfo> runs = store.runs();
  if (runs.empty()) return true;
  out.ruleset_name = opts.ruleset.empty() ? runs.back().ruleset_name : opts.ruleset;
  std::set<std::string> names;
  for (const auto& r : runs) names.insert(r.ruleset_name);
  if (!names.count(out.ruleset_name)) {
    error = "the store has no run of the ruleset \"" + out.ruleset_name + "\"; it has runs of:";
    for (const auto& n : names) error += " \"" + n + "\"";
    return false;
  }
  for (const auto& n : names)
    if (n != out.ruleset_name) out.other_rulesets.push_back(n);

  // The latest run of each term: re-running a term adds a run, and the newest says
  // what the trust now holds for that term.
  std::map<std::string, HistoryTerm> by_term;
  for (const auto& r : runs) {
    if (r.ruleset_name != out.ruleset_name) continue;
    auto [it, fresh] = by_term.try_emplace(r.as_of, HistoryTerm{r, 1});
    if (!fresh) {
      it->second.run = r;  // runs come oldest first
      ++it->second.runs;
    }
  }
  for (auto& [as_of, t] : by_term) out.terms.push_back(t);
  std::sort(out.terms.begin(), out.terms.end(), [](const HistoryTerm& a, const HistoryTerm& b) {
    return a.run.as_of_key != b.run.as_of_key ? a.run.as_of_key < b.run.as_of_key : a.run.as_of < b.run.as_of;
  });

  std::vector<TermData> data(out.terms.size());
  std::set<std::string> urns;
  for (size_t t = 0; t < out.terms.size(); ++t) {
    for (auto& s : store.schools(out.terms[t].run.id)) {
      if (!opts.urn.empty() && s.urn != opts.urn) continue;
      urns.insert(s.urn);
      std::string urn = s.urn;
      data[t].schools.emplace(urn, std::move(s));
    }
    for (auto& r : store.rules(out.terms[t].run.id, opts.urn))
      if (r.kind == "standard" || r.kind == "floor") data[t].rules[r.urn].push_back(std::move(r));
  }
  if (!opts.urn.empty() && urns.empty()) {
    error = "no school with URN " + opts.urn + " in the recorded runs of \"" + out.ruleset_name + "\"";
    return false;
  }

  size_t n = out.terms.size();
  static const std::vector<StoredRule> kNone;
  auto rules_of = [&](size_t t, const std::string& urn) -> const std::vector<StoredRule>& {
    auto it = data[t].rules.find(urn);
    return it == data[t].rules.end() ? kNone : it->second;
  };
  for (const auto& urn : urns) {
    HistoryRow tier{urn, "", std::vector<std::string>(n, "-"), std::vector<Mark>(n, Mark::None)};
    HistoryRow floors = tier, standards = tier;
    const StoredSchool* prev = nullptr;
    size_t prev_t = 0;
    for (size_t t = 0; t < n; ++t) {
      auto it = data[t].schools.find(urn);
      if (it == data[t].schools.end()) continue;
      const StoredSchool& s = it->second;
      tier.label = s.name;  // the latest name wins
      tier.cells[t] = tier_cell(s);
      floors.cells[t] = floors_cell(s, rules_of(t, urn));
      standards.cells[t] = standards_cell(s);
      if (prev) {
        tier.marks[t] = tier_mark(*prev, s);
        floors.marks[t] = floors.cells[t] == floors.cells[prev_t] ? Mark::None
                          : count_mark(breached_count(rules_of(prev_t, urn)), breached_count(rules_of(t, urn)), true);
        if (floors.marks[t] == Mark::None && floors.cells[t] != floors.cells[prev_t]) floors.marks[t] = Mark::Changed;
        standards.marks[t] = standards.cells[t] == standards.cells[prev_t]
                                 ? Mark::None
                                 : count_mark(prev->standards_met, s.standards_met, false);
        if (standards.marks[t] == Mark::None && standards.cells[t] != standards.cells[prev_t])
          standards.marks[t] = Mark::Changed;
        if (tier.marks[t] != Mark::None)
          out.changes.push_back({t, urn + " " + s.name, tier_change(*prev, s), tier.marks[t]});
      }
      prev = &s;
      prev_t = t;
    }
    floors.label = standards.label = tier.label;
    out.tiers.push_back(std::move(tier));
    if (opts.urn.empty()) {
      out.floors.push_back(std::move(floors));
      out.standards.push_back(std::move(standards));
    } else {
      out.school_name = out.tiers.back().label;
    }
  }

  // Floors (every school) and each floor and standard (one school): a status
  // change from one recorded term to the next is a change.
  std::map<std::string, std::string> school_names;
  for (const auto& x : out.tiers) school_names[x.key] = x.label;
  for (const auto& urn : urns) {
    std::vector<std::string> ids;  // latest run's order first; rules dropped since follow
    std::map<std::string, std::pair<std::string, std::string>> kind_label;
    for (size_t t = n; t-- > 0;)
      for (const auto& r : rules_of(t, urn))
        if (kind_label.try_emplace(r.id, r.kind, r.label).second) ids.push_back(r.id);
    for (const auto& id : ids) {
      const auto& [kind, label] = kind_label[id];
      if (opts.urn.empty() && kind != "floor") continue;
      HistoryRow row{id, label, std::vector<std::string>(n, "-"), std::vector<Mark>(n, Mark::None)};
      const StoredRule* prev = nullptr;
      for (size_t t = 0; t < n; ++t) {
        const auto& rules = rules_of(t, urn);
        auto it = std::find_if(rules.begin(), rules.end(), [&](const StoredRule& r) { return r.id == id; });
        if (it == rules.end()) continue;
        row.cells[t] = status_words(it->status);
        if (prev && prev->status != it->status) {
          row.marks[t] = status_mark(prev->status, it->status);
          std::string who = opts.urn.empty() ? urn + " " + school_names[urn] : "";
          out.changes.push_back({t, who,
                                 kind + " " + id + " (" + label + "): from " + status_words(prev->status) + " to " +
                                     status_words(it->status),
                                 row.marks[t]});
        }
        prev = &*it;
      }
      if (!opts.urn.empty()) (kind == "floor" ? out.floors : out.standards).push_back(std::move(row));
    }
  }
  std::stable_sort(out.changes.begin(), out.changes.end(),
                   [](const HistoryChange& a, const HistoryChange& b) {
                     return a.term != b.term ? a.term < b.term : a.who < b.who;
                   });
  return true;
}

std::string render_history(const History& h) {
  std::string out;
  if (h.terms.empty()) return "No runs recorded in " + h.store + " yet (record one with `trustrules evaluate --record`).\n";
  out += "History of " + (h.urn.empty() ? std::string() : h.urn + " " + h.school_name + ", ") + h.ruleset_name + "\n";
  out += "Store " + h.store + ": " + std::to_string(h.terms.size()) + (h.terms.size() == 1 ? " term" : " terms") +
         ", the latest run of each\n";
  if (!h.other_rulesets.empty()) {
    out += "The store also has runs of:";
    for (const auto& n : h.other_rulesets) out += " \"" + n + "\"";
    out += " (choose with --ruleset)\n";
  }

  out += "\nRuns\n";
  std::vector<std::vector<std::string>> runs{{"Term", "Run", "Recorded", "Version", "Content", "Approval"}};
  for (const auto& t : h.terms) {
    const RunInfo& r = t.run;
    std::string id = std::to_string(r.id) + (t.runs > 1 ? " (latest of " + std::to_string(t.runs) + ")" : "");
    std::string approval = r.approved ? "approved by " + r.approved_by + " on " + r.approved_on + " (minute " +
                                            r.minute + ")"
                                      : "DRAFT — not approved";
    runs.push_back({r.as_of, id, r.recorded_at, r.ruleset_version, short_hash(r.content_hash), approval});
  }
  out += render_table(runs);

  auto section = [&](const std::string& title, const std::string& first, const std::string& second,
                     const std::vector<HistoryRow>& rows) {
    if (rows.empty()) return;
    out += "\n" + title + "\n";
    std::vector<std::vector<std::string>> t{{first, second}};
    for (const auto& term : h.terms) t[0].push_back(term.run.as_of);
    for (const auto& r : rows) {
      std::vector<std::string> line{r.key, shorten(r.label, 40)};
      for (size_t i = 0; i < r.cells.size(); ++i) line.push_back(r.cells[i] + mark_text(r.marks[i]));
      t.push_back(std::move(line));
    }
    out += render_table(t);
  };
  section("Tiers", "URN", "School", h.tiers);
  if (h.urn.empty()) {
    section("Floors breached", "URN", "School", h.floors);
    section("Standards met", "URN", "School", h.standards);
  } else {
    section("Floors", "Floor", "Label", h.floors);
    section("Standards", "Standard", "Label", h.standards);
  }

  out += "\nChanges\n";
  if (h.changes.empty()) out += "  none\n";
  for (const auto& c : h.changes)
    out += "  " + h.terms[c.term].run.as_of + "  " + (c.who.empty() ? "" : c.who + ": ") + c.what +
           mark_text(c.mark) + "\n";
  out += "\n↑ better than the term before (a lower tier, fewer floors breached, more standards met, now met);\n"
         "↓ worse; * changed otherwise (to or from unknown, or other floors breached).\n";
  return out;
}

}  // namespace tr
