// Helpers for the checker's tests (checker_test.cc, checker_decls_test.cc): each
// test writes a root file (line 1 the header, line 2 `include "prelude.rules"`,
// the snippet from line 3), loads and checks it, and asserts the message, its
// line:col and its hint.
#pragma once

#include "ruleset.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

namespace tr::test {

using namespace tr;

namespace fs = std::filesystem;

inline const char* kPrelude = R"(scale ofsted "Ofsted judgement" {
  outstanding "Outstanding"
  good "Good"
  requires_improvement "Requires improvement"
  inadequate "Inadequate"
}
scale teaching_scale "Teaching" {
  strong "Strong"
  good "Good"
  poor "Poor"
}
scale safeguarding_scale "Safeguarding" {
  effective "Effective"
  ineffective "Ineffective"
}
metric rwm_expected "RWM" {
  type percent
  better higher
  groups disadvantaged, not_disadvantaged
  cadence annual
}
metric read_progress "Reading progress" {
  type score
  better higher
  confidence interval
}
metric attendance "Attendance" {
  type percent
  better higher
  cadence termly
}
metric persistent_absence "Persistent absence" {
  type percent
  better lower
  cadence termly
}
metric cohort "Cohort" {
  type count
}
metric exclusions "Exclusions" {
  type rate
  better lower
}
metric safeguarding "Safeguarding" {
  type grade on safeguarding_scale
}
metric teaching "Teaching" {
  type grade on teaching_scale
}
metric inspection "Inspection" {
  type grade on ofsted
}
metric sixth_form "Has a sixth form" {
  type yesno
}
source ks2 "KS2" {
  files "*.csv"
  key URN
  period from file name
  rows by RECTYPE {
    1: school "mainstream"
    5: national
  }
  missing {
    SUPP: "suppressed"
    blank: "missing"
  }
  columns {
    rwm_expected: PTRWM_EXP
  }
}
benchmark trust_target "Trust targets" {
  attendance: 96%
}
param close_margin "Close" = 2 points
param attendance_target "Target" = 95%
param min_cohort "Smallest cohort" = 11
define gap(m) "Gap" = m.not_disadvantaged - m.disadvantaged
define close_to(x, y) = abs(x - y) <= close_margin
define small_school = cohort < min_cohort
standard prelude_uses "Uses every name above, so that tests see no unused warnings" {
  met when read_progress > 0 and persistent_absence < 10% and exclusions < 1 and safeguarding is effective and teaching is good and inspection is good and sixth_form is yes and attendance > attendance_target
}
)";

inline fs::path scratch() {
  static fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("trustrules_checker_test_" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

inline void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

struct Run {
  std::unique_ptr<Ruleset> rs;
  Diagnostics diags;
  std::string rendered;
  bool ok = false;
};

// Loads and checks `body` as the root file; `files` are written next to it.
inline std::unique_ptr<Run> check_rules(const std::string& body, bool prelude = true,
                                 const std::map<std::string, std::string>& files = {}) {
  static int n = 0;
  fs::path dir = scratch() / std::to_string(++n);
  if (prelude) write(dir / "prelude.rules", kPrelude);
  for (const auto& [name, text] : files) write(dir / name, text);
  std::string root = "ruleset \"Test\" version \"1\" year 2025-26\n";
  root += prelude ? "include \"prelude.rules\"\n" : "\n";
  write(dir / "t.rules", root + body);
  auto r = std::make_unique<Run>();
  r->rs = load_ruleset((dir / "t.rules").string(), r->diags);
  REQUIRE(r->rs);
  INFO(r->diags.render(r->rs->sources));
  REQUIRE_FALSE(r->diags.has_errors());
  r->ok = check_ruleset(*r->rs, r->diags);
  r->rendered = r->diags.render(r->rs->sources);
  return r;
}

inline const Diagnostic* find(const Run& r, std::string_view msg, Severity sev = Severity::Error) {
  for (const auto& d : r.diags.all())
    if (d.severity == sev && d.message == msg) return &d;
  for (const auto& d : r.diags.all())
    if (d.severity == sev && d.message.find(msg) != std::string::npos) return &d;
  return nullptr;
}

// Asserts a diagnostic whose message contains `msg`, at line:col of the root
// file (or of `file` when given), with `hint` in its hint.
inline void expect_diag(const Run& r, std::string_view msg, uint32_t line, uint32_t col, std::string_view hint = {},
                 Severity sev = Severity::Error, std::string_view file = "t.rules") {
  INFO(r.rendered);
  INFO("looking for: " << msg);
  const Diagnostic* d = nullptr;
  for (const auto& x : r.diags.all())
    if (!d && x.severity == sev && x.span.begin.line == line && x.message.find(msg) != std::string::npos) d = &x;
  if (!d) d = find(r, msg, sev);
  REQUIRE(d);
  CHECK(d->span.begin.line == line);
  CHECK(d->span.begin.col == col);
  CHECK(fs::path(r.rs->sources.path(d->span.begin.file)).filename() == file);
  if (!hint.empty()) CHECK(d->hint.find(hint) != std::string::npos);
}

inline void check_errors(const Run& r, size_t n) {
  INFO(r.rendered);
  CHECK(r.diags.error_count() == n);
}

inline void expect_clean(const Run& r) {
  INFO(r.rendered);
  CHECK(r.ok);
  CHECK(r.diags.error_count() == 0);
}

inline const Expr& met_of(const Run& r, const std::string& rule) {
  int i = r.rs->find(r.rs->rule_index, rule);
  REQUIRE(i >= 0);
  return *r.rs->rules[i]->met;
}

}  // namespace tr::test
