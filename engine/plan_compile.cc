// The planner's expression compiler (see plan_internal.h): one checked
// expression -> plan nodes, names resolved, defines inlined.
//
// Names are resolved from the checker's fields (ref, ref_index, group, bound) when
// it filled them, and by name otherwise: a define body is checked once with its
// parameters unresolved, so after the arguments are substituted some nodes (the
// `m.disadvantaged` of `gap(m)`) are resolved here, structurally, from the metric
// the argument names.
#include "plan_internal.h"

#include "format.h"
#include "tiers.h"

#include <algorithm>

namespace tr::planc {

namespace {

Type literal_type(const Expr& e) {
  switch (e.unit) {
    case Unit::Percent: return Type::Percent;
    case Unit::Points: return Type::Points;
    case Unit::Years:
    case Unit::Terms:
    case Unit::Weeks: return Type::Duration;
    case Unit::None: break;
  }
  return Type::Number;
}

}  // namespace


bool Compiler::metric_ref(const Expr& e, int& metric, int& group, int& bound) {
  if (e.kind == ExprKind::Member && e.args.size() == 1 && e.args[0] &&
      metric_ref(*e.args[0], metric, group, bound)) {
    // Resolved from the base, never from the node's own fields: in an inlined define
    // body those were filled for whichever call the checker typed last.
    if (e.text == "lower" || e.text == "upper") {
      bound = e.text == "lower" ? 1 : 2;
      return true;
    }
    if (e.text == "all") {
      group = 0;
      return true;
    }
    const auto& groups = rs_.metrics[metric]->groups;
    for (size_t i = 0; i < groups.size(); ++i)
      if (groups[i].text == e.text) {
        group = static_cast<int>(i) + 1;
        return true;
      }
    return false;
  }
  if (e.ref == RefKind::Metric && e.ref_index >= 0 && e.ref_index < static_cast<int>(rs_.metrics.size())) {
    metric = e.ref_index;
    group = e.group;
    bound = e.bound;
    return true;
  }
  if (e.kind == ExprKind::Ident && (e.ref == RefKind::None || e.ref == RefKind::Metric)) {
    metric = rs_.find(rs_.metric_index, e.text);
    group = bound = 0;
    return metric >= 0;
  }
  return false;
}

int Compiler::metric_node(const Expr& e, NodeOp op, int bench) {
  int metric = -1, group = 0, bound = 0;
  if (!metric_ref(e, metric, group, bound)) return fail(e, "cannot resolve the measure '" + e.text + "'");
  const Metric& m = *rs_.metrics[metric];
  PlanNode n = leaf(op, e);
  n.metric = metric;
  n.series = ds_.series.count > 0 ? ds_.series.of(rs_, metric, group, bound) : -1;
  n.bench = bench;
  n.cadence = m.cadence;
  n.better = m.better;
  // A benchmark node keeps its metric's validity too: national(x) and the time
  // functions over it step back from the school's *valid* value, so a school
  // whose own x is stale is compared from the present, as x itself is.
  n.max_age = m.valid_for * (m.cadence == Cadence::Termly && !m.valid_for_terms ? 3 : 1);
  n.type = value_type(m.type);
  if (m.type == MetricType::Grade) n.scale = rs_.find(rs_.scale_index, m.scale.text);
  n.name = SeriesIndex::name(rs_, metric, group, bound);
  if (op == NodeOp::Benchmark) {
    const std::string& bid = rs_.benchmark_ids[bench];
    n.name = bid + "(" + n.name + ")";
    // Literal values declared for this metric and group take the place of data rows.
    const Benchmark* b = bench < static_cast<int>(rs_.benchmarks.size()) ? rs_.benchmarks[bench] : nullptr;
    std::string gname = group > 0 ? m.groups[group - 1].text : "";
    if (b && bound == 0)
      for (const auto& bv : b->values) {
        if (bv.metric.text != m.id.text || bv.group.text != gname) continue;
        std::vector<std::pair<int, int>> table;
        for (const auto& py : bv.values)
          if (py.value) table.emplace_back(py.year, compile(*py.value, Ctx::School));
        n.index = static_cast<int>(p_.literal_benchmarks.size());
        p_.literal_benchmarks.push_back(std::move(table));
        break;
      }
  }
  return add(std::move(n));
}

int Compiler::param(int index, const Expr& at) {
  if (index < 0 || index >= static_cast<int>(rs_.params.size()) || !rs_.params[index]->value)
    return fail(at, "cannot resolve the param '" + at.text + "'");
  if (param_nodes_[index] < 0) {
    PlanNode n;
    n.op = NodeOp::Param;
    n.src = &at;
    n.name = rs_.params[index]->id.text;
    n.index = index;
    int body = compile(*rs_.params[index]->value, Ctx::School);
    n.kids = {body};
    n.type = p_.nodes[body].type;
    param_nodes_[index] = add(std::move(n));
  }
  return param_nodes_[index];
}

bool Compiler::duration(const Expr& e, Shift& unit, int& n) {
  const Expr* x = &e;
  if (x->kind == ExprKind::Ident) {
    int pi = x->ref == RefKind::Param ? x->ref_index : rs_.find(rs_.param_index, x->text);
    if (pi < 0 || !rs_.params[pi]->value) return false;
    x = rs_.params[pi]->value.get();
  }
  if (x->kind != ExprKind::Number || x->number < 1 || x->number != static_cast<int>(x->number)) return false;
  n = static_cast<int>(x->number);
  unit = {};
  if (x->unit == Unit::Years) unit.years = 1;
  else if (x->unit == Unit::Terms) unit.terms = 1;
  else if (x->unit == Unit::None) unit.periods = 1;
  else return false;
  return true;
}

Direction Compiler::direction_of(int node) const {
  const PlanNode& n = p_.nodes[node];
  switch (n.op) {
    case NodeOp::Metric:
    case NodeOp::Benchmark: return n.better;
    case NodeOp::Neg: {
      Direction d = direction_of(n.kids[0]);
      return d == Direction::Higher ? Direction::Lower : d == Direction::Lower ? Direction::Higher : d;
    }
    case NodeOp::Define:
    case NodeOp::Param:
    case NodeOp::Arith:
    case NodeOp::Abs:
    case NodeOp::Min:
    case NodeOp::Max:
    case NodeOp::Previous:
    case NodeOp::Change:
      for (int k : n.kids)
        if (Direction d = direction_of(k); d != Direction::None) return d;
      return Direction::None;
    default: return Direction::None;
  }
}

bool Compiler::depends_on_school_and_period_only(int node) const {
  const PlanNode& n = p_.nodes[node];
  switch (n.op) {
    case NodeOp::Lua:
    case NodeOp::LuaAcross:
    case NodeOp::RuleRef:
    case NodeOp::FloorsMet:
    case NodeOp::KpiValue:
    case NodeOp::KpiPrevious:
    case NodeOp::Aggregate: return false;
    default: break;
  }
  for (int k : n.kids)
    if (!depends_on_school_and_period_only(k)) return false;
  return true;
}

int Compiler::inline_define(const Expr& call, int def, Ctx ctx) {
  if (def < 0 || def >= static_cast<int>(rs_.defines.size()) || !rs_.defines[def]->body)
    return fail(call, "cannot resolve the define '" + call.text + "'");
  if (depth_ > 64) return fail(call, "defines nest too deeply (a cycle?)");
  const Define& d = *rs_.defines[def];
  if (call.args.size() != d.params.size())
    return fail(call, "'" + d.id.text + "' takes " + std::to_string(d.params.size()) + " arguments");
  // Substitute: every use of a parameter becomes a copy of the argument's tree.
  ExprPtr body = clone_expr(*d.body);
  auto param_of = [&](const Expr& x) -> int {
    if (x.kind != ExprKind::Ident) return -1;
    if (x.ref == RefKind::DefineParam && x.ref_index >= 0 && x.ref_index < static_cast<int>(d.params.size()) &&
        d.params[x.ref_index].text == x.text)
      return x.ref_index;
    if (x.ref != RefKind::None && x.ref != RefKind::DefineParam) return -1;
    for (size_t i = 0; i < d.params.size(); ++i)
      if (d.params[i].text == x.text) return static_cast<int>(i);
    return -1;
  };
  auto subst = [&](auto& self, ExprPtr& slot) -> void {
    if (!slot) return;
    if (int i = param_of(*slot); i >= 0) {
      slot = clone_expr(*call.args[i]);
      return;
    }
    for (auto& a : slot->args) self(self, a);
  };
  subst(subst, body);
  // Re-type the instance. Its diagnostics are not reported: the checker judged the
  // call already, and the structural resolution above does not depend on them.
  Diagnostics scratch;
  check_expression(rs_, *body, ctx == Ctx::School ? ExprContext::School
                               : ctx == Ctx::Kpi  ? ExprContext::Kpi
                                                  : ExprContext::KpiMet, scratch);
  const Expr* raw = body.get();
  p_.owned.push_back(std::move(body));
  ++depth_;
  int k = compile(*raw, ctx);
  --depth_;
  PlanNode n = leaf(NodeOp::Define, call);
  n.kids = {k};
  n.index = def;
  n.name = d.id.text;
  n.type = p_.nodes[k].type;
  n.better = direction_of(k);
  n.shared = d.params.empty() && depends_on_school_and_period_only(k);
  return add(std::move(n));
}

int Compiler::ident(const Expr& e, Ctx ctx) {
  switch (e.ref) {
    case RefKind::Metric: return metric_node(e, NodeOp::Metric, -1);
    case RefKind::Param: return param(e.ref_index, e);
    case RefKind::Define: return inline_define(e, e.ref_index, ctx);
    case RefKind::Rule: {
      PlanNode n = leaf(NodeOp::RuleRef, e);
      n.index = e.ref_index;
      n.name = e.text;
      n.type = Type::Bool;
      return add(std::move(n));
    }
    case RefKind::KpiValue: {
      PlanNode n = leaf(NodeOp::KpiValue, e);
      n.name = "value";
      return add(std::move(n));
    }
    case RefKind::Grade: {
      int scale = rs_.find(rs_.scale_index, e.scale);
      PlanNode n = leaf(NodeOp::Const, e);
      n.constant = Value::grade(scale, grade_rank(scale, e.text));
      if (scale < 0 || n.constant.num < 0) return fail(e, "cannot resolve the grade '" + e.text + "'");
      return add(std::move(n));
    }
    default: break;
  }
  // Unresolved by the checker (or a builtin): resolve by name.
  const std::string& t = e.text;
  PlanNode n = leaf(NodeOp::Const, e);
  if (t == "year") n.op = NodeOp::Year, n.type = Type::Year;
  else if (t == "phase") n.op = NodeOp::Phase, n.type = Type::Text;
  else if (t == "school_type") n.op = NodeOp::SchoolType, n.type = Type::Text;
  else if (t == "floors_met") n.op = NodeOp::FloorsMet, n.type = Type::Bool, n.name = t;
  else if (t == "value" && ctx == Ctx::KpiMet) n.op = NodeOp::KpiValue, n.name = t;
  else if (t == "yes" || t == "true") n.constant = Value::boolean(true);
  else if (t == "no" || t == "false") n.constant = Value::boolean(false);
  else if (rs_.find(rs_.metric_index, t) >= 0) return metric_node(e, NodeOp::Metric, -1);
  else if (int pi = rs_.find(rs_.param_index, t); pi >= 0) return param(pi, e);
  else if (int di = rs_.find(rs_.define_index, t); di >= 0) return inline_define(e, di, ctx);
  else if (int ri = rs_.find(rs_.rule_index, t); ri >= 0) n.op = NodeOp::RuleRef, n.index = ri, n.name = t, n.type = Type::Bool;
  else {
    int scale = e.scale.empty() ? -1 : rs_.find(rs_.scale_index, e.scale);
    for (int s = 0; s < static_cast<int>(rs_.scales.size()) && scale < 0; ++s)
      if (grade_rank(s, t) >= 0) scale = s;
    if (scale < 0 || grade_rank(scale, t) < 0) return fail(e, "cannot resolve '" + t + "'");
    n.constant = Value::grade(scale, grade_rank(scale, t));
  }
  return add(std::move(n));
}

// A Lua function in a kpi, outside an aggregate: each argument becomes a slot of
// per-school values, and the function gets the lists (kpi.cc, LuaBridge::across).
int Compiler::lua_across(const Expr& e) {
  PlanNode n = leaf(NodeOp::LuaAcross, e);
  n.name = e.text;
  n.type = Type::Number;
  if (std::find(p_.lua_functions.begin(), p_.lua_functions.end(), e.text) == p_.lua_functions.end())
    p_.lua_functions.push_back(e.text);
  for (const auto& a : e.args) {
    if (!a) continue;
    PlanNode slot = leaf(NodeOp::Aggregate, *a);
    slot.agg = AggKind::Lua;
    slot.name = e.text;
    slot.kids = {compile(*a, Ctx::School)};
    slot.type = p_.nodes[slot.kids[0]].type;
    slot.index = static_cast<int>(p_.aggregates.size());
    int id = add(std::move(slot));
    p_.aggregates.push_back({AggKind::Lua, p_.nodes[id].kids[0], id, kpi_});
    n.kids.push_back(id);
  }
  return add(std::move(n));
}

int Compiler::builtin_call(const Expr& e, Ctx ctx) {
  const std::string& f = e.text;
  size_t argc = e.args.size();
  auto need = [&](size_t n) { return argc == n && std::all_of(e.args.begin(), e.args.end(), [](auto& a) { return a != nullptr; }); };
  static const std::pair<const char*, AggKind> kAggs[] = {
      {"count", AggKind::Count}, {"share", AggKind::Share}, {"mean", AggKind::Mean},
      {"min", AggKind::Min}, {"max", AggKind::Max}, {"spread", AggKind::Spread},
      {"variability", AggKind::Variability}};
  if (ctx == Ctx::Kpi && need(1))
    for (auto [name, kind] : kAggs)
      if (f == name) {
        PlanNode n = leaf(NodeOp::Aggregate, e);
        n.agg = kind;
        n.name = f;
        n.kids = {compile(*e.args[0], Ctx::School)};
        const Type arg = p_.nodes[n.kids[0]].type;
        n.type = kind == AggKind::Count ? Type::Count
                 : kind == AggKind::Share || kind == AggKind::Variability ? Type::Percent
                 : kind == AggKind::Spread && (arg == Type::Percent || arg == Type::Score) ? Type::Points
                 : arg;
        n.index = static_cast<int>(p_.aggregates.size());
        int id = add(std::move(n));
        p_.aggregates.push_back({kind, p_.nodes[id].kids[0], id, kpi_});
        return id;
      }
  PlanNode n = leaf(NodeOp::Const, e);
  n.name = f;
  if (f == "previous" && need(1)) {
    const Expr& a = *e.args[0];
    if (ctx == Ctx::KpiMet && (a.ref == RefKind::KpiValue || (a.kind == ExprKind::Ident && a.text == "value"))) {
      n.op = NodeOp::KpiPrevious;
      return add(std::move(n));
    }
    n.op = NodeOp::Previous;
    n.step.periods = 1;
  } else if (f == "change" && need(2)) {
    n.op = NodeOp::Change;
    int count = 0;
    if (!duration(*e.args[1], n.step, count)) return fail(*e.args[1], "change() needs a whole number of years or terms");
    n.step = n.step.times(count);
  } else if ((f == "improving" || f == "declining") && need(2)) {
    n.op = f == "improving" ? NodeOp::Improving : NodeOp::Declining;
    if (!duration(*e.args[1], n.step, n.count) || n.count < 2)
      return fail(*e.args[1], f + "() needs 2 or more periods, years or terms");
    n.type = Type::Bool;
  } else if (f == "every_year" && need(2)) {
    n.op = NodeOp::EveryYear;
    Shift unit;
    if (!duration(*e.args[1], unit, n.count) || unit.terms) return fail(*e.args[1], "every_year() needs a number of years");
    n.step.years = 1;
    n.type = Type::Bool;
  } else if (f == "known" && need(1)) {
    n.op = NodeOp::Known, n.type = Type::Bool;
  } else if (f == "count_of" && argc >= 1) {
    n.op = NodeOp::CountOf, n.type = Type::Count;
  } else if (f == "abs" && need(1)) {
    n.op = NodeOp::Abs;
  } else if ((f == "min" || f == "max") && argc >= 2) {
    n.op = f == "min" ? NodeOp::Min : NodeOp::Max;
  } else {
    return fail(e, "unknown function '" + f + "' with " + std::to_string(argc) + " arguments");
  }
  // Time functions compare a value with itself in earlier periods: only the first
  // argument is an expression to evaluate; the second was read above.
  size_t take = (n.op == NodeOp::Change || n.op == NodeOp::Improving || n.op == NodeOp::Declining ||
                 n.op == NodeOp::EveryYear) ? 1 : argc;
  for (size_t i = 0; i < take; ++i)
    if (e.args[i]) n.kids.push_back(compile(*e.args[i], ctx));
  if (n.type == Type::Error && !n.kids.empty()) n.type = p_.nodes[n.kids[0]].type;
  if (n.op == NodeOp::Change && (n.type == Type::Percent || n.type == Type::Score)) n.type = Type::Points;
  if (n.op == NodeOp::Improving || n.op == NodeOp::Declining || n.op == NodeOp::Previous ||
      n.op == NodeOp::Change)
    n.better = direction_of(n.kids[0]);
  return add(std::move(n));
}

int Compiler::call(const Expr& e, Ctx ctx) {
  switch (e.ref) {
    case RefKind::Define: return inline_define(e, e.ref_index, ctx);
    case RefKind::Benchmark:
      if (e.args.size() != 1 || !e.args[0]) return fail(e, "a benchmark takes one measure");
      return metric_node(*e.args[0], NodeOp::Benchmark, e.ref_index);
    case RefKind::Lua: {
      if (ctx == Ctx::Kpi || ctx == Ctx::KpiMet) return lua_across(e);
      PlanNode n = leaf(NodeOp::Lua, e);
      n.name = e.text;
      auto it = std::find(p_.lua_functions.begin(), p_.lua_functions.end(), e.text);
      n.index = static_cast<int>(it - p_.lua_functions.begin());
      if (it == p_.lua_functions.end()) p_.lua_functions.push_back(e.text);
      for (const auto& a : e.args)
        if (a) n.kids.push_back(compile(*a, ctx));
      return add(std::move(n));
    }
    default: break;
  }
  if (int di = rs_.find(rs_.define_index, e.text); di >= 0 && e.ref == RefKind::None)
    return inline_define(e, di, ctx);
  if (int bi = rs_.find(rs_.benchmark_index, e.text); bi >= 0 && e.ref == RefKind::None && e.args.size() == 1)
    return metric_node(*e.args[0], NodeOp::Benchmark, bi);
  if (e.ref == RefKind::None && e.args.size() == 1 && (e.text == "national" || e.text == "local_authority"))
    return metric_node(*e.args[0], NodeOp::Benchmark, e.text == "national" ? 0 : 1);
  return builtin_call(e, ctx);
}

int Compiler::compile(const Expr& e, Ctx ctx) {
  auto arg = [&](size_t i) -> const Expr& { return *e.args[i]; };
  for (const auto& a : e.args)
    if (!a) return fail(e, "incomplete expression");
  switch (e.kind) {
    case ExprKind::Number: {
      PlanNode n = leaf(NodeOp::Const, e);
      n.constant = Value::number(e.number, literal_type(e));
      n.type = n.constant.type;
      return add(std::move(n));
    }
    case ExprKind::String: {
      PlanNode n = leaf(NodeOp::Const, e);
      n.constant = Value::string(e.text);
      return add(std::move(n));
    }
    case ExprKind::Year: {
      PlanNode n = leaf(NodeOp::Const, e);
      n.constant = Value::year(static_cast<int>(e.number), e.term);
      return add(std::move(n));
    }
    case ExprKind::Ident: return ident(e, ctx);
    case ExprKind::Member:
      if (e.args.size() != 1) return fail(e, "incomplete expression");
      return metric_node(e, NodeOp::Metric, -1);
    case ExprKind::Call: return call(e, ctx);
    case ExprKind::Unary:
      if (e.args.size() != 1) return fail(e, "incomplete expression");
      return unary(e.op == Op::Not ? NodeOp::Not : NodeOp::Neg, e, arg(0), ctx);
    case ExprKind::Binary: {
      if (e.args.size() != 2) return fail(e, "incomplete expression");
      PlanNode n = leaf(NodeOp::Arith, e);
      n.bin = e.op;
      switch (e.op) {
        case Op::And: n.op = NodeOp::And; break;
        case Op::Or: n.op = NodeOp::Or; break;
        case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: break;
        default: n.op = NodeOp::Compare; break;
      }
      n.kids = {compile(arg(0), ctx), compile(arg(1), ctx)};
      if (n.type == Type::Error)
        n.type = n.op == NodeOp::Arith ? arith_type(e.op, p_.nodes[n.kids[0]].type, p_.nodes[n.kids[1]].type)
                                       : Type::Bool;
      return add(std::move(n));
    }
    case ExprKind::Between:
    case ExprKind::In:
    case ExprKind::If: {
      if ((e.kind != ExprKind::In && e.args.size() != 3) || e.args.empty()) return fail(e, "incomplete expression");
      PlanNode n = leaf(e.kind == ExprKind::Between ? NodeOp::Between : e.kind == ExprKind::In ? NodeOp::In : NodeOp::If, e);
      for (const auto& a : e.args) n.kids.push_back(compile(*a, ctx));
      if (n.type == Type::Error) n.type = e.kind == ExprKind::If ? p_.nodes[n.kids[1]].type : Type::Bool;
      return add(std::move(n));
    }
  }
  return fail(e, "unsupported expression");
}

}  // namespace tr::planc
