// The checker's driver: symbol tables, duplicate names, the ruleset header, `use
// lua` scripts, define cycles and unused declarations, and the two entry points
// of ruleset.h. Declarations are checked in check_decls.cc and check_tiers.cc,
// expressions in check_expr.cc, check_names.cc and check_calls.cc.
#include "check_internal.h"
#include "checker.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <tuple>
#include <unordered_map>

namespace tr {

namespace {
LuaFunctionLister& lua_lister() {
  static LuaFunctionLister lister;
  return lister;
}
}  // namespace

void set_lua_function_lister(LuaFunctionLister lister) { lua_lister() = std::move(lister); }

bool scan_lua_functions(const std::string& path, std::vector<std::string>& names, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the Lua script";
    return false;
  }
  static const std::regex fn(R"(^[ \t]*function[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\()");
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, fn)) names.push_back(m[1]);
  }
  return true;
}

// Data files write a grade as its identifier or its label, in any case, so the
// lookup falls back to a comparison that ignores case, spaces and underscores.
int Ruleset::grade_rank(int scale, std::string_view grade) const {
  if (scale < 0 || scale >= static_cast<int>(scales.size())) return -1;
  const auto& gs = scales[scale]->grades;
  for (size_t i = 0; i < gs.size(); ++i)
    if (gs[i].id.text == grade) return static_cast<int>(i);
  auto norm = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c == ' ' || c == '_' || c == '-') out += '_';
      else out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    size_t b = out.find_first_not_of('_'), e = out.find_last_not_of('_');
    return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
  };
  std::string want = norm(grade);
  if (want.empty()) return -1;
  for (size_t i = 0; i < gs.size(); ++i)
    if (norm(gs[i].id.text) == want || (!gs[i].label.empty() && norm(gs[i].label) == want))
      return static_cast<int>(i);
  return -1;
}

