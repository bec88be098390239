// The parser: every declaration of docs/language.md to the right AST, with spans.
#include "parser_test_util.h"

using namespace tr;
using namespace tr::parser_testing;

TEST_CASE("header, include and use lua", "[parser]") {
  auto p = parse(
      "ruleset \"Meridian Learning Trust — school improvement framework\" version \"2026.1\" year 2025-26\n"
      "\n"
      "include \"sources/dfe.rules\"\n"
      "use lua \"lua/attendance_risk.lua\"\n");
  INFO(p->errors());
  REQUIRE(p->ok);
  REQUIRE(p->file.header);
  CHECK(p->file.header->name == "Meridian Learning Trust — school improvement framework");
  CHECK(p->file.header->version == "2026.1");
  CHECK(p->file.header->year == "2025-26");
  CHECK(at(p->file.header->span) == "1:1-1:95");
  REQUIRE(p->file.decls.size() == 2);
  CHECK(std::get<Include>(p->file.decls[0]).path == "sources/dfe.rules");
  CHECK(at(std::get<Include>(p->file.decls[0]).span) == "3:1-3:28");
  CHECK(std::get<UseLua>(p->file.decls[1]).path == "lua/attendance_risk.lua");
  CHECK(at(std::get<UseLua>(p->file.decls[1]).span) == "4:1-4:34");
}

TEST_CASE("header parts are optional and the long year form is normalised", "[parser]") {
  auto p = parse("ruleset \"T\" year 2025-2026\n");
  REQUIRE(p->ok);
  CHECK(p->file.header->version.empty());
  CHECK(p->file.header->year == "2025-26");
  auto q = parse("ruleset \"T\" year 2025-27\n");
  CHECK_FALSE(q->diags.all().empty());
  CHECK(q->diags.all()[0].message == "'2025-27' is not an academic year");
  CHECK(q->diags.all()[0].hint == "an academic year runs over two calendar years: write 2025-26");
  auto old = parse("ruleset \"T\" year 1850-51\n");
  REQUIRE_FALSE(old->diags.all().empty());
  CHECK(old->diags.all()[0].message == "'1850-51' is outside the academic years the engine reads");
  CHECK(old->diags.all()[0].hint == "write a year from 1900-01 to 2200-01");
  CHECK(at(old->diags.all()[0].span) == "1:18-1:25");
}

TEST_CASE("scale", "[parser]") {
  auto p = parse(
      "scale ofsted \"Ofsted judgement\" {\n"
      "  outstanding \"Outstanding\"\n"
      "  good\n"
      "  requires_improvement \"Requires improvement\"; inadequate\n"
      "}\n");
  const auto& s = only<Scale>(*p);
  CHECK(s.id.text == "ofsted");
  CHECK(at(s.id.span) == "1:7-1:13");
  CHECK(s.label == "Ofsted judgement");
  REQUIRE(s.grades.size() == 4);
  CHECK(s.grades[0].id.text == "outstanding");
  CHECK(s.grades[0].label == "Outstanding");
  CHECK(at(s.grades[0].span) == "2:3-2:28");
  CHECK(s.grades[1].label.empty());
  CHECK(s.grades[3].id.text == "inadequate");
  CHECK(at(s.grades[3].span) == "4:48-4:58");
  CHECK(at(s.span) == "1:1-5:2");
}

