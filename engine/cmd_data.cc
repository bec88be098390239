// `trustrules data [--rules PATH] PATH...`: what the engine reads from a set of
// data files, so a data lead can check an export before the termly run: which
// source read which file, rows and schools, periods, metrics found and absent,
// missing-value codes counted, warnings, and files no source matched.
// Exit 1 on any data (or rules) error, 2 on a usage error.
#include "command.h"
#include "dataset.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <unistd.h>

namespace tr::cli {

namespace {

struct DataOptions {
  std::string rules = "rules";
  std::vector<std::string> paths;
  bool verbose = false;
};

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::string plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

void print_files(const Ruleset& rs, const LoadReport& report, bool verbose) {
  // Files grouped under the source that read them, in source order.
  for (const Source* src : rs.data_sources) {
    fmt::print("  source {} \"{}\" (files \"{}\")\n", src->id.text, src->label, join(src->files, "\", \""));
    bool any = false;
    for (const auto& f : report.files) {
      if (f.source != src->id.text) continue;
      any = true;
      fmt::print("    {}\n", f.path);
      fmt::print("      period {}: {}", f.periods.empty() ? "-" : join(f.periods), plural(f.rows, "row", "rows"));
      std::vector<std::string> parts;
      if (src->role == SourceRole::Overrides) parts.push_back(plural(f.school_rows, "override", "overrides"));
      else parts.push_back(plural(f.school_rows, "school row", "school rows"));
      if (f.benchmark_rows) parts.push_back(plural(f.benchmark_rows, "benchmark row", "benchmark rows"));
      if (f.skipped_rows) parts.push_back(fmt::format("{} skipped", f.skipped_rows));
      fmt::print(" ({})\n", join(parts));
      fmt::print("      columns: {} found, {} absent\n", f.metrics_found.size(), f.metrics_absent.size());
      if (verbose)
        for (const auto& m : f.metrics_found) fmt::print("        found  {}\n", m);
      for (const auto& m : f.metrics_absent) fmt::print("        ABSENT {}\n", m);
      if (!f.codes.empty()) {
        std::vector<std::string> codes;
        for (const auto& [code, n] : f.codes) codes.push_back(fmt::format("{} {}", code, n));
        fmt::print("      codes: {}\n", join(codes));
      }
    }
    if (!any) fmt::print("    no file matched\n");
  }
}

void print_dataset(const Ruleset& rs, const Dataset& d, const LoadReport& report) {
  size_t named = 0, phased = 0, typed = 0, la = 0;
  for (const auto& s : d.schools) {
    named += !s.name.empty();
    phased += !s.phase.empty();
    typed += !s.type.empty();
    la += !s.la.empty();
  }
  fmt::print("  schools: {} (with name {}, phase {}, type {}, LA {})\n", d.schools.size(), named, phased, typed, la);

  std::set<std::pair<int, int>> periods;  // (key, term)
  for (const Cell& c : d.values.cells) periods.insert({c.period().key(), c.period().term});
  std::vector<std::string> ps;
  for (const auto& [key, term] : periods) {
    Period p{static_cast<int16_t>((key - (term == 0 ? 3 : term)) / 4), static_cast<uint8_t>(term)};
    ps.push_back(to_string(p));
  }
  fmt::print("  periods: {}\n", ps.empty() ? "none" : join(ps));

  // benchmark (and phase) -> periods; LA rows are counted rather than listed.
  std::map<std::pair<int, std::string>, std::set<std::pair<int, int>>> bench;
  std::map<int, std::set<std::string>> las;
  for (const auto& r : d.benchmarks) {
    bench[{r.benchmark, r.phase}].insert({r.period.key(), r.period.term});
    if (!r.la.empty()) las[r.benchmark].insert(r.la);
  }
  for (const auto& [k, pset] : bench) {
    const auto& [b, phase] = k;
    std::string name = b < static_cast<int>(rs.benchmark_ids.size()) ? rs.benchmark_ids[b] : std::to_string(b);
    if (!phase.empty()) name += " (" + phase + ")";
    if (las.count(b)) name += fmt::format(" ({})", plural(las[b].size(), "LA", "LAs"));
    std::vector<std::string> v;
    for (const auto& [key, term] : pset)
      v.push_back(to_string(Period{static_cast<int16_t>((key - (term == 0 ? 3 : term)) / 4), static_cast<uint8_t>(term)}));
    fmt::print("  benchmark {}: {}\n", name, join(v));
  }
  if (!d.overrides.empty()) fmt::print("  overrides: {}\n", d.overrides.size());
  if (!report.unmatched_files.empty()) {
    fmt::print("  not matched by any source:\n");
    for (const auto& f : report.unmatched_files) fmt::print("    {}\n", f);
  }
  if (!report.warnings.empty()) {
    fmt::print("  warnings:\n");
    for (const auto& w : report.warnings) fmt::print("    {}\n", w);
  }
}

int run_data(const DataOptions& opt) {
  namespace fs = std::filesystem;
  const bool color = isatty(2);
  for (const auto& p : opt.paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      fmt::print(stderr, "trustrules data: error: no such file or folder: {}\n", p);
      return kUsage;
    }
  }
  Diagnostics found;
  std::vector<std::string> roots = find_root_files({opt.rules}, found);
  if (found.has_errors() || roots.empty()) {
    fmt::print(stderr, "{}", found.render(SourceFiles{}, color));
    return kUsage;
  }

  bool failed = false;
  for (const auto& root : roots) {
    fmt::print("ruleset {}\n", root);
    Diagnostics rules_diags;
    auto rs = load_ruleset(root, rules_diags);
    if (!rs || rules_diags.has_errors() || !check_ruleset(*rs, rules_diags)) {
      // Only the errors: unused-metric warnings are the rule author's business, not the data lead's.
      Diagnostics errors_only;
      for (const auto& [where, d] : rules_diags.unplaced()) errors_only.error_at(where, d.message, d.hint);
      for (const auto& d : rules_diags.all())
        if (d.severity == Severity::Error) errors_only.error(d.span, d.message, d.hint);
      fmt::print(stderr, "{}", errors_only.render(rs ? rs->sources : SourceFiles{}, color));
      fmt::print("  the rules have errors: run `trustrules check {}`\n", root);
      failed = true;
      continue;
    }
    Dataset data;
    LoadReport report;
    Diagnostics data_diags;
    bool ok = load_data(*rs, opt.paths, data, data_diags, &report);
    print_files(*rs, report, opt.verbose);
    print_dataset(*rs, data, report);
    if (!ok) {
      std::fflush(stdout);
      fmt::print(stderr, "{}", data_diags.render(rs->sources, color));
      fmt::print("  {}: nothing would be evaluated until they are fixed\n",
                 plural(data_diags.error_count(), "data error", "data errors"));
      failed = true;
    } else {
      fmt::print("  no data errors\n");
    }
  }
  return failed ? kFailed : kOk;
}

Register reg("data", [](CLI::App& app) -> Action {
  auto opt = std::make_shared<DataOptions>();
  auto* sub = app.add_subcommand("data", "Show what the engine reads from data files (check an export)");
  sub->add_option("--rules", opt->rules, "Ruleset root file, or a folder of rules")->capture_default_str();
  sub->add_flag("-v,--verbose", opt->verbose, "List every column found, not only the absent ones");
  sub->add_option("paths", opt->paths, "Data files or folders")->required();
  return [opt] { return run_data(*opt); };
});

}  // namespace

}  // namespace tr::cli
