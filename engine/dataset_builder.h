// Collects what the data loader reads into a Dataset: schools merged by URN
// across sources, cells kept in period order with one per period, benchmark rows
// merged per (benchmark, phase, LA, period). Conflicting known values are
// reported, never silently overwritten.
#pragma once

#include "cell_log.h"
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
  // Called with the cell kept and a later one that clashes with it.
  using ConflictFn = std::function<void(const Cell& kept, const Cell& clash)>;

  DatasetBuilder(Dataset& out, int series_count) : out_(out), series_count_(series_count), staged_(series_count) {}

  // The builder's index for a school (stable until finish()); creates it.
  int school(std::string_view urn);
  bool has_school(std::string_view urn) const { return find(urn) >= 0; }

  // Offers an attribute; the first source (lowest source order) that gives a
  // non-empty value wins, and within a source the latest period.
  void offer(int school, Attr attr, std::string value, int source_order, Period p);

  // Stores a school's cell; `cell.period` decides its place. Cells are only
  // appended here, in the order read: finish() lays them out and settles two
  // cells for one period, so reading a national file touches memory in order.
  void put(int series, int school, const Cell& cell);

  // The benchmark row for (benchmark, phase, la, period), created on first use.
  int benchmark_row(int benchmark, const std::string& phase, const std::string& la, Period p);
  void put_benchmark(int row, int series, const Cell& cell, const ConflictFn& conflict);

  // Sorts schools by URN and lays the cells out in out.values. Of two cells for
  // one series, school and period, a known one beats an unknown one and the
  // first read is kept; two different known values call `conflict`, in the
  // order the clashing cells were read (file, then row, then column).
  void finish(const ConflictFn& conflict = {});

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
  std::vector<CellLog> staged_;  // by series, in the order read
  std::unordered_map<std::string, int> bench_rows_;
  uint32_t unset_note_ = UINT32_MAX;
};

}  // namespace tr
