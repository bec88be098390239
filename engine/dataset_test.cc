#include "dataset.h"

#include <catch2/catch.hpp>

#include <memory>

using namespace tr;

namespace {

// A known cell read from a row of a file; these lookups never ask its place.
Cell known(double v, Period p, uint32_t row = 2) {
  Cell c;
  c.value = v;
  c.set_period(p);
  c.row = row;
  return c;
}

}  // namespace

TEST_CASE("dataset: series layout: groups follow the value, then bounds", "[dataset]") {
  Ruleset rs;
  Metric a, b, c;
  a.id.text = "rwm";
  a.groups = {Name{"disadvantaged", {}}, Name{"not_disadvantaged", {}}};
  b.id.text = "progress";
  b.confidence = true;
  c.id.text = "cohort";
  rs.metrics = {&a, &b, &c};
  SeriesIndex s;
  s.build(rs);
  CHECK(s.count == 3 + 3 + 1);
  CHECK(s.of(rs, 0, 0, 0) == 0);
  CHECK(s.of(rs, 0, 2, 0) == 2);
  CHECK(s.of(rs, 0, 3, 0) == -1);
  CHECK(s.of(rs, 0, 0, 1) == -1);  // no confidence interval
  CHECK(s.of(rs, 1, 0, 0) == 3);
  CHECK(s.of(rs, 1, 0, 1) == 4);
  CHECK(s.of(rs, 1, 0, 2) == 5);
  CHECK(s.of(rs, 2, 0, 0) == 6);
  CHECK(s.of(rs, 3, 0, 0) == -1);
}

TEST_CASE("dataset: latest and at over annual and termly cells", "[dataset]") {
  Dataset d;
  d.schools = {{"100001", "A", "primary", "", ""}, {"100002", "B", "primary", "", ""}};
  d.values = CellTable::from({{{}, {known(90, {2017, 0}), known(91, {2018, 1}), known(92, {2018, 2}), known(93, {2018, 3})}}}, 2);
  CHECK(d.values.series() == 1);
  CHECK(d.values.of(0, 0).empty());
  CHECK(d.values.of(0, 1).size() == 4);
  CHECK(d.values.of(1, 0).empty());  // no such series
  CHECK(d.values.of(0, 2).empty());  // no such school
  CHECK(d.values.any(0));
  CHECK_FALSE(d.values.any(1));
  CHECK(d.school_index("100002") == 1);
  CHECK(d.school_index("100003") == -1);
  CHECK(d.latest(0, 1, {2016, 0}) == nullptr);
  CHECK(d.latest(0, 1, {2017, 3})->value == 90);
  CHECK(d.latest(0, 1, {2018, 1})->value == 91);
  CHECK(d.latest(0, 1, {2018, 2})->value == 92);
  // As of the year means as of its summer.
  CHECK(d.latest(0, 1, {2018, 0})->value == 93);
  CHECK(d.latest(0, 1, {2030, 0})->value == 93);
  CHECK(d.at(0, 1, {2018, 2})->value == 92);
  CHECK(d.at(0, 1, {2018, 0}) == nullptr);
  CHECK(d.latest(0, 0, {2018, 0}) == nullptr);
  CHECK(d.latest(5, 0, {2018, 0}) == nullptr);
}

TEST_CASE("dataset: benchmark rows by phase and LA, latest at or before", "[dataset]") {
  Dataset d;
  Cell unset;
  unset.set_missing(Missing::ColumnAbsent, 0);
  auto row = [&](int b, std::string phase, std::string la, Period p, double v, bool set = true) {
    Dataset::BenchmarkRow r;
    r.benchmark = b;
    r.phase = std::move(phase);
    r.la = std::move(la);
    r.period = p;
    r.cells = {set ? known(v, p) : unset, known(v + 1000, p)};
    d.benchmarks.push_back(std::move(r));
  };
  row(0, "", "", {2017, 0}, 61);
  row(0, "", "", {2018, 0}, 65);
  row(0, "primary", "", {2018, 0}, 4.0, false);  // a phase row that does not give series 0
  row(0, "primary", "", {2018, 1}, 70);
  row(1, "", "850", {2018, 0}, 68);
  row(1, "", "851", {2018, 0}, 55);
  // An annual row and a summer-term row: one Period::key(), two periods.
  row(2, "", "", {2019, 0}, 80);
  row(2, "", "", {2019, 3}, 81);

  // The same answers scanning row by row (a hand-built set) and through the
  // loader's index by benchmark, period and LA.
  for (bool indexed : {false, true}) {
    INFO((indexed ? "indexed" : "scanned"));
    if (indexed) d.index_benchmarks();
    CHECK(d.benchmark(2, 0, "", {2019, 0})->value == 80);
    CHECK(d.benchmark(2, 0, "", {2019, 3})->value == 81);
    CHECK(d.benchmark(2, 0, "", {2019, 1}) == nullptr);
    CHECK(d.benchmark(0, 0, "secondary", {2018, 0})->value == 65);
    // The primary row has no cell for series 0: falls back to the all-phase row.
    CHECK(d.benchmark(0, 0, "primary", {2018, 0})->value == 65);
    CHECK(d.benchmark(0, 1, "primary", {2018, 0})->value == 1004);
    CHECK(d.benchmark(0, 0, "primary", {2016, 0}) == nullptr);
    CHECK(d.benchmark(1, 0, "", {2018, 0}, "851")->value == 55);
    CHECK(d.benchmark(1, 0, "", {2018, 0}, "850")->value == 68);
    CHECK(d.benchmark(1, 0, "", {2018, 0}, "999") == nullptr);
    CHECK(d.benchmark(1, 0, "", {2018, 0})->value == 68);

    CHECK(d.benchmark_latest(0, 0, "secondary", {2017, 3})->value == 61);
    CHECK(d.benchmark_latest(0, 0, "secondary", {2030, 0})->value == 65);
    CHECK(d.benchmark_latest(0, 0, "primary", {2018, 1})->value == 70);
    CHECK(d.benchmark_latest(0, 0, "primary", {2018, 2})->value == 70);
    CHECK(d.benchmark_latest(0, 0, "primary", {2018, 0})->value == 65);
    CHECK(d.benchmark_latest(0, 0, "primary", {2016, 0}) == nullptr);
  }
}

