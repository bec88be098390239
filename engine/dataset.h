// What the engine read from the data files: every school, every value with the
// cell it came from, every benchmark row, every override. Unknown values keep
// why they are unknown; nothing missing is ever stored as a number.
#pragma once

#include "diagnostics.h"
#include "ruleset.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace tr {

// An academic year (start year: 2018 for 2018-19) and optionally a term.
// Annual values belong to the whole year and order with its summer term, so an
// evaluation as of 2018-19 summer (or simply as of 2018-19) sees 2018-19 results.
struct Period {
  int16_t year = 0;
  uint8_t term = 0;  // 0 annual, 1 autumn, 2 spring, 3 summer

  int key() const { return year * 4 + (term == 0 ? 3 : term); }
  friend bool operator==(Period a, Period b) { return a.year == b.year && a.term == b.term; }
};

std::string to_string(Period p);  // "2018-19", "2019-20 autumn"
// Parses "2018-19", "2018-2019", "2019-20 autumn", "2019-20:autumn"; false if malformed.
bool parse_period(std::string_view text, Period& out);

// Where a value came from. row is the 1-based line number of the record in the
// file (the header is row 1); col is the 1-based column (0 when not from a cell).
// Write it with designated initializers ({.row = r, .file = f, .col = c}). A
// Cell keeps its row and a Place; Dataset::provenance(cell) gives this whole.
struct Provenance {
  uint32_t row = 0;
  uint16_t file = 0;  // index into Dataset::files
  uint16_t col = 0;
};
constexpr size_t kMaxFiles = UINT16_MAX, kMaxColumns = UINT16_MAX;

// A file and a column of it, shared by every cell read from that column:
// Dataset::places[cell.place]. Place 0 is no file (a value given in a rule test,
// a benchmark cell no file gave). A run binds at most kMaxPlaces columns in all.
struct Place {
  uint16_t file = UINT16_MAX;  // index into Dataset::files; UINT16_MAX: none
  uint16_t col = 0;            // 1-based; 0: the file has no such column
};
constexpr size_t kMaxPlaces = UINT16_MAX;

enum class Missing : uint8_t {
  None,          // known
  Code,          // a declared code such as SUPP; `code` indexes Dataset::codes
  Blank,         // an empty cell, or a row that stops early; `code` indexes Dataset::codes (code "", the reason)
  ColumnAbsent,  // the file has no such column; `code` indexes Dataset::notes
  BadValue,      // neither number nor code, in a source with `bad values warn`; `code` indexes notes
};

// One value of one school (or benchmark row) for one period, with where it came
// from, in 16 bytes: a national run holds millions. A missing value keeps its
// code (why it is missing) where a known one keeps its number; the period and
// the kind of missing share 16 bits.
struct Cell {
  double value = 0;    // known: the number (a grade its rank); missing: the code
  uint32_t row = 0;    // the record's line in its file (header 1); 0: from no file
  uint16_t place = 0;  // Dataset::places: its file and column

  bool known() const { return (bits_ & kMissingMask) == 0; }
  Missing missing() const { return static_cast<Missing>(bits_ & kMissingMask); }
  // What a missing value's Missing indexes (Dataset::codes or notes); 0 when known.
  uint32_t code() const { return known() ? 0 : static_cast<uint32_t>(value); }
  void set_missing(Missing m, uint32_t code) {
    bits_ = static_cast<uint16_t>((bits_ & ~kMissingMask) | static_cast<uint16_t>(m));
    value = m == Missing::None ? 0 : static_cast<double>(code);
  }

  Period period() const {
    int y = bits_ >> kYearShift;
    return Period{static_cast<int16_t>(y == 0 ? 0 : y + kFirstYear - 1),
                  static_cast<uint8_t>((bits_ >> kTermShift) & 3)};
  }
  // A year outside kFirstYear..kLastYear (the readers refuse them) is year 0.
  void set_period(Period p) {
    uint16_t y = p.year >= kFirstYear && p.year <= kLastYear ? static_cast<uint16_t>(p.year - kFirstYear + 1) : 0;
    bits_ = static_cast<uint16_t>((y << kYearShift) | ((p.term & 3) << kTermShift) | (bits_ & kMissingMask));
  }
  int period_key() const { return period().key(); }

