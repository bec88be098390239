// Standards, floors, the tiers block and kpis: conditions must be yes/no, tiers
// numbered 1..n in order, policies and floor consequences must name real tiers,
// and a kpi's value must add schools up.
#include "check_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace tr::check {

namespace {

std::string tier_list(const Tiers& t) {
  std::string out;
  for (const Tier& tier : t.tiers)
    out += (out.empty() ? "" : ", ") + (tier.label.empty() ? fmt::format("{}", tier.number)
                                                           : fmt::format("{} {}", tier.number, tier.label));
  return out;
}

bool has_tier(const Tiers& t, int n) {
  return std::any_of(t.tiers.begin(), t.tiers.end(), [&](const Tier& x) { return x.number == n; });
}

}  // namespace

void Checker::check_rule(const Rule& r) {
  Scope s;
  if (r.applies) require_bool(*r.applies, s, "applies when");
  if (r.met) require_bool(*r.met, s, "met when");
  if (!r.lua_function.text.empty() &&
      std::find(rs_.lua_functions.begin(), rs_.lua_functions.end(), r.lua_function.text) == rs_.lua_functions.end()) {
    std::string best = did_you_mean(r.lua_function.text, rs_.lua_functions);
    std::string hint = !best.empty()             ? fmt::format("did you mean '{}'?", best)
                       : rs_.lua_scripts.empty() ? std::string("add `use lua \"file.lua\"` for the script that defines it")
                                                 : fmt::format("the scripts define: {}", [&] {
                                                     std::string l;
                                                     for (const auto& f : rs_.lua_functions) l += (l.empty() ? "" : ", ") + f;
                                                     return l.empty() ? std::string("no global functions") : l;
                                                   }());
    error(r.lua_function.span, fmt::format("no `use lua` script defines a function '{}'", r.lua_function.text), hint);
  }
  if (r.breach_tier == 0) return;
  const char* kind = r.kind == RuleKind::Floor ? "floor" : "standard";
  if (r.kind == RuleKind::Standard) {
    error(r.breach_span, fmt::format("`on breach` belongs to floors, but '{}' is a standard", r.id.text),
          "a standard is an aim; declare it as a floor if breaching it should move the school's tier");
    return;
  }
  if (!rs_.tiers) {
    error(r.breach_span, fmt::format("{} '{}' moves a breaching school to tier {} or above, but there are no tiers",
                                     kind, r.id.text, r.breach_tier),
          "declare the tiers in a `tiers { … }` block");
    return;
  }
  if (!has_tier(*rs_.tiers, r.breach_tier)) {
    size_t n = rs_.tiers->tiers.size();
    error(r.breach_span,
          fmt::format("{} '{}' moves a breaching school to tier {} or above, but there {} only {} tier{}", kind,
                      r.id.text, r.breach_tier, n == 1 ? "is" : "are", n, n == 1 ? "" : "s"),
          fmt::format("the tiers are: {}", tier_list(*rs_.tiers)));
  }
}

