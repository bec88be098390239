// The planner's expression compiler, shared by plan.cc (declarations: rules,
// tiers, kpis) and plan_compile.cc (expressions). Not part of the public API.
#pragma once

#include "plan.h"

namespace tr::planc {

// Where an expression stands: a school's rule, a kpi's `value` (aggregates
// allowed) or a kpi's `met when` (value and previous(value) allowed).
enum class Ctx : uint8_t { School, Kpi, KpiMet };

class Compiler {
 public:
  Compiler(const Ruleset& rs, const Dataset& ds, Plan& p, Diagnostics& d)
      : rs_(rs), ds_(ds), p_(p), d_(d), param_nodes_(rs.params.size(), -1) {}

  int compile(const Expr& e, Ctx ctx);
  int kpi_ = -1;  // the kpi being compiled (aggregates record it)

 private:
  int add(PlanNode n) {
    p_.nodes.push_back(std::move(n));
    return static_cast<int>(p_.nodes.size()) - 1;
  }
  int fail(const Expr& e, std::string msg) {
    d_.error(e.span, std::move(msg));
    PlanNode n;
    n.constant = Value::unknown("not evaluated: the rule could not be planned");
    n.src = &e;
    return add(std::move(n));
  }
  PlanNode leaf(NodeOp op, const Expr& e) {
    PlanNode n;
    n.op = op;
    n.src = &e;
    n.type = e.type;
    return n;
  }
  int unary(NodeOp op, const Expr& e, const Expr& arg, Ctx ctx) {
    PlanNode n = leaf(op, e);
    n.kids = {compile(arg, ctx)};
    return add(std::move(n));
  }

  bool metric_ref(const Expr& e, int& metric, int& group, int& bound);
  int metric_node(const Expr& e, NodeOp op, int bench);
  int ident(const Expr& e, Ctx ctx);
  int call(const Expr& e, Ctx ctx);
  int builtin_call(const Expr& e, Ctx ctx);
  int lua_across(const Expr& e);
  int benchmark(const Expr& e, int bench);
  int param(int index, const Expr& at);
  int inline_define(const Expr& call, int def, Ctx ctx);
  bool duration(const Expr& e, Shift& unit, int& n);
  Direction direction_of(int node) const;
  bool depends_on_school_and_period_only(int node) const;
  int grade_rank(int scale, const std::string& grade) const {
    if (scale < 0 || scale >= static_cast<int>(rs_.scales.size())) return -1;
    const auto& g = rs_.scales[scale]->grades;
    for (size_t i = 0; i < g.size(); ++i)
      if (g[i].id.text == grade) return static_cast<int>(i);
    return -1;
  }

  const Ruleset& rs_;
  const Dataset& ds_;
  Plan& p_;
  Diagnostics& d_;
  std::vector<int> param_nodes_;
  int depth_ = 0;
};

}  // namespace tr::planc