TEST_CASE("metric", "[parser]") {
  auto p = parse(
      "metric rwm_expected \"Pupils reaching the expected standard\" {\n"
      "  type percent\n"
      "  better higher\n"
      "  groups disadvantaged, not_disadvantaged,\n"
      "         send\n"
      "  cadence termly\n"
      "  confidence interval\n"
      "}\n");
  const auto& m = only<Metric>(*p);
  CHECK(m.id.text == "rwm_expected");
  CHECK(m.label == "Pupils reaching the expected standard");
  CHECK(m.type == MetricType::Percent);
  CHECK(m.better == Direction::Higher);
  REQUIRE(m.groups.size() == 3);
  CHECK(m.groups[2].text == "send");
  CHECK(at(m.groups[2].span) == "5:10-5:14");
  CHECK(m.cadence == Cadence::Termly);
  CHECK(m.confidence);
  REQUIRE(m.item_spans.size() == 5);
  CHECK(at(m.item_spans[0]) == "2:3-2:15");
  CHECK(at(m.item_spans[2]) == "4:3-5:14");

  auto q = parse("metric safeguarding \"Safeguarding\" {\n  type grade on safeguarding_scale\n}\n");
  const auto& g = only<Metric>(*q);
  CHECK(g.type == MetricType::Grade);
  CHECK(g.scale.text == "safeguarding_scale");
  CHECK(g.better == Direction::None);
  CHECK(g.cadence == Cadence::Annual);

  auto v = parse("metric att \"Attendance\" {\n  cadence termly\n  valid for 2 terms\n}\n"
                 "metric ks2 \"KS2\" {\n  valid for 1 year\n}\n");
  INFO(v->errors());
  REQUIRE(v->ok);
  REQUIRE(v->file.decls.size() == 2);
  const auto& vt = std::get<Metric>(v->file.decls[0]);
  CHECK(vt.valid_for == 2);
  CHECK(vt.valid_for_terms);
  CHECK(at(vt.valid_for_span) == "3:3-3:20");
  const auto& vy = std::get<Metric>(v->file.decls[1]);
  CHECK(vy.valid_for == 1);
  CHECK_FALSE(vy.valid_for_terms);
  CHECK(only<Metric>(*q).valid_for == 0);  // no limit unless written

  for (auto [word, type] : {std::pair{"score", MetricType::Score}, {"count", MetricType::Count},
                            {"rate", MetricType::Rate}, {"number", MetricType::Number}, {"yesno", MetricType::YesNo}}) {
    auto r = parse(std::string("metric m \"M\" { type ") + word + "; better lower }\n");
    CHECK(only<Metric>(*r).type == type);
    CHECK(only<Metric>(*r).better == Direction::Lower);
  }
}

TEST_CASE("source: the DfE KS2 file", "[parser]") {
  auto p = parse(R"R(source ks2 "DfE KS2 performance tables (final)" {
  files "*_ks2final.csv", "*_ks2revised.csv"
  key URN
  period from file name
  school name SCHNAME
  school phase "PhaseOfEducation (name)"
  school type from rows
  rows by RECTYPE {
    1: school "mainstream"
    2: school
    3: local_authority
    4: skip
    5: national phase from ESTAB
    else: skip
  }
  missing {
    SUPP: "suppressed (small numbers)"
    blank: "missing"
    ":": "not available"
  }
  bad values warn
  columns {
    cohort: TELIG
    rwm_expected: PTRWM_EXP | PTRWMEXP
      | "PTRWM EXP"
    rwm_expected.disadvantaged: PTRWM_EXP_FSM6CLA1A
    read_progress.lower: READPROG_LOWER
    read_progress.disadvantaged.upper: READPROG_UPPER_FSM6CLA1A
  }
}
)R");
  const auto& s = only<Source>(*p);
  CHECK(s.id.text == "ks2");
  CHECK(s.role == SourceRole::Data);
  CHECK(s.files == std::vector<std::string>{"*_ks2final.csv", "*_ks2revised.csv"});
  CHECK(s.key.text == "URN");
  CHECK(s.period.from == PeriodFrom::FileName);
  CHECK(at(s.period.span) == "4:3-4:24");
  REQUIRE(s.attrs.size() == 3);
  CHECK(s.attrs[0].attr.text == "name");
  CHECK(s.attrs[0].column.text == "SCHNAME");
  CHECK(s.attrs[1].column.text == "PhaseOfEducation (name)");
  CHECK(at(s.attrs[1].column.span) == "6:16-6:41");
  CHECK(s.attrs[2].attr.text == "type");
  CHECK(s.attrs[2].from_rows);
  CHECK(s.rows_column.text == "RECTYPE");
  REQUIRE(s.rows.size() == 6);
  CHECK(s.rows[0].value == "1");
  CHECK(s.rows[0].kind == RowKindTag::School);
  CHECK(s.rows[0].school_type == "mainstream");
  CHECK(s.rows[1].school_type.empty());
  CHECK(s.rows[2].kind == RowKindTag::Benchmark);
  CHECK(s.rows[2].benchmark.text == "local_authority");
  CHECK(s.rows[3].kind == RowKindTag::Skip);
  CHECK(s.rows[4].benchmark.text == "national");
  CHECK(s.rows[4].phase_column.text == "ESTAB");
  CHECK(at(s.rows[4].span) == "13:5-13:33");
  CHECK(s.rows[5].is_else);
  REQUIRE(s.missing.size() == 3);
  CHECK(s.missing[0].code == "SUPP");
  CHECK(s.missing[0].reason == "suppressed (small numbers)");
  CHECK(s.missing[1].code.empty());
  CHECK(s.missing[2].code == ":");
  CHECK(s.bad_values_warn);
  REQUIRE(s.columns.size() == 5);
  CHECK(s.columns[0].metric.text == "cohort");
  CHECK(s.columns[0].columns.size() == 1);
  REQUIRE(s.columns[1].columns.size() == 3);
  CHECK(s.columns[1].columns[1].text == "PTRWMEXP");
  CHECK(s.columns[1].columns[2].text == "PTRWM EXP");
  CHECK(at(s.columns[1].span) == "24:5-25:20");
  CHECK(s.columns[2].group.text == "disadvantaged");
  CHECK(s.columns[2].bound.text.empty());
  CHECK(s.columns[3].group.text.empty());
  CHECK(s.columns[3].bound.text == "lower");
  CHECK(s.columns[4].group.text == "disadvantaged");
  CHECK(s.columns[4].bound.text == "upper");
  CHECK(s.item_spans.size() == 10);
}

