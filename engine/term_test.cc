// Colour only for a terminal that wants it: NO_COLOR, TERM=dumb and anything
// that is not a terminal get plain text.
#include "term.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

using namespace tr;

namespace {

// Sets an environment variable for one scope, restoring it after.
struct EnvVar {
  std::string name;
  std::optional<std::string> old;
  EnvVar(const char* n, const char* value) : name(n) {
    if (const char* v = std::getenv(n)) old = v;
    if (value) ::setenv(n, value, 1);
    else ::unsetenv(n);
  }
  ~EnvVar() {
    if (old) ::setenv(name.c_str(), old->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("no colour for files, dumb terminals or NO_COLOR", "[term]") {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    EnvVar term("TERM", "xterm-256color");
    EnvVar no("NO_COLOR", nullptr);
    CHECK_FALSE(use_color(f));  // a file is not a terminal
  }
  {
    EnvVar no("NO_COLOR", "1");
    CHECK_FALSE(use_color(stdout));
    CHECK_FALSE(use_color(stderr));
  }
  {
    EnvVar term("TERM", "dumb");
    CHECK_FALSE(use_color(stdout));
  }
  {
    EnvVar term("TERM", nullptr);
    CHECK_FALSE(use_color(stdout));
  }
  CHECK_FALSE(use_color(nullptr));
  std::fclose(f);
}

TEST_CASE("paint wraps text in ANSI codes only when on", "[term]") {
  CHECK(paint("not met", Paint::Red, false) == "not met");
  CHECK(paint("not met", Paint::Red, true) == "\x1b[31mnot met\x1b[0m");
  CHECK(paint("", Paint::Bold, true) == "");
  CHECK(visible_width(paint("Tier 3 – Reinvent", Paint::Bold, true)) == 17);
  CHECK(visible_width("plain") == 5);
}
