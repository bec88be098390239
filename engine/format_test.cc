// fmt: golden input -> output pairs for every construct, with messy spacing and
// comments in every position; each golden is also checked for idempotence and for
// meaning (the AST before and after is the same, and so are the comments).
#include "ast_equal.h"
#include "format.h"
#include "parser.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace tr;

namespace {

struct Parsed {
  SourceFiles files;
  Diagnostics diags;
  File file;
  bool ok = false;
};

std::unique_ptr<Parsed> parse(const std::string& text) {
  auto p = std::make_unique<Parsed>();
  p->ok = parse_text(p->files, "t.rules", text, p->file, p->diags);
  return p;
}

std::string fmt(const std::string& text) {
  auto p = parse(text);
  INFO(p->diags.render(p->files));
  REQUIRE(p->ok);
  return format_file(p->file, p->files);
}

// fmt drops the blanks at the end of a comment line and nothing else.
std::vector<std::string> comment_texts(const File& f) {
  std::vector<std::string> out;
  for (const auto& c : f.comments) out.push_back(c.text.substr(0, c.text.find_last_not_of(" \t") + 1));
  return out;
}

// parse(format(parse(x))) == parse(x), comments included.
void same_meaning(const std::string& before, const std::string& after) {
  auto a = parse(before), b = parse(after);
  INFO(after);
  REQUIRE(a->ok);
  REQUIRE(b->ok);
  std::string why;
  CHECK(ast_equal(a->file, b->file, &why));
  CHECK(why == "");
  CHECK(comment_texts(a->file) == comment_texts(b->file));
}

void golden(const std::string& in, const std::string& want) {
  std::string out = fmt(in);
  CHECK(out == want);
  CHECK(fmt(out) == out);    // idempotent
  CHECK(fmt(want) == want);  // the golden is itself canonical
  same_meaning(in, out);
}

}  // namespace

TEST_CASE("fmt: header, includes and runs of one-line declarations", "[fmt]") {
  golden(R"~(# Trust framework
ruleset   "Meridian"  version "2026.1"   year 2025-2026
include "scales.rules"      # the scales
include  "sources/dfe.rules"
use   lua "lua/risk.lua"


param close_margin "Close"=2 points
param   target = 95%
param one=1 points   # singular
define small_school=cohort<min_cohort
metric m "M" { type percent }
param after = 3
)~",
         R"~(# Trust framework
ruleset "Meridian" version "2026.1" year 2025-26
include "scales.rules"  # the scales
include "sources/dfe.rules"
use lua "lua/risk.lua"

param close_margin "Close" = 2 points
param target = 95%
param one = 1 point  # singular
define small_school = cohort < min_cohort

metric m "M" {
  type percent
}

param after = 3
)~");
  // A header written after other declarations stays where it was; `;` separates.
  golden("include \"a.rules\"; ruleset \"R\"\nparam a = 1;param b = 2\n",
         "include \"a.rules\"\nruleset \"R\"\nparam a = 1\nparam b = 2\n");
  golden("", "");
  golden("\n\n  \n", "");
}

TEST_CASE("fmt: scale, with comments in every position", "[fmt]") {
  golden(R"~(# leading 1

# leading 2
scale   ofsted "Ofsted"{   # head
   # before outstanding
  outstanding "Outstanding"   # trailing
  good;requires_improvement "RI"


  # after gap
  inadequate
  # end of block
}   # after close
# eof 1

# eof 2
)~",
         R"~(# leading 1

# leading 2
scale ofsted "Ofsted" {  # head
  # before outstanding
  outstanding "Outstanding"  # trailing
  good
  requires_improvement "RI"

  # after gap
  inadequate
  # end of block
}  # after close
# eof 1

# eof 2
)~");
  golden("# only a comment   \n\n\n# and another", "# only a comment\n\n# and another\n");
  golden("scale s {\n\n  a\n\n}\n", "scale s {\n  a\n}\n");
}

