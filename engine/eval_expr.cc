// Expression evaluation (the Evaluator; see evaluate.h): one plan node at a time,
// for one school, as of a period, in three-valued logic.
//
// Time: a metric evaluated as of a period takes its latest value at or before it
// (Dataset::latest) and records the value's age. Inside a time function the plan
// looks back: previous(), change(), improving() and every_year() evaluate their
// argument with a Shift, and a shifted metric takes the value *exactly* that many
// periods before the one it would use now (its anchor) — never "the latest before",
// which would quietly use the same year twice. A period with no value is unknown,
// with the reason, and three-valued logic decides whether that matters.
#include "evaluate.h"

#include <fmt/core.h>

#include <algorithm>

namespace tr {

Evaluator::Evaluator(const Plan& plan, Period as_of, LuaBridge* lua)
    : plan_(plan), ds_(*plan.ds), as_of_(as_of), lua_(lua) {}

void Evaluator::set_school(int school) {
  school_ = school;
  ++stamp_;
  shift_ = {};
  depth_ = 0;
}

namespace {

int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

std::string missing_text(const Dataset& ds, const Cell& c) {
  switch (c.missing()) {
    case Missing::None: return "";
    case Missing::Code: return c.code() < ds.codes.size() ? ds.codes[c.code()].code : "code";
    case Missing::Blank: return "blank";
    case Missing::ColumnAbsent: return "column absent";
    case Missing::BadValue: return "bad value";
  }
  return "";
}

}  // namespace

// ---- time --------------------------------------------------------------------

// The as-of period in the metric's cadence: the period its value would have if
// the data were up to date.
Period Evaluator::now(const PlanNode& n) const {
  Period p = as_of_;
  if (n.cadence == Cadence::Annual) {
    // Annual results order with the summer term: as of an autumn, last year's are the latest.
    if (p.term == 1 || p.term == 2) --p.year;
    p.term = 0;
  } else if (p.term == 0) {
    p.term = 3;
  }
  return p;
}

// How many periods of the metric's cadence the cell is behind now(n).
int Evaluator::age(const PlanNode& n, const Cell& c) const {
  Period p = now(n);
  if (n.cadence == Cadence::Annual || c.period().term == 0) return p.year - c.period().year;
  return (p.year * 3 + p.term) - (c.period().year * 3 + c.period().term);
}

// The latest cell at or before the as-of period that is still valid (`valid for`).
const Cell* Evaluator::current(const PlanNode& n) const {
  const Cell* c = ds_.latest(n.series, school_, as_of_);
  if (c && n.max_age > 0 && age(n, *c) >= n.max_age) return nullptr;
  return c;
}

// The period a metric reads now: its latest valid value's, or (none) now(n), so
// that a school with stale data steps back from the present, not from its past.
Period Evaluator::anchor(const PlanNode& n) const {
  if (school_ >= 0 && n.series >= 0)
    if (const Cell* c = current(n)) return c->period();
  return now(n);
}

bool Evaluator::shifted(Period anchor, Period& out) const {
  if (anchor.term == 0) {
    if (shift_.terms % 3 != 0) return false;  // an annual measure has no terms to step through
    out.year = static_cast<int16_t>(anchor.year - shift_.periods - shift_.years - shift_.terms / 3);
    out.term = 0;
    return true;
  }
  int idx = anchor.year * 3 + anchor.term - 1 - shift_.periods - shift_.terms - 3 * shift_.years;
  out.year = static_cast<int16_t>(floor_div(idx, 3));
  out.term = static_cast<uint8_t>(idx - 3 * out.year + 1);
  return true;
}

// The academic year `year` means here: the as-of year, moved back by the years and
// terms of the current shift.
Period Evaluator::current_year() const {
  Period p = as_of_;
  int idx = p.year * 3 + (p.term ? p.term : 3) - 1 - shift_.terms - 3 * shift_.years;
  return Period{static_cast<int16_t>(floor_div(idx, 3)), 0};
}

std::string Evaluator::shift_note() const {
  if (shift_.zero()) return "";
  std::string s;
  auto part = [&](int n, const char* unit) {
    if (!n) return;
    if (!s.empty()) s += " and ";
    s += std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  part(shift_.periods, "period");
  part(shift_.years, "year");
  part(shift_.terms, "term");
  return s + " earlier";
}

// ---- leaves ------------------------------------------------------------------

void Evaluator::record(ValueUse u) {
  if (cur_) {
    // Explanations say where each value came from, right where it is used.
    std::string s = u.period;
    if (!u.file.empty()) {
      s += (s.empty() ? "" : ", ") + std::string(u.file) + " row " + std::to_string(u.row);
      if (!u.column.empty()) s += ", column " + std::string(u.column);
    }
    if (u.age > 0) s += (s.empty() ? "" : ", ") + age_text(u.age, u.age_unit) + " old";
    if (u.from == ValueUse::From::Benchmark && u.file.empty() && u.period.empty()) s += "every year";
    cur_->source = s;
  }
  if (!uses) return;
  for (const auto& x : *uses)
    if (x.name == u.name && x.period == u.period && x.file == u.file && x.row == u.row) return;
  uses->push_back(std::move(u));
}

Value Evaluator::from_cell(const PlanNode& n, const Cell& c) const {
  if (!c.known()) return Value::unknown(ds_.describe_missing(c), n.type);
  if (n.type == Type::Grade) return Value::grade(n.scale, static_cast<int>(c.value));
  if (n.type == Type::Bool) return Value::boolean(c.value != 0);
  return Value::number(c.value, n.type);
}

namespace {

ValueUse use_of(const Dataset& ds, const std::string& name, const Cell& c, Period as_of) {
  ValueUse u;
  u.name = name;
  u.period = to_string(c.period());
  if (c.period().term == 0) {
    u.age = as_of.year - c.period().year;
    u.age_unit = "year";
  } else {
    u.age = (as_of.year * 3 + (as_of.term ? as_of.term : 3)) - (c.period().year * 3 + c.period().term);
    u.age_unit = "term";
  }
  const Provenance p = ds.provenance(c);
  if (p.file < ds.files.size()) {
    const DataFile& f = ds.files[p.file];
    u.file = f.path;
    u.row = p.row;
    if (p.col >= 1 && p.col <= f.headers.size()) u.column = f.headers[p.col - 1];
  }
  if (!c.known()) u.text = missing_text(ds, c);
  return u;
}

}  // namespace

Value Evaluator::metric(const PlanNode& n) {
  if (school_ < 0) return Value::unknown(n.name + " is a school measure, not a trust one", n.type);
  if (n.series < 0) return Value::unknown("no data source provides " + n.name, n.type);
  const Cell* c = nullptr;
  Period target;
  if (shift_.zero()) {
    c = ds_.latest(n.series, school_, as_of_);
    if (!c) {
      Value v = Value::unknown("no " + n.name + " value at or before " + to_string(as_of_), n.type);
      if (recording()) record({n.name, v, "none", "", -1, "", "", 0, "", ValueUse::From::Data});
      return v;
    }
    if (n.max_age > 0 && age(n, *c) >= n.max_age) {
      const char* unit = n.cadence == Cadence::Annual ? "year" : "term";
      Value v = Value::unknown(fmt::format("the latest {} value is from {}, {} old; it is valid for {}", n.name,
                                           to_string(c->period()), age_text(age(n, *c), unit), age_text(n.max_age, unit)),
                               n.type);
      if (!recording()) return v;
      ValueUse u = use_of(ds_, n.name, *c, as_of_);
      u.value = v;
      u.text = "stale";
      record(std::move(u));
      return v;
    }
  } else {
    if (!shifted(anchor(n), target))
      return Value::unknown(n.name + " is annual: it cannot step back by terms", n.type);
    c = ds_.at(n.series, school_, target);
    if (!c) {
      Value v = Value::unknown("no " + n.name + " value for " + to_string(target), n.type);
      if (recording()) record({n.name, v, "none", to_string(target), -1, "", "", 0, "", ValueUse::From::Data});
      return v;
    }
  }
  Value v = from_cell(n, *c);
  if (!recording()) return v;  // a summary run: no provenance to build
  ValueUse u = use_of(ds_, n.name, *c, as_of_);
  u.value = v;
  if (v.known()) u.text = describe_value(*plan_.rs, v);
  record(std::move(u));
  return v;
}

Value Evaluator::benchmark(const PlanNode& n) {
  const std::string& bid = plan_.rs->benchmark_ids[n.bench];
  if (n.index >= 0) {
    // Literal per-year values: this year's, else the every-year one.
    int year = current_year().year;
    int pick = -1, every = -1;
    for (auto [y, node] : plan_.literal_benchmarks[n.index]) {
      if (y == year) pick = node;
      if (y == 0) every = node;
    }
    if (pick < 0) pick = every;
    if (pick < 0)
      return Value::unknown(bid + " has no " + n.name + " value for " + to_string(Period{static_cast<int16_t>(year), 0}), n.type);
    Value v = eval(pick, nullptr);
    if (!recording()) return v;
    ValueUse u{n.name, v, describe_value(*plan_.rs, v), pick == every ? "" : to_string(Period{static_cast<int16_t>(year), 0}),
               -1, "", "", 0, "", ValueUse::From::Benchmark};
    record(std::move(u));
    return v;
  }
  static const std::string kNone;
  const std::string& phase = school_ >= 0 ? ds_.schools[school_].phase : kNone;
  const std::string& la = school_ >= 0 ? ds_.schools[school_].la : kNone;
  if (n.series < 0) return Value::unknown("no data source provides " + n.name, n.type);
  const Cell* c = nullptr;
  Period target;
  if (shift_.zero()) {
    // The benchmark for the same period as the school's own value, when there is one.
    // A stale own value (past its `valid for`) does not pin the benchmark to its year.
    if (school_ >= 0)
      if (const Cell* own = current(n)) c = ds_.benchmark(n.bench, n.series, phase, own->period(), la);
    if (!c) c = ds_.benchmark_latest(n.bench, n.series, phase, as_of_, la);
    if (!c) return Value::unknown("no " + n.name + " value at or before " + to_string(as_of_), n.type);
  } else {
    if (!shifted(anchor(n), target)) return Value::unknown(n.name + " is annual: it cannot step back by terms", n.type);
    c = ds_.benchmark(n.bench, n.series, phase, target, la);
    if (!c) return Value::unknown("no " + n.name + " value for " + to_string(target), n.type);
  }
  Value v = from_cell(n, *c);
  if (!recording()) return v;
  ValueUse u = use_of(ds_, n.name, *c, as_of_);
  u.value = v;
  u.from = ValueUse::From::Benchmark;
  if (v.known()) u.text = describe_value(*plan_.rs, v);
  record(std::move(u));
  return v;
}

// ---- nodes -------------------------------------------------------------------

Value Evaluator::eval(int node, TraceNode* t) {
  const PlanNode& n = plan_.nodes[node];
  if (!t) return eval_node(n, nullptr);
  t->node = node;
  TraceNode* saved = cur_;
  cur_ = t;
  Value v = eval_node(n, t);
  cur_ = saved;
  t->value = v;
  return v;
}

Value Evaluator::sub_shifted(int node, TraceNode* t) {
  // The note is only wanted by a trace; built for every shifted lookup of a
  // national run, it was a string a school per time function.
  return sub(node, t, t ? shift_note() : std::string());
}

Value Evaluator::sub(int node, TraceNode* t, std::string note) {
  if (!t) return eval(node, nullptr);
  t->kids.emplace_back();
  t->kids.back().note = std::move(note);
  return eval(node, &t->kids.back());
}

// improving()/declining(): each step strictly better (worse) than the one before,
// over `count` periods; three-valued, so one clear failure decides even if other
// periods are missing.
Value Evaluator::trend(const PlanNode& n, TraceNode* t) {
  Shift base = shift_;
  std::vector<Value> seen;
  for (int i = 0; i < n.count; ++i) {
    shift_ = base + n.step.times(i);
    seen.push_back(sub_shifted(n.kids[0], t));
  }
  shift_ = base;
  bool lower_better = n.better == Direction::Lower;
  bool improving = n.op == NodeOp::Improving;
  // Later is better (improving, higher better) means later > earlier.
  Op op = (improving != lower_better) ? Op::Gt : Op::Lt;
  Value acc = Value::boolean(true);
  for (int i = n.count - 1; i >= 1; --i) acc = logic_and(acc, compare(op, seen[i - 1], seen[i]));
  return acc;
}

Value Evaluator::eval_node(const PlanNode& n, TraceNode* t) {
  auto kid = [&](size_t i) { return sub(n.kids[i], t); };
  switch (n.op) {
    case NodeOp::Const: return n.constant;
    case NodeOp::Param: {
      Value v = kid(0);
      if (recording()) record({n.name, v, describe_value(*plan_.rs, v), "", -1, "", "", 0, "", ValueUse::From::Param});
      return v;
    }
    case NodeOp::Define: {
      if (!n.shared || t || recording() || school_ < 0 || n.index < 0) return kid(0);
      const size_t d = static_cast<size_t>(n.index);
      if (memo_.size() <= d) memo_.resize(d + 1);
      for (const Memo& m : memo_[d])
        if (m.stamp == stamp_ && m.shift == shift_ && m.type == n.type) return m.value;
      Value v = kid(0);
      // Looked up again: evaluating the body may have grown memo_ (a define inside).
      std::vector<Memo>& slots = memo_[d];
      auto stale = std::find_if(slots.begin(), slots.end(), [&](const Memo& m) { return m.stamp != stamp_; });
      if (stale != slots.end()) *stale = {stamp_, n.type, shift_, v};
      else slots.push_back({stamp_, n.type, shift_, v});
      return v;
    }
    case NodeOp::Metric: return metric(n);
    case NodeOp::Benchmark: return benchmark(n);
    case NodeOp::Neg: return negate(kid(0));
    case NodeOp::Not: return logic_not(kid(0));
    case NodeOp::Arith: {
      Value a = kid(0);
      return arith(n.bin, a, kid(1), n.type);
    }
    case NodeOp::Compare: {
      Value a = kid(0);
      return compare(n.bin, a, kid(1));
    }
    // Both sides are always evaluated so that the explanation and the values used
    // show everything the rule looked at, decisive or not.
    case NodeOp::And: {
      Value a = kid(0);
      return logic_and(a, kid(1));
    }
    case NodeOp::Or: {
      Value a = kid(0);
      return logic_or(a, kid(1));
    }
    case NodeOp::Between: {
      Value x = kid(0), lo = kid(1);
      return between(x, lo, kid(2));
    }
    case NodeOp::In: {
      Value x = kid(0);
      std::vector<Value> set;
      for (size_t i = 1; i < n.kids.size(); ++i) set.push_back(kid(i));
      return member_of(x, set);
    }
    case NodeOp::If: {
      // Only the branch taken is evaluated: values from the other branch did not
      // contribute and would only confuse the explanation.
      Value c = kid(0);
      if (c.is_true()) return kid(1);
      if (c.is_false()) return sub(n.kids[2], t);
      Value a = kid(1);
      return choose(c, a, kid(2));
    }
    case NodeOp::Abs: return abs_of(kid(0));
    case NodeOp::Min:
    case NodeOp::Max: {
      Value acc = kid(0);
      for (size_t i = 1; i < n.kids.size(); ++i)
        acc = n.op == NodeOp::Min ? min_of(acc, kid(i)) : max_of(acc, kid(i));
      return acc;
    }
    case NodeOp::CountOf: {
      std::vector<Value> xs;
      for (size_t i = 0; i < n.kids.size(); ++i) xs.push_back(kid(i));
      return count_true(xs);
    }
    case NodeOp::Known: return known_of(kid(0));
    case NodeOp::Previous: {
      Shift base = shift_;
      shift_ = base + n.step;
      Value v = sub_shifted(n.kids[0], t);
      shift_ = base;
      return v;
    }
    case NodeOp::Change: {
      Value now = kid(0);
      Shift base = shift_;
      shift_ = base + n.step;
      Value before = sub_shifted(n.kids[0], t);
      shift_ = base;
      return arith(Op::Sub, now, before, n.type);
    }
    case NodeOp::Improving:
    case NodeOp::Declining: return trend(n, t);
    case NodeOp::EveryYear: {
      Shift base = shift_;
      Value acc = Value::boolean(true);
      for (int i = 0; i < n.count; ++i) {
        shift_ = base + Shift{0, i, 0};
        acc = logic_and(acc, sub(n.kids[0], t, t ? "in " + to_string(current_year()) : std::string()));
      }
      shift_ = base;
      return acc;
    }
    case NodeOp::Year: {
      Period y = current_year();
      return Value::year(y.year);
    }
    case NodeOp::Phase:
      if (school_ < 0) return Value::unknown("phase is a school attribute", Type::Text);
      if (ds_.schools[school_].phase.empty()) return Value::unknown("the school's phase is not recorded", Type::Text);
      return Value::string(ds_.schools[school_].phase);
    case NodeOp::SchoolType:
      if (school_ < 0) return Value::unknown("school_type is a school attribute", Type::Text);
      if (ds_.schools[school_].type.empty()) return Value::unknown("the school's type is not recorded", Type::Text);
      return Value::string(ds_.schools[school_].type);
    case NodeOp::RuleRef: {
      if (n.index < 0 || n.index >= static_cast<int>(plan_.rules.size()))
        return Value::unknown("no such rule: " + n.name, Type::Bool);
      Reasons why;
      Status s = rule(n.index, why);
      if (s == Status::Met || s == Status::NotMet) return Value::boolean(s == Status::Met);
      Value v = Value::unknown(why, Type::Bool);
      if (s == Status::NotApplicable) {
        v.not_applicable = true;
        v.reasons.insert(v.reasons.begin(), n.name + " does not apply");
      }
      return v;
    }
    case NodeOp::FloorsMet: {
      // Every applicable floor met; a failed floor decides even when others are unknown.
      Value acc = Value::boolean(true);
      for (int f : plan_.floors) {
        Reasons why;
        Status s = rule(f, why);
        if (s == Status::NotApplicable) continue;
        Value v = s == Status::Met ? Value::boolean(true) : s == Status::NotMet ? Value::boolean(false)
                                                                                : Value::unknown(why, Type::Bool);
        acc = logic_and(acc, v);
      }
      return acc;
    }
    case NodeOp::Lua: {
      std::vector<Value> args;
      for (size_t i = 0; i < n.kids.size(); ++i) args.push_back(kid(i));
      if (!lua_) return Value::unknown("Lua function '" + n.name + "' is not available", n.type);
      return lua_->call(n.name, args, lua_rule, school_);
    }
    case NodeOp::KpiValue:
      return kpi_value ? *kpi_value : Value::unknown("value is only known in a kpi");
    case NodeOp::KpiPrevious:
      return kpi_previous ? *kpi_previous : Value::unknown("previous(value) is only known in a kpi");
    case NodeOp::LuaAcross: {
      std::vector<std::vector<Value>> lists;
      for (int k : n.kids) {
        int slot = plan_.nodes[k].index;
        if (!columns || slot < 0 || slot >= static_cast<int>(columns->size()))
          return Value::unknown(n.name + "() works across schools, in a kpi", n.type);
        lists.push_back((*columns)[slot]);
      }
      if (!lua_) return Value::unknown("Lua function '" + n.name + "' is not available", n.type);
      return lua_->across(n.name, lists, lua_rule);
    }
    case NodeOp::Aggregate:
      if (aggregates && n.index >= 0 && n.index < static_cast<int>(aggregates->size())) return (*aggregates)[n.index];
      return Value::unknown(n.name + "() is a trust-level aggregate", n.type);
  }
  return Value::unknown("cannot evaluate this expression");
}

Status Evaluator::rule(int r, Reasons& reasons, ResultTrace* trace) {
  const RulePlan& rp = plan_.rules[r];
  if (++depth_ > 32) {
    --depth_;
    add_reason(reasons, "rules refer to each other in a cycle");
    return Status::Unknown;
  }
  struct Leave {
    int& d;
    std::string& rule;
    std::string saved;
    ~Leave() {
      --d;
      rule = std::move(saved);
    }
  } leave{depth_, lua_rule, lua_rule};
  lua_rule = rp.id;
  if (rp.applies >= 0) {
    if (trace) trace->has_applies = true;
    Value a = eval(rp.applies, trace ? &trace->applies : nullptr);
    if (a.is_false()) {
      add_reason(reasons, "it applies only when " + rp.scope);
      return Status::NotApplicable;
    }
    if (!a.is_true()) {
      add_reasons(reasons, a.reasons);
      if (reasons.empty()) add_reason(reasons, "whether it applies is unknown");
      return Status::Unknown;
    }
  }
  Value m;
  if (!rp.lua.empty()) {
    m = lua_ && school_ >= 0 ? lua_->rule(rp.lua, school_, as_of_, rp.id)
                             : Value::unknown("Lua function '" + rp.lua + "' is not available", Type::Bool);
  } else if (rp.met >= 0) {
    if (trace) trace->has_met = true;
    m = eval(rp.met, trace ? &trace->met : nullptr);
  } else {
    m = Value::unknown("the rule has no `met when`", Type::Bool);
  }
  if (m.kind == Value::Kind::Bool) {
    if (!rp.lua.empty()) add_reasons(reasons, m.reasons);  // the Lua rule's own sentence, for explain
    return m.num != 0 ? Status::Met : Status::NotMet;
  }
  if (m.not_applicable) {  // a Lua rule may decide that it does not apply
    add_reasons(reasons, m.reasons);
    return Status::NotApplicable;
  }
  if (m.known()) add_reason(reasons, "the rule's expression is not yes/no: " + format_plain(m));
  add_reasons(reasons, m.reasons);
  if (reasons.empty()) add_reason(reasons, "unknown");
  return Status::Unknown;
}

}  // namespace tr