namespace check {

Diagnostic note_at(Span span, std::string message) {
  Diagnostic d;
  d.severity = Severity::Note;
  d.span = span;
  d.message = std::move(message);
  return d;
}

int builtin_attribute(std::string_view n) {
  if (n == "phase") return static_cast<int>(Builtin::Phase);
  if (n == "school_type") return static_cast<int>(Builtin::SchoolType);
  if (n == "year") return static_cast<int>(Builtin::Year);
  if (n == "floors_met") return static_cast<int>(Builtin::FloorsMet);
  if (n == "yes") return static_cast<int>(Builtin::Yes);
  if (n == "no") return static_cast<int>(Builtin::No);
  return -1;
}

std::string describe(Type t, const std::string& scale) {
  switch (t) {
    case Type::Error: return "not known";
    case Type::Number: return "a number";
    case Type::Percent: return "a percent";
    case Type::Points: return "a difference in points";
    case Type::Score: return "a score";
    case Type::Count: return "a count";
    case Type::Rate: return "a rate";
    case Type::Duration: return "a length of time";
    case Type::Bool: return "yes/no";
    case Type::Grade: return scale.empty() ? "a grade" : "a grade on " + scale;
    case Type::Text: return "text";
    case Type::Year: return "an academic year";
  }
  return "?";
}

bool is_numeric(Type t) {
  return t == Type::Number || t == Type::Percent || t == Type::Points || t == Type::Score || t == Type::Count ||
         t == Type::Rate;
}

std::string format_number(double v) {
  std::string s = fmt::format("{:.6f}", v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

Checker::Checker(const Ruleset& rs) : rs_(rs) { size_state(); }

void Checker::size_state() {
  metric_used.assign(rs_.metrics.size(), 0);
  param_used.assign(rs_.params.size(), 0);
  defines_.assign(rs_.defines.size(), DefineState{});
  bench_from_rows_.assign(rs_.benchmark_ids.size(), 0);
  missing_codes.clear();
  for (const Source* src : rs_.data_sources) {
    for (const MissingCode& c : src->missing) missing_codes.push_back(c.code);
    for (const RowRule& r : src->rows)
      if (r.kind == RowKindTag::Benchmark)
        if (int b = rs_.find(rs_.benchmark_index, r.benchmark.text); b >= 0) bench_from_rows_[b] = 1;
  }
}

void Checker::error(Span span, std::string message, std::string hint, std::vector<Diagnostic> notes) {
  Report r;
  r.main.severity = Severity::Error;
  r.main.span = span;
  r.main.message = std::move(message);
  r.main.hint = std::move(hint);
  r.notes = std::move(notes);
  if (generic_keys_)
    generic_keys_->insert(fmt::format("{}:{}:{}:{}", span.begin.file, span.begin.line, span.begin.col, r.main.message));
  if (sinks_.empty()) {
    ++errors_;
    reports_.push_back(std::move(r));
  } else {
    sinks_.back()->push_back(std::move(r));
  }
}

void Checker::warning(Span span, std::string message, std::string hint, std::vector<Diagnostic> notes) {
  Report r;
  r.main.severity = Severity::Warning;
  r.main.span = span;
  r.main.message = std::move(message);
  r.main.hint = std::move(hint);
  r.notes = std::move(notes);
  (sinks_.empty() ? reports_ : *sinks_.back()).push_back(std::move(r));
}

void Checker::flush(Diagnostics& diags) {
  auto key = [](const Report& r) {
    const Pos& p = r.main.span.begin;
    return std::tuple(p.file, p.line, p.col);
  };
  std::stable_sort(reports_.begin(), reports_.end(), [&](const Report& a, const Report& b) { return key(a) < key(b); });
  auto emit = [&](const Diagnostic& d) {
    switch (d.severity) {
      case Severity::Error: diags.error(d.span, d.message, d.hint); break;
      case Severity::Warning: diags.warning(d.span, d.message, d.hint); break;
      case Severity::Note: diags.note(d.span, d.message, d.hint); break;
    }
  };
  for (const Report& r : reports_) {
    emit(r.main);
    for (const Diagnostic& n : r.notes) emit(n);
  }
  reports_.clear();
}

namespace {
// Byte offset of a 1-based character column in a UTF-8 line.
size_t byte_at(std::string_view line, uint32_t col) {
  size_t i = 0;
  for (uint32_t c = 1; c < col && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}
}  // namespace

std::string Checker::quote(Span span) const {
  if (span.begin.line == 0 || span.begin.file >= rs_.sources.size()) return "''";
  std::string_view line = rs_.sources.line(span.begin.file, span.begin.line);
  size_t b = byte_at(line, span.begin.col);
  bool one_line = span.end.line == span.begin.line;
  size_t e = one_line ? byte_at(line, span.end.col) : line.size();
  std::string s(line.substr(b, e > b ? e - b : 0));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  if (!one_line) s += " …";
  if (s.size() > 48) s = s.substr(0, byte_at(s, 45)) + "…";
  return "'" + s + "'";
}

Span Checker::find_in(Span span, std::string_view word) const {
  if (span.begin.line == 0 || span.begin.file >= rs_.sources.size()) return span;
  std::string_view line = rs_.sources.line(span.begin.file, span.begin.line);
  size_t from = byte_at(line, span.begin.col);
  size_t at = line.find(word, from);
  if (at == std::string_view::npos) return span;
  auto col_of = [&](size_t byte) {
    uint32_t col = 1;
    for (size_t i = 0; i < byte; ++i)
      if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
    return col;
  };
  Span out;
  out.begin = {span.begin.file, span.begin.line, col_of(at)};
  out.end = {span.begin.file, span.begin.line, col_of(at + word.size())};
  return out;
}

namespace {

bool valid_academic_year(const std::string& y, std::string* hint) {
  static const std::regex re(R"(^(\d{4})-(\d{2})$)");
  std::smatch m;
  if (!std::regex_match(y, m, re)) {
    *hint = "write it as two consecutive years, e.g. 2025-26";
    return false;
  }
  int a = std::stoi(m[1]), b = std::stoi(m[2]);
  if ((a + 1) % 100 == b) return true;
  *hint = fmt::format("an academic year is two consecutive years: {}-{:02}", a, (a + 1) % 100);
  return false;
}

}  // namespace

// Declarations in reading order: an include's declarations stand where the
// `include` line does, so "first declared" means first as a reader meets it.
std::vector<Decl*> reading_order(Ruleset& rs) {
  namespace fs = std::filesystem;
  std::vector<Decl*> out;
  std::vector<char> seen(rs.files.size(), 0);
  auto index_of = [&](const File& from, const std::string& inc) {
    std::string want = (fs::path(from.path).parent_path() / inc).lexically_normal().generic_string();
    for (size_t i = 0; i < rs.files.size(); ++i)
      if (fs::path(rs.files[i].path).lexically_normal().generic_string() == want) return static_cast<int>(i);
    return -1;
  };
  auto visit = [&](auto& self, size_t fi) -> void {
    if (seen[fi]) return;
    seen[fi] = 1;
    for (Decl& d : rs.files[fi].decls) {
      if (auto* inc = std::get_if<Include>(&d)) {
        if (int to = index_of(rs.files[fi], inc->path); to >= 0) self(self, static_cast<size_t>(to));
      } else {
        out.push_back(&d);
      }
    }
  };
  for (size_t i = 0; i < rs.files.size(); ++i) visit(visit, i);
  return out;
}

void Checker::build_tables(Ruleset& rs) {
  rs.header = nullptr;
  rs.scales.clear();
  rs.metrics.clear();
  rs.data_sources.clear();
  rs.benchmark_ids = {"national", "local_authority"};
  rs.benchmarks = {nullptr, nullptr};
  rs.params.clear();
  rs.defines.clear();
  rs.rules.clear();
  rs.tiers = nullptr;
  rs.kpis.clear();
  rs.tests.clear();
  rs.lua_scripts.clear();
  rs.lua_functions.clear();
  for (auto* t : {&rs.metric_index, &rs.scale_index, &rs.param_index, &rs.define_index, &rs.rule_index,
                  &rs.kpi_index, &rs.benchmark_index, &rs.source_index})
    t->clear();
  rs.benchmark_index = {{"national", 0}, {"local_authority", 1}};

  // Names that share a namespace: metrics, params, defines and rules are all used
  // bare in expressions; defines and benchmarks are both called.
  struct Seen {
    const char* kind;
    Span span;
  };
  std::unordered_map<std::string, Seen> values, calls, scales, sources, kpis;
  auto claim = [&](std::unordered_map<std::string, Seen>& table, const Name& id, const char* kind) {
    auto [it, fresh] = table.emplace(id.text, Seen{kind, id.span});
    if (fresh) return;
    if (std::strcmp(it->second.kind, kind) == 0)
      error(id.span, fmt::format("{} '{}' is declared twice", kind, id.text), "",
            {note_at(it->second.span, fmt::format("the first declaration of '{}' is here", id.text))});
    else
      error(id.span, fmt::format("'{}' is already the name of a {}", id.text, it->second.kind),
            fmt::format("give the {} another name", kind),
            {note_at(it->second.span, fmt::format("the {} '{}' is declared here", it->second.kind, id.text))});
  };
  auto reserved = [&](const Name& id, const char* kind, bool callable) {
    if (builtin_attribute(id.text) >= 0 || id.text == "value")
      error(id.span, fmt::format("'{}' is a built-in name and cannot name a {}", id.text, kind));
    else if (callable && is_builtin_function(id.text))
      error(id.span, fmt::format("'{}' is a built-in function and cannot name a {}", id.text, kind));
  };
  auto add = [](std::unordered_map<std::string, int>& index, auto& table, const auto* decl) {
    if (index.emplace(decl->id.text, static_cast<int>(table.size())).second) table.push_back(decl);
  };
  const Tiers* first_tiers = nullptr;

  for (size_t fi = 0; fi < rs.files.size(); ++fi) {
    File& f = rs.files[fi];
    if (f.header && fi == 0) rs.header = &*f.header;
    if (f.header && fi != 0)
      error(f.header->span,
            fmt::format("'{}' has its own ruleset header, but it is included by '{}'", f.path, rs.files[0].path),
            "only the root file of a ruleset starts with `ruleset`; remove this line or stop including the file");
  }
  // The file each declaration is in (for paths relative to it).
  std::unordered_map<const Decl*, const File*> file_of;
  for (const File& f : rs.files)
    for (const Decl& d : f.decls) file_of[&d] = &f;
  {
    for (const Decl* dp : reading_order(rs)) {
      const Decl& d = *dp;
      const File& f = *file_of.at(dp);
      if (auto* u = std::get_if<UseLua>(&d)) {
        namespace fs = std::filesystem;
        std::string resolved = (fs::path(f.path).parent_path() / u->path).lexically_normal().string();
        std::vector<std::string> names;
        std::string why;
        bool ok = lua_lister() ? lua_lister()(resolved, names, why) : scan_lua_functions(resolved, names, why);
        if (!ok) {
          if (why.rfind("cannot read", 0) == 0)
            error(u->span, fmt::format("{}: '{}'", why, u->path),
                  fmt::format("looked for {}; the path is relative to this file", resolved));
          else  // the script's own error, at its file:line
            error(u->span, why, "check loads the script as the evaluator will; fix it there");
          continue;
        }
        rs.lua_scripts.push_back(resolved);
        for (auto& n : names) {
          // A built-in would win over the script's function without a word: say so here.
          if (is_builtin_function(n)) {
            error(u->span, fmt::format("'{}' in {} has the name of a built-in function", n, u->path),
                  fmt::format("rename the Lua function (e.g. {}_lua); expressions calling '{}' get the built-in", n, n));
            continue;
          }
          if (std::find(rs.lua_functions.begin(), rs.lua_functions.end(), n) == rs.lua_functions.end())
            rs.lua_functions.push_back(n);
        }
      } else if (auto* s = std::get_if<Scale>(&d)) {
        claim(scales, s->id, "scale");
        add(rs.scale_index, rs.scales, s);
      } else if (auto* m = std::get_if<Metric>(&d)) {
        claim(values, m->id, "metric");
        reserved(m->id, "metric", false);
        add(rs.metric_index, rs.metrics, m);
      } else if (auto* s = std::get_if<Source>(&d)) {
        claim(sources, s->id, "source");
        add(rs.source_index, rs.data_sources, s);
      } else if (auto* b = std::get_if<Benchmark>(&d)) {
        int at = rs.find(rs.benchmark_index, b->id.text);
        if (at == 0 || at == 1) {
          // `benchmark national "label"` labels the built-in comparator.
          if (rs.benchmarks[at] == nullptr) rs.benchmarks[at] = b;
          else
            error(b->id.span, fmt::format("benchmark '{}' is declared twice", b->id.text), "",
                  {note_at(rs.benchmarks[at]->id.span, fmt::format("the first declaration of '{}' is here", b->id.text))});
          continue;
        }
        claim(calls, b->id, "benchmark");
        reserved(b->id, "benchmark", true);
        if (at < 0) {
          rs.benchmark_index[b->id.text] = static_cast<int>(rs.benchmark_ids.size());
          rs.benchmark_ids.push_back(b->id.text);
          rs.benchmarks.push_back(b);
        }
      } else if (auto* p = std::get_if<Param>(&d)) {
        claim(values, p->id, "param");
        reserved(p->id, "param", false);
        add(rs.param_index, rs.params, p);
      } else if (auto* df = std::get_if<Define>(&d)) {
        claim(values, df->id, "define");
        // A define and a benchmark of one name would both be called.
        if (auto it = calls.find(df->id.text); it != calls.end() && std::strcmp(it->second.kind, "benchmark") == 0)
          claim(calls, df->id, "define");
        else
          calls.emplace(df->id.text, Seen{"define", df->id.span});
        reserved(df->id, "define", true);
        add(rs.define_index, rs.defines, df);
      } else if (auto* r = std::get_if<Rule>(&d)) {
        claim(values, r->id, r->kind == RuleKind::Floor ? "floor" : "standard");
        reserved(r->id, r->kind == RuleKind::Floor ? "floor" : "standard", false);
        add(rs.rule_index, rs.rules, r);
      } else if (auto* t = std::get_if<Tiers>(&d)) {
        if (!first_tiers) {
          first_tiers = t;
          rs.tiers = t;
        } else {
          error(t->span, "a ruleset has one tiers block, and this is a second one",
                "put every tier in the first tiers block",
                {note_at(first_tiers->span, "the first tiers block is here")});
        }
      } else if (auto* k = std::get_if<Kpi>(&d)) {
        claim(kpis, k->id, "kpi");
        add(rs.kpi_index, rs.kpis, k);
      } else if (auto* t = std::get_if<Test>(&d)) {
        rs.tests.push_back(t);
      }
    }
  }
  if (!rs.files.empty() && !rs.files[0].header) {
    Span at;
    at.begin = {rs.files[0].id, 1, 1};
    at.end = {rs.files[0].id, 1, 2};
    error(at, fmt::format("'{}' has no `ruleset` header", rs.files[0].path),
          "a ruleset starts with: ruleset \"Name\" version \"1\" year 2025-26");
  }
  if (rs.header && !rs.header->year.empty()) {
    std::string hint;
    if (!valid_academic_year(rs.header->year, &hint))
      error(find_in(rs.header->span, rs.header->year),
            fmt::format("'{}' is not an academic year", rs.header->year), hint);
  }
  size_state();
}

void Checker::find_define_cycles() {
  const size_t n = rs_.defines.size();
  std::vector<std::vector<std::pair<int, Span>>> edges(n);
  // Which defines a body refers to (names shadowed by parameters are not defines).
  auto collect = [&](auto& self, const Expr& e, const Define& def, std::vector<std::pair<int, Span>>& out) -> void {
    if (e.kind == ExprKind::Ident || e.kind == ExprKind::Call) {
      bool shadowed = std::any_of(def.params.begin(), def.params.end(), [&](const Name& p) { return p.text == e.text; });
      bool other = e.kind == ExprKind::Ident &&
                   (rs_.find(rs_.metric_index, e.text) >= 0 || rs_.find(rs_.param_index, e.text) >= 0);
      int d = rs_.find(rs_.define_index, e.text);
      if (d >= 0 && !shadowed && !other) out.emplace_back(d, e.span);
    }
    for (const auto& a : e.args) self(self, *a, def, out);
  };
  for (size_t i = 0; i < n; ++i)
    if (rs_.defines[i]->body) collect(collect, *rs_.defines[i]->body, *rs_.defines[i], edges[i]);

  std::vector<int> color(n, 0), stack;
  std::set<std::vector<int>> reported;
  auto dfs = [&](auto& self, int u) -> void {
    color[u] = 1;
    stack.push_back(u);
    for (const auto& [v, span] : edges[u]) {
      if (color[v] == 0) {
        self(self, v);
      } else if (color[v] == 1) {
        std::vector<int> cycle(std::find(stack.begin(), stack.end(), v), stack.end());
        for (int c : cycle) defines_[c].cyclic = true;
        std::vector<int> key = cycle;
        std::sort(key.begin(), key.end());
        if (!reported.insert(key).second) continue;
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        std::string path;
        std::vector<Diagnostic> notes;
        for (size_t k = 0; k < cycle.size(); ++k) {
          int a = cycle[k], b = cycle[(k + 1) % cycle.size()];
          path += rs_.defines[a]->id.text + " → ";
          for (const auto& [to, at] : edges[a])
            if (to == b) {
              notes.push_back(note_at(at, fmt::format("'{}' uses '{}' here", rs_.defines[a]->id.text,
                                                      rs_.defines[b]->id.text)));
              break;
            }
        }
        path += rs_.defines[cycle[0]]->id.text;
        error(rs_.defines[cycle[0]]->id.span,
              fmt::format("define '{}' depends on itself: {}", rs_.defines[cycle[0]]->id.text, path),
              "a define cannot use itself, directly or through other defines", std::move(notes));
      }
    }
    stack.pop_back();
    color[u] = 2;
  };
  for (size_t i = 0; i < n; ++i)
    if (color[i] == 0) dfs(dfs, static_cast<int>(i));
}

void Checker::warn_unused() {
  for (size_t i = 0; i < rs_.metrics.size(); ++i)
    if (!metric_used[i])
      warning(rs_.metrics[i]->id.span, fmt::format("metric '{}' is declared but never used", rs_.metrics[i]->id.text),
              "no rule, define, kpi, benchmark or test refers to it (a source binding alone is not a use)");
  for (size_t i = 0; i < rs_.params.size(); ++i)
    if (!param_used[i])
      warning(rs_.params[i]->id.span, fmt::format("param '{}' is declared but never used", rs_.params[i]->id.text),
              "no expression refers to it");
}

void Checker::check_all(Ruleset& rs) {
  find_define_cycles();
  {
    for (Decl* dp : reading_order(rs)) {
      Decl& d = *dp;
      if (auto* s = std::get_if<Scale>(&d)) check_scale(*s);
      else if (auto* m = std::get_if<Metric>(&d)) check_metric(*m);
      else if (auto* s = std::get_if<Source>(&d)) check_source(*s);
      else if (auto* b = std::get_if<Benchmark>(&d)) check_benchmark(*b);
      else if (auto* p = std::get_if<Param>(&d)) check_param(*p);
      else if (auto* df = std::get_if<Define>(&d)) check_define(*df);
      else if (auto* r = std::get_if<Rule>(&d)) check_rule(*r);
      else if (auto* t = std::get_if<Tiers>(&d)) check_tiers(*t);
      else if (auto* k = std::get_if<Kpi>(&d)) check_kpi(*k);
      else if (auto* t = std::get_if<Test>(&d)) check_test(*t);
    }
  }
  warn_unused();
}

}  // namespace check

bool check_ruleset(Ruleset& rs, Diagnostics& diags) {
  check::Checker c(rs);
  c.build_tables(rs);
  c.check_all(rs);
  c.flush(diags);
  return !diags.has_errors();
}

std::unique_ptr<Ruleset> load_and_check(const std::string& path, Diagnostics& diags, bool* checked) {
  size_t before = diags.error_count();
  std::unique_ptr<Ruleset> rs = load_ruleset(path, diags);
  bool run = rs && diags.error_count() == before;
  if (run) check_ruleset(*rs, diags);
  if (checked) *checked = run;
  return rs;
}

bool check_expression(const Ruleset& rs, Expr& e, ExprContext ctx, Diagnostics& diags) {
  check::Checker c(rs);
  c.in_place = false;
  check::Scope s;
  s.ctx = ctx;
  c.type(e, s);
  size_t errors = c.errors();
  c.flush(diags);
  return errors == 0;
}

}  // namespace tr