TEST_CASE("source: overrides and period forms", "[parser]") {
  auto p = parse(R"R(source overrides "In-year tier reclassifications" {
  role overrides
  files "tier_overrides.csv"
  key URN
  period from columns AcademicYear, Term
  columns {
    tier: Tier
    reason: Reason
    approved_by: ApprovedBy
    date: Date
  }
}
)R");
  const auto& s = only<Source>(*p);
  CHECK(s.role == SourceRole::Overrides);
  CHECK(s.period.from == PeriodFrom::Columns);
  CHECK(s.period.column.text == "AcademicYear");
  CHECK(s.period.term_column.text == "Term");
  REQUIRE(s.columns.size() == 4);
  CHECK(s.columns[0].metric.text == "tier");

  auto a = parse("source a \"A\" {\n  period 2018-19\n}\n");
  CHECK(only<Source>(*a).period.from == PeriodFrom::Fixed);
  CHECK(only<Source>(*a).period.year == 2018);
  CHECK(only<Source>(*a).period.term == 0);
  auto b = parse("source a \"A\" {\n  period 2024-25 autumn\n}\n");
  CHECK(only<Source>(*b).period.year == 2024);
  CHECK(only<Source>(*b).period.term == 1);
  auto c = parse("source a \"A\" {\n  period from column Year\n}\n");
  CHECK(only<Source>(*c).period.from == PeriodFrom::Column);
  CHECK(only<Source>(*c).period.column.text == "Year");
}

TEST_CASE("benchmark", "[parser]") {
  auto p = parse(
      "benchmark national \"England, state-funded schools\"\n"
      "\n"
      "benchmark trust_target \"Trust targets\" {\n"
      "  attendance: 96%\n"
      "  persistent_absence: 12% in 2024-25, 10% in 2025-26\n"
      "  rwm_expected.disadvantaged: 60%\n"
      "}\n");
  INFO(p->errors());
  REQUIRE(p->ok);
  REQUIRE(p->file.decls.size() == 2);
  const auto& n = std::get<Benchmark>(p->file.decls[0]);
  CHECK(n.id.text == "national");
  CHECK(n.label == "England, state-funded schools");
  CHECK(n.values.empty());
  const auto& t = std::get<Benchmark>(p->file.decls[1]);
  REQUIRE(t.values.size() == 3);
  CHECK(t.values[0].metric.text == "attendance");
  REQUIRE(t.values[0].values.size() == 1);
  CHECK(t.values[0].values[0].year == 0);
  CHECK(sx(*t.values[0].values[0].value) == "96%");
  REQUIRE(t.values[1].values.size() == 2);
  CHECK(t.values[1].values[0].year == 2024);
  CHECK(t.values[1].values[1].year == 2025);
  CHECK(sx(*t.values[1].values[1].value) == "10%");
  CHECK(at(t.values[1].values[1].span) == "5:39-5:53");
  CHECK(t.values[2].group.text == "disadvantaged");
}

