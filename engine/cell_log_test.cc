#include "cell_log.h"

#include <catch2/catch.hpp>

using namespace tr;

TEST_CASE("cell log: entries across blocks come back in the order pushed", "[dataset]") {
  CellLog log;
  const size_t n = CellLog::capacity(0) + CellLog::capacity(1) + 7;  // into a third block
  for (size_t i = 0; i < n; ++i) {
    Cell c;
    c.value = static_cast<double>(i);
    c.row = static_cast<uint32_t>(i + 2);
    log.push(c);
  }
  REQUIRE(log.size() == n);
  size_t k = 0;
  bool in_order = true;
  log.each([&](const Cell& c) {
    in_order = in_order && c.value == static_cast<double>(k) && c.row == k + 2;
    ++k;
  });
  CHECK(k == n);
  CHECK(in_order);

  CellLog moved = std::move(log);
  CHECK(moved.size() == n);
  CHECK(log.size() == 0);  // NOLINT(bugprone-use-after-move): a moved-from log is empty
  moved.clear();
  CHECK(moved.size() == 0);
  Cell again;
  again.value = 3;
  moved.push(again);  // usable again after clear()
  CHECK(moved.size() == 1);
  double value = 0;
  moved.each([&](const Cell& c) { value = c.value; });
  CHECK(value == 3);
}
