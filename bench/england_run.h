// One timed run of the engine, and one of the hand-written baseline
// (baseline_dfe.h), over the same KS2 files: per-stage wall time and peak
// memory, the output written, and each school's answers (floor and coasting
// here; the tiers in trust_run.h) so the two can be compared school by school.
// Shared by bench_england and the benchmark's smoke test (tests/bench_smoke_test.cc).
#pragma once

#include "bench/baseline_dfe.h"

#include "atomic_file.h"
#include "diagnostics.h"
#include "eval_lua.h"
#include "eval_run.h"
#include "evaluate.h"
#include "plan.h"
#include "report.h"
#include "report_html.h"
#include "result.h"
#include "ruleset.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bench {

struct Stage {
  std::string name;
  double ms = 0;
  double peak_mb = 0;  // VmHWM after the stage (a high-water mark: it never falls)
};

struct Outcome {
  std::string error;               // empty: ran
  std::vector<Stage> stages;
  std::vector<std::string> answers;  // "URN floor-status coasting-status", sorted
  size_t schools = 0;
  size_t output_bytes = 0;
};

inline double peak_mb() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  return 0;
}

class StageClock {
 public:
  explicit StageClock(Outcome& o) : o_(o), t0_(std::chrono::steady_clock::now()) {}
  void done(const char* name) {
    auto t1 = std::chrono::steady_clock::now();
    o_.stages.push_back({name, std::chrono::duration<double, std::milli>(t1 - t0_).count(), peak_mb()});
    t0_ = std::chrono::steady_clock::now();
  }

 private:
  Outcome& o_;
  std::chrono::steady_clock::time_point t0_;
};

inline std::string answer(const std::string& urn, const char* floor, const char* coasting) {
  return urn + " " + floor + " / " + coasting;
}

// The baseline's output, flushed to disk as the engine's is (AtomicFile
// fsyncs before it renames), so that both pay for durable output.
inline bool write_text(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == text.size() && ::fsync(fd) == 0;
  return ::close(fd) == 0 && ok;
}

// One school's answer line, to compare with the baseline's; each scenario
// (rules/dfe, the trust tiers) says what it compares.
using EngineAnswer = std::function<std::string(const tr::SchoolResult&)>;

inline std::string dfe_answer(const tr::SchoolResult& s) {
  const char *floor = "absent", *coasting = "absent";
  for (const auto& r : s.results) {
    if (r.id == "ks2_floor") floor = tr::result_status_words(r.status);
    if (r.id == "ks2_coasting") coasting = tr::result_status_words(r.status);
  }
  return answer(s.urn, floor, coasting);
}