TEST_CASE("dataset: a cell keeps its period, missing kind and code in 16 bytes", "[dataset]") {
  static_assert(sizeof(Cell) == 16);
  for (int year : {kFirstYear, 2018, 2024, kLastYear})
    for (uint8_t term = 0; term <= 3; ++term)
      for (Missing m : {Missing::None, Missing::Code, Missing::Blank, Missing::ColumnAbsent, Missing::BadValue}) {
        Cell c;
        c.value = 97.5;
        c.set_period({static_cast<int16_t>(year), term});
        c.set_missing(m, 70000);
        CHECK(c.period() == Period{static_cast<int16_t>(year), term});
        CHECK(c.period_key() == Period{static_cast<int16_t>(year), term}.key());
        CHECK(c.missing() == m);
        CHECK(c.known() == (m == Missing::None));
        CHECK(c.code() == (m == Missing::None ? 0u : 70000u));
        c.set_period({2019, 2});  // the period changes alone
        CHECK(c.missing() == m);
        CHECK(c.period() == Period{2019, 2});
      }
  Cell none;
  CHECK(none.period() == Period{});  // year 0: no period
  CHECK(none.known());
  none.set_period({1899, 1});        // the readers refuse such years; a cell cannot hold them
  CHECK(none.period().year == 0);
}

TEST_CASE("dataset: a cell's place gives its file and column", "[dataset]") {
  Dataset d;
  Cell c;
  c.row = 7;
  CHECK(d.provenance(c).file == UINT16_MAX);  // place 0: no file
  c.place = d.place_of(2, 5);
  CHECK(c.place == 1);
  CHECK(d.place_of(2, 5) == 1);  // found, not added again
  CHECK(d.place_of(2, 6) == 2);
  Provenance p = d.provenance(c);
  CHECK(p.row == 7);
  CHECK(p.file == 2);
  CHECK(p.col == 5);
}

TEST_CASE("dataset: describing missing cells and provenance", "[dataset]") {
  Dataset d;
  d.files.push_back({"data/2018-2019_850_ks2final.csv", "ks2", {"URN", "PTRWM_EXP_FSM6CLA1A"}, 10});
  d.codes.push_back({"SUPP", "suppressed (small numbers)"});
  d.codes.push_back({"", "missing"});
  d.notes.push_back("column PSENELSE not in file 2018-2019_850_ks2final.csv");
  Cell c;
  c.set_period({2018, 0});
  c.row = 41;
  c.place = d.place_of(0, 2);
  c.set_missing(Missing::Code, 0);
  CHECK(d.describe_missing(c) ==
        "PTRWM_EXP_FSM6CLA1A is SUPP (suppressed (small numbers)) in 2018-2019_850_ks2final.csv row 41");
  CHECK(d.describe_provenance(c) == "2018-2019_850_ks2final.csv row 41, column PTRWM_EXP_FSM6CLA1A (2018-19)");
  c.set_missing(Missing::Blank, 1);
  CHECK(d.describe_missing(c) == "PTRWM_EXP_FSM6CLA1A is blank (missing) in 2018-2019_850_ks2final.csv row 41");
  c.set_missing(Missing::ColumnAbsent, 0);
  c.place = d.place_of(0, 0);
  CHECK(d.describe_missing(c) == "column PSENELSE not in file 2018-2019_850_ks2final.csv");
  c.set_missing(Missing::None, 0);
  CHECK(d.describe_missing(c).empty());
  // A value that came from no file (a test's given value) still says its period.
  Cell given;
  given.set_period({2024, 1});
  CHECK(d.describe_provenance(given) == "2024-25 autumn");
}
