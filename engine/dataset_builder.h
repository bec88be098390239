// Collects what the data loader reads into a Dataset: schools merged by URN
// across sources, cells kept in period order with one per period, benchmark rows
// merged per (benchmark, phase, LA, period). Conflicting known values are
// reported, never silently overwritten.
//
// Each file is read into a DatasetPart of its own, so that files can be read in
// parallel; the builder then takes the parts in the order the files were listed,
// which is the order everything is decided and reported in.
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

// Called with the cell kept and a later one that clashes with it.
using ConflictFn = std::function<void(const Cell& kept, const Cell& clash)>;

// Schools by URN: open addressing over a power-of-two table of indexes (-1
// empty), compared with the URNs. A school lookup per row of a national file
// was a node-based map's cache miss each time.
class SchoolTable {
 public:
  int find(std::string_view urn) const;  // -1 if absent
  int add(std::string_view urn);         // finds or creates; indexes count from 0
  size_t size() const { return urns_.size(); }
  const std::string& urn(size_t i) const { return urns_[i]; }
  std::string take_urn(size_t i) { return std::move(urns_[i]); }
  void clear();

 private:
  void grow();
  std::vector<int> slots_;
  std::vector<std::string> urns_;
};

// What one file gives: its schools (by index of first appearance), their
// attributes, their cells and its benchmark cells, before it joins the others.
class DatasetPart {
 public:
  explicit DatasetPart(int series_count) : logs_(static_cast<size_t>(series_count)) {}

  int school(std::string_view urn) { return schools_.add(urn); }
  // Offers an attribute; the first source (lowest source order) that gives a
  // non-empty value wins, and within a source the latest period.
  void offer(int school, Attr attr, std::string value, int source_order, Period p);
  // A file's way in: a school row, then that row's cells, each bound series
  // the same number of times in every row (a file binds its columns once), so
  // that a cell needs no school of its own. `cell.period()` decides its place.
  // Cells are only appended here, in the order read: the builder lays them out
  // and settles two cells for one period, so reading a national file touches
  // memory in order. (A national read's cells were its peak memory, and a
  // school index beside each was a seventh of it.)
  void row(int school) { rows_.push_back(static_cast<uint32_t>(school)); }
  void put_in_row(int series, const Cell& cell) { logs_[static_cast<size_t>(series)].push(cell); }
  // Any school's cell, in any order (tests, a rule test's given values). The
  // builder takes these after the part's rows.
  void put(int series, int school, const Cell& cell);
  // A benchmark row's cell, for (benchmark, phase, la, cell.period()).
  void put_benchmark(int benchmark, std::string phase, std::string la, int series, const Cell& cell);

  // Cells whose `code` indexes Dataset::notes (column absent, bad value) give
  // it relative to this base: the part's notes are added to the data set's when
  // the part joins it.
  std::vector<std::string> notes;
  uint32_t note(std::string text);

 private:
  friend class DatasetBuilder;
  struct Pick {
    int source = 1 << 30;
    int period = 0;
    std::string value;
  };
  struct BenchPut {
    int benchmark, series;
    std::string phase, la;
    Cell cell;
  };
  struct Loose {
    uint32_t school;
    Cell cell;
  };
  SchoolTable schools_;
  std::vector<std::array<Pick, 4>> picks_;
  std::vector<uint32_t> rows_;                // the school of each row
  std::vector<CellLog> logs_;                 // by series: the rows' cells, in the order read
  std::vector<std::vector<Loose>> loose_;     // by series: put()
  std::vector<BenchPut> bench_;
};

class DatasetBuilder {
 public:
  DatasetBuilder(Dataset& out, int series_count) : out_(out), series_count_(series_count) {}

  // Takes a part, after every part taken before it: its schools join by URN,
  // its attributes are offered, its notes added and its benchmark cells placed
  // (`conflict` is called for a benchmark cell that clashes with one placed).
  void take(DatasetPart&& part, const ConflictFn& conflict);
  bool has_school(std::string_view urn) const { return schools_.find(urn) >= 0; }

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
  struct Taken {
    std::vector<CellLog> logs;
    std::vector<uint32_t> rows;    // the builder's index of each row's school
    std::vector<std::vector<DatasetPart::Loose>> loose;
    std::vector<uint32_t> school;  // the part's school index -> the builder's
    uint32_t note_base = 0;
    // Calls f(builder's school, cell) for each cell of the series, in the order read.
    template <typename F>
    void each(size_t series, F&& f) const;
  };
  void offer(int school, Attr attr, std::string&& value, int source_order, int period_key);
  int benchmark_row(int benchmark, const std::string& phase, const std::string& la, Period p);

  Dataset& out_;
  int series_count_;
  SchoolTable schools_;
  std::vector<School> attrs_;  // by builder index: name, phase, type, la
  std::vector<std::array<Pick, 4>> picks_;
  std::vector<Taken> taken_;
  std::unordered_map<std::string, int> bench_rows_;
  uint32_t unset_note_ = UINT32_MAX;
};

}  // namespace tr
