// LuaBridge over LuaSandbox (see eval_lua.h).
#include "eval_lua.h"

#include "checker.h"
#include "lua_sandbox.h"

#include <algorithm>
#include <fstream>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace tr {
namespace {

LuaNumTag tag_of(Type t) {
  switch (t) {
    case Type::Percent: return LuaNumTag::Percent;
    case Type::Score: return LuaNumTag::Score;
    case Type::Count: return LuaNumTag::Count;
    case Type::Rate: return LuaNumTag::Rate;
    case Type::Points: return LuaNumTag::Points;
    default: return LuaNumTag::Number;
  }
}

Type type_of(LuaNumTag t) {
  switch (t) {
    case LuaNumTag::Percent: return Type::Percent;
    case LuaNumTag::Score: return Type::Score;
    case LuaNumTag::Count: return Type::Count;
    case LuaNumTag::Rate: return Type::Rate;
    case LuaNumTag::Points: return Type::Points;
    case LuaNumTag::Number: return Type::Number;
  }
  return Type::Number;
}

std::string joined(const Reasons& r) {
  std::string s;
  for (const auto& x : r) s += (s.empty() ? "" : "; ") + x;
  return s.empty() ? "unknown" : s;
}

// The benchmarks part of a school view by (phase, LA, period), shared by every
// worker's bridge: one copy a run, not one a worker (each copy was ~10 MB of a
// national run). Entries are built under the lock and never change after, and
// map nodes do not move, so a reference stays valid without it.
struct BenchViews {
  std::mutex mu;
  std::unordered_map<std::string, std::vector<LuaBenchmark>> views;
};

class SandboxBridge : public LuaBridge {
 public:
  SandboxBridge(const Plan& plan, std::shared_ptr<BenchViews> bench)
      : bench_views_(std::move(bench)), rs_(*plan.rs), ds_(*plan.ds) {
    for (const Scale* sc : rs_.scales) {
      std::vector<std::string> grades;
      for (const auto& g : sc->grades) grades.push_back(g.id.text);
      sandbox_.add_scale(sc->id.text, grades);
    }
    for (const auto& path : rs_.lua_scripts) {
      LuaError err;
      if (!sandbox_.load_file(path, &err)) load_errors_ += (load_errors_.empty() ? "" : "; ") + err.to_string();
    }
    // The school view's keys, named once rather than for every school.
    for (size_t m = 0; m < rs_.metrics.size(); ++m) {
      const Metric& met = *rs_.metrics[m];
      for (int g = 0; g <= static_cast<int>(met.groups.size()); ++g)
        for (int b = 0; b <= (met.confidence ? 2 : 0); ++b) {
          int series = ds_.series.of(rs_, static_cast<int>(m), g, b);
          if (series < 0) continue;
          std::string key = SeriesIndex::name(rs_, static_cast<int>(m), g, b);
          if (lua_school_reserved(key)) continue;
          keys_.push_back({std::move(key), series, static_cast<int>(m)});
        }
    }
    // Sorted, so the lazy view finds a key by binary search.
    std::sort(keys_.begin(), keys_.end(), [](const ViewKey& a, const ViewKey& b) { return a.key < b.key; });
  }

  Value call(const std::string& function, const std::vector<Value>& args, const std::string& rule,
             int school) override {
    std::vector<LuaValue> in;
    for (const auto& a : args) in.push_back(to_lua(a));
    LuaCallResult r = sandbox_.call(function, in);
    if (!r.ok()) return failed(r.error, rule, school);
    return from_lua(r.value);
  }

  Value rule(const std::string& function, int school, Period as_of, const std::string& rule) override {
    // The view is filled as the script reads it: a rule that looks at four
    // metrics builds four, not every metric's history and benchmarks.
    const School& s = ds_.schools[school];
    ViewSource source(*this, school, as_of);
    LuaSchool v;
    v.urn = s.urn;
    v.name = s.name;
    v.phase = s.phase;
    v.type = s.type;
    v.as_of = to_string(as_of);
    v.source = &source;
    LuaRuleResult r = sandbox_.call_rule(function, v);
    if (!r.ok()) return failed(r.error, rule, school);
    std::string why = r.reason.empty() ? "the Lua function " + function + " says so" : r.reason;
    switch (r.status.value_or(Status::Unknown)) {
      case Status::Met:
      case Status::NotMet: {
        Value v = Value::boolean(r.status == Status::Met);
        v.reasons.push_back(why);
        return v;
      }
      case Status::NotApplicable: {
        Value v = Value::unknown(why, Type::Bool);
        v.not_applicable = true;
        return v;
      }
      case Status::Unknown: break;
    }
    return Value::unknown(why, Type::Bool);
  }