TEST_CASE("param and define", "[parser]") {
  auto p = parse(
      "param close_margin \"How close counts as 'close to national'\" = 2 points\n"
      "param min_cohort = 11\n"
      "define gap(m) \"Gap between other pupils and disadvantaged pupils\" = m.not_disadvantaged - m.disadvantaged\n"
      "define close_to(x, y) \"Within the close margin\" = abs(x - y) <= close_margin\n"
      "define small_school = cohort < min_cohort\n"
      "define nothing() =\n"
      "  1\n");
  INFO(p->errors());
  REQUIRE(p->ok);
  REQUIRE(p->file.decls.size() == 6);
  const auto& cm = std::get<Param>(p->file.decls[0]);
  CHECK(cm.id.text == "close_margin");
  CHECK(cm.label == "How close counts as 'close to national'");
  CHECK(sx(*cm.value) == "2pt");
  CHECK(at(cm.value->span) == "1:64-1:72");
  CHECK(std::get<Param>(p->file.decls[1]).label.empty());
  const auto& gap = std::get<Define>(p->file.decls[2]);
  CHECK(gap.id.text == "gap");
  REQUIRE(gap.params.size() == 1);
  CHECK(gap.params[0].text == "m");
  CHECK(gap.has_parens);
  CHECK(sx(*gap.body) == "(- m.not_disadvantaged m.disadvantaged)");
  const auto& close = std::get<Define>(p->file.decls[3]);
  CHECK(close.params.size() == 2);
  CHECK(sx(*close.body) == "(<= (abs: (- x y)) close_margin)");
  const auto& small = std::get<Define>(p->file.decls[4]);
  CHECK_FALSE(small.has_parens);
  CHECK(small.params.empty());
  CHECK(small.label.empty());
  const auto& none = std::get<Define>(p->file.decls[5]);
  CHECK(none.has_parens);
  CHECK(none.params.empty());
  CHECK(at(none.span) == "6:1-7:4");
}

TEST_CASE("standard and floor", "[parser]") {
  auto p = parse(R"R(standard disadvantaged_gap "Eradicate the gap between disadvantaged and other pupils" {
  applies when phase is "primary"
  met when gap(rwm_expected) <= 0 points
}

floor attendance_floor "Attendance at or above the trust minimum" {
  met when
    attendance at least 92%
  on breach tier at least 3
}

standard review_weighting "Weighted review judgement is at least good" {
  met by lua "weighted_review"
}
)R");
  INFO(p->errors());
  REQUIRE(p->ok);
  REQUIRE(p->file.decls.size() == 3);
  const auto& s = std::get<Rule>(p->file.decls[0]);
  CHECK(s.kind == RuleKind::Standard);
  CHECK(s.id.text == "disadvantaged_gap");
  CHECK(sx(*s.applies) == "(= phase \"primary\")");
  CHECK(sx(*s.met) == "(<= (gap: rwm_expected) 0pt)");
  CHECK(s.breach_tier == 0);
  REQUIRE(s.item_spans.size() == 2);
  CHECK(at(s.item_spans[1]) == "3:3-3:41");
  const auto& f = std::get<Rule>(p->file.decls[1]);
  CHECK(f.kind == RuleKind::Floor);
  CHECK(sx(*f.met) == "(>= attendance 92%)");
  CHECK(f.met->written == "at least");
  CHECK(f.breach_tier == 3);
  CHECK(at(f.breach_span) == "9:3-9:28");
  CHECK_FALSE(f.applies);
  const auto& l = std::get<Rule>(p->file.decls[2]);
  CHECK(l.lua_function.text == "weighted_review");
  CHECK(at(l.lua_function.span) == "13:14-13:31");
  CHECK_FALSE(l.met);

  auto q = parse("standard s \"S\" {\n  met when a\n  on breach tier at least 3\n}\n");
  REQUIRE(q->diags.all().size() == 1);
  CHECK(q->diags.all()[0].message == "only a floor can move a school's tier on breach");
}

