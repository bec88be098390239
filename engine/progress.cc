// The stderr progress bar (see progress.h).
#include "progress.h"

#include "term.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace tr {

namespace {

std::atomic<bool> g_quiet{false};

// A progress bar redraws with \r, which only makes sense on a terminal that
// understands it; colour is irrelevant, so NO_COLOR does not silence it.
bool terminal(std::FILE* f) {
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return f && ::isatty(::fileno(f));
}

constexpr auto kRedraw = std::chrono::milliseconds(100);

}  // namespace

void Progress::set_quiet(bool quiet) { g_quiet = quiet; }
bool Progress::quiet() { return g_quiet; }

Progress::Progress(std::string label, size_t total) : Progress(std::move(label), total, stderr, !g_quiet && terminal(stderr)) {}

Progress::Progress(std::string label, size_t total, std::FILE* out, bool enabled)
    : label_(std::move(label)), total_(total), out_(out), enabled_(enabled && out != nullptr) {
  draw(true);
}

Progress::~Progress() { done(); }

std::string Progress::render(const std::string& label, size_t count, size_t total, size_t width) {
  std::string s = label + " ";
  if (total == 0) return s + std::to_string(count) + "…";
  if (count > total) count = total;
  size_t filled = width * count / total;
  s += "[";
  s += std::string(filled, '#');
  s += std::string(width - filled, '.');
  s += "] " + std::to_string(count) + "/" + std::to_string(total);
  return s;
}

void Progress::draw(bool force) {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (!force && shown_ && now - last_ < kRedraw && count_ < total_) return;
  last_ = now;
  std::string line = render(label_, count_, total_);
  // \r and "erase to end of line": the new line may be shorter than the old one.
  std::fprintf(out_, "\r%s\x1b[K", line.c_str());
  std::fflush(out_);
  shown_ = true;
}

void Progress::tick(size_t n) {
  count_ += n;
  draw(false);
}

void Progress::set_label(std::string label) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    label_ = std::move(label);
  }
  draw(true);
}

void Progress::set_total(size_t total) {
  total_ = total;
  draw(true);
}

void Progress::clear() {
  if (!enabled_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (!shown_) return;
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
  shown_ = false;
}

void Progress::done() {
  clear();
  enabled_ = false;
}

}  // namespace tr
