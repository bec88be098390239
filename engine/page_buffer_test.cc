// PageBuffer: released pages read as zeros, and nothing outside them is touched.
#include "page_buffer.h"

#include <catch2/catch.hpp>

#include <cstring>

using namespace tr;

namespace {
bool all(const PageBuffer& b, size_t from, size_t to, char c) {
  for (size_t i = from; i < to; ++i)
    if (b.data()[i] != c) return false;
  return true;
}
}  // namespace

TEST_CASE("a released range of a huge-page buffer goes in whole huge pages", "[data][memory]") {
  constexpr size_t MB = size_t{1} << 20;
  PageBuffer b(9 * MB);
  std::memset(b.data(), 'x', b.size());
  // From 1000 bytes in to 5 MB: only the huge page [2 MB, 4 MB) lies inside.
  CHECK(b.release(1000, 5 * MB) == 4 * MB);
  CHECK(all(b, 0, 2 * MB, 'x'));
  CHECK(all(b, 2 * MB, 4 * MB, '\0'));
  CHECK(all(b, 4 * MB, b.size(), 'x'));
  // The next call starts where this one ended; past the end is the end.
  CHECK(b.release(4 * MB, 100 * MB) == 8 * MB);
  CHECK(all(b, 4 * MB, 8 * MB, '\0'));
  CHECK(all(b, 8 * MB, b.size(), 'x'));
  // Released pages are usable again (the next file is read into them).
  b.data()[3 * MB] = 'y';
  CHECK(b.data()[3 * MB] == 'y');
}

TEST_CASE("a released range of a small buffer goes in whole pages", "[data][memory]") {
  PageBuffer b(40000);
  std::memset(b.data(), 'x', b.size());
  CHECK(b.release(100, 10000) == 8192);
  CHECK(all(b, 0, 4096, 'x'));
  CHECK(all(b, 4096, 8192, '\0'));
  CHECK(all(b, 8192, b.size(), 'x'));
  CHECK(b.release(9000, 9500) == 9000);  // no whole page inside: nothing goes
  CHECK(all(b, 8192, b.size(), 'x'));
  PageBuffer empty;
  CHECK(empty.release(0, 100) == 0);
}