TEST_CASE("tiers", "[parser]") {
  auto p = parse(R"R(tiers "School improvement tiers" {
  assign by best fit, ties to more support
  otherwise tier 2
  tier 1 "Lead" {
    led by academy
    descriptor "Students consistently achieve highly, including disadvantaged and SEND":
      rwm_expected above national(rwm_expected) and gap(rwm_expected) <= 0 points
    descriptor "Safeguarding is highly effective": safeguarding is effective
    support ceo_meeting "CEO 1:1" every 4 weeks
    support health_check "Annual external health check" once a year
    support master_plan "2-5 year master plan"
  }
  tier 2 "Grow" { led by trust }
}
)R");
  const auto& t = only<Tiers>(*p);
  CHECK(t.label == "School improvement tiers");
  CHECK(t.policy.kind == PolicyKind::BestFit);
  CHECK(t.policy.otherwise == 2);
  CHECK(at(t.policy.span) == "2:3-2:43");
  REQUIRE(t.tiers.size() == 2);
  const auto& t1 = t.tiers[0];
  CHECK(t1.number == 1);
  CHECK(at(t1.number_span) == "4:8-4:9");
  CHECK(t1.label == "Lead");
  CHECK(t1.led_by == LedBy::Academy);
  REQUIRE(t1.descriptors.size() == 2);
  CHECK(t1.descriptors[0].label == "Students consistently achieve highly, including disadvantaged and SEND");
  CHECK(sx(*t1.descriptors[0].expr) ==
        "(and (> rwm_expected (national: rwm_expected)) (<= (gap: rwm_expected) 0pt))");
  CHECK(at(t1.descriptors[0].expr->span) == "7:7-7:82");
  CHECK(at(t1.descriptors[0].span) == "6:5-7:82");
  CHECK(t1.descriptors[1].expr->written == "is");
  REQUIRE(t1.support.size() == 3);
  CHECK(t1.support[0].id.text == "ceo_meeting");
  CHECK(t1.support[0].label == "CEO 1:1");
  CHECK(t1.support[0].freq.unit == FreqUnit::Week);
  CHECK(t1.support[0].freq.every == 4);
  CHECK(t1.support[0].freq.written == "every 4 weeks");
  CHECK(t1.support[1].freq.unit == FreqUnit::Year);
  CHECK(t1.support[1].freq.times == 1);
  CHECK(t1.support[1].freq.written == "once a year");
  CHECK(t1.support[2].freq.unit == FreqUnit::Once);
  CHECK(t1.support[2].freq.written.empty());
  CHECK(t.tiers[1].led_by == LedBy::Trust);
  CHECK(at(t.tiers[1].span) == "13:3-13:33");

  auto q = parse("tiers {\n  assign by first match\n}\n");
  CHECK(only<Tiers>(*q).policy.kind == PolicyKind::FirstMatch);
  CHECK(only<Tiers>(*q).label.empty());
  auto r = parse("tiers \"T\" {\n  assign by at least 3 of\n}\n");
  CHECK(only<Tiers>(*r).policy.kind == PolicyKind::AtLeast);
  CHECK(only<Tiers>(*r).policy.at_least == 3);
  auto s = parse("tiers \"T\" {\n  assign by best fit\n}\n");
  CHECK(only<Tiers>(*s).policy.kind == PolicyKind::BestFit);
  CHECK(only<Tiers>(*s).policy.otherwise == 0);
}

TEST_CASE("support frequencies", "[parser]") {
  struct Case {
    const char* text;
    FreqUnit unit;
    double every;
    double times;
  };
  for (auto c : {Case{"every week", FreqUnit::Week, 1, 1}, Case{"every 2 weeks", FreqUnit::Week, 2, 1},
                 Case{"every term", FreqUnit::Term, 1, 1}, Case{"every year", FreqUnit::Year, 1, 1},
                 Case{"once a year", FreqUnit::Year, 1, 1}, Case{"twice a year", FreqUnit::Year, 1, 2},
                 Case{"3 times a year", FreqUnit::Year, 1, 3}, Case{"once a term", FreqUnit::Term, 1, 1},
                 Case{"twice a term", FreqUnit::Term, 1, 2}, Case{"4 times a term", FreqUnit::Term, 1, 4},
                 Case{"every 2 terms", FreqUnit::Term, 2, 1}, Case{"twice per week", FreqUnit::Week, 1, 2}}) {
    auto p = parse(std::string("tiers {\n tier 1 \"A\" {\n  support s \"S\" ") + c.text + "\n }\n}\n");
    INFO(c.text << "\n" << p->errors());
    const auto& f = only<Tiers>(*p).tiers.at(0).support.at(0).freq;
    CHECK(f.unit == c.unit);
    CHECK(f.every == c.every);
    CHECK(f.times == c.times);
    CHECK(f.written == c.text);
  }
}