 private:
  static constexpr uint16_t kMissingMask = 7;
  static constexpr int kTermShift = 3, kYearShift = 5;
  uint16_t bits_ = 0;  // year - kFirstYear + 1 (11 bits; 0: year 0), term (2), missing (3)
};
static_assert(sizeof(Cell) == 16, "a national run holds millions of cells");
static_assert(kLastYear - kFirstYear + 1 < (1 << 11), "a Cell keeps its year in 11 bits");

struct School {
  std::string urn;
  std::string name;
  std::string phase;  // normalized: primary, secondary, special, all_through, nursery, ... (lower case)
  std::string type;   // e.g. mainstream, special, academy (lower case)
  std::string la;
};

struct Override {
  std::string urn;
  Period period;
  int tier = 0;
  std::string reason, approved_by, date;
  Provenance prov;
};

struct DataFile {
  std::string path;
  std::string source;                // id of the source it matched
  std::vector<std::string> headers;  // column names, for provenance ("PTRWM_EXP")
  uint32_t rows = 0;                 // data records read
};

// Series identify one metric / group / bound: dense ids computed from the ruleset.
struct SeriesIndex {
  // first[metric] is the series of (metric, all, value); groups follow, then bounds.
  std::vector<int> first;
  int count = 0;
  // Lays out the series of every metric in rs.metrics (after check_ruleset).
  void build(const Ruleset& rs);
  int of(const Ruleset& rs, int metric, int group /*0 = all, i+1 = groups[i]*/,
         int bound /*0 value, 1 lower, 2 upper*/) const;
  // The series as rules and scripts name it: "rwm_expected", "rwm_expected.disadvantaged",
  // "read_progress.lower".
  static std::string name(const Ruleset& rs, int metric, int group, int bound);
};

// Every school's cells of every series in one array, series by series and
// school by school: a national run reads millions of cells, and a vector per
// (series, school) cost an allocation and a cache miss for each.
struct CellTable {
  std::vector<Cell> cells;
  // The cells of (series, school) are cells[start[i] .. start[i + 1]) with
  // i = series * schools + school.
  std::vector<uint32_t> start;
  uint32_t schools = 0;

  int series() const { return schools == 0 ? 0 : static_cast<int>((start.size() - 1) / schools); }
  // Sorted by period, at most one per period; empty when out of range.
  std::span<const Cell> of(int series, int school) const;
  // Whether any school has a cell of the series.
  bool any(int series) const;
  // Laid out from cells listed by series and school (tests, hand-built data sets).
  static CellTable from(const std::vector<std::vector<std::vector<Cell>>>& by_series, size_t schools);
};

class Dataset {
 public:
  std::vector<DataFile> files;
  std::vector<Place> places{Place{}};  // Cell::place; place 0 is no file
  struct CodeInfo {
    std::string code;    // "SUPP"
    std::string reason;  // "suppressed (small numbers)"
  };
  std::vector<CodeInfo> codes;
  std::vector<std::string> notes;  // "column READPROG not in file 2016-2017_850_ks2final.csv"
  std::vector<School> schools;     // sorted by URN
  std::vector<Override> overrides;
  SeriesIndex series;

  CellTable values;  // values.of(series, school)

  struct BenchmarkRow {
    int benchmark = 0;      // index into Ruleset::benchmark_ids
    std::string phase;      // "" = every phase
    std::string la;         // the row's LA code (a local_authority row); "" = not LA-specific
    // By series; Missing::ColumnAbsent where the file lacks it. A cell that no
    // source gave for this row has row == 0 (a cell read from a file always
    // has row >= 2) and is treated as absent by the lookups below.
    std::vector<Cell> cells;
    Period period;
  };
  std::vector<BenchmarkRow> benchmarks;