void Checker::check_tiers(const Tiers& t) {
  if (t.tiers.empty()) {
    error(t.span, "the tiers block declares no tiers", "add `tier 1 \"label\" { descriptor \"…\": condition }`");
    return;
  }
  // A second tiers block is reported as such; numbering it too would only repeat that.
  bool primary = &t == rs_.tiers;
  std::map<int, Span> seen;
  int prev = 0;
  size_t most = 0;
  Scope s;
  for (const Tier& tier : t.tiers) {
    auto [at, fresh] = seen.emplace(tier.number, tier.number_span);
    if (!primary) {
    } else if (!fresh) {
      error(tier.number_span, fmt::format("tier {} is declared twice", tier.number), "",
            {note_at(at->second, fmt::format("the first tier {} is here", tier.number))});
    } else if (tier.number != prev + 1) {
      if (prev == 0)
        error(tier.number_span, fmt::format("the first tier must be tier 1, not tier {}", tier.number),
              "tiers are numbered 1, 2, 3 … in order, without gaps");
      else
        error(tier.number_span, fmt::format("tier {} follows tier {}; tier {} is missing", tier.number, prev, prev + 1),
              "tiers are numbered 1, 2, 3 … in order, without gaps");
    }
    if (fresh) prev = std::max(prev, tier.number);
    if (tier.descriptors.empty())
      error(tier.number_span, fmt::format("tier {} has no descriptors, so no school can be placed in it", tier.number),
            "add at least one: descriptor \"label\": condition");
    most = std::max(most, tier.descriptors.size());
    std::map<std::string, Span> support;
    for (const Support& sup : tier.support) {
      auto [first, ok] = support.emplace(sup.id.text, sup.id.span);
      if (!ok)
        error(sup.id.span, fmt::format("support '{}' is listed twice in tier {}", sup.id.text, tier.number), "",
              {note_at(first->second, "it is first listed here")});
    }
    for (const Descriptor& d : tier.descriptors)
      if (d.expr) require_bool(*d.expr, s, "descriptor");
  }
  if (!primary) return;
  const Policy& p = t.policy;
  if (p.kind == PolicyKind::AtLeast) {
    if (p.at_least < 1) {
      error(p.span, fmt::format("'at least {} of' must count at least one descriptor", p.at_least));
    } else if (static_cast<size_t>(p.at_least) > most) {
      error(p.span,
            fmt::format("'at least {} of' can never be met: no tier has more than {} descriptor{}", p.at_least, most,
                        most == 1 ? "" : "s"),
            "lower the number, or add descriptors");
    } else {
      for (const Tier& tier : t.tiers)
        if (!tier.descriptors.empty() && tier.descriptors.size() < static_cast<size_t>(p.at_least))
          warning(tier.number_span,
                  fmt::format("tier {} has {} descriptor{}, so 'at least {} of' can never place a school in it",
                              tier.number, tier.descriptors.size(), tier.descriptors.size() == 1 ? "" : "s",
                              p.at_least));
    }
  }
  if (p.otherwise != 0 && !has_tier(t, p.otherwise))
    error(otherwise_span(t), fmt::format("'otherwise tier {}': there is no tier {}", p.otherwise, p.otherwise),
          fmt::format("the tiers are: {}", tier_list(t)));
}

// `otherwise tier N` keeps no span of its own; find its line in the block.
Span Checker::otherwise_span(const Tiers& t) const {
  for (uint32_t line = t.span.begin.line; line <= t.span.end.line; ++line) {
    Span probe = t.span;
    probe.begin.line = line;
    probe.begin.col = 1;
    Span at = find_in(probe, "otherwise");
    bool found = at.end.line != probe.end.line || at.end.col != probe.end.col || at.begin.col != 1;
    if (found) return at;
  }
  return t.policy.span;
}

void Checker::check_kpi(const Kpi& k) {
  Scope s;
  s.ctx = ExprContext::Kpi;
  Type t = Type::Error;
  if (k.value) {
    int before = aggregates_seen_;
    t = type(*k.value, s);
    if (t != Type::Error && aggregates_seen_ == before) {
      error(k.value->span, fmt::format("a kpi's value must add schools up, but {} does not", quote(*k.value)),
            "use count, share, mean, min, max, spread or variability, e.g. value mean(attendance)");
      t = Type::Error;
    } else if (t != Type::Error && !is_numeric(t)) {
      error(k.value->span, fmt::format("a kpi's value must be a number, but {} is {}", quote(*k.value),
                                       describe(t, k.value->scale)),
            "for the share of schools where a condition holds use share(condition)");
      t = Type::Error;
    }
  }
  if (k.met) {
    Scope m;
    m.ctx = ExprContext::KpiMet;
    m.kpi_type = t;
    require_bool(*k.met, m, "met when");
  }
}

}  // namespace tr::check