TEST_CASE("kpi", "[parser]") {
  auto p = parse(R"R(kpi attendance_mean "Mean attendance across the trust" {
  value mean(attendance)
  better higher
  met when value at least attendance_target and value > previous(value)
}
)R");
  const auto& k = only<Kpi>(*p);
  CHECK(k.id.text == "attendance_mean");
  CHECK(sx(*k.value) == "(mean: attendance)");
  CHECK(k.better == Direction::Higher);
  CHECK(sx(*k.met) == "(and (>= value attendance_target) (> value (previous: value)))");
  CHECK(k.item_spans.size() == 3);
}

TEST_CASE("test", "[parser]") {
  auto p = parse(R"R(test "Weak attendance and ineffective safeguarding place a school in Tier 4" {
  as of 2024-25 summer
  given school 900001 "Test Primary" phase "primary" type "academy" {
    attendance: 89%
    safeguarding: ineffective
    rwm_expected.disadvantaged: SUPP
    read_progress.disadvantaged.lower: -1.5
    national(attendance): 94%
    national(rwm_expected.disadvantaged) in 2023-24: 60%
    attendance in 2024-25 autumn: 91%
  }
  given school 900002 { attendance: 97% }
  expect tier 4
  expect school 900002 tier 1
  expect disadvantaged_gap unknown
  expect attendance_floor not met
  expect school 900001 other met
  expect floor_x not applicable
  expect gap(rwm_expected) = 5 points
  expect attendance at least 90%
}
)R");
  const auto& t = only<Test>(*p);
  CHECK(t.label == "Weak attendance and ineffective safeguarding place a school in Tier 4");
  REQUIRE(t.as_of);
  CHECK(sx(*t.as_of) == "Y2024t3");
  REQUIRE(t.schools.size() == 2);
  const auto& s = t.schools[0];
  CHECK(s.urn == "900001");
  CHECK(s.name == "Test Primary");
  CHECK(s.phase == "primary");
  CHECK(s.type == "academy");
  REQUIRE(s.values.size() == 7);
  CHECK(s.values[0].metric.text == "attendance");
  CHECK(sx(*s.values[0].value) == "89%");
  CHECK(at(s.values[0].span) == "4:5-4:20");
  CHECK(sx(*s.values[1].value) == "ineffective");
  CHECK(s.values[2].group.text == "disadvantaged");
  CHECK(s.values[2].code == "SUPP");
  CHECK_FALSE(s.values[2].value);
  CHECK(s.values[3].bound.text == "lower");
  CHECK(sx(*s.values[3].value) == "-1.5");
  CHECK(s.values[4].benchmark.text == "national");
  CHECK(s.values[4].metric.text == "attendance");
  CHECK(s.values[5].group.text == "disadvantaged");
  REQUIRE(s.values[5].period);
  CHECK(sx(*s.values[5].period) == "Y2023");
  CHECK(sx(*s.values[6].period) == "Y2024t1");
  CHECK(t.schools[1].name.empty());
  REQUIRE(t.expects.size() == 8);
  CHECK(t.expects[0].kind == ExpectKind::Tier);
  CHECK(t.expects[0].tier == 4);
  CHECK(t.expects[0].urn.empty());
  CHECK(t.expects[1].urn == "900002");
  CHECK(t.expects[1].tier == 1);
  CHECK(t.expects[2].kind == ExpectKind::Status);
  CHECK(t.expects[2].rule.text == "disadvantaged_gap");
  CHECK(t.expects[2].status == Status::Unknown);
  CHECK(t.expects[3].status == Status::NotMet);
  CHECK(t.expects[4].urn == "900001");
  CHECK(t.expects[4].status == Status::Met);
  CHECK(t.expects[5].status == Status::NotApplicable);
  CHECK(t.expects[6].kind == ExpectKind::Value);
  CHECK(t.expects[6].rule.text == "gap");
  CHECK(sx(*t.expects[6].value) == "(= (gap: rwm_expected) 5pt)");
  CHECK(at(t.expects[6].span) == "19:3-19:38");
  CHECK(t.expects[7].rule.text == "attendance");
}