  int school_index(std::string_view urn) const;  // -1 if absent
  // The latest cell at or before `as_of`, or null.
  const Cell* latest(int series, int school, Period as_of) const;
  // The cell exactly for `p`, or null.
  const Cell* at(int series, int school, Period p) const;
  // The benchmark cell for a school's phase at exactly period p (falls back to phase ""), or null.
  // `la` picks the school's own local-authority row when a file has one per LA (KS4 has 150);
  // with la empty, the first row of any LA is taken.
  const Cell* benchmark(int benchmark, int series, const std::string& phase, Period p,
                        std::string_view la = {}) const;
  // The latest benchmark cell at or before as_of.
  const Cell* benchmark_latest(int benchmark, int series, const std::string& phase, Period as_of,
                               std::string_view la = {}) const;

  // Indexes the benchmark rows by benchmark and LA, so that the lookups above
  // visit only the rows that can fit (a national KS4 file has 150 LA rows a
  // year). The loader calls it; a Dataset built by hand without it, or changed
  // since, is scanned row by row with the same answers.
  void index_benchmarks();

  // Where a cell came from: its row, file and column.
  Provenance provenance(const Cell& c) const;
  // The place of (file, col), added if new: for data sets built by hand (the
  // loader lays out its places before reading).
  uint16_t place_of(uint16_t file, uint16_t col);

  // "PTRWM_EXP_FSM6CLA1A is SUPP (suppressed (small numbers)) in 2018-2019_850_ks2final.csv row 41"
  std::string describe_missing(const Cell& c) const;
  // "2018-2019_850_ks2final.csv row 41, column PTRWM_EXP (2018-19)"
  std::string describe_provenance(const Cell& c) const;

 private:
  struct RowLists {
    std::vector<int> all, no_la;                             // row indexes, ascending
    std::unordered_map<std::string, std::vector<int>> by_la;  // rows of one LA, ascending
    void add(const BenchmarkRow& r, int i);
  };
  struct BenchIndex {
    RowLists rows;
    // The same by Period::key(): an evaluation asks for one period's benchmark
    // tens of times a school, and a national file has rows for every period.
    std::unordered_map<int, RowLists> by_period;
  };
  // Calls f(row) for every row of benchmark b that can fit a school in `la`, in
  // row order; with `period`, only rows whose period has that key (and maybe others).
  template <typename F>
  void each_candidate(int b, std::string_view la, const Period* period, F&& f) const;
  std::vector<BenchIndex> bench_index_;
  size_t bench_indexed_ = SIZE_MAX;  // benchmarks.size() when indexed
};

struct LoadReport {
  // One line per file: what matched, rows, schools, periods, codes counted.
  struct FileSummary {
    std::string path, source;
    uint32_t rows = 0, school_rows = 0, benchmark_rows = 0, skipped_rows = 0;
    std::vector<std::string> periods;
    std::vector<std::string> metrics_found, metrics_absent;
    std::vector<std::pair<std::string, uint32_t>> codes;  // code -> count
  };
  std::vector<FileSummary> files;
  std::vector<std::string> unmatched_files;  // in the data folder, matched by no source
  // "file:row:col: message" for each cell turned unknown by `bad values warn`, and
  // other data warnings (an override for a school no source knows).
  std::vector<std::string> warnings;
};

// Reads every file under `paths` (files or folders) that a source of the ruleset
// matches. Errors (ragged rows, duplicate keys, undeclared codes, missing key
// columns, unreadable files) go to `diags` as "file:row:col" and make it return
// false; on false the dataset must not be evaluated.
bool load_data(const Ruleset& rs, const std::vector<std::string>& paths, Dataset& out,
               Diagnostics& diags, LoadReport* report = nullptr);

}  // namespace tr
