#include "dataset_builder.h"

#include <algorithm>
#include <numeric>
#include <tuple>

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

void DatasetBuilder::put(int series, int school, const Cell& cell) {
  staged_[static_cast<size_t>(series)].push(static_cast<uint32_t>(school), cell);
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

void DatasetBuilder::finish(const ConflictFn& conflict) {
  const size_t n = schools_.size();
  std::vector<uint32_t> order(n), rank(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return schools_[a].urn < schools_[b].urn; });
  for (size_t i = 0; i < n; ++i) rank[order[i]] = static_cast<uint32_t>(i);
  out_.schools.clear();
  out_.schools.reserve(n);
  for (uint32_t i : order) out_.schools.push_back(std::move(schools_[i]));

  CellTable& t = out_.values;
  t = CellTable{};
  t.schools = static_cast<uint32_t>(n);
  size_t total = 0;
  for (const auto& log : staged_) total += log.size();
  t.cells.reserve(total);  // an upper bound: cells for one period merge
  t.start.reserve(static_cast<size_t>(series_count_) * n + 1);
  std::vector<std::pair<Cell, Cell>> clashes;  // (kept, clash)
  std::vector<uint32_t> bucket(n + 1);
  std::vector<Cell> sorted;
  for (auto& log : staged_) {
    // A stable counting sort by school, so each school's cells stay in the order read ...
    std::fill(bucket.begin(), bucket.end(), 0u);
    log.each([&](const CellLog::Entry& e) { ++bucket[rank[e.school] + 1]; });
    for (size_t k = 0; k < n; ++k) bucket[k + 1] += bucket[k];
    sorted.resize(log.size());
    {
      std::vector<uint32_t> at(bucket.begin(), bucket.end() - 1);
      log.each([&](const CellLog::Entry& e) { sorted[at[rank[e.school]]++] = e.cell; });
    }
    log.clear();
    // ... then by period (stable, so still in the order read within a period),
    // keeping one cell per period.
    for (size_t k = 0; k < n; ++k) {
      t.start.push_back(static_cast<uint32_t>(t.cells.size()));
      auto first = sorted.begin() + bucket[k], last = sorted.begin() + bucket[k + 1];
      // Files are read in period order, so this is nearly always sorted already;
      // an insertion sort keeps equal periods in the order read.
      for (auto i = first; i != last; ++i)
        for (auto j = i; j != first && period_before(j->period, (j - 1)->period); --j) std::iter_swap(j, j - 1);
      const size_t begin = t.cells.size();
      for (auto it = first; it != last; ++it) {
        if (t.cells.size() == begin || !(t.cells.back().period == it->period)) {
          t.cells.push_back(*it);
          continue;
        }
        Cell& kept = t.cells.back();
        if (!kept.known()) {
          if (it->known()) kept = *it;
        } else if (it->known() && it->value != kept.value) {
          clashes.emplace_back(kept, *it);
        }
      }
    }
  }
  t.start.push_back(static_cast<uint32_t>(t.cells.size()));
  if (conflict) {
    std::stable_sort(clashes.begin(), clashes.end(), [](const auto& a, const auto& b) {
      const Provenance &x = a.second.prov, &y = b.second.prov;
      return std::tie(x.file, x.row, x.col) < std::tie(y.file, y.row, y.col);
    });
    for (const auto& [kept, clash] : clashes) conflict(kept, clash);
  }
  schools_.clear();
  slots_.clear();
  picks_.clear();
  out_.index_benchmarks();
}

}  // namespace tr
