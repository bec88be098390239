// Collects what the data loader reads into a Dataset: schools merged by URN
// across sources, cells kept in period order with one per period, benchmark rows
// merged per (benchmark, phase, LA, period). Conflicting known values are
// reported, never silently overwritten.
#pragma once

#include "dataset.h"

#include <array>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tr {

enum class Attr : uint8_t { Name, Phase, Type, La };

class DatasetBuilder {
 public:
  // `conflict` is called with the cell already stored and the one that clashes with it.
  using ConflictFn = std::function<void(const Cell& kept, const Cell& clash)>;

  DatasetBuilder(Dataset& out, int series_count) : out_(out), series_count_(series_count) {}

  // The builder's index for a school (stable until finish()); creates it.
  int school(std::string_view urn);
  bool has_school(std::string_view urn) const { return find(urn) >= 0; }

  // Offers an attribute; the first source (lowest source order) that gives a
  // non-empty value wins, and within a source the latest period.
  void offer(int school, Attr attr, std::string value, int source_order, Period p);

  // How many periods the source being read is likely to give each school (its
  // file count): a school's cells are reserved for that many at once.
  void expect_periods(size_t n) { expect_ = n < 1 ? 1 : n > 12 ? 12 : n; }

  // Stores a school's cell; `cell.period` decides its place.
  void put(int series, int school, const Cell& cell, const ConflictFn& conflict);

  // The benchmark row for (benchmark, phase, la, period), created on first use.
  int benchmark_row(int benchmark, const std::string& phase, const std::string& la, Period p);
  void put_benchmark(int row, int series, const Cell& cell, const ConflictFn& conflict);

  // Sorts schools by URN and lays values out as values[series][school].
  void finish();

 private:
  struct Pick {
    int source = 1 << 30;
    int period = 0;
  };
  Dataset& out_;
  int series_count_;
  // URN -> index into schools_: open addressing over a power-of-two table of
  // indexes (-1 empty), compared with schools_[i].urn. A school lookup per row
  // of a national file was a node-based map's cache miss each time.
  int find(std::string_view urn) const;
  void grow();
  std::vector<int> slots_;
  std::vector<School> schools_;
  std::vector<std::array<Pick, 4>> picks_;
  std::unordered_map<std::string, int> bench_rows_;
  uint32_t unset_note_ = UINT32_MAX;
  size_t expect_ = 1;
};

// Stores `cell` into `cells` (sorted by period): known beats unknown, equal known
// values are kept once, differing known values call `conflict`.
void place_cell(std::vector<Cell>& cells, const Cell& cell, const DatasetBuilder::ConflictFn& conflict);

}  // namespace tr
