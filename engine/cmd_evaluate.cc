// `trustrules evaluate`: rules + data -> every school's standards, floors, tier and
// support, and the trust's KPIs and support capacity, as a table, JSON or CSV.
// Exit 0 when evaluated, 1 on errors in the rules or data (nothing evaluated),
// 2 on a usage error.
#include "command.h"
#include "eval_run.h"
#include "governance.h"
#include "progress.h"
#include "term.h"
#include "report.h"
#include "report_html.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <unistd.h>

namespace tr::cli {
namespace {

struct EvaluateOptions {
  RunOptions run;
  std::string format = "table";
  std::string out;
  GovernanceOptions gov;  // --store, --record, --require-approved (governance.h)
  bool quiet = false;     // no progress bar
  bool compact = false;   // JSON: one school per line
  std::string detail = "full";  // "summary": no values (EvalOptions::values)
};

bool stderr_color() {
  const char* no = std::getenv("NO_COLOR");
  return isatty(STDERR_FILENO) && !(no && *no);
}

// The last word of a run: an error, or which file was written.
int finish(const EvaluateOptions& o, const EvaluationResult& result, bool ok, const std::string& error) {
  if (!ok) {
    std::fprintf(stderr, "trustrules evaluate: error: %s\n", error.c_str());
    return kFailed;
  }
  if (!o.out.empty())
    std::fprintf(stderr, "wrote %s (%zu schools, as of %s)\n", o.out.c_str(), result.schools.size(),
                 to_string(result.as_of).c_str());
  return kOk;
}

int run_evaluate(const EvaluateOptions& o) {
  // By stage: reading a national data set is the long part. Drawn only when
  // stderr is a terminal; cleared before any message.
  Progress::set_quiet(o.quiet);
  Progress progress("Reading rules and data", 3);
  Run run;
  std::string messages;
  int rc = prepare_run(o.run, run, messages, stderr_color());
  progress.clear();
  std::fputs(messages.c_str(), stderr);
  if (rc != 0) return rc;
  EvaluationGovernance gov(o.gov);  // content hash, approval, run history
  messages.clear();
  rc = gov.before(run, messages);
  std::fputs(messages.c_str(), stderr);
  if (rc != 0) return rc;

  progress.tick();
  progress.set_label("Evaluating " + std::to_string(run.data.schools.size()) + " schools");
  EvalOptions eo = eval_options(run, o.run.jobs);
  eo.values = o.detail == "full";
  eo.content_hash = gov.content_hash();
  // JSON to a file, not recorded: each window of schools is written as soon as
  // it is evaluated and its explanations let go, so a national run holds only a
  // window of them. The file is committed only if the whole run succeeds.
  std::unique_ptr<AtomicFile> streamed;
  std::unique_ptr<JsonStream> js;
  bool stream_ok = true;
  std::string stream_error;
  if (o.format == "json" && !o.out.empty() && !gov.records()) {
    streamed = std::make_unique<AtomicFile>();
    if (!streamed->open(o.out, stream_error)) {
      std::fprintf(stderr, "trustrules evaluate: error: %s\n", stream_error.c_str());
      return kFailed;
    }
    eo.on_window = [&](EvaluationResult& so_far, size_t first, size_t count) {
      if (first == 0) {
        gov.stamp(so_far);
        js = std::make_unique<JsonStream>(JsonOptions{o.compact, so_far.jobs},
                                          [f = streamed.get()](std::string_view piece) { return f->write(piece); });
        stream_ok = stream_ok && js->head(so_far);
      }
      stream_ok = stream_ok && js->schools(so_far, first, count);
    };
  }
  EvaluationResult result = evaluate(run.plan, eo);
  if (!result.script_errors.empty()) {  // not a valid result: nothing is recorded or written
    progress.clear();
    constexpr size_t kShown = 20;
    for (size_t i = 0; i < result.script_errors.size() && i < kShown; ++i)
      std::fprintf(stderr, "trustrules evaluate: error: %s\n", result.script_errors[i].c_str());
    if (result.script_errors.size() > kShown)
      std::fprintf(stderr, "trustrules evaluate: ... and %zu more Lua errors\n", result.script_errors.size() - kShown);
    std::fprintf(stderr, "trustrules evaluate: a Lua script failed; nothing was recorded\n");
    return kFailed;
  }
  messages.clear();
  rc = gov.after(run, result, messages);
  progress.clear();
  std::fputs(messages.c_str(), stderr);
  if (rc != 0) return rc;
  progress.tick();
  progress.set_label("Writing the report");

  if (streamed) {
    // A failed write stopped the stream; commit() then fails, says why and removes the file.
    stream_ok = stream_ok && js && js->tail(result);
    if (stream_ok) stream_ok = streamed->commit(stream_error);
    else stream_error = "cannot write " + o.out + ": " + std::strerror(streamed->write_error());
    progress.done();
    return finish(o, result, stream_ok, stream_error);  // not committed: the temporary file is removed
  }
  if (o.format == "json") {
    // Streamed: a national run's JSON is never held whole in memory.
    JsonOptions jo;
    jo.compact = o.compact;
    jo.jobs = result.jobs;
    bool ok = false;
    std::string error;
    if (o.out.empty()) {
      ok = write_json(result, jo, [](std::string_view piece) {
        return std::fwrite(piece.data(), 1, piece.size(), stdout) == piece.size();
      }) && std::fflush(stdout) == 0;
      error = "cannot write to standard output";
    } else {
      AtomicFile f;
      if (f.open(o.out, error)) {
        // A failed write stops the stream; commit() then says why and removes the file.
        write_json(result, jo, [&](std::string_view piece) { return f.write(piece); });
        ok = f.commit(error);
      }
    }
    progress.done();
    return finish(o, result, ok, error);
  }
  std::string text = o.format == "csv" ? report_csv(result)
                     : o.format == "html" ? report_html(result, *run.rules, run.data, html_report_options(gov.store_path(), result))
                                         : report_table(result, o.out.empty() && use_color(stdout));
  progress.done();
  if (o.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0 ? kOk : kFailed;
  }
  std::string error;
  bool ok = write_file_atomically(o.out, text, error);
  return finish(o, result, ok, error);
}

Register reg("evaluate", [](CLI::App& app) -> Action {
  auto o = std::make_shared<EvaluateOptions>();
  auto* sub = app.add_subcommand("evaluate", "Evaluate the rules for every school: standards, floors, tiers, KPIs");
  sub->add_option("--rules", o->run.rules, "Ruleset root file, or a folder with one root file")->capture_default_str();
  sub->add_option("--data", o->run.data, "Data files or folders (default: samples/trust)")->expected(1, -1);
  sub->add_option("--as-of", o->run.as_of,
                  "Evaluate as of this year or term, e.g. 2024-25 or \"2024-25 spring\" "
                  "(default: the latest period in the data, not after the ruleset's year)");
  sub->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"table", "json", "csv", "html"}))
      ->capture_default_str();
  sub->add_option("--detail", o->detail,
                  "full: each result lists the values it used, with file, row and column; "
                  "summary: statuses, reasons, tiers and KPIs only (for national runs)")
      ->check(CLI::IsMember({"full", "summary"}))
      ->capture_default_str();
  sub->add_flag("--compact", o->compact,
                "JSON: no indentation, one school per line (half the size; for national runs)");
  sub->add_option("--out", o->out, "Write to this file (atomically) instead of standard output");
  sub->add_option("--jobs,-j", o->run.jobs, "Worker threads (default: one per core); output never depends on it")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--store", o->gov.store, "Read approvals from, and record the run in, this history store");
  sub->add_flag("--record", o->gov.record,
                "Record the run in the history store (default: .trustrules/history.db beside the root rule file)");
  sub->add_flag("--quiet,-q", o->quiet, "No progress bar (it is drawn only when stderr is a terminal anyway)");
  sub->add_flag("--require-approved", o->gov.require_approved, "Refuse to evaluate rules the board has not approved");
  sub->footer(
      "Each metric is read as its latest value at or before the as-of period; its age is reported.\n"
      "JSON schema: docs/json-schema.md. Explain one school: trustrules explain --school URN.\n"
      "Exit status: 0 evaluated, 1 errors in the rules or data (nothing evaluated), 2 usage error.");
  return [o] { return run_evaluate(*o); };
});

}  // namespace
}  // namespace tr::cli
