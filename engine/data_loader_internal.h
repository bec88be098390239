// Shared between data_loader.cc (planning sources, running the load) and
// data_read.cc (reading one file). Not part of the engine's interface.
#pragma once

#include "cell_values.h"
#include "dataset.h"
#include "dataset_builder.h"
#include "page_buffer.h"
#include "source_match.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tr::data_detail {

constexpr int kMaxErrorsPerFile = 20;

std::string base_name(const std::string& path);

// Errors for one file, capped so that a wholly wrong export shows its first
// problems rather than ten thousand lines of the same one.
class FileErrors {
 public:
  FileErrors(Diagnostics& d, std::string path) : diags_(d), path_(std::move(path)) {}
  ~FileErrors();
  FileErrors(const FileErrors&) = delete;
  FileErrors& operator=(const FileErrors&) = delete;
  // row 0: the whole file; col 0: the whole row. Both are 1-based.
  void at(uint32_t row, uint32_t col, std::string message, std::string hint = {});
  int count() const { return count_; }

 private:
  Diagnostics& diags_;
  std::string path_;
  int count_ = 0;
};

// "rwm_expected.disadvantaged", "read_progress.lower"
std::string binding_name(const ColumnBinding& b);

// A source resolved against the ruleset once, before any file is read.
struct Plan {
  const Source* src = nullptr;
  int order = 0;  // position in Ruleset::data_sources: attribute precedence
  struct Code {
    std::string text;
    uint32_t index = 0;  // into Dataset::codes
  };
  std::vector<Code> codes;  // declared codes other than blank
  uint32_t blank_code = 0;  // Dataset::codes entry giving the reason for an empty cell
  uint32_t short_code = 0;  // ... for a cell past the end of a short row
  struct Bind {
    const ColumnBinding* b = nullptr;
    int series = -1;
    MetricType type = MetricType::Number;
    std::unique_ptr<GradeTable> grades;
  };
  std::vector<Bind> binds;
  std::vector<int> row_benchmark;  // per RowRule: benchmark index, -1 when not a benchmark row
  bool ok = true;
};

// What reading one file gives, kept apart so that files can be read in
// parallel and then taken in order: errors, report line, warnings, overrides
// and the file's part of the data set.
struct FileRead {
  explicit FileRead(int series_count) : part(series_count) {}
  Diagnostics diags;  // in row order; FileErrors writes here
  std::optional<LoadReport::FileSummary> sum;
  std::vector<std::string> warnings;
  std::vector<Override> overrides;
  DatasetPart part;
};

class Loader {
 public:
  Loader(const Ruleset& rs, Dataset& out, Diagnostics& diags, LoadReport* report)
      : rs_(rs), out_(out), diags_(diags), report_(report), build_(out, out.series.count) {}

  bool run(const std::vector<std::string>& paths);

 private:
  uint32_t code_index(const std::string& code, const std::string& reason);
  Plan plan(const Source& s, int order);
  int benchmark_id(const Name& n) const;
  // Reads one file into `out`; touches nothing shared but out_.files[fi].
  // `text` is the reading thread's buffer for the file's bytes.
  void read(const Plan& p, const DataPath& file, uint32_t fi, FileRead& out, PageBuffer& text) const;  // data_read.cc
  // Adds file k's reading to the data set, after files 0 .. k-1.
  void take(size_t k, FileRead& r);
  // "this value (201) differs from the one already read ...", at the clashing cell.
  void conflict_error(FileErrors& err, const Cell& kept, const Cell& clash) const;  // data_read.cc

  const Ruleset& rs_;
  Dataset& out_;
  Diagnostics& diags_;
  LoadReport* report_;
  // File k's binds are Dataset::places[place_base_[k] ...], one a bind: laid
  // out before reading so that each reader fills its own slice.
  std::vector<size_t> place_base_;
  DatasetBuilder build_;
  std::map<std::pair<std::string, std::string>, uint32_t> code_ids_;
  std::vector<std::string> warnings_;
  std::vector<std::pair<std::string, uint32_t>> override_rows_;  // urn, file index (checked at the end)
};

}  // namespace tr::data_detail
