#include "dataset_builder.h"

#include "page_buffer.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <tuple>

namespace tr {

namespace {

bool period_before(Period a, Period b) {
  return a.key() != b.key() ? a.key() < b.key() : a.term < b.term;
}

// A part numbers its notes from 0; the data set's follow every part taken before.
void rebase_note(Cell& c, uint32_t note_base) {
  if (c.missing() == Missing::ColumnAbsent || c.missing() == Missing::BadValue)
    c.set_missing(c.missing(), c.code() + note_base);
}

// Lower source order wins; within one source a later period wins (a school
// renamed in 2019 shows its 2019 name); on a tie the first offered stays.
bool beats(int source, int period, int pick_source, int pick_period) {
  return source < pick_source || (source == pick_source && period > pick_period);
}

}  // namespace

// ---- schools by URN --------------------------------------------------------

int SchoolTable::find(std::string_view urn) const {
  if (slots_.empty()) return -1;
  size_t mask = slots_.size() - 1;
  for (size_t i = std::hash<std::string_view>{}(urn) & mask;; i = (i + 1) & mask) {
    int at = slots_[i];
    if (at < 0 || urns_[static_cast<size_t>(at)] == urn) return at;
  }
}

void SchoolTable::grow() {
  std::vector<int> old(std::max<size_t>(64, slots_.size() * 2), -1);
  slots_.swap(old);
  size_t mask = slots_.size() - 1;
  for (size_t k = 0; k < urns_.size(); ++k) {
    size_t i = std::hash<std::string_view>{}(urns_[k]) & mask;
    while (slots_[i] >= 0) i = (i + 1) & mask;
    slots_[i] = static_cast<int>(k);
  }
}

int SchoolTable::add(std::string_view urn) {
  int at = find(urn);
  if (at >= 0) return at;
  if ((urns_.size() + 1) * 2 > slots_.size()) grow();  // at most half full
  urns_.emplace_back(urn);
  size_t mask = slots_.size() - 1;
  size_t i = std::hash<std::string_view>{}(urn) & mask;
  while (slots_[i] >= 0) i = (i + 1) & mask;
  slots_[i] = static_cast<int>(urns_.size() - 1);
  return slots_[i];
}

void SchoolTable::clear() {
  std::vector<int>().swap(slots_);
  std::vector<std::string>().swap(urns_);
}

// ---- one file's part -------------------------------------------------------

void DatasetPart::offer(int school, Attr attr, std::string value, int source_order, Period p) {
  if (value.empty()) return;
  if (picks_.size() <= static_cast<size_t>(school)) picks_.resize(static_cast<size_t>(school) + 1);
  Pick& pick = picks_[static_cast<size_t>(school)][static_cast<int>(attr)];
  if (!beats(source_order, p.key(), pick.source, pick.period)) return;
  pick = {source_order, p.key(), std::move(value)};
}

void DatasetPart::put(int series, int school, const Cell& cell) {
  if (loose_.size() <= static_cast<size_t>(series)) loose_.resize(logs_.size());
  loose_[static_cast<size_t>(series)].push_back({static_cast<uint32_t>(school), cell});
}

void DatasetPart::put_benchmark(int benchmark, std::string phase, std::string la, int series, const Cell& cell) {
  bench_.push_back({benchmark, series, std::move(phase), std::move(la), cell});
}

uint32_t DatasetPart::note(std::string text) {
  notes.push_back(std::move(text));
  return static_cast<uint32_t>(notes.size() - 1);
}

// ---- the whole data set ----------------------------------------------------

void DatasetBuilder::offer(int school, Attr attr, std::string&& value, int source_order, int period_key) {
  Pick& pick = picks_[static_cast<size_t>(school)][static_cast<int>(attr)];
  if (!beats(source_order, period_key, pick.source, pick.period)) return;
  pick = {source_order, period_key};
  School& s = attrs_[static_cast<size_t>(school)];
  switch (attr) {
    case Attr::Name: s.name = std::move(value); break;
    case Attr::Phase: s.phase = std::move(value); break;
    case Attr::Type: s.type = std::move(value); break;
    case Attr::La: s.la = std::move(value); break;
  }
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
    unset.set_missing(Missing::ColumnAbsent, unset_note_);
    unset.set_period(p);
    row.cells.assign(static_cast<size_t>(series_count_), unset);
    out_.benchmarks.push_back(std::move(row));
  }
  return it->second;
}

