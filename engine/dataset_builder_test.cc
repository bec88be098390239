#include "dataset_builder.h"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace tr;

namespace {

// Cells of file f are at place f + 1: column 3 of that file (with_places).
Cell cell(double v, Period p, uint32_t file, uint32_t row, bool known = true) {
  Cell c;
  c.value = v;
  c.set_period(p);
  c.row = row;
  c.place = static_cast<uint16_t>(file + 1);
  if (!known) c.set_missing(Missing::Code, 0);
  return c;
}

Dataset with_places() {
  Dataset d;
  for (uint16_t f = 0; f < 8; ++f) d.place_of(f, 3);
  return d;
}

}  // namespace

TEST_CASE("dataset builder: cells laid out by school URN and period, one per period", "[dataset]") {
  Dataset d = with_places();
  DatasetPart b(2);
  int z = b.school("100009"), a = b.school("100001");
  CHECK(b.school("100009") == z);
  // Read out of period order, and an unknown before a known value for one period.
  b.put(0, z, cell(3, {2020, 0}, 0, 2));
  b.put(0, z, cell(1, {2018, 0}, 1, 2));
  b.put(0, z, cell(0, {2019, 0}, 2, 2, false));
  b.put(0, z, cell(2, {2019, 0}, 3, 2));
  b.put(1, a, cell(7, {2019, 1}, 0, 3));
  b.put(1, a, cell(0, {2019, 1}, 1, 3, false));  // an unknown never replaces a known value
  b.put(1, a, cell(7, {2019, 1}, 2, 3));          // the same value again is no conflict
  std::vector<std::string> clashes;
  DatasetBuilder whole(d, 2);
  whole.take(std::move(b), nullptr);
  whole.finish([&](const Cell& kept, const Cell& clash) {
    clashes.push_back(std::to_string(kept.value) + "/" + std::to_string(clash.value));
  });
  CHECK(clashes.empty());
  REQUIRE(d.schools.size() == 2);
  CHECK(d.schools[0].urn == "100001");  // index 0 after sorting by URN
  CHECK(d.values.schools == 2);
  CHECK(d.values.series() == 2);
  auto zc = d.values.of(0, 1);
  REQUIRE(zc.size() == 3);
  CHECK(zc[0].value == 1);
  CHECK(zc[1].value == 2);  // the known value beat the unknown read first
  CHECK(d.provenance(zc[1]).file == 3);
  CHECK(zc[2].value == 3);
  CHECK(d.values.of(0, 0).empty());
  REQUIRE(d.values.of(1, 0).size() == 1);
  CHECK(d.provenance(d.values.of(1, 0)[0]).file == 0);  // the first of equal values is kept
  CHECK(d.values.of(1, 1).empty());
  CHECK(d.latest(0, 1, {2019, 3})->value == 2);
}

TEST_CASE("dataset builder: differing known values are conflicts, in the order they were read", "[dataset]") {
  Dataset d = with_places();
  // Two files' parts, the second read after the first. Series 1 is put before
  // series 0, but the clash in file 1 row 4 was read before the one in file 1
  // row 9 and after everything in file 0.
  DatasetPart f0(2), f1(2);
  f0.put(1, f0.school("100002"), cell(10, {2019, 0}, 0, 2));
  f0.put(0, f0.school("100001"), cell(20, {2019, 0}, 0, 5));
  f1.put(0, f1.school("100001"), cell(21, {2019, 0}, 1, 4));  // the part's school 0 is 100001 here
  f1.put(1, f1.school("100002"), cell(11, {2019, 0}, 1, 9));
  f1.put(0, f1.school("100001"), cell(22, {2019, 0}, 2, 4));
  std::vector<std::string> clashes;
  DatasetBuilder b(d, 2);
  b.take(std::move(f0), nullptr);
  b.take(std::move(f1), nullptr);
  b.finish([&](const Cell& kept, const Cell& clash) {
    clashes.push_back(std::to_string(static_cast<int>(kept.value)) + "/" + std::to_string(static_cast<int>(clash.value)) +
                      "@" + std::to_string(d.provenance(clash).file) + ":" + std::to_string(clash.row));
  });
  CHECK(clashes == std::vector<std::string>{"20/21@1:4", "10/11@1:9", "20/22@2:4"});
  // The first value read stays.
  CHECK(d.values.of(0, 0)[0].value == 20);
  CHECK(d.values.of(1, 1)[0].value == 10);
}

