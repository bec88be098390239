#include "dataset_builder.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace tr;

namespace {

Cell cell(double v, Period p, uint32_t file, uint32_t row, bool known = true) {
  Cell c;
  c.value = v;
  c.period = p;
  c.prov = {file, row, 3};
  if (!known) c.missing = Missing::Code;
  return c;
}

}  // namespace

TEST_CASE("dataset builder: cells laid out by school URN and period, one per period", "[dataset]") {
  Dataset d;
  DatasetBuilder b(d, 2);
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
  b.finish([&](const Cell& kept, const Cell& clash) {
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
  CHECK(zc[1].prov.file == 3);
  CHECK(zc[2].value == 3);
  CHECK(d.values.of(0, 0).empty());
  REQUIRE(d.values.of(1, 0).size() == 1);
  CHECK(d.values.of(1, 0)[0].prov.file == 0);  // the first of equal values is kept
  CHECK(d.values.of(1, 1).empty());
  CHECK(d.latest(0, 1, {2019, 3})->value == 2);
}

TEST_CASE("dataset builder: differing known values are conflicts, in the order they were read", "[dataset]") {
  Dataset d;
  DatasetBuilder b(d, 2);
  int s1 = b.school("100002"), s2 = b.school("100001");
  // Series 1 is put before series 0, but the clash in file 1 row 4 was read
  // before the one in file 1 row 9 and after everything in file 0.
  b.put(1, s1, cell(10, {2019, 0}, 0, 2));
  b.put(0, s2, cell(20, {2019, 0}, 0, 5));
  b.put(1, s1, cell(11, {2019, 0}, 1, 9));
  b.put(0, s2, cell(21, {2019, 0}, 1, 4));
  b.put(0, s2, cell(22, {2019, 0}, 2, 4));
  std::vector<std::string> clashes;
  b.finish([&](const Cell& kept, const Cell& clash) {
    clashes.push_back(std::to_string(static_cast<int>(kept.value)) + "/" + std::to_string(static_cast<int>(clash.value)) +
                      "@" + std::to_string(clash.prov.file) + ":" + std::to_string(clash.prov.row));
  });
  CHECK(clashes == std::vector<std::string>{"20/21@1:4", "10/11@1:9", "20/22@2:4"});
  // The first value read stays.
  CHECK(d.values.of(0, 0)[0].value == 20);
  CHECK(d.values.of(1, 1)[0].value == 10);
}
