// Speed at England scale: the engine against hand-written baselines on the
// same synthetic files, end to end: read, check, plan, evaluate, write JSON.
// Two scenarios, each at every size:
//   rules/dfe          the DfE floor standard and coasting definition on KS2
//                      final tables (bench/england_gen.h, bench/baseline_dfe.h)
//   rules/trust.rules  the trust's tiers — best fit over the descriptors,
//                      floors, overrides, the Lua attendance risk — on a trust's
//                      files (bench/trust_gen.h, bench/baseline_tiers.h)
// Per stage: wall time, schools per second and peak memory (VmHWM); the
// engine/baseline ratio; and the two programs' answers compared school by
// school (exit 1 on any disagreement). Each program runs in its own forked
// child, so each peak is its own.
//
//   bench_england [--schools N]... [--years Y] [--jobs J] [--dir DIR] [--keep] [--quick]
//                 [--only dfe|trust] [--stale-ks2]
//
// Default sizes 1000, 10000, 25000, 100000 schools x 3 years; --quick is 200
// schools and no extra figures (the smoke test). Also prints `check` on the
// shipped rules and a 60-school trust evaluated on the full tier rules with the
// HTML report. --stale-ks2 drops ~2% of primaries from the latest KS2 table
// (the engine and baseline differ there: see the README's Performance section).
#include "bench/england_gen.h"
#include "bench/england_run.h"
#include "bench/trust_gen.h"
#include "bench/trust_run.h"

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>

namespace fs = std::filesystem;
using namespace bench;