TEST_CASE("dataset builder: a file's rows give their cells their schools, in any URN order", "[dataset]") {
  Dataset d = with_places();
  // As a file is read: a school row, then its cells. Series 1 is bound twice
  // (two columns of one metric), so it has two cells a row; series 2 is bound
  // by no file. The rows are not in URN order, so the layout's school order
  // differs from the order read.
  DatasetPart file(3), tests(3);
  const char* urns[] = {"100300", "100100", "100200"};
  for (uint32_t r = 0; r < 3; ++r) {
    file.row(file.school(urns[r]));
    file.put_in_row(0, cell(10 + r, {2019, 0}, 0, r + 2));
    file.put_in_row(1, cell(20 + r, {2018, 0}, 0, r + 2));
    file.put_in_row(1, cell(30 + r, {2019, 0}, 0, r + 2));
  }
  // A loose cell (a rule test's given value) for a school the file also has.
  tests.put(0, tests.school("100100"), cell(99, {2020, 0}, 1, 7));
  DatasetBuilder b(d, 3);
  b.take(std::move(file), nullptr);
  b.take(std::move(tests), nullptr);
  b.finish();
  REQUIRE(d.schools.size() == 3);
  REQUIRE(d.schools[0].urn == "100100");  // the file's second row
  auto values = [&](int series, int school) {
    std::vector<double> v;
    for (const Cell& c : d.values.of(series, school)) v.push_back(c.value);
    return v;
  };
  CHECK(values(0, 0) == std::vector<double>{11, 99});
  CHECK(values(0, 1) == std::vector<double>{12});
  CHECK(values(0, 2) == std::vector<double>{10});
  CHECK(values(1, 0) == std::vector<double>{21, 31});
  CHECK(values(1, 2) == std::vector<double>{20, 30});
  CHECK(d.provenance(d.values.of(1, 2)[1]).row == 2);
  CHECK(d.values.of(2, 1).empty());
}

TEST_CASE("dataset builder: a part whose rows are uneven is refused", "[dataset]") {
  Dataset d = with_places();
  DatasetPart file(1);
  file.row(file.school("100001"));
  file.put_in_row(0, cell(1, {2019, 0}, 0, 2));
  file.row(file.school("100002"));  // no cell for series 0 in this row
  DatasetBuilder b(d, 1);
  CHECK_THROWS_AS(b.take(std::move(file), nullptr), std::logic_error);
}

TEST_CASE("dataset builder: attributes by source order, then the latest period, across parts", "[dataset]") {
  Dataset d = with_places();
  DatasetPart gias(1), census(1), later(1);
  // Source 1 (census) is read first but source 0 (gias) wins wherever it gives a value.
  census.offer(census.school("100001"), Attr::Name, "Census Name", 1, {2019, 0});
  census.offer(census.school("100002"), Attr::Name, "Only Census", 1, {2019, 0});
  gias.offer(gias.school("100001"), Attr::Name, "Gias 2018", 0, {2018, 0});
  gias.offer(gias.school("100001"), Attr::Name, "", 0, {2020, 0});  // empty: no offer
  later.offer(later.school("100001"), Attr::Name, "Gias 2019", 0, {2019, 0});
  later.offer(later.school("100001"), Attr::Name, "Gias 2019 again", 0, {2019, 0});  // a tie keeps the first
  later.offer(later.school("100001"), Attr::Phase, "primary", 0, {2019, 0});
  DatasetBuilder b(d, 1);
  b.take(std::move(census), nullptr);
  b.take(std::move(gias), nullptr);
  b.take(std::move(later), nullptr);
  b.finish();
  REQUIRE(d.schools.size() == 2);
  CHECK(d.schools[0].name == "Gias 2019");
  CHECK(d.schools[0].phase == "primary");
  CHECK(d.schools[1].name == "Only Census");
}

TEST_CASE("dataset builder: a part's notes join the data set's, and its cells point at them", "[dataset]") {
  Dataset d = with_places();
  d.notes = {"an earlier note"};
  DatasetPart p(1);
  Cell c = cell(0, {2019, 0}, 0, 2);
  c.set_missing(Missing::ColumnAbsent, p.note("column X not in file a.csv"));
  p.put(0, p.school("100001"), c);
  p.put_benchmark(0, "", "", 0, c);
  DatasetBuilder b(d, 1);
  b.take(std::move(p), nullptr);
  b.finish();
  REQUIRE(d.values.of(0, 0).size() == 1);
  CHECK(d.describe_missing(d.values.of(0, 0)[0]) == "column X not in file a.csv");
  const Cell* bc = d.benchmark(0, 0, "primary", {2019, 0});
  REQUIRE(bc);
  CHECK(d.describe_missing(*bc) == "column X not in file a.csv");
}
