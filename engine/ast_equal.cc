// Structural AST equality (see ast_equal.h). Written as one comparison per field so
// that a field added to ast.h without a line here is easy to spot in review.
#include "ast_equal.h"

#include <cctype>
#include <string_view>
#include <vector>

namespace tr {
namespace {

// Text kept "as written" (`at  least`, `every 4  weeks`) is compared with runs of
// whitespace collapsed, because fmt normalises spacing and nothing reads it as data.
std::string squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

class Cmp {
 public:
  std::string why;

  struct Scope {
    Cmp& c;
    Scope(Cmp& c, std::string what) : c(c) { c.path_.push_back(std::move(what)); }
    ~Scope() { c.path_.pop_back(); }
  };

  bool fail(const std::string& what) {
    if (why.empty()) {
      for (const auto& p : path_) why += p + ": ";
      why += what;
    }
    return false;
  }
  template <class T>
  bool eq(const T& a, const T& b, const char* what) {
    return a == b || fail(std::string(what) + " differs");
  }
  bool name(const Name& a, const Name& b, const char* what) { return eq(a.text, b.text, what); }
  bool names(const std::vector<Name>& a, const std::vector<Name>& b, const char* what) {
    if (a.size() != b.size()) return fail(std::string(what) + " count differs");
    for (size_t i = 0; i < a.size(); ++i)
      if (!name(a[i], b[i], what)) return false;
    return true;
  }
  bool written(const std::string& a, const std::string& b, const char* what) {
    return squeeze(a) == squeeze(b) || fail(std::string(what) + " differs");
  }
  template <class T, class F>
  bool list(const std::vector<T>& a, const std::vector<T>& b, const char* what, F each) {
    if (a.size() != b.size()) return fail(std::string(what) + " count differs");
    for (size_t i = 0; i < a.size(); ++i) {
      Scope s(*this, std::string(what) + "[" + std::to_string(i) + "]");
      if (!each(a[i], b[i])) return false;
    }
    return true;
  }

  bool expr(const Expr* a, const Expr* b, const char* what) {
    if (!a || !b) return (!a && !b) || fail(std::string(what) + " present in one only");
    Scope s(*this, what);
    return eq(a->kind, b->kind, "kind") && eq(a->number, b->number, "number") &&
           eq(a->unit, b->unit, "unit") && eq(a->term, b->term, "term") &&
           eq(a->op, b->op, "operator") && eq(a->text, b->text, "text") &&
           written(a->written, b->written, "written operator") &&
           list(a->args, b->args, "args",
                [&](const ExprPtr& x, const ExprPtr& y) { return expr(x.get(), y.get(), "arg"); });
  }
  bool expr(const ExprPtr& a, const ExprPtr& b, const char* what) {
    return expr(a.get(), b.get(), what);
  }