TEST_CASE("fmt: metric keeps its properties in the order written", "[fmt]") {
  golden(R"~(metric rwm "RWM"{
  cadence annual
  type   percent
  better higher
  groups disadvantaged,not_disadvantaged ,  send
  confidence interval
}
metric safeguarding "Safeguarding" {
  type grade on safeguarding_scale
  cadence termly
}
metric plain "Plain" {}
)~",
         R"~(metric rwm "RWM" {
  cadence annual
  type percent
  better higher
  groups disadvantaged, not_disadvantaged, send
  confidence interval
}

metric safeguarding "Safeguarding" {
  type grade on safeguarding_scale
  cadence termly
}

metric plain "Plain" {}
)~");
}

TEST_CASE("fmt: source with rows, missing codes, columns and quoted headers", "[fmt]") {
  golden(R"~(source ks2 "DfE KS2" {
  files "*_ks2final.csv","*_ks2.csv"
  key URN   # the school
  period from file name
  school name SCHNAME
  school type from rows
  school phase "PhaseOfEducation (name)"
  rows by RECTYPE {
    1:school "mainstream"
    2: school
    3 : local_authority
    4: skip
    5: national phase from ESTAB   # phase rows
    else: skip
  }
  missing {
    SUPP: "suppressed"
    blank: "missing"
    "n/a": "not applicable"
  }
  bad values warn
  columns {
    rwm_expected: PTRWM_EXP | PTRWMEXP
    rwm_expected.disadvantaged:   PTRWM_EXP_FSM6CLA1A
    read_progress.lower: READPROG_LOWER
    cohort: "Number of pupils"
  }
}
source overrides "Overrides" {
  role overrides
  files "o.csv"
  key URN
  period from columns AcademicYear, Term
  columns {
    tier: Tier
  }
}
source fixed "Fixed" {
  role data
  period 2024-2025 autumn
  key "URN"
  columns { attendance: ATT }
}
source col "By column" {
  period from column Year
}
)~",
         R"~(source ks2 "DfE KS2" {
  files "*_ks2final.csv", "*_ks2.csv"
  key URN  # the school
  period from file name
  school name SCHNAME
  school type from rows
  school phase "PhaseOfEducation (name)"
  rows by RECTYPE {
    1: school "mainstream"
    2: school
    3: local_authority
    4: skip
    5: national phase from ESTAB  # phase rows
    else: skip
  }
  missing {
    SUPP: "suppressed"
    blank: "missing"
    "n/a": "not applicable"
  }
  bad values warn
  columns {
    rwm_expected: PTRWM_EXP | PTRWMEXP
    rwm_expected.disadvantaged: PTRWM_EXP_FSM6CLA1A
    read_progress.lower: READPROG_LOWER
    cohort: "Number of pupils"
  }
}

source overrides "Overrides" {
  role overrides
  files "o.csv"
  key URN
  period from columns AcademicYear, Term
  columns {
    tier: Tier
  }
}

source fixed "Fixed" {
  role data
  period 2024-25 autumn
  key "URN"
  columns {
    attendance: ATT
  }
}

source col "By column" {
  period from column Year
}
)~");
}

TEST_CASE("fmt: benchmarks with and without values", "[fmt]") {
  golden(R"~(benchmark national "England"
benchmark trust_target "Trust targets" {
  attendance: 96%
  persistent_absence: 12% in 2024-25,10% in 2025-2026   # falling
  rwm_expected.disadvantaged: 60% + 2 points
}
benchmark la
)~",
         R"~(benchmark national "England"

benchmark trust_target "Trust targets" {
  attendance: 96%
  persistent_absence: 12% in 2024-25, 10% in 2025-26  # falling
  rwm_expected.disadvantaged: 60% + 2 points
}

benchmark la
)~");
}