  Value across(const std::string& function, const std::vector<std::vector<Value>>& lists,
               const std::string& rule) override {
    std::vector<LuaValue> in;
    for (const auto& list : lists) {
      LuaValue l = LuaValue::list({});
      for (const auto& v : list) l.items.push_back(to_lua(v));
      in.push_back(std::move(l));
    }
    LuaCallResult r = sandbox_.call(function, in);
    if (!r.ok()) return failed(r.error, rule, -1);
    return from_lua(r.value);
  }

  std::vector<std::string> errors() const override { return errors_; }

 private:
  Value failed(LuaError e, const std::string& rule, int school) const {
    e.rule_id = rule;
    if (school >= 0 && school < static_cast<int>(ds_.schools.size())) e.urn = ds_.schools[school].urn;
    std::string s = e.to_string();
    if (!load_errors_.empty()) s += " (loading: " + load_errors_ + ")";
    if (errors_.size() < kMaxErrors) errors_.push_back(s);
    return Value::unknown(s);
  }

  LuaValue to_lua(const Value& v) const {
    switch (v.kind) {
      case Value::Kind::Number: return LuaValue::num(v.num, tag_of(v.type));
      case Value::Kind::Bool: return LuaValue::yesno(v.num != 0);
      case Value::Kind::Text: return LuaValue::str(v.text);
      case Value::Kind::Year: return LuaValue::str(format_plain(v));
      case Value::Kind::Grade:
        if (v.scale >= 0 && v.scale < static_cast<int>(rs_.scales.size())) {
          const Scale& sc = *rs_.scales[v.scale];
          int rank = static_cast<int>(v.num);
          if (rank >= 0 && rank < static_cast<int>(sc.grades.size()))
            return LuaValue::grade(sc.id.text, sc.grades[rank].id.text, rank);
        }
        return LuaValue::unknown("a grade of no known scale");
      case Value::Kind::Range:
      case Value::Kind::Unknown: return LuaValue::unknown(joined(v.reasons));
    }
    return LuaValue::unknown("unknown");
  }

  Value from_lua(const LuaValue& v) const {
    switch (v.kind) {
      case LuaKind::Unknown: return Value::unknown(v.text.empty() ? "the Lua function returned unknown" : v.text);
      case LuaKind::Number: return Value::number(v.number, type_of(v.tag));
      case LuaKind::YesNo: return Value::boolean(v.yes);
      case LuaKind::Text: return Value::string(v.text);
      case LuaKind::Grade: {
        int scale = rs_.find(rs_.scale_index, v.scale);
        if (scale < 0 || v.rank < 0) return Value::unknown("the Lua function returned a grade of no known scale");
        return Value::grade(scale, v.rank);
      }
      case LuaKind::List:
      case LuaKind::Record: return Value::unknown("the Lua function returned a list or record, not a value");
    }
    return Value::unknown("unknown");
  }

  LuaValue cell_value(const Cell& c, int metric) const {
    if (!c.known()) return LuaValue::unknown(ds_.describe_missing(c));
    const Metric& m = *rs_.metrics[metric];
    switch (m.type) {
      case MetricType::YesNo: return LuaValue::yesno(c.value != 0);
      case MetricType::Grade: {
        int scale = rs_.find(rs_.scale_index, m.scale.text);
        int rank = static_cast<int>(c.value);
        if (scale >= 0 && rank >= 0 && rank < static_cast<int>(rs_.scales[scale]->grades.size()))
          return LuaValue::grade(m.scale.text, rs_.scales[scale]->grades[rank].id.text, rank);
        return LuaValue::unknown("grade out of range");
      }
      case MetricType::Percent: return LuaValue::num(c.value, LuaNumTag::Percent);
      case MetricType::Score: return LuaValue::num(c.value, LuaNumTag::Score);
      case MetricType::Count: return LuaValue::num(c.value, LuaNumTag::Count);
      case MetricType::Rate: return LuaValue::num(c.value, LuaNumTag::Rate);
      case MetricType::Number: return LuaValue::num(c.value);
    }
    return LuaValue::num(c.value);
  }

