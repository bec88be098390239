// `trustrules explain --school URN`: the full trace of one school's evaluation —
// every standard, floor and descriptor with its expression, the values it used
// (file, row, column, period, age), benchmarks, how unknowns resolved, and how
// the tier was decided. Same inputs as `evaluate`. Exit 0, 1 on errors in the
// rules or data or an unknown URN, 2 on a usage error.
#include "command.h"
#include "eval_run.h"
#include "report.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <unistd.h>

namespace tr::cli {
namespace {

struct ExplainOptions {
  RunOptions run;
  std::string school;
  std::string out;
};

int run_explain(const ExplainOptions& o) {
  Run run;
  std::string messages;
  const char* no = std::getenv("NO_COLOR");
  int rc = prepare_run(o.run, run, messages, isatty(STDERR_FILENO) && !(no && *no));
  std::fputs(messages.c_str(), stderr);
  if (rc != 0) return rc;
  int index = run.data.school_index(o.school);
  if (index < 0) {
    std::vector<std::string> urns;
    for (const auto& s : run.data.schools) urns.push_back(s.urn);
    std::string near = did_you_mean(o.school, urns);
    std::fprintf(stderr, "trustrules explain: error: no school with URN %s in the data%s\n", o.school.c_str(),
                 near.empty() ? "" : ("; did you mean " + near + "?").c_str());
    return kFailed;
  }

  // Only this school is evaluated, with its trace.
  std::unique_ptr<LuaBridge> lua = run.lua ? run.lua() : nullptr;
  Evaluator ev(run.plan, run.as_of, lua.get());
  SchoolTrace trace;
  SchoolResult school = evaluate_school(ev, run.plan, index, &trace);
  EvaluationResult header;
  if (run.rules->header) {
    header.ruleset_name = run.rules->header->name;
    header.ruleset_version = run.rules->header->version;
    header.ruleset_year = run.rules->header->year;
  }
  header.as_of = run.as_of;
  std::string text = explain_school(run.plan, header, school, trace);
  if (o.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kOk : kFailed;
  }
  std::string error;
  if (!write_file_atomically(o.out, text, error)) {
    std::fprintf(stderr, "trustrules explain: error: %s\n", error.c_str());
    return kFailed;
  }
  return kOk;
}

Register reg("explain", [](CLI::App& app) -> Action {
  auto o = std::make_shared<ExplainOptions>();
  auto* sub = app.add_subcommand("explain", "Explain one school's results, down to the data cells they came from");
  sub->add_option("--school", o->school, "The school's URN")->required();
  sub->add_option("--rules", o->run.rules, "Ruleset root file, or a folder with one root file")->capture_default_str();
  sub->add_option("--data", o->run.data, "Data files or folders (default: samples/trust)")->expected(1, -1);
  sub->add_option("--as-of", o->run.as_of, "Evaluate as of this year or term (default: as `evaluate`)");
  sub->add_option("--out", o->out, "Write to this file (atomically) instead of standard output");
  sub->footer("Exit status: 0 explained, 1 errors in the rules or data or no such school, 2 usage error.");
  return [o] { return run_explain(*o); };
});

}  // namespace
}  // namespace tr::cli
