// Lookups over a loaded Dataset and the words that explain a cell.
#include "dataset.h"

#include <algorithm>
#include <stdexcept>

namespace tr {

namespace {

// Order of cells in a series: by period, an annual value before the summer term
// of the same year (they share a key, see Period::key).
bool period_before(Period a, Period b) {
  return a.key() != b.key() ? a.key() < b.key() : a.term < b.term;
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_set(const Cell& c) { return c.row != 0; }

}  // namespace

void SeriesIndex::build(const Ruleset& rs) {
  first.clear();
  count = 0;
  for (const Metric* m : rs.metrics) {
    first.push_back(count);
    int groups = static_cast<int>(m->groups.size()) + 1;
    count += groups * (m->confidence ? 3 : 1);
  }
}

int SeriesIndex::of(const Ruleset& rs, int metric, int group, int bound) const {
  if (metric < 0 || metric >= static_cast<int>(first.size()) ||
      metric >= static_cast<int>(rs.metrics.size()))
    return -1;
  const Metric* m = rs.metrics[metric];
  int groups = static_cast<int>(m->groups.size()) + 1;
  if (group < 0 || group >= groups || bound < 0 || bound > 2 || (bound > 0 && !m->confidence))
    return -1;
  return first[metric] + bound * groups + group;
}

std::string SeriesIndex::name(const Ruleset& rs, int metric, int group, int bound) {
  const Metric& m = *rs.metrics[metric];
  std::string s = m.id.text;
  if (group > 0 && group <= static_cast<int>(m.groups.size())) s += "." + m.groups[group - 1].text;
  if (bound == 1) s += ".lower";
  if (bound == 2) s += ".upper";
  return s;
}

int Dataset::school_index(std::string_view urn) const {
  auto it = std::lower_bound(schools.begin(), schools.end(), urn,
                             [](const School& s, std::string_view u) { return s.urn < u; });
  if (it == schools.end() || it->urn != urn) return -1;
  return static_cast<int>(it - schools.begin());
}

std::span<const Cell> CellTable::of(int series, int school) const {
  if (series < 0 || school < 0 || static_cast<uint32_t>(school) >= schools) return {};
  size_t i = static_cast<size_t>(series) * schools + static_cast<size_t>(school);
  if (i + 1 >= start.size()) return {};
  return {cells.data() + start[i], cells.data() + start[i + 1]};
}

bool CellTable::any(int series) const {
  if (series < 0 || series >= this->series()) return false;
  return start[static_cast<size_t>(series) * schools] != start[static_cast<size_t>(series + 1) * schools];
}

CellTable CellTable::from(const std::vector<std::vector<std::vector<Cell>>>& by_series, size_t schools) {
  CellTable t;
  t.schools = static_cast<uint32_t>(schools);
  for (const auto& per_school : by_series)
    for (size_t k = 0; k < schools; ++k) {
      t.start.push_back(static_cast<uint32_t>(t.cells.size()));
      if (k < per_school.size()) t.cells.insert(t.cells.end(), per_school[k].begin(), per_school[k].end());
    }
  t.start.push_back(static_cast<uint32_t>(t.cells.size()));
  return t;
}

const Cell* Dataset::latest(int series, int school, Period as_of) const {
  std::span<const Cell> cells = values.of(series, school);
  // Cells are sorted by period: the last one whose key is not after as_of.
  auto it = std::upper_bound(cells.begin(), cells.end(), as_of.key(),
                             [](int key, const Cell& c) { return key < c.period_key(); });
  return it == cells.begin() ? nullptr : &*(it - 1);
}

const Cell* Dataset::at(int series, int school, Period p) const {
  std::span<const Cell> cells = values.of(series, school);
  auto it = std::lower_bound(cells.begin(), cells.end(), p,
                             [](const Cell& c, Period q) { return period_before(c.period(), q); });
  return it != cells.end() && it->period() == p ? &*it : nullptr;
}

namespace {

// How well a benchmark row fits a school: -1 when it does not apply at all; more
// specific rows (the school's own phase, its own LA) score higher.
int row_fit(const Dataset::BenchmarkRow& r, const std::string& phase, std::string_view la) {
  int fit = 0;
  if (!r.phase.empty()) {
    if (r.phase != phase) return -1;
    fit += 2;
  }
  if (!r.la.empty() && !la.empty()) {
    if (r.la != la) return -1;
    fit += 1;
  }
  return fit;
}

}  // namespace

void Dataset::index_benchmarks() {
  bench_index_.clear();
  for (size_t i = 0; i < benchmarks.size(); ++i) {
    const BenchmarkRow& r = benchmarks[i];
    if (r.benchmark < 0) continue;
    if (static_cast<size_t>(r.benchmark) >= bench_index_.size()) bench_index_.resize(static_cast<size_t>(r.benchmark) + 1);
    BenchIndex& x = bench_index_[static_cast<size_t>(r.benchmark)];
    x.rows.add(r, static_cast<int>(i));
    x.by_period[r.period.key()].add(r, static_cast<int>(i));
  }
  bench_indexed_ = benchmarks.size();
}

void Dataset::RowLists::add(const BenchmarkRow& r, int i) {
  all.push_back(i);
  if (r.la.empty()) no_la.push_back(i);
  else by_la[r.la].push_back(i);
}

template <typename F>
void Dataset::each_candidate(int b, std::string_view la, const Period* period, F&& f) const {
  if (bench_indexed_ != benchmarks.size()) {
    for (size_t i = 0; i < benchmarks.size(); ++i)
      if (benchmarks[i].benchmark == b) f(benchmarks[i]);
    return;
  }
  if (b < 0 || static_cast<size_t>(b) >= bench_index_.size()) return;
  const BenchIndex& bx = bench_index_[static_cast<size_t>(b)];
  const RowLists* lists = &bx.rows;
  if (period) {
    auto it = bx.by_period.find(period->key());
    if (it == bx.by_period.end()) return;
    lists = &it->second;
  }
  const RowLists& x = *lists;
  if (la.empty()) {  // any LA's row may fit: every row, as a scan would see them
    for (int i : x.all) f(benchmarks[static_cast<size_t>(i)]);
    return;
  }
  // Rows of no LA and of this LA, merged back into row order (ties keep the first).
  static const std::vector<int> kNone;
  auto it = x.by_la.find(std::string(la));
  const std::vector<int>& own = it == x.by_la.end() ? kNone : it->second;
  size_t a = 0, c = 0;
  while (a < x.no_la.size() || c < own.size()) {
    bool take_no_la = c >= own.size() || (a < x.no_la.size() && x.no_la[a] < own[c]);
    f(benchmarks[static_cast<size_t>(take_no_la ? x.no_la[a++] : own[c++])]);
  }
}

const Cell* Dataset::benchmark(int b, int series, const std::string& phase, Period p,
                               std::string_view la) const {
  const Cell* best = nullptr;
  int best_fit = -1;
  each_candidate(b, la, &p, [&](const BenchmarkRow& r) {
    if (!(r.period == p) || series < 0 || series >= static_cast<int>(r.cells.size()) || !is_set(r.cells[series]))
      return;
    int fit = row_fit(r, phase, la);
    if (fit > best_fit) {
      best_fit = fit;
      best = &r.cells[series];
    }
  });
  return best;
}

const Cell* Dataset::benchmark_latest(int b, int series, const std::string& phase, Period as_of,
                                      std::string_view la) const {
  const Cell* best = nullptr;
  Period best_period;
  int best_fit = -1;
  each_candidate(b, la, nullptr, [&](const BenchmarkRow& r) {
    if (r.period.key() > as_of.key() || series < 0 || series >= static_cast<int>(r.cells.size()) ||
        !is_set(r.cells[series]))
      return;
    int fit = row_fit(r, phase, la);
    if (fit < 0) return;
    bool later = best == nullptr || period_before(best_period, r.period);
    bool same = best != nullptr && best_period == r.period;
    if (later || (same && fit > best_fit)) {
      best = &r.cells[series];
      best_period = r.period;
      best_fit = fit;
    }
  });
  return best;
}

namespace {

std::string where(const Dataset& d, const Provenance& p) {
  if (p.file >= d.files.size() || p.row == 0) return {};
  return " in " + base_name(d.files[p.file].path) + " row " + std::to_string(p.row);
}

std::string column_name(const Dataset& d, const Provenance& p) {
  if (p.file < d.files.size() && p.col > 0) {
    const auto& headers = d.files[p.file].headers;
    if (p.col <= headers.size()) return headers[p.col - 1];
  }
  return "the value";
}

}  // namespace

Provenance Dataset::provenance(const Cell& c) const {
  Place at = c.place < places.size() ? places[c.place] : Place{};
  return {.row = c.row, .file = at.file, .col = at.col};
}

uint16_t Dataset::place_of(uint16_t file, uint16_t col) {
  for (size_t i = 1; i < places.size(); ++i)
    if (places[i].file == file && places[i].col == col) return static_cast<uint16_t>(i);
  if (places.empty()) places.push_back(Place{});
  if (places.size() > kMaxPlaces) throw std::length_error("more than 65,535 places in a data set");
  places.push_back({file, col});
  return static_cast<uint16_t>(places.size() - 1);
}

std::string Dataset::describe_missing(const Cell& c) const {
  const Provenance p = provenance(c);
  const uint32_t code = c.code();
  switch (c.missing()) {
    case Missing::None:
      return {};
    case Missing::Code: {
      std::string s = column_name(*this, p) + " is ";
      if (code < codes.size()) {
        s += codes[code].code;
        if (!codes[code].reason.empty()) s += " (" + codes[code].reason + ")";
      } else {
        s += "a missing-value code";
      }
      return s + where(*this, p);
    }
    case Missing::Blank: {
      std::string s = column_name(*this, p) + " is blank";
      if (code < codes.size() && !codes[code].reason.empty()) s += " (" + codes[code].reason + ")";
      return s + where(*this, p);
    }
    case Missing::ColumnAbsent:
    case Missing::BadValue:
      if (code < notes.size()) return notes[code];
      return c.missing() == Missing::ColumnAbsent ? "the column is not in the file" + where(*this, p)
                                                  : "not a valid value" + where(*this, p);
  }
  return {};
}

std::string Dataset::describe_provenance(const Cell& c) const {
  const Provenance p = provenance(c);
  std::string s;
  if (p.file < files.size() && p.row != 0) {
    s = base_name(files[p.file].path) + " row " + std::to_string(p.row);
    if (p.col > 0) s += ", column " + column_name(*this, p);
    s += " (" + to_string(c.period()) + ")";
  } else {
    s = to_string(c.period());
  }
  return s;
}

}  // namespace tr
