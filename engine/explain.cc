// `explain`: one school's full trace, in sentences a governor can read. Each
// standard, floor and descriptor is printed with its expression and then the tree
// of how it was worked out — every value with the file, row, column and period it
// came from and how old it is, every benchmark, and how three-valued logic
// resolved ("one side is false, so the unknown side does not matter") — then the
// tier decision step by step, its floors and override, and the support it brings.
#include "report.h"

#include "format.h"

#include <algorithm>
#include <cctype>

namespace tr {
namespace {

class Explainer {
 public:
  Explainer(const Plan& p, std::string& out) : p_(p), rs_(*p.rs), out_(out) {}

  void result(const RuleResult& r, const ResultTrace& t, const Expr* applies, const Expr* met);
  void tier(const SchoolResult& s);

 private:
  std::string val(const Value& v) const {
    if (v.known()) return describe_value(rs_, v);
    return format_plain(v);
  }
  std::string text(const PlanNode& n) const { return n.src ? format_expr(*n.src) : n.name; }
  // `prefix` leads the first line ("met when "), so the expression is printed once.
  void node(const TraceNode& t, int depth, const std::string& prefix = {});
  std::string how(const PlanNode& n, const TraceNode& t) const;

  const Plan& p_;
  const Ruleset& rs_;
  std::string& out_;
};

bool any_unknown(const TraceNode& t) {
  return std::any_of(t.kids.begin(), t.kids.end(), [](const TraceNode& k) { return !k.value.known(); });
}

// The sentence that says how an operator resolved, when that is not obvious.
std::string Explainer::how(const PlanNode& n, const TraceNode& t) const {
  const Value& v = t.value;
  switch (n.op) {
    case NodeOp::And:
      if (v.is_false() && any_unknown(t)) return "one side is no, so the unknown side does not matter";
      if (!v.known()) return "no side is no and at least one is unknown, so the whole is unknown";
      return "";
    case NodeOp::Or:
      if (v.is_true() && any_unknown(t)) return "one side is yes, so the unknown side does not matter";
      if (!v.known()) return "no side is yes and at least one is unknown, so the whole is unknown";
      return "";
    case NodeOp::If:
      if (!t.kids.empty() && t.kids[0].value.is_true()) return "the condition holds, so the `then` value";
      if (!t.kids.empty() && t.kids[0].value.is_false()) return "the condition does not hold, so the `else` value";
      return v.known() ? "the condition is unknown, but both branches agree" : "the condition is unknown";
    case NodeOp::Improving:
      return "each of the last " + std::to_string(n.count) + " periods must be strictly " +
             (n.better == Direction::Lower ? "lower" : "higher") + " than the one before";
    case NodeOp::Declining:
      return "each of the last " + std::to_string(n.count) + " periods must be strictly " +
             (n.better == Direction::Lower ? "higher" : "lower") + " than the one before";
    case NodeOp::EveryYear:
      if (v.is_false()) return "it fails in at least one of the last " + std::to_string(n.count) + " years";
      if (!v.known()) return "no year fails, but at least one cannot be judged";
      return "it holds in each of the last " + std::to_string(n.count) + " years";
    case NodeOp::Known: return "known() is never unknown itself";
    case NodeOp::CountOf:
      if (v.kind == Value::Kind::Range) return "some are unknown, so only a range is known";
      return "";
    case NodeOp::Compare:
    case NodeOp::Between:
    case NodeOp::In:
      if (v.kind == Value::Kind::Bool && any_unknown(t)) return "decided even though a count is only partly known";
      return "";
    default: return "";
  }
}

void Explainer::node(const TraceNode& t, int depth, const std::string& prefix) {
  if (t.node < 0) return;
  const PlanNode& n = p_.nodes[t.node];
  std::string pad(2 * depth, ' ');
  std::string note = t.note.empty() ? "" : " [" + t.note + "]";
  switch (n.op) {
    case NodeOp::Const:
      if (!prefix.empty()) out_ += pad + prefix + text(n) + "\n";
      return;
    case NodeOp::Metric:
    case NodeOp::Benchmark: {
      out_ += pad + prefix + n.name + note;
      if (t.value.known()) {
        out_ += " = " + val(t.value);
        if (!t.source.empty()) out_ += "  (" + t.source + ")";
      } else {
        out_ += ": unknown";
        for (const auto& r : t.value.reasons) out_ += " — " + r;
      }
      out_ += n.op == NodeOp::Benchmark ? "  [benchmark]\n" : "\n";
      return;
    }
    case NodeOp::Param:
      out_ += pad + prefix + n.name + " = " + val(t.value) + "  [param]\n";
      return;
    default: break;
  }
  out_ += pad + prefix + text(n) + note + ": " + val(t.value);
  if (std::string h = how(n, t); !h.empty()) out_ += " — " + h;
  out_ += "\n";
  // `a and b and c` parses as a nested chain; it reads as one list of conditions.
  std::vector<const TraceNode*> kids;
  auto flatten = [&](auto& self, const TraceNode& x) -> void {
    for (const auto& k : x.kids) {
      const PlanNode& kn = p_.nodes[k.node];
      if ((n.op == NodeOp::And || n.op == NodeOp::Or) && kn.op == n.op && k.note.empty()) self(self, k);
      else kids.push_back(&k);
    }
  };
  flatten(flatten, t);
  for (const TraceNode* k : kids) node(*k, depth + 1);
}

void Explainer::result(const RuleResult& r, const ResultTrace& t, const Expr* applies, const Expr* met) {
  std::string head = r.kind == ResultKind::Descriptor ? "descriptor" : result_kind_id(r.kind);
  out_ += "\n" + head + " " + std::string(r.id) + " \"" + std::string(r.label) + "\": ";
  std::string status = result_status_words(r.status);
  std::transform(status.begin(), status.end(), status.begin(), [](unsigned char c) { return std::toupper(c); });
  out_ += status + "\n";
  if (t.has_applies) node(t.applies, 1, "applies when ");
  else if (applies) out_ += "  applies when " + format_expr(*applies) + "\n";
  if (r.status == Status::NotApplicable) {
    out_ += "  → not applicable: " + (r.reasons.empty() ? std::string("its scope does not hold") : r.reasons[0]) + "\n";
    return;
  }
  std::string lead = r.kind == ResultKind::Descriptor ? "holds when " : "met when ";
  if (t.has_met) node(t.met, 1, lead);
  else if (met) out_ += "  " + lead + format_expr(*met) + "\n";
  if (r.status == Status::Unknown) {
    out_ += "  → unknown because:\n";
    for (const auto& why : r.reasons) out_ += "      " + why + "\n";
  } else if (!t.has_met && !met) {  // a Lua rule: its reason sentence
    for (const auto& why : r.reasons) out_ += "  → " + why + "\n";
  }
}

void Explainer::tier(const SchoolResult& s) {
  const TierResult& t = s.tier;
  out_ += "\n== Tier ==\n";
  if (t.policy.empty()) {
    out_ += "The rules define no tiers.\n";
    return;
  }
  out_ += "Assigned by " + t.policy + ".\n";
  for (const auto& sc : t.scores) {
    std::string line = "  Tier " + std::to_string(sc.tier) + ": " + std::to_string(sc.met) + " of " +
                       std::to_string(sc.known) + " known descriptors met";
    if (sc.known) line += " (" + std::to_string(static_cast<int>(sc.share * 100 + 0.5)) + "%)";
    if (sc.unknown) line += ", " + std::to_string(sc.unknown) + " not judged";
    out_ += line + "\n";
  }
  out_ += "How it was decided:\n";
  for (const auto& step : t.steps) out_ += "  " + step + "\n";
  auto label_of = [&](const std::string& id) -> const RuleResult* {
    for (const auto& r : s.results)
      if (r.kind == ResultKind::Descriptor && r.id == id) return &r;
    return nullptr;
  };
  if (!t.decided_by.empty()) {
    out_ += "Descriptors that decided it:\n";
    for (const auto& id : t.decided_by)
      if (const RuleResult* r = label_of(id)) out_ += "  - \"" + std::string(r->label) + "\" (" + id + ")\n";
  }
  if (!t.not_judged.empty()) {
    out_ += "Descriptors that could not be judged:\n";
    for (const auto& id : t.not_judged)
      if (const RuleResult* r = label_of(id))
        out_ += "  - \"" + std::string(r->label) + "\" (" + id + "): " + (r->reasons.empty() ? "unknown" : r->reasons[0]) + "\n";
  }
  if (t.number == 0) {
    out_ += "Result: the tier could not be decided";
    for (const auto& why : t.reasons) out_ += "; " + why;
    out_ += ".\n";
    return;
  }
  out_ += "Result: Tier " + std::to_string(t.number) + " " + t.label + ", led by " +
          (t.led_by == LedBy::Trust ? "the trust" : "the academy") + ".\n";
  if (!s.support.empty()) {
    out_ += "Support:\n";
    for (const auto& x : s.support)
      out_ += "  - " + x.label + (x.one_off ? " (one-off)" : " " + x.frequency + " (" + format_num(x.per_term) + " per term)") + "\n";
  }
}

}  // namespace

std::string explain_school(const Plan& plan, const EvaluationResult& run, const SchoolResult& s,
                           const SchoolTrace& trace) {
  std::string out;
  out += "School " + s.urn + " " + s.name;
  std::string about;
  if (!s.phase.empty()) about = s.phase;
  if (!s.type.empty()) about += (about.empty() ? "" : ", ") + s.type;
  if (!about.empty()) out += " (" + about + ")";
  out += "\nRules: " + run.ruleset_name;
  if (!run.ruleset_version.empty()) out += ", version " + run.ruleset_version;
  out += "\nAs of " + to_string(run.as_of) +
         ": each measure is its latest value at or before then; older values say how old they are.\n";

  Explainer ex(plan, out);
  bool rules_header = false, descriptors_header = false;
  for (size_t i = 0; i < s.results.size() && i < trace.results.size(); ++i) {
    const RuleResult& r = s.results[i];
    const Expr* applies = nullptr;
    const Expr* met = nullptr;
    if (r.kind == ResultKind::Descriptor) {
      if (!descriptors_header) out += "\n== Tier descriptors ==\n";
      descriptors_header = true;
      // Descriptors follow the rules in the plan's tier order.
      for (const auto& tp : plan.tiers)
        if (tp.number == r.tier && r.index >= 0 && r.index < static_cast<int>(tp.descriptors.size()))
          met = tp.descriptors[r.index].src ? tp.descriptors[r.index].src->expr.get() : nullptr;
    } else {
      if (!rules_header) out += "\n== Standards and floors ==\n";
      rules_header = true;
      if (r.index >= 0 && r.index < static_cast<int>(plan.rules.size()) && plan.rules[r.index].src) {
        applies = plan.rules[r.index].src->applies.get();
        met = plan.rules[r.index].src->met.get();
        if (!plan.rules[r.index].lua.empty())
          out += "\n(" + std::string(r.id) + " is judged by the Lua function " + plan.rules[r.index].lua + ")";
      }
    }
    ex.result(r, trace.results[i], applies, met);
    if (r.kind == ResultKind::Floor && r.index >= 0 && plan.rules[r.index].breach_tier > 0)
      out += "  on breach: tier at least " + std::to_string(plan.rules[r.index].breach_tier) + "\n";
  }
  out += "\nFloors: ";
  out += s.floors_met == Status::Met       ? "every applicable floor is met.\n"
         : s.floors_met == Status::NotMet ? "breached: " + [&] {
             std::string b;
             for (const auto& f : s.floors_breached) b += (b.empty() ? "" : ", ") + f;
             return b;
           }() + ".\n"
                                          : "none breached, but at least one could not be judged.\n";
  out += "Standards: " + std::to_string(s.standards_met) + " of " + std::to_string(s.standards_applicable) +
         " applicable met" + (s.standards_unknown ? ", " + std::to_string(s.standards_unknown) + " unknown" : "") + ".\n";
  ex.tier(s);
  return out;
}

}  // namespace tr