TEST_CASE("fmt: expressions get canonical spacing, words and parentheses", "[fmt]") {
  golden(R"~(define gap(m) "Gap" = m.not_disadvantaged-m.disadvantaged
define f() = (a+b)*c - -2.5 + - x
define g = a - (b - c) + (d + e)
define h = not (a and b) or not c >= 5
define i = x between 90% and 95% and y in [good,outstanding , "x \"y\""]
define j = teaching   at   least good and ofsted_grade is not inadequate
define k = if year <= 2016-17 then 1 else if year <= 2017-18 then 2 else 3
define l = (if a then b else c) + 1
define m2 = change(attendance, 3 years) > 1 point and improving(attendance, 2 terms)
define n = - 2 + x.upper * 1.50 / 007
define o = ((a or b)) and c
define p = 2018-19 autumn
define q = a / (b * c) - (x - y)
define r = a above b or c below d or e at most f or g != h or i = j
)~",
         R"~(define gap(m) "Gap" = m.not_disadvantaged - m.disadvantaged
define f() = (a + b) * c - -2.5 + -x
define g = a - (b - c) + (d + e)
define h = not (a and b) or not c >= 5
define i = x between 90% and 95% and y in [good, outstanding, "x \"y\""]
define j = teaching at least good and ofsted_grade is not inadequate
define k = if year <= 2016-17 then 1 else if year <= 2017-18 then 2 else 3
define l = (if a then b else c) + 1
define m2 = change(attendance, 3 years) > 1 point and improving(attendance, 2 terms)
define n = - 2 + x.upper * 1.50 / 7
define o = (a or b) and c
define p = 2018-19 autumn
define q = a / (b * c) - (x - y)
define r = a above b or c below d or e at most f or g != h or i = j
)~");
}

TEST_CASE("fmt: long expressions wrap after the head, then at or/and, then/else and commas", "[fmt]") {
  golden(R"~(define areas_below "Headline measures below national" = if phase is "primary" then count_of(rwm_expected below national(rwm_expected), rwm_high below national(rwm_high)) else count_of(attainment8 below national(attainment8), progress8 below 0)
define coasting "Coasting" = rwm_expected below coasting_rwm and
  progress_insufficient(coasting_read, coasting_writing, coasting_maths)
define short = a or
  b
)~",
         R"~(define areas_below "Headline measures below national" =
  if phase is "primary" then
    count_of(rwm_expected below national(rwm_expected), rwm_high below national(rwm_high))
  else count_of(attainment8 below national(attainment8), progress8 below 0)

define coasting "Coasting" =
  rwm_expected below coasting_rwm and
  progress_insufficient(coasting_read, coasting_writing, coasting_maths)

define short = a or b
)~");
  golden(R"~(standard s "S" {
  met when (read_progress below r and read_progress.upper below 0) or (writing_progress below w and writing_progress.upper below 0) or (maths_progress below m and maths_progress.upper below 0)
}
)~",
         R"~(standard s "S" {
  met when
    (read_progress below r and read_progress.upper below 0) or
    (writing_progress below w and writing_progress.upper below 0) or
    (maths_progress below m and maths_progress.upper below 0)
}
)~");
  // A call too long for one line breaks between its arguments.
  golden(R"~(define c = count_of(english_maths_standard below national(english_maths_standard), english_maths_strong below national(english_maths_strong), attainment8 below national(attainment8))
)~",
         R"~(define c =
  count_of(english_maths_standard below national(english_maths_standard),
    english_maths_strong below national(english_maths_strong),
    attainment8 below national(attainment8))
)~");
  // A param stays on one line however long its label.
  std::string p = "param coasting_rwm \"Coasting: pupils reaching the expected standard in reading, writing and maths\" = 85%\n";
  golden(p, p);
}

TEST_CASE("fmt: standard and floor, with comments after heads and inside expressions", "[fmt]") {
  golden(R"~(standard gap "Gap"{
  applies when phase is "primary"   # only primaries
  # the aim
  met when gap(rwm_expected)<=0 points
}
floor attendance_floor "Attendance floor" {
  met when # a comment after when
    attendance at least 92%
  on breach tier at least 3
}
standard lua_rule "Weighted" {
  met by lua "weighted_review"
}
floor f "F" {
  met when a and   # why a
    b or
    # why c
    c
}
)~",
         R"~(standard gap "Gap" {
  applies when phase is "primary"  # only primaries
  # the aim
  met when gap(rwm_expected) <= 0 points
}

floor attendance_floor "Attendance floor" {
  met when  # a comment after when
    attendance at least 92%
  on breach tier at least 3
}