void DatasetBuilder::take(DatasetPart&& part, const ConflictFn& conflict) {
  Taken t;
  t.note_base = static_cast<uint32_t>(out_.notes.size());
  for (auto& n : part.notes) out_.notes.push_back(std::move(n));
  // A part's attributes are its winners: within one file, as among files, a
  // lower source order and then a later period win, so offering each winner
  // in file order picks what offering every row in order would.
  t.school.resize(part.schools_.size());
  for (size_t i = 0; i < part.schools_.size(); ++i) {
    int g = schools_.add(part.schools_.urn(i));
    if (static_cast<size_t>(g) == attrs_.size()) {
      attrs_.emplace_back();
      picks_.emplace_back();
    }
    t.school[i] = static_cast<uint32_t>(g);
    if (i < part.picks_.size())
      for (int a = 0; a < 4; ++a) {
        DatasetPart::Pick& p = part.picks_[i][static_cast<size_t>(a)];
        if (!p.value.empty()) offer(g, static_cast<Attr>(a), std::move(p.value), p.source, p.period);
      }
  }
  for (auto& b : part.bench_) {
    Cell cell = b.cell;
    rebase_note(cell, t.note_base);
    int row = benchmark_row(b.benchmark, b.phase, b.la, cell.period());
    Cell& slot = out_.benchmarks[static_cast<size_t>(row)].cells[static_cast<size_t>(b.series)];
    if (slot.row == 0 || (!slot.known() && cell.known())) slot = cell;
    else if (slot.known() && cell.known() && slot.value != cell.value && conflict) conflict(slot, cell);
  }
  t.rows.reserve(part.rows_.size());
  for (uint32_t r : part.rows_) t.rows.push_back(t.school[r]);
  for (const CellLog& log : part.logs_)
    if (log.size() > 0 && (t.rows.empty() || log.size() % t.rows.size() != 0))
      throw std::logic_error("dataset part: a series has cells in some rows and not others");
  t.logs = std::move(part.logs_);
  t.loose = std::move(part.loose_);
  taken_.push_back(std::move(t));
}

template <typename F>
void DatasetBuilder::Taken::each(size_t series, F&& f) const {
  if (series < logs.size() && logs[series].size() > 0) {
    const size_t per_row = logs[series].size() / rows.size();
    size_t row = 0, in_row = 0;
    logs[series].each([&](const Cell& c) {
      f(rows[row], c);
      if (++in_row == per_row) in_row = 0, ++row;
    });
  }
  if (series < loose.size())
    for (const auto& l : loose[series]) f(school[l.school], l.cell);
}

