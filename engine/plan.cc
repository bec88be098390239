// The planner (see plan.h): the checked declarations -> a plan. Rules, tiers,
// support and kpis are laid out here; each expression is compiled by the
// Compiler of plan_compile.cc.
#include "plan.h"
#include "plan_internal.h"

#include "format.h"
#include "tiers.h"

#include <algorithm>

namespace tr {

const char* agg_name(AggKind k) {
  switch (k) {
    case AggKind::Count: return "count";
    case AggKind::Share: return "share";
    case AggKind::Mean: return "mean";
    case AggKind::Min: return "min";
    case AggKind::Max: return "max";
    case AggKind::Spread: return "spread";
    case AggKind::Variability: return "variability";
    case AggKind::Lua: return "lua";
  }
  return "?";
}

ExprPtr clone_expr(const Expr& e) {
  auto c = std::make_unique<Expr>();
  c->kind = e.kind;
  c->span = e.span;
  c->number = e.number;
  c->unit = e.unit;
  c->term = e.term;
  c->op = e.op;
  c->text = e.text;
  c->written = e.written;
  c->type = e.type;
  c->scale = e.scale;
  c->ref = e.ref;
  c->ref_index = e.ref_index;
  c->group = e.group;
  c->bound = e.bound;
  for (const auto& a : e.args) c->args.push_back(a ? clone_expr(*a) : nullptr);
  return c;
}


bool build_plan(const Ruleset& rs, const Dataset& ds, Plan& out, Diagnostics& diags) {
  out = Plan{};
  out.rs = &rs;
  out.ds = &ds;
  size_t errors = diags.error_count();
  planc::Compiler c(rs, ds, out, diags);
  for (size_t i = 0; i < rs.rules.size(); ++i) {
    const Rule& r = *rs.rules[i];
    RulePlan rp;
    rp.rule = static_cast<int>(i);
    rp.kind = r.kind;
    rp.id = r.id.text;
    rp.label = r.label.empty() ? r.id.text : r.label;
    rp.breach_tier = r.breach_tier;
    rp.lua = r.lua_function.text;
    rp.src = &r;
    if (r.applies) {
      rp.applies = c.compile(*r.applies, planc::Ctx::School);
      rp.scope = format_expr(*r.applies);
    }
    if (r.met) rp.met = c.compile(*r.met, planc::Ctx::School);
    if (r.kind == RuleKind::Floor) out.floors.push_back(static_cast<int>(out.rules.size()));
    out.rules.push_back(std::move(rp));
  }
  if (rs.tiers) {
    out.policy = rs.tiers->policy;
    out.tiers_label = rs.tiers->label;
    for (const auto& t : rs.tiers->tiers) {
      TierPlan tp;
      tp.number = t.number;
      tp.label = t.label;
      tp.led_by = t.led_by;
      for (size_t d = 0; d < t.descriptors.size(); ++d) {
        DescriptorPlan dp;
        dp.id = "tier" + std::to_string(t.number) + ".d" + std::to_string(d + 1);
        dp.label = t.descriptors[d].label;
        dp.src = &t.descriptors[d];
        if (t.descriptors[d].expr) dp.expr = c.compile(*t.descriptors[d].expr, planc::Ctx::School);
        tp.descriptors.push_back(std::move(dp));
      }
      std::vector<SupportItem> support;
      for (const auto& s : t.support) {
        SupportItem si;
        si.id = s.id.text;
        si.label = s.label;
        si.one_off = s.freq.unit == FreqUnit::Once;
        si.frequency = si.one_off ? "" : s.freq.written;
        si.per_term = per_term(s.freq);
        support.push_back(std::move(si));
      }
      tp.support = std::move(support);
      out.tiers.push_back(std::move(tp));
    }
  }
  for (size_t i = 0; i < rs.kpis.size(); ++i) {
    const Kpi& k = *rs.kpis[i];
    KpiPlan kp;
    kp.kpi = static_cast<int>(i);
    kp.id = k.id.text;
    kp.label = k.label.empty() ? k.id.text : k.label;
    kp.better = k.better;
    kp.src = &k;
    c.kpi_ = static_cast<int>(i);
    size_t first = out.aggregates.size();
    if (k.value) kp.value = c.compile(*k.value, planc::Ctx::Kpi);
    for (size_t a = first; a < out.aggregates.size(); ++a) kp.aggregates.push_back(static_cast<int>(a));
    if (k.met) kp.met = c.compile(*k.met, planc::Ctx::KpiMet);
    out.kpis.push_back(std::move(kp));
  }
  return diags.error_count() == errors;
}

int plan_expression(Plan& plan, const Expr& e, Diagnostics& diags) {
  size_t errors = diags.error_count();
  planc::Compiler c(*plan.rs, *plan.ds, plan, diags);
  int node = c.compile(e, planc::Ctx::School);
  return diags.error_count() == errors ? node : -1;
}

}  // namespace tr