standard lua_rule "Weighted" {
  met by lua "weighted_review"
}

floor f "F" {
  # why a
  # why c
  met when a and b or c
}
)~");
}

TEST_CASE("fmt: tiers, with comments inside tier blocks and after descriptors", "[fmt]") {
  golden(R"~(tiers "School improvement tiers" {
  assign by best fit, ties to more support   # policy
  otherwise tier 2
  # tier one
  tier 1 "Lead" {
    led by academy
    descriptor "Achieve highly": rwm_expected above national(rwm_expected) and gap(rwm_expected) <= 0 points and attendance at least 96%   # long
    descriptor "Safe":   # after colon
      safeguarding is effective
    support ceo_meeting "CEO 1:1" every  4 weeks
    support plan "Plan"
    # end of tier 1
  }

  tier 2 "Stabilise" {
    descriptor "Weak": attendance below 90%
    led by trust   # trust-led
    support weekly "Weekly" every week
    support twice "Twice" twice  a  term
    support n "N" 3 times per year
  }
}
tiers {
  assign by at least 3 of
}
tiers "x" { assign by first match
  tier 1 "A" {}
}
tiers "y" {
  assign by best fit
}
)~",
         R"~(tiers "School improvement tiers" {
  assign by best fit, ties to more support  # policy
  otherwise tier 2
  # tier one
  tier 1 "Lead" {
    led by academy
    descriptor "Achieve highly":
      rwm_expected above national(rwm_expected) and
      gap(rwm_expected) <= 0 points and
      attendance at least 96%  # long
    descriptor "Safe":  # after colon
      safeguarding is effective
    support ceo_meeting "CEO 1:1" every 4 weeks
    support plan "Plan"
    # end of tier 1
  }

  tier 2 "Stabilise" {
    descriptor "Weak": attendance below 90%
    led by trust  # trust-led
    support weekly "Weekly" every week
    support twice "Twice" twice a term
    support n "N" 3 times per year
  }
}

tiers {
  assign by at least 3 of
}

tiers "x" {
  assign by first match
  tier 1 "A" {}
}

tiers "y" {
  assign by best fit
}
)~");
}

TEST_CASE("fmt: kpi and test", "[fmt]") {
  golden(R"~(kpi floor_share "Schools meeting every floor"{
  value share(floors_met)
  better higher
  met when value at least previous(value)   # improving
}
test "Tier 4" {
  as of 2024-25 summer
  given school 900001 "Test Primary" phase "primary" type "mainstream" {
    attendance: 89%
    rwm_expected.disadvantaged: SUPP   # suppressed
    national(attendance): 94%
    attendance in 2023-24: 91.0%
    read_progress.upper: -1.0
    safeguarding: ineffective
  }
  given school 900002 {}
  expect tier 4
  expect school 900001 tier 4
  expect disadvantaged_gap unknown
  expect attendance_floor not met
  expect x not applicable
  expect gap(rwm_expected) = 5 points
}
)~",
         R"~(kpi floor_share "Schools meeting every floor" {
  value share(floors_met)
  better higher
  met when value at least previous(value)  # improving
}

test "Tier 4" {
  as of 2024-25 summer
  given school 900001 "Test Primary" phase "primary" type "mainstream" {
    attendance: 89%
    rwm_expected.disadvantaged: SUPP  # suppressed
    national(attendance): 94%
    attendance in 2023-24: 91.0%
    read_progress.upper: -1.0
    safeguarding: ineffective
  }
  given school 900002 {}
  expect tier 4
  expect school 900001 tier 4
  expect disadvantaged_gap unknown
  expect attendance_floor not met
  expect x not applicable
  expect gap(rwm_expected) = 5 points
}
)~");
}

TEST_CASE("fmt: labels are re-escaped and CRLF becomes LF", "[fmt]") {
  golden("scale s \"A \\\"quoted\\\" \\\\ label – ‘x’\" {\r\n  a   \"é\"  # é\r\n}\r\n",
         "scale s \"A \\\"quoted\\\" \\\\ label – ‘x’\" {\n  a \"é\"  # é\n}\n");
}

