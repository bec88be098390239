// The progress bar: drawn only where asked, quiet otherwise.
#include "progress.h"

#include <catch2/catch.hpp>

#include <string>

using namespace tr;

namespace {

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

}  // namespace

TEST_CASE("the bar is drawn from the count and total", "[progress]") {
  CHECK(Progress::render("Evaluating", 0, 4, 8) == "Evaluating [........] 0/4");
  CHECK(Progress::render("Evaluating", 2, 4, 8) == "Evaluating [####....] 2/4");
  CHECK(Progress::render("Evaluating", 9, 4, 8) == "Evaluating [########] 4/4");
  CHECK(Progress::render("Reading", 12, 0) == "Reading 12…");
}

TEST_CASE("an enabled bar redraws in place and clears its line", "[progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    Progress p("Evaluating", 2, f, true);
    p.tick();
    p.tick();  // the last tick always draws
  }
  std::string out = contents(f);
  CHECK(out.find("\rEvaluating [") != std::string::npos);
  CHECK(out.find("] 2/2") != std::string::npos);
  CHECK(out.size() >= 4);
  CHECK(out.substr(out.size() - 4) == "\r\x1b[K");  // cleared when done
  std::fclose(f);
}

TEST_CASE("a disabled bar writes nothing", "[progress]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    Progress p("Evaluating", 3, f, false);
    p.tick(3);
    p.set_label("Writing");
    p.clear();
  }
  CHECK(contents(f).empty());
  std::fclose(f);
  // Under the test runner stderr is not a terminal, so the default bar is off;
  // and --quiet turns it off anyway.
  Progress::set_quiet(true);
  Progress quiet("Evaluating", 3);
  CHECK_FALSE(quiet.enabled());
  Progress::set_quiet(false);
}