  bool decl(const Include& a, const Include& b) { return eq(a.path, b.path, "path"); }
  bool decl(const UseLua& a, const UseLua& b) { return eq(a.path, b.path, "path"); }
  bool decl(const Scale& a, const Scale& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") &&
           list(a.grades, b.grades, "grades", [&](const Grade& x, const Grade& y) {
             return name(x.id, y.id, "id") && eq(x.label, y.label, "label");
           });
  }
  bool decl(const Metric& a, const Metric& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") && eq(a.type, b.type, "type") &&
           name(a.scale, b.scale, "scale") && eq(a.better, b.better, "better") &&
           names(a.groups, b.groups, "groups") && eq(a.cadence, b.cadence, "cadence") &&
           eq(a.confidence, b.confidence, "confidence") &&
           eq(a.valid_for, b.valid_for, "valid for") && eq(a.valid_for_terms, b.valid_for_terms, "valid for");
  }
  bool period(const PeriodSpec& a, const PeriodSpec& b) {
    return eq(a.from, b.from, "period") && eq(a.year, b.year, "period year") &&
           eq(a.term, b.term, "period term") && name(a.column, b.column, "period column") &&
           name(a.term_column, b.term_column, "period term column");
  }
  bool decl(const Source& a, const Source& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") && eq(a.role, b.role, "role") &&
           eq(a.files, b.files, "files") && name(a.key, b.key, "key") && period(a.period, b.period) &&
           list(a.attrs, b.attrs, "school",
                [&](const SchoolAttr& x, const SchoolAttr& y) {
                  return name(x.attr, y.attr, "attribute") && name(x.column, y.column, "column") &&
                         eq(x.from_rows, y.from_rows, "from rows");
                }) &&
           name(a.rows_column, b.rows_column, "rows by") &&
           list(a.rows, b.rows, "rows",
                [&](const RowRule& x, const RowRule& y) {
                  return eq(x.value, y.value, "value") && eq(x.is_else, y.is_else, "else") &&
                         eq(x.kind, y.kind, "kind") && eq(x.school_type, y.school_type, "school type") &&
                         name(x.benchmark, y.benchmark, "benchmark") &&
                         name(x.phase_column, y.phase_column, "phase column");
                }) &&
           list(a.missing, b.missing, "missing",
                [&](const MissingCode& x, const MissingCode& y) {
                  return eq(x.code, y.code, "code") && eq(x.reason, y.reason, "reason");
                }) &&
           eq(a.bad_values_warn, b.bad_values_warn, "bad values warn") &&
           list(a.columns, b.columns, "columns", [&](const ColumnBinding& x, const ColumnBinding& y) {
             return name(x.metric, y.metric, "metric") && name(x.group, y.group, "group") &&
                    name(x.bound, y.bound, "bound") && names(x.columns, y.columns, "columns");
           });
  }
  bool decl(const Benchmark& a, const Benchmark& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") &&
           list(a.values, b.values, "values", [&](const BenchmarkValue& x, const BenchmarkValue& y) {
             return name(x.metric, y.metric, "metric") && name(x.group, y.group, "group") &&
                    list(x.values, y.values, "per year",
                         [&](const BenchmarkValue::PerYear& p, const BenchmarkValue::PerYear& q) {
                           return expr(p.value, q.value, "value") && eq(p.year, q.year, "year");
                         });
           });
  }
  bool decl(const Param& a, const Param& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") && expr(a.value, b.value, "value");
  }
  bool decl(const Define& a, const Define& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") &&
           names(a.params, b.params, "params") && eq(a.has_parens, b.has_parens, "parentheses") &&
           expr(a.body, b.body, "body");
  }
  bool decl(const Rule& a, const Rule& b) {
    return eq(a.kind, b.kind, "kind") && name(a.id, b.id, "id") && eq(a.label, b.label, "label") &&
           expr(a.applies, b.applies, "applies when") && expr(a.met, b.met, "met when") &&
           name(a.lua_function, b.lua_function, "lua function") &&
           eq(a.breach_tier, b.breach_tier, "breach tier");
  }
  bool tier(const Tier& a, const Tier& b) {
    return eq(a.number, b.number, "number") && eq(a.label, b.label, "label") &&
           eq(a.led_by, b.led_by, "led by") &&
           list(a.descriptors, b.descriptors, "descriptors",
                [&](const Descriptor& x, const Descriptor& y) {
                  return eq(x.label, y.label, "label") && expr(x.expr, y.expr, "expression");
                }) &&
           list(a.support, b.support, "support", [&](const Support& x, const Support& y) {
             return name(x.id, y.id, "id") && eq(x.label, y.label, "label") &&
                    eq(x.freq.unit, y.freq.unit, "frequency unit") &&
                    eq(x.freq.every, y.freq.every, "frequency every") &&
                    eq(x.freq.times, y.freq.times, "frequency times") &&
                    written(x.freq.written, y.freq.written, "frequency");
           });
  }
  bool decl(const Tiers& a, const Tiers& b) {
    return eq(a.label, b.label, "label") && eq(a.policy.kind, b.policy.kind, "policy") &&
           eq(a.policy.at_least, b.policy.at_least, "at least") &&
           eq(a.policy.otherwise, b.policy.otherwise, "otherwise") &&
           list(a.tiers, b.tiers, "tiers", [&](const Tier& x, const Tier& y) { return tier(x, y); });
  }
  bool decl(const Kpi& a, const Kpi& b) {
    return name(a.id, b.id, "id") && eq(a.label, b.label, "label") && expr(a.value, b.value, "value") &&
           eq(a.better, b.better, "better") && expr(a.met, b.met, "met when");
  }
  bool decl(const Test& a, const Test& b) {
    return eq(a.label, b.label, "label") && expr(a.as_of, b.as_of, "as of") &&
           list(a.schools, b.schools, "given",
                [&](const GivenSchool& x, const GivenSchool& y) {
                  return eq(x.urn, y.urn, "urn") && eq(x.name, y.name, "name") &&
                         eq(x.phase, y.phase, "phase") && eq(x.type, y.type, "type") &&
                         list(x.values, y.values, "values", [&](const GivenValue& p, const GivenValue& q) {
                           return name(p.benchmark, q.benchmark, "benchmark") &&
                                  name(p.metric, q.metric, "metric") && name(p.group, q.group, "group") &&
                                  name(p.bound, q.bound, "bound") && expr(p.period, q.period, "period") &&
                                  expr(p.value, q.value, "value") && eq(p.code, q.code, "code");
                         });
                }) &&
           list(a.expects, b.expects, "expects", [&](const Expect& x, const Expect& y) {
             return eq(x.kind, y.kind, "kind") && eq(x.urn, y.urn, "urn") && eq(x.tier, y.tier, "tier") &&
                    name(x.rule, y.rule, "rule") && eq(x.status, y.status, "status") &&
                    expr(x.value, y.value, "value");
           });
  }

 private:
  std::vector<std::string> path_;
};

const char* decl_kind(const Decl& d) {
  static const char* const kNames[] = {"include", "use lua", "scale",  "metric", "source", "benchmark",
                                       "param",   "define",  "rule",   "tiers",  "kpi",    "test"};
  return kNames[d.index()];
}

}  // namespace

bool ast_equal(const File& a, const File& b, std::string* why) {
  Cmp c;
  bool ok = true;
  if (a.header.has_value() != b.header.has_value()) {
    ok = c.fail("ruleset header present in one only");
  } else if (a.header) {
    Cmp::Scope s(c, "ruleset");
    ok = c.eq(a.header->name, b.header->name, "name") &&
         c.eq(a.header->version, b.header->version, "version") &&
         c.eq(a.header->year, b.header->year, "year");
  }
  if (ok && a.decls.size() != b.decls.size()) ok = c.fail("declaration count differs");
  for (size_t i = 0; ok && i < a.decls.size(); ++i) {
    Cmp::Scope s(c, "decls[" + std::to_string(i) + "] (" + decl_kind(a.decls[i]) + ")");
    if (a.decls[i].index() != b.decls[i].index()) {
      ok = c.fail("declaration kind differs");
      break;
    }
    ok = std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          return c.decl(x, std::get<T>(b.decls[i]));
        },
        a.decls[i]);
  }
  if (!ok && why) *why = c.why;
  return ok;
}

bool ast_equal(const Expr& a, const Expr& b, std::string* why) {
  Cmp c;
  bool ok = c.expr(&a, &b, "expression");
  if (!ok && why) *why = c.why;
  return ok;
}

}  // namespace tr