  // The read-only school view a whole-rule function gets (lua_value.h): current
  // values, their history up to the as-of period, and the benchmarks for the
  // school's phase and LA, each built when the script first reads it.
  class ViewSource : public LuaSchoolSource {
   public:
    ViewSource(const SandboxBridge& b, int school, Period as_of) : b_(b), school_(school), as_of_(as_of) {}
    size_t size() const override { return b_.keys_.size(); }
    const std::string& key(size_t i) const override { return b_.keys_[i].key; }
    const LuaValue& value(size_t i) const override {
      const ViewKey& k = b_.keys_[i];
      // A declared metric with no value for this school reads as unknown, not nil.
      const Cell* c = b_.ds_.latest(k.series, school_, as_of_);
      value_ = c ? b_.cell_value(*c, k.metric)
                 : LuaValue::unknown("no " + k.key + " value at or before " + to_string(as_of_));
      return value_;
    }
    // Made once a metric for the call: a history list's points are read one by
    // one (its length, then a point or two), each asking for the list.
    // A rule reads a few of the ~100 metrics' histories, so they are found by a
    // scan rather than kept in a slot per metric; a list, as what was returned
    // must stay put while the script reads on.
    const std::vector<LuaPoint>& history(size_t i) const override {
      for (const Made& h : history_)
        if (h.key == i) return h.points;
      Made& h = history_.emplace_back();
      h.key = i;
      const ViewKey& k = b_.keys_[i];
      std::span<const Cell> cells = b_.ds_.values.of(k.series, school_);
      h.points.reserve(cells.size());
      for (const Cell& x : cells)
        if (x.period().key() <= as_of_.key()) h.points.push_back({b_.period_text(x.period()), b_.cell_value(x, k.metric)});
      return h.points;
    }
    const std::vector<LuaBenchmark>& benchmarks() const override {
      if (!bench_) bench_ = &b_.benchmarks_for(b_.ds_.schools[school_], as_of_);
      return *bench_;
    }

   private:
    const SandboxBridge& b_;
    int school_;
    Period as_of_;
    struct Made {
      size_t key = 0;  // index into keys_
      std::vector<LuaPoint> points;
    };
    mutable LuaValue value_;
    mutable std::list<Made> history_;
    mutable const std::vector<LuaBenchmark>* bench_ = nullptr;
  };

  // The benchmarks part of the view depends only on the school's phase and LA and
  // the period, so it is built once for each (a national run has ~600) and copied.
  const std::vector<LuaBenchmark>& benchmarks_for(const School& s, Period as_of) const {
    std::string id = s.phase + '\x1f' + s.la + '\x1f' + std::to_string(as_of.key());
    std::lock_guard<std::mutex> lock(bench_views_->mu);
    auto [it, fresh] = bench_views_->views.try_emplace(std::move(id));
    if (!fresh) return it->second;
    std::vector<std::vector<LuaField>> bench_values(rs_.benchmark_ids.size());
    for (const ViewKey& k : keys_)
      for (size_t bi = 0; bi < rs_.benchmark_ids.size(); ++bi)
        if (const Cell* bc = ds_.benchmark_latest(static_cast<int>(bi), k.series, s.phase, as_of, s.la))
          bench_values[bi].push_back({k.key, cell_value(*bc, k.metric)});
    for (size_t bi = 0; bi < rs_.benchmark_ids.size(); ++bi)
      if (!bench_values[bi].empty()) it->second.push_back({rs_.benchmark_ids[bi], std::move(bench_values[bi])});
    return it->second;
  }

  // A period's name, kept for the run: a national run names the same dozen
  // periods in every school's history. The bridge is one worker's, so no lock;
  // the reference lasts until the next call.
  const std::string& period_text(Period p) const {
    for (const auto& [q, text] : period_texts_)
      if (q == p) return text;
    return period_texts_.emplace_back(p, to_string(p)).second;
  }
  mutable std::vector<std::pair<Period, std::string>> period_texts_;

  struct ViewKey {
    std::string key;  // "attendance.disadvantaged"
    int series = -1, metric = -1;
  };
  std::vector<ViewKey> keys_;
  std::shared_ptr<BenchViews> bench_views_;
  static constexpr size_t kMaxErrors = 1000;  // per bridge; the first are what a reader needs
  const Ruleset& rs_;
  const Dataset& ds_;
  LuaSandbox sandbox_;
  std::string load_errors_;
  mutable std::vector<std::string> errors_;
};

// What `check` sees of a `use lua` script: the functions the sandbox defines after
// loading it as the evaluator will, or its syntax or load error with file:line.
bool sandbox_functions(const std::string& path, std::vector<std::string>& names, std::string& error) {
  if (!std::ifstream(path)) {
    error = "cannot read the Lua script";
    return false;
  }
  LuaSandbox sb;
  LuaError err;
  if (!sb.load_file(path, &err)) {
    error = err.to_string();
    return false;
  }
  names = sb.functions();
  return true;
}

// Installed when this file is linked, i.e. whenever the evaluator is.
const bool kListerInstalled = [] {
  set_lua_function_lister(sandbox_functions);
  return true;
}();

}  // namespace

void install_sandbox_lua_lister() { set_lua_function_lister(sandbox_functions); }

LuaBridgeFactory make_lua_bridge_factory(const Plan& plan) {
  if (plan.rs->lua_scripts.empty()) return {};
  const Plan* p = &plan;
  auto bench = std::make_shared<BenchViews>();
  return [p, bench]() -> std::unique_ptr<LuaBridge> { return std::make_unique<SandboxBridge>(*p, bench); };
}

}  // namespace tr
