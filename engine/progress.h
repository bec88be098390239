// A progress bar on stderr for long loads and evaluations:
//
//   Progress p("Evaluating", schools.size());   // draws nothing unless stderr is a terminal
//   for (...) { ...; p.tick(); }                // thread-safe; redraws at most ~10 times a second
//   p.done();                                   // or let the destructor clear the line
//
// It is quiet when stderr is not a terminal (CI logs, redirects), when TERM is
// dumb, and after Progress::set_quiet(true) (`--quiet`). Output on stdout is
// never touched, so a report piped elsewhere is unaffected. Before printing
// other messages to stderr while a bar is shown, call clear().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace tr {

class Progress {
 public:
  // `total` 0 means unknown: a counter instead of a bar.
  Progress(std::string label, size_t total);
  // For tests: draw to `out` regardless of whether it is a terminal.
  Progress(std::string label, size_t total, std::FILE* out, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void tick(size_t n = 1);
  void set_label(std::string label);  // a new stage of the same run
  void set_total(size_t total);
  void clear();                       // erase the line (it is redrawn on the next tick)
  void done();                        // erase the line for good
  bool enabled() const { return enabled_; }

  static void set_quiet(bool quiet);  // process-wide: `--quiet`
  static bool quiet();

  // The bar as drawn, without the carriage return; exposed for tests.
  static std::string render(const std::string& label, size_t count, size_t total, size_t width = 24);

 private:
  void draw(bool force);

  std::string label_;
  std::atomic<size_t> count_{0};
  std::atomic<size_t> total_{0};
  std::FILE* out_;
  bool enabled_;
  bool shown_ = false;
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace tr
