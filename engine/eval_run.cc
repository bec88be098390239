// Loading for `evaluate` and `explain` (see eval_run.h).
#include "eval_run.h"

#include "eval_lua.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tr {

namespace fs = std::filesystem;

EvalOptions eval_options(const Run& run, int jobs) {
  EvalOptions eo;
  eo.as_of = run.as_of;
  eo.jobs = jobs;
  eo.lua = run.lua;
  return eo;
}

int prepare_run(const RunOptions& opts, Run& run, std::string& messages, bool color) {
  std::error_code ec;
  if (!fs::exists(opts.rules, ec)) {
    messages += "trustrules: error: no such rules file or folder: " + opts.rules + "\n";
    return 2;
  }
  std::vector<std::string> data = opts.data.empty() ? std::vector<std::string>{"samples/trust"} : opts.data;
  for (const auto& p : data)
    if (!fs::exists(p, ec)) {
      messages += "trustrules: error: no such data file or folder: " + p + "\n";
      return 2;
    }

  // A folder means its root files; an evaluation needs exactly one.
  std::string root = opts.rules;
  if (fs::is_directory(opts.rules, ec)) {
    Diagnostics found;
    std::vector<std::string> roots = find_root_files({opts.rules}, found);
    if (found.has_errors() || found.warning_count()) messages += found.render(SourceFiles{}, color);
    if (roots.size() != 1) {
      messages += "trustrules: error: " + opts.rules + " holds " + std::to_string(roots.size()) +
                  " ruleset root files; an evaluation needs exactly one\n";
      for (const auto& r : roots) messages += "  " + r + "\n";
      messages += "hint: name the root file with --rules\n";
      return 2;
    }
    root = roots[0];
  }

  Diagnostics rd;
  run.rules = load_ruleset(root, rd);
  // Syntax errors lose declarations; checking would only add follow-on errors.
  if (run.rules && !rd.has_errors()) check_ruleset(*run.rules, rd);
  // Errors in full; warnings (an unused metric) are the rule author's business, so
  // a termly run only counts them and points at `check`.
  if (rd.has_errors()) {
    Diagnostics errors_only;
    for (const auto& [where, d] : rd.unplaced()) errors_only.error_at(where, d.message, d.hint);
    for (const auto& d : rd.all())
      if (d.severity == Severity::Error) errors_only.error(d.span, d.message, d.hint);
    messages += errors_only.render(run.rules ? run.rules->sources : SourceFiles{}, color);
  } else if (rd.warning_count()) {
    messages += "note: the rules have " + std::to_string(rd.warning_count()) + " warning" +
                (rd.warning_count() == 1 ? "" : "s") + "; run `trustrules check " + root + "` to see " +
                (rd.warning_count() == 1 ? "it" : "them") + "\n";
  }
  if (!run.rules || rd.has_errors()) {
    messages += "trustrules: the rules have errors; nothing was evaluated\n";
    return 1;
  }

  Diagnostics dd;
  LoadReport report;
  if (!load_data(*run.rules, data, run.data, dd, &report)) {
    messages += dd.render(run.rules->sources, color);
    messages += "trustrules: the data has errors; nothing was evaluated\n";
    return 1;
  }
  if (dd.warning_count()) messages += dd.render(run.rules->sources, color);
  for (const auto& w : report.warnings) messages += "warning: " + w + "\n";

  if (!opts.as_of.empty()) {
    if (!parse_period(opts.as_of, run.as_of)) {
      messages += "trustrules: error: --as-of '" + opts.as_of +
                  "' is not a period; write a year (2024-25) or a term (\"2024-25 summer\")\n";
      return 2;
    }
  } else {
    run.as_of = default_as_of(*run.rules, run.data);
  }

  Diagnostics pd;
  if (!build_plan(*run.rules, run.data, run.plan, pd)) {
    messages += pd.render(run.rules->sources, color);
    messages += "trustrules: the rules could not be planned; nothing was evaluated\n";
    return 1;
  }
  run.lua = make_lua_bridge_factory(run.plan);
  return 0;
}

}  // namespace tr