void DatasetBuilder::finish(const ConflictFn& conflict) {
  const size_t n = schools_.size();
  std::vector<uint32_t> order(n), rank(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return schools_.urn(a) < schools_.urn(b); });
  for (size_t i = 0; i < n; ++i) rank[order[i]] = static_cast<uint32_t>(i);
  out_.schools.clear();
  out_.schools.reserve(n);
  for (uint32_t i : order) {
    out_.schools.push_back(std::move(attrs_[i]));
    out_.schools.back().urn = schools_.take_urn(i);
  }
  // Each part's school index, straight to the school's place in URN order.
  for (Taken& t : taken_) {
    for (uint32_t& s : t.school) s = rank[s];
    for (uint32_t& s : t.rows) s = rank[s];
  }

  CellTable& tab = out_.values;
  tab = CellTable{};
  tab.schools = static_cast<uint32_t>(n);
  size_t total = 0;
  for (const Taken& t : taken_)
    for (const CellLog& log : t.logs) total += log.size();
  tab.cells.reserve(total);  // an upper bound: cells for one period merge
  // Filled from end to end, so huge pages cost nothing and spare a national
  // read most of its page faults.
  advise_huge_pages(tab.cells.data(), tab.cells.capacity() * sizeof(Cell));
  tab.start.reserve(static_cast<size_t>(series_count_) * n + 1);
  std::vector<std::pair<Cell, Cell>> clashes;  // (kept, clash)
  std::vector<uint32_t> bucket(n + 1), at;
  std::vector<Cell> sorted;
  for (size_t series = 0; series < static_cast<size_t>(series_count_); ++series) {
    size_t cells = 0;
    for (const Taken& t : taken_)
      cells += (t.logs.size() > series ? t.logs[series].size() : 0) + (t.loose.size() > series ? t.loose[series].size() : 0);
    if (cells == 0) {  // a series no file gave (most groups of a national table's metrics)
      tab.start.insert(tab.start.end(), n, static_cast<uint32_t>(tab.cells.size()));
      continue;
    }
    // A stable counting sort by school, parts in the order read, so each
    // school's cells stay in the order read ...
    std::fill(bucket.begin(), bucket.end(), 0u);
    for (const Taken& t : taken_) t.each(series, [&](uint32_t school, const Cell&) { ++bucket[school + 1]; });
    for (size_t k = 0; k < n; ++k) bucket[k + 1] += bucket[k];
    sorted.resize(cells);
    at.assign(bucket.begin(), bucket.end() - 1);
    for (Taken& t : taken_) {
      t.each(series, [&](uint32_t school, const Cell& cell) {
        Cell& c = sorted[at[school]++];
        c = cell;
        rebase_note(c, t.note_base);
      });
      if (t.logs.size() > series) t.logs[series].clear();
      if (t.loose.size() > series) std::vector<DatasetPart::Loose>().swap(t.loose[series]);
    }
    // ... then by period (still in the order read within a period), keeping
    // one cell per period.
    for (size_t k = 0; k < n; ++k) {
      tab.start.push_back(static_cast<uint32_t>(tab.cells.size()));
      auto first = sorted.begin() + bucket[k], last = sorted.begin() + bucket[k + 1];
      // Files are read in period order, so this is nearly always sorted already;
      // an insertion sort keeps equal periods in the order read.
      for (auto i = first; i != last; ++i)
        for (auto j = i; j != first && period_before(j->period(), (j - 1)->period()); --j) std::iter_swap(j, j - 1);
      const size_t begin = tab.cells.size();
      for (auto it = first; it != last; ++it) {
        if (tab.cells.size() == begin || !(tab.cells.back().period() == it->period())) {
          tab.cells.push_back(*it);
          continue;
        }
        Cell& kept = tab.cells.back();
        if (!kept.known()) {
          if (it->known()) kept = *it;
        } else if (it->known() && it->value != kept.value) {
          clashes.emplace_back(kept, *it);
        }
      }
    }
  }
  tab.start.push_back(static_cast<uint32_t>(tab.cells.size()));
  if (conflict) {
    std::stable_sort(clashes.begin(), clashes.end(), [&](const auto& a, const auto& b) {
      const Provenance x = out_.provenance(a.second), y = out_.provenance(b.second);
      return std::tie(x.file, x.row, x.col) < std::tie(y.file, y.row, y.col);
    });
    for (const auto& [kept, clash] : clashes) conflict(kept, clash);
  }
  schools_.clear();
  std::vector<School>().swap(attrs_);
  std::vector<std::array<Pick, 4>>().swap(picks_);
  std::vector<Taken>().swap(taken_);
  out_.index_benchmarks();
}

}  // namespace tr
