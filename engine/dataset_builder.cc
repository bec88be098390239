#include "dataset_builder.h"

#include <algorithm>
#include <numeric>

namespace tr {

namespace {

bool period_before(Period a, Period b) {
  return a.key() != b.key() ? a.key() < b.key() : a.term < b.term;
}

}  // namespace

int DatasetBuilder::find(std::string_view urn) const {
  if (slots_.empty()) return -1;
  size_t mask = slots_.size() - 1;
  for (size_t i = std::hash<std::string_view>{}(urn) & mask;; i = (i + 1) & mask) {
    int at = slots_[i];
    if (at < 0 || schools_[static_cast<size_t>(at)].urn == urn) return at;
  }
}

void DatasetBuilder::grow() {
  std::vector<int> old(std::max<size_t>(64, slots_.size() * 2), -1);
  slots_.swap(old);
  size_t mask = slots_.size() - 1;
  for (size_t k = 0; k < schools_.size(); ++k) {
    size_t i = std::hash<std::string_view>{}(schools_[k].urn) & mask;
    while (slots_[i] >= 0) i = (i + 1) & mask;
    slots_[i] = static_cast<int>(k);
  }
}

int DatasetBuilder::school(std::string_view urn) {
  int at = find(urn);
  if (at >= 0) return at;
  if ((schools_.size() + 1) * 2 > slots_.size()) grow();  // at most half full
  School s;
  s.urn = std::string(urn);
  schools_.push_back(std::move(s));
  picks_.emplace_back();
  size_t mask = slots_.size() - 1;
  size_t i = std::hash<std::string_view>{}(urn) & mask;
  while (slots_[i] >= 0) i = (i + 1) & mask;
  slots_[i] = static_cast<int>(schools_.size() - 1);
  return slots_[i];
}

void DatasetBuilder::offer(int school, Attr attr, std::string value, int source_order, Period p) {
  if (value.empty()) return;
  Pick& pick = picks_[school][static_cast<int>(attr)];
  // Lower source order wins; within one source a later period wins (a school
  // renamed in 2019 shows its 2019 name).
  if (source_order > pick.source || (source_order == pick.source && p.key() <= pick.period)) return;
  pick = {source_order, p.key()};
  School& s = schools_[school];
  switch (attr) {
    case Attr::Name: s.name = std::move(value); break;
    case Attr::Phase: s.phase = std::move(value); break;
    case Attr::Type: s.type = std::move(value); break;
    case Attr::La: s.la = std::move(value); break;
  }
}

void place_cell(std::vector<Cell>& cells, const Cell& cell, const DatasetBuilder::ConflictFn& conflict) {
  // Files are read in period order, so the common case is an append.
  if (cells.empty() || period_before(cells.back().period, cell.period)) {
    cells.push_back(cell);
    return;
  }
  auto it = std::lower_bound(cells.begin(), cells.end(), cell.period,
                             [](const Cell& c, Period p) { return period_before(c.period, p); });
  if (it == cells.end() || !(it->period == cell.period)) {
    cells.insert(it, cell);
    return;
  }
  if (!it->known()) {
    if (cell.known()) *it = cell;
    return;
  }
  if (cell.known() && cell.value != it->value && conflict) conflict(*it, cell);
}

void DatasetBuilder::put(int series, int school, const Cell& cell, const ConflictFn& conflict) {
  auto& per_school = out_.values[series];
  if (per_school.size() <= static_cast<size_t>(school)) per_school.resize(school + 1);
  auto& cells = per_school[school];
  if (cells.capacity() == 0) cells.reserve(expect_);
  place_cell(cells, cell, conflict);
}

int DatasetBuilder::benchmark_row(int benchmark, const std::string& phase, const std::string& la, Period p) {
  std::string key = std::to_string(benchmark) + '\x1f' + phase + '\x1f' + la + '\x1f' +
                    std::to_string(p.year) + '\x1f' + std::to_string(p.term);
  auto [it, fresh] = bench_rows_.try_emplace(key, static_cast<int>(out_.benchmarks.size()));
  if (fresh) {
    if (unset_note_ == UINT32_MAX) {
      unset_note_ = static_cast<uint32_t>(out_.notes.size());
      out_.notes.push_back("no data file gives this value");
    }
    Dataset::BenchmarkRow row;
    row.benchmark = benchmark;
    row.phase = phase;
    row.la = la;
    row.period = p;
    Cell unset;
    unset.missing = Missing::ColumnAbsent;
    unset.code = unset_note_;
    unset.period = p;
    row.cells.assign(series_count_, unset);
    out_.benchmarks.push_back(std::move(row));
  }
  return it->second;
}

void DatasetBuilder::put_benchmark(int row, int series, const Cell& cell, const ConflictFn& conflict) {
  Cell& slot = out_.benchmarks[row].cells[series];
  if (slot.prov.row == 0 || (!slot.known() && cell.known())) {
    slot = cell;
    return;
  }
  if (slot.known() && cell.known() && slot.value != cell.value && conflict) conflict(slot, cell);
}

void DatasetBuilder::finish() {
  std::vector<int> order(schools_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return schools_[a].urn < schools_[b].urn; });
  out_.schools.clear();
  out_.schools.reserve(schools_.size());
  for (int i : order) out_.schools.push_back(std::move(schools_[i]));
  for (auto& per_school : out_.values) {
    per_school.resize(order.size());
    std::vector<std::vector<Cell>> sorted(order.size());
    for (size_t i = 0; i < order.size(); ++i) sorted[i] = std::move(per_school[order[i]]);
    per_school = std::move(sorted);
  }
  schools_.clear();
  slots_.clear();
  picks_.clear();
  out_.index_benchmarks();
}

}  // namespace tr
