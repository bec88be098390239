// A loaded ruleset: a root file, everything it includes, and (after check) the
// symbol tables that later phases use instead of string lookups.
#pragma once

#include "ast.h"
#include "diagnostics.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tr {

struct Ruleset {
  SourceFiles sources;
  std::vector<File> files;  // root first, then included files in the order first included
  std::string root_path;

  // Filled by check_ruleset(). Pointers into `files`; stable once loading is done.
  const Header* header = nullptr;
  std::vector<const Scale*> scales;
  std::vector<const Metric*> metrics;
  std::vector<const Source*> data_sources;
  // Index 0 is always `national`, 1 `local_authority`; the declared ones follow
  // (a declaration of `national` labels index 0 instead of adding one).
  std::vector<std::string> benchmark_ids;
  std::vector<const Benchmark*> benchmarks;  // parallel to benchmark_ids; may be null
  std::vector<const Param*> params;
  std::vector<const Define*> defines;
  std::vector<const Rule*> rules;  // standards and floors, in source order
  const Tiers* tiers = nullptr;
  std::vector<const Kpi*> kpis;
  std::vector<const Test*> tests;
  std::vector<std::string> lua_scripts;  // resolved paths of `use lua`, in order
  std::vector<std::string> lua_functions;  // names of global functions found in them

  // Name -> index into the tables above.
  std::unordered_map<std::string, int> metric_index, scale_index, param_index, define_index,
      rule_index, kpi_index, benchmark_index, source_index;

  int find(const std::unordered_map<std::string, int>& table, std::string_view name) const {
    auto it = table.find(std::string(name));
    return it == table.end() ? -1 : it->second;
  }
  // Grade position within its scale: 0 is the best grade; -1 when not found.
  int grade_rank(int scale, std::string_view grade) const;
};

// Reads `path` (a .rules file) and everything it includes, parsing each file once.
// Syntax errors, unreadable files and include cycles go to `diags`.
std::unique_ptr<Ruleset> load_ruleset(const std::string& path, Diagnostics& diags);

// Name resolution, types, arity, duplicates, tier structure, cycles and unused warnings.
// Fills the tables above and the checker fields of every Expr. Returns !diags.has_errors().
bool check_ruleset(Ruleset& rs, Diagnostics& diags);

// Where an expression stands decides what it may use: aggregates and `value`
// only in a kpi, school attributes and metrics only per school.
enum class ExprContext : uint8_t { School, Kpi, KpiMet, Param, Benchmark, Test };

// Resolves and types one expression tree after check_ruleset(); the planner calls
// it on define bodies after substituting the arguments.
bool check_expression(const Ruleset& rs, Expr& e, ExprContext ctx, Diagnostics& diags);

// The root rule files under each path: a file is a root when it has a `ruleset` header.
// A folder is searched recursively for *.rules; a file path is taken as it is.
std::vector<std::string> find_root_files(const std::vector<std::string>& paths, Diagnostics& diags);

}  // namespace tr