namespace {

// Runs `f` in a child process; its Outcome comes back over a pipe.
Outcome in_child(const std::function<Outcome()>& f) {
  int fds[2];
  if (pipe(fds) != 0) return Outcome{"pipe failed", {}, {}, 0, 0};
  std::fflush(stdout);
  // The generator's freed heap would come along into the child as resident
  // pages and count in its peak, by how much depending on what ran before.
  malloc_trim(0);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Outcome o = f();
    std::string text;
    if (!o.error.empty()) {
      std::string e = o.error;
      std::replace(e.begin(), e.end(), '\n', ' ');
      text += "E " + e + "\n";
    }
    for (const auto& s : o.stages) text += "S " + s.name + " " + std::to_string(s.ms) + " " + std::to_string(s.peak_mb) + "\n";
    text += "N " + std::to_string(o.schools) + " " + std::to_string(o.output_bytes) + "\n";
    for (const auto& a : o.answers) text += "A " + a + "\n";
    for (size_t done = 0; done < text.size();) {
      ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[1 << 16];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome o;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) o.error = "the child process failed";
  size_t at = 0;
  while (at < text.size()) {
    size_t e = text.find('\n', at);
    std::string line = text.substr(at, e - at);
    at = e == std::string::npos ? text.size() : e + 1;
    if (line.size() < 2) continue;
    std::string rest = line.substr(2);
    if (line[0] == 'E') o.error = rest;
    if (line[0] == 'A') o.answers.push_back(rest);
    if (line[0] == 'N') std::sscanf(rest.c_str(), "%zu %zu", &o.schools, &o.output_bytes);
    if (line[0] == 'S') {
      char name[64];
      Stage s;
      if (std::sscanf(rest.c_str(), "%63s %lf %lf", name, &s.ms, &s.peak_mb) == 3) o.stages.push_back({name, s.ms, s.peak_mb});
    }
  }
  return o;
}

double total_ms(const Outcome& o) {
  double t = 0;
  for (const auto& s : o.stages) t += s.ms;
  return t;
}

void print_rows(const char* who, const Outcome& o, size_t schools) {
  auto row = [&](const std::string& stage, double ms, double mb) {
    double per_s = ms > 0 ? static_cast<double>(schools) / (ms / 1000.0) : 0;
    std::printf("  %-9s %-9s %10.1f %12.0f %9.1f\n", who, stage.c_str(), ms, per_s, mb);
  };
  for (const auto& s : o.stages) row(s.name, s.ms, s.peak_mb);
  row("total", total_ms(o), o.stages.empty() ? 0 : o.stages.back().peak_mb);
}

double input_mb(const std::vector<std::string>& paths) {
  double b = 0;
  for (const auto& p : paths) b += static_cast<double>(fs::file_size(p));
  return b / (1024.0 * 1024.0);
}

// Outcome tallies from one side's answers: "floor met", "coasting unknown", ...
std::string tally(const Outcome& o) {
  std::map<std::string, int> n;
  for (const auto& a : o.answers) {
    size_t sp = a.find(' '), slash = a.find(" / ");
    ++n["floor " + a.substr(sp + 1, slash - sp - 1)];
    ++n["coasting " + a.substr(slash + 3)];
  }
  std::string out;
  for (const auto& [k, v] : n) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(v);
  return out;
}

std::string tier_tally(const Outcome& o) {
  std::string out;
  for (const auto& [k, v] : tier_counts(o)) out += (out.empty() ? "" : ", ") + k + " " + std::to_string(v);
  return out;
}

// The rows of one size, the ratio line and the agreement line; false on a disagreement.
// `eng` is the full detail (every value with its file, row and column, the
// default), `sum` the same run with `--detail summary`; both are held to the
// baseline's answers.
bool print_size(const Outcome& eng, const Outcome& sum, const Outcome& base, double mb,
                const std::string& tally_text) {
  print_rows("engine", eng, eng.schools);
  print_rows("summary", sum, sum.schools);
  print_rows("baseline", base, base.schools);
  for (const Outcome* o : {&eng, &sum})
    std::printf("  %s: ratio engine/baseline %.2fx (end to end); peak %.2fx the input; output %.1f MB; %zu vs %zu schools\n",
                o == &eng ? "full detail" : "summary", total_ms(*o) / std::max(total_ms(base), 0.001),
                o->stages.back().peak_mb / std::max(mb, 0.001), static_cast<double>(o->output_bytes) / (1024.0 * 1024.0),
                o->schools, base.schools);
  bool agree = true;
  for (const Outcome* o : {&eng, &sum}) {
    std::vector<std::string> diff = disagreements(*o, base);
    if (diff.empty()) continue;
    agree = false;
    std::printf("  DISAGREE (%s; first %zu differences):\n", o == &eng ? "full detail" : "summary", diff.size());
    for (const auto& d : diff) std::printf("    %s\n", d.c_str());
  }
  if (agree) std::printf("  agree on all %zu schools (full and summary): %s\n", base.answers.size(), tally_text.c_str());
  return agree;
}

bool child_errors(const Outcome& base, const Outcome& eng, const Outcome& sum) {
  if (base.error.empty() && eng.error.empty() && sum.error.empty()) return false;
  std::fprintf(stderr, "bench_england: baseline: %s\nbench_england: engine: %s\nbench_england: summary: %s\n",
               base.error.c_str(), eng.error.c_str(), sum.error.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes;
  int years = 3, jobs = 0;
  bool quick = false, keep = false, stale_ks2 = false;
  std::string only;
  std::string dir = (fs::temp_directory_path() / ("trustrules-bench-" + std::to_string(getpid()))).string();
  std::string src = TRUSTRULES_SOURCE_DIR;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench_england: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--schools") sizes.push_back(std::atoi(value().c_str()));
    else if (a == "--years") years = std::atoi(value().c_str());
    else if (a == "--jobs") jobs = std::atoi(value().c_str());
    else if (a == "--dir") dir = value();
    else if (a == "--quick") quick = true;
    else if (a == "--keep") keep = true;
    else if (a == "--stale-ks2") stale_ks2 = true;
    else if (a == "--only") only = value();
    else {
      std::fprintf(stderr, "usage: bench_england [--schools N]... [--years Y] [--jobs J] [--dir DIR] [--keep] [--quick] "
                           "[--only dfe|trust] [--stale-ks2]\n");
      return 2;
    }
  }
  if (sizes.empty()) sizes = quick ? std::vector<int>{200} : std::vector<int>{1000, 10000, 25000, 100000};
  const std::string rules = src + "/rules/dfe/dfe.rules";
  const std::string headers = std::string(TRUSTRULES_SHARED_DATA) + "/dfe-ks2/hampshire-850";
  bool agree_all = true;

  if (only != "trust") {
    std::printf("rules/dfe (floor + coasting), %d year(s) of KS2 final tables; engine jobs %d (0 = one per core)\n",
                years, jobs);
    std::printf("  %-9s %-9s %10s %12s %9s\n", "program", "stage", "wall ms", "schools/s", "peak MB");
  }
  for (int n : only == "trust" ? std::vector<int>{} : sizes) {
    GenOptions g;
    g.schools = n;
    g.years = years;
    g.header_dir = headers;
    g.out_dir = dir + "/" + std::to_string(n);
    fs::create_directories(g.out_dir);
    std::string error;
    std::vector<std::string> paths = generate_england(g, error);
    if (paths.empty()) {
      std::fprintf(stderr, "bench_england: %s\n", error.c_str());
      return 1;
    }
    double mb = input_mb(paths);
    ::sync();  // the generator's writes go to disk now, not during the first timed run
    Outcome base = in_child([&] { return run_baseline(paths, g.out_dir + "/baseline.json"); });
    Outcome eng = in_child([&] { return run_engine(rules, paths, g.out_dir + "/engine.json", false, jobs); });
    Outcome sum = in_child(
        [&] { return run_engine(rules, paths, g.out_dir + "/summary.json", false, jobs, dfe_answer, false); });
    std::printf("%d schools x %d years, input %.1f MB\n", n, years, mb);
    if (child_errors(base, eng, sum)) return 1;
    agree_all = print_size(eng, sum, base, mb, tally(base)) && agree_all;
  }

  // The trust's tier rules on a trust's files, at the same sizes.
  const std::string trust_rules = src + "/rules/trust.rules";
  auto trust_files = [&](int n, const std::string& out_dir) {
    TrustGenOptions t;
    t.schools = n;
    t.years = years;
    t.stale_ks2 = stale_ks2;
    t.out_dir = out_dir;
    fs::create_directories(out_dir);
    std::string error;
    std::vector<std::string> paths = generate_trust(t, error);
    if (paths.empty()) std::fprintf(stderr, "bench_england: %s\n", error.c_str());
    return paths;
  };
  if (only != "dfe") {
    std::printf("rules/trust.rules (tiers: best fit, floors, overrides, Lua), %d year(s) of trust files; engine jobs %d\n",
                years, jobs);
    std::printf("  %-9s %-9s %10s %12s %9s\n", "program", "stage", "wall ms", "schools/s", "peak MB");
  }
  for (int n : only == "dfe" ? std::vector<int>{} : sizes) {
    std::string out_dir = dir + "/trust-" + std::to_string(n);
    std::vector<std::string> paths = trust_files(n, out_dir);
    if (paths.empty()) return 1;
    double mb = input_mb(paths);
    ::sync();
    Outcome base = in_child([&] { return run_tier_baseline(paths, out_dir + "/baseline.json"); });
    Outcome eng = in_child([&] { return run_engine(trust_rules, paths, out_dir + "/engine.json", false, jobs, tier_answer); });
    Outcome sum = in_child(
        [&] { return run_engine(trust_rules, paths, out_dir + "/summary.json", false, jobs, tier_answer, false); });
    std::printf("%d schools x %d years, input %.1f MB\n", n, years, mb);
    if (child_errors(base, eng, sum)) return 1;
    agree_all = print_size(eng, sum, base, mb, tier_tally(base)) && agree_all;
  }

  if (!quick) {
    // `check` on the shipped rules: load + check of each root, best of 5.
    for (const char* root : {"/rules/trust.rules", "/rules/dfe/dfe.rules"}) {
      double best = 1e9;
      for (int k = 0; k < 5; ++k) {
        auto t0 = std::chrono::steady_clock::now();
        tr::Diagnostics d;
        auto rs = tr::load_ruleset(src + root, d);
        if (rs && !d.has_errors()) tr::check_ruleset(*rs, d);
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      std::printf("check %-22s %8.1f ms (best of 5)\n", root + 1, best);
    }
    // A 60-school trust on the full tier rules with the HTML report, end to end.
    std::string out_dir = dir + "/trust-60-html";
    std::vector<std::string> paths = trust_files(60, out_dir);
    if (paths.empty()) return 1;
    // Best of 5, as for check: at this size one run is mostly the machine's
    // noise (a national run's output still being written back, say).
    Outcome html;
    for (int i = 0; i < 5; ++i) {
      Outcome o = in_child([&] { return run_engine(trust_rules, paths, out_dir + "/report.html", true, jobs, tier_answer); });
      if (!o.error.empty()) {
        std::fprintf(stderr, "bench_england: html: %s\n", o.error.c_str());
        return 1;
      }
      if (i == 0 || total_ms(o) < total_ms(html)) html = std::move(o);
    }
    std::printf("60-school trust, rules/trust.rules, HTML report (%.0f KB): %.1f ms end to end, best of 5 (",
                static_cast<double>(html.output_bytes) / 1024.0, total_ms(html));
    for (size_t i = 0; i < html.stages.size(); ++i)
      std::printf("%s%s %.1f", i ? ", " : "", html.stages[i].name.c_str(), html.stages[i].ms);
    std::printf(")\n");
  }
  if (!keep) fs::remove_all(dir);
  return agree_all ? 0 : 1;
}