// The engine through the library calls `trustrules evaluate` makes: load and
// check the rules, read the data, plan, evaluate, write JSON (or the HTML report).
inline Outcome run_engine(const std::string& root, const std::vector<std::string>& paths,
                          const std::string& out_path, bool html = false, int jobs = 0,
                          const EngineAnswer& answer_of = dfe_answer, bool values = true) {
  Outcome o;
  StageClock clock(o);
  tr::Diagnostics d;
  std::unique_ptr<tr::Ruleset> rs = tr::load_ruleset(root, d);
  if (rs && !d.has_errors()) tr::check_ruleset(*rs, d);
  if (!rs || d.has_errors()) {
    o.error = "rules: " + d.render(rs ? rs->sources : tr::SourceFiles{});
    return o;
  }
  clock.done("check");
  tr::Dataset ds;
  if (!tr::load_data(*rs, paths, ds, d)) {
    o.error = "data: " + d.render(rs->sources);
    return o;
  }
  clock.done("read");
  tr::Plan plan;
  if (!tr::build_plan(*rs, ds, plan, d)) {
    o.error = "plan: " + d.render(rs->sources);
    return o;
  }
  clock.done("plan");
  tr::EvalOptions eo;
  eo.as_of = tr::default_as_of(*rs, ds);
  eo.jobs = jobs;
  eo.lua = tr::make_lua_bridge_factory(plan);
  eo.values = values;  // false: `evaluate --detail summary`
  // As `trustrules evaluate --format json --compact --out FILE` writes it: each
  // window of schools streamed to a temporary file as soon as it is evaluated
  // (and its explanations let go), flushed to disk, renamed into place. The time
  // spent writing windows is the write stage's, not the evaluation's.
  tr::AtomicFile f;
  std::string error;
  if (!f.open(out_path, error)) o.error = error;
  auto sink = [&](std::string_view piece) {
    o.output_bytes += piece.size();
    return f.write(piece);
  };
  std::unique_ptr<tr::JsonStream> js;
  double write_ms = 0;
  auto ms_since = [](std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  };
  if (!html) eo.on_window = [&](tr::EvaluationResult& r, size_t first, size_t count) {
    for (size_t i = first; i < first + count; ++i) o.answers.push_back(answer_of(r.schools[i]));
    auto t0 = std::chrono::steady_clock::now();
    if (first == 0) {
      js = std::make_unique<tr::JsonStream>(tr::JsonOptions{true, r.jobs}, sink);
      js->head(r);
    }
    js->schools(r, first, count);
    write_ms += ms_since(t0);
  };
  auto t_eval = std::chrono::steady_clock::now();
  tr::EvaluationResult result = tr::evaluate(plan, eo);
  double eval_ms = ms_since(t_eval) - write_ms;
  o.stages.push_back({"evaluate", eval_ms, peak_mb()});
  auto t_write = std::chrono::steady_clock::now();
  if (html) {  // the report needs every school's results: no windows
    sink(tr::report_html(result, *rs, ds));
    for (const auto& sr : result.schools) o.answers.push_back(answer_of(sr));
  } else if (js) {
    js->tail(result);
  }
  if (o.error.empty() && !f.commit(error)) o.error = error;
  o.stages.push_back({"write", write_ms + ms_since(t_write), peak_mb()});
  o.schools = result.schools.size();
  std::sort(o.answers.begin(), o.answers.end());
  return o;
}

// One timed run of a hand-written baseline (its Data type and its read,
// evaluate and json functions): read, evaluate, write its JSON, and each
// school's answer line.
template <typename Data, typename Read, typename Evaluate, typename Json, typename Answer>
Outcome run_timed_baseline(const std::vector<std::string>& paths, const std::string& out_path, Read read,
                           Evaluate evaluate, Json json, Answer answer_of) {
  Outcome o;
  StageClock clock(o);
  Data data;
  if (!read(paths, data, o.error)) return o;
  clock.done("read");
  auto rs = evaluate(data);
  clock.done("evaluate");
  std::string text = json(rs);
  if (!write_text(out_path, text)) o.error = "cannot write " + out_path;
  o.output_bytes = text.size();
  clock.done("write");
  o.schools = rs.size();
  for (const auto& r : rs) o.answers.push_back(answer_of(r));
  std::sort(o.answers.begin(), o.answers.end());
  return o;
}

inline Outcome run_baseline(const std::vector<std::string>& paths, const std::string& out_path) {
  return run_timed_baseline<baseline::Data>(
      paths, out_path, baseline::read, baseline::evaluate, baseline::json, [](const baseline::Result& r) {
        return answer(*r.urn, baseline::status_name(r.floor), baseline::status_name(r.coasting));
      });
}

// The schools whose answers differ (either side's line), at most `limit` of them.
inline std::vector<std::string> disagreements(const Outcome& engine, const Outcome& base, size_t limit = 20) {
  std::vector<std::string> out;
  size_t i = 0, j = 0;
  while ((i < engine.answers.size() || j < base.answers.size()) && out.size() < limit) {
    if (j >= base.answers.size() || (i < engine.answers.size() && engine.answers[i] < base.answers[j])) {
      out.push_back("engine:   " + engine.answers[i++]);
    } else if (i >= engine.answers.size() || base.answers[j] < engine.answers[i]) {
      out.push_back("baseline: " + base.answers[j++]);
    } else {
      ++i, ++j;
    }
  }
  return out;
}

}  // namespace bench
