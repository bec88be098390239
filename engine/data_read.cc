// Reading one data file for one source: header by name, row kinds, periods,
// cells into values, codes or errors.
#include "csv.h"
#include "data_loader_internal.h"
#include "page_buffer.h"
#include "period.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <set>
#include <unordered_map>

namespace tr::data_detail {

namespace {

// The whole file in one buffer (page_buffer.h): a national KS2 table is 30
// MB, read once and split in place. The buffer is the reading thread's, kept
// from file to file, so each file does not cost fresh pages again.
bool read_file(const std::string& path, PageBuffer& text, size_t& size) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st {};
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  size = 0;
  const size_t want = ok ? static_cast<size_t>(st.st_size) : 0;
  if (ok) {
    if (text.size() < want) text = PageBuffer(want + want / 4);
    while (size < want) {
      ssize_t got = ::read(fd, text.data() + size, want - size);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ok = got == 0;  // a file that shrank while it was read ends where it ended
        break;
      }
      size += static_cast<size_t>(got);
    }
  }
  close(fd);
  return ok;
}

const char* type_words(MetricType t) {
  switch (t) {
    case MetricType::Percent: return "a percentage";
    case MetricType::Score: return "a score";
    case MetricType::Count: return "a count";
    case MetricType::Rate: return "a rate";
    case MetricType::Number: return "a number";
    case MetricType::YesNo: return "yes or no";
    case MetricType::Grade: return "a grade";
  }
  return "a value";
}

std::string quoted(std::string_view v) { return "'" + std::string(v) + "'"; }

// (school, period) -> the first row that gave it, for files with a row per
// school and period: open addressing over integer keys. A node-based map made
// an allocation and a cache miss per row of a national termly file.
class FirstRows {
 public:
  explicit FirstRows(size_t expect) { resize(std::max<size_t>(64, std::bit_ceil(expect * 2))); }
  // The row already recorded for `key`, or 0 after recording `row` (rows are >= 2).
  uint32_t first(uint64_t key, uint32_t row) {
    if ((used_ + 1) * 2 > rows_.size()) resize(rows_.size() * 2);
    for (size_t i = slot(key);; i = (i + 1) & (rows_.size() - 1)) {
      if (rows_[i] == 0) {
        keys_[i] = key;
        rows_[i] = row;
        ++used_;
        return 0;
      }
      if (keys_[i] == key) return rows_[i];
    }
  }

 private:
  size_t slot(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }
  void resize(size_t n) {
    std::vector<uint64_t> keys(n, 0);
    std::vector<uint32_t> rows(n, 0);
    keys.swap(keys_);
    rows.swap(rows_);
    shift_ = 64 - std::countr_zero(n);
    used_ = 0;
    for (size_t i = 0; i < rows.size(); ++i)
      if (rows[i]) first(keys[i], rows[i]);
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> rows_;
  size_t used_ = 0;
  int shift_ = 64;
};

}  // namespace

void Loader::read(const Plan& p, const DataPath& file, uint32_t fi, FileRead& out, PageBuffer& text) const {
  const Source& s = *p.src;
  FileErrors err(out.diags, file.path);
  size_t text_size = 0;
  if (!read_file(file.path, text, text_size)) {
    err.at(0, 0, "cannot read the file");
    return;
  }
  LoadReport::FileSummary sum;
  sum.path = file.path;
  sum.source = s.id.text;
  const std::string fname = base_name(file.path);

  const size_t rows_hint = std::min<size_t>(text_size / 64, size_t{1} << 22);  // rows are longer than this
  csv::Reader rd(std::span<char>(text.data(), text_size));
  csv::Record rec;
  if (!rd.next(rec)) {
    if (!rd.error().empty()) err.at(rd.error_line(), 0, rd.error());
    else err.at(0, 0, "the file is empty: there is no header row");
    out.sum = std::move(sum);
    return;
  }
  const uint32_t header_row = rec.line;
  std::vector<std::string> headers;
  for (size_t i = 0, w = csv::width(rec.cells); i < w; ++i) headers.emplace_back(csv::trim(rec.cells[i]));
  if (headers.size() > kMaxColumns) {  // a cell keeps its column in 16 bits (dataset.h)
    err.at(header_row, 0,
           "the header has " + std::to_string(headers.size()) + " columns; at most " +
               std::to_string(kMaxColumns) + " are read",
           "export only the columns the sources name");
    out.sum = std::move(sum);
    return;
  }

  auto find = [&](const std::string& name) -> int {
    for (size_t i = 0; i < headers.size(); ++i)
      if (headers[i] == name) return static_cast<int>(i);
    return -1;
  };
  auto require = [&](const Name& n, const std::string& what) -> int {
    int c = find(n.text);
    if (c < 0) {
      std::string near = did_you_mean(n.text, headers);
      err.at(header_row, 0, what + " column " + n.text + " is not in the header of " + fname,
             near.empty() ? "columns are found by header name; check the export's column names"
                          : "did you mean '" + near + "'?");
    }
    return c;
  };

  const bool overrides = s.role == SourceRole::Overrides;
  int key_col = -1;
  if (s.key.text.empty()) err.at(0, 0, "source '" + s.id.text + "' declares no key column");
  else key_col = require(s.key, "key");
  int rows_col = s.rows_column.text.empty() ? -1 : require(s.rows_column, "rows by");

  Period file_period;
  int year_col = -1, term_col = -1;
  switch (s.period.from) {
    case PeriodFrom::Fixed:
      file_period = Period{static_cast<int16_t>(s.period.year), s.period.term};
      break;
    case PeriodFrom::FileName:
      if (!period_from_file_name(fname, file_period))
        err.at(0, 0, "the file name carries no academic year or date (source '" + s.id.text +
                         "' reads the period from the file name)",
               "name the file like 2018-2019_..., 2018-19_... or 2021-05-07_..., or declare the period in the source");
      break;
    case PeriodFrom::Column:
      year_col = require(s.period.column, "period");
      break;
    case PeriodFrom::Columns:
      year_col = require(s.period.column, "period");
      term_col = require(s.period.term_column, "term");
      break;
  }
  const bool per_row_period = year_col >= 0;

  struct AttrCol {
    Attr attr;
    int col = -1;
    bool from_rows = false;
  };
  std::vector<AttrCol> attrs;
  int la_col = -1;
  for (const auto& a : s.attrs) {
    AttrCol ac{Attr::Name};
    const std::string& n = a.attr.text;
    if (n == "name") ac.attr = Attr::Name;
    else if (n == "phase") ac.attr = Attr::Phase;
    else if (n == "type") ac.attr = Attr::Type;
    else if (n == "la") ac.attr = Attr::La;
    else continue;  // the checker rejects other attributes
    ac.from_rows = a.from_rows;
    if (!a.from_rows) {
      ac.col = find(a.column.text);
      if (ac.col < 0) sum.metrics_absent.push_back("school " + n + " (" + a.column.text + ")");
      if (ac.attr == Attr::La) la_col = ac.col;
    }
    attrs.push_back(ac);
  }
  // `national phase from ESTAB`: the column of each benchmark row rule.
  std::vector<int> phase_cols(s.rows.size(), -1);
  for (size_t i = 0; i < s.rows.size(); ++i)
    if (!s.rows[i].phase_column.text.empty()) phase_cols[i] = require(s.rows[i].phase_column, "phase");

  // Column of each binding (first alternative found), or the note that it is absent.
  std::vector<int> cols(p.binds.size(), -1);
  std::vector<uint32_t> absent(p.binds.size(), 0);
  for (size_t i = 0; i < p.binds.size(); ++i) {
    const ColumnBinding& b = *p.binds[i].b;
    for (const auto& c : b.columns)
      if ((cols[i] = find(c.text)) >= 0) break;
    std::string name = binding_name(b) + " (" + (cols[i] >= 0 ? headers[cols[i]] : b.columns.empty() ? "" : b.columns[0].text) + ")";
    if (cols[i] >= 0) {
      sum.metrics_found.push_back(name);
    } else {
      sum.metrics_absent.push_back(name);
      std::string cn = b.columns.empty() ? binding_name(b) : b.columns[0].text;
      for (size_t k = 1; k < b.columns.size(); ++k) cn += " | " + b.columns[k].text;
      absent[i] = out.part.note("column " + cn + " not in file " + fname);
    }
  }
  // Overrides bind fixed fields rather than metrics.
  int tier_col = -1, reason_col = -1, approver_col = -1, date_col = -1;
  if (overrides) {
    for (const auto& b : s.columns) {
      int c = -1;
      for (const auto& alt : b.columns)
        if ((c = find(alt.text)) >= 0) break;
      const std::string& f = b.metric.text;
      (f == "tier" ? tier_col : f == "reason" ? reason_col : f == "approved_by" ? approver_col : date_col) = c;
      (c >= 0 ? sum.metrics_found : sum.metrics_absent).push_back(f + " (" + (b.columns.empty() ? "" : b.columns[0].text) + ")");
      if (f == "tier" && c < 0 && !b.columns.empty()) require(b.columns[0], "tier");
    }
  }
  out_.files[fi].headers = headers;
  for (size_t bi = 0; bi < p.binds.size(); ++bi)  // this file's slice, laid out by run()
    out_.places[place_base_[fi] + bi] = {static_cast<uint16_t>(fi), static_cast<uint16_t>(cols[bi] >= 0 ? cols[bi] + 1 : 0)};
  if (err.count() > 0) {
    // Without the key, the row kinds or the period no row can be placed.
    out.sum = std::move(sum);
    return;
  }

  std::vector<uint32_t> code_counts(p.codes.size(), 0);
  uint32_t blank_count = 0, short_count = 0;
  std::set<std::pair<int, int>> periods;  // (key, term)
  Period last_period;
  std::unordered_map<std::string, uint32_t> seen_keys, seen_bench;  // -> first row
  std::vector<uint32_t> first_row;  // by the part's school index: the school's row in this file
  FirstRows seen_periods(per_row_period ? std::min<size_t>(rows_hint, size_t{1} << 20) : 0);

  // One cell of the current record, as a Cell with its provenance.
  const auto make = [&](size_t bi, uint32_t row, Period per) -> Cell {
    Cell c;
    c.set_period(per);
    c.row = row;
    c.place = static_cast<uint16_t>(place_base_[fi] + bi);
    const int col = cols[bi];
    if (col < 0) {
      c.set_missing(Missing::ColumnAbsent, absent[bi]);
      return c;
    }
    if (static_cast<size_t>(col) >= rec.cells.size()) {
      c.set_missing(Missing::Blank, p.short_code);
      ++short_count;
      return c;
    }
    std::string_view v = csv::trim(rec.cells[col]);
    if (v.empty()) {
      c.set_missing(Missing::Blank, p.blank_code);
      ++blank_count;
      return c;
    }
    const Plan::Bind& b = p.binds[bi];
    for (size_t k = 0; k < p.codes.size(); ++k)
      if (v == p.codes[k].text) {
        c.set_missing(Missing::Code, p.codes[k].index);
        ++code_counts[k];
        return c;
      }
    if (parse_value(v, b.type, b.grades.get(), c.value)) return c;
    for (size_t k = 0; k < p.codes.size(); ++k)
      if (csv::iequals(v, p.codes[k].text)) {
        c.set_missing(Missing::Code, p.codes[k].index);
        ++code_counts[k];
        return c;
      }
    c.set_missing(Missing::BadValue, 0);
    std::string what = quoted(v) + " in column " + headers[col] + " is neither " + type_words(b.type) +
                       " nor a declared missing code";
    if (s.bad_values_warn) {
      c.set_missing(Missing::BadValue, out.part.note(headers[col] + " is " + quoted(v) + ", not " +
                                                     type_words(b.type) + ", in " + fname + " row " + std::to_string(row)));
      out.warnings.push_back(file.path + ":" + std::to_string(row) + ":" + std::to_string(col + 1) + ": " + what);
    } else {
      std::string codes;
      for (const auto& k : p.codes) codes += (codes.empty() ? "" : ", ") + k.text;
      err.at(row, col + 1, what,
             "declared codes: " + (codes.empty() ? std::string("none") : codes) + "; add it to the `missing` block of source '" +
                 s.id.text + "', or write `bad values warn`");
    }
    return c;
  };

  // The bytes behind the record being read go back to the system as the
  // reader passes them (every value read is copied out): the biggest file of a
  // national read was otherwise resident whole beside the cells read from it.
  constexpr size_t kReleaseStep = size_t{8} << 20;
  size_t released = 0;
  for (size_t record_start = rd.offset(); rd.next(rec); record_start = rd.offset()) {
    if (record_start - released >= kReleaseStep) released = text.release(released, record_start);
    const uint32_t row = rec.line;
    ++sum.rows;
    ++out_.files[fi].rows;
    const size_t w = csv::width(rec.cells);
    if (w > headers.size()) {
      err.at(row, static_cast<uint32_t>(headers.size() + 1),
             "the row has " + std::to_string(w) + " cells but the header has " + std::to_string(headers.size()),
             "a row may stop early, never run past the header; is a value with a comma missing its quotes?");
      continue;
    }
    auto cell = [&](int c) -> std::string_view {
      return c >= 0 && static_cast<size_t>(c) < rec.cells.size() ? csv::trim(rec.cells[c]) : std::string_view{};
    };

    int rule = -1;
    if (rows_col >= 0) {
      std::string_view v = cell(rows_col);
      for (size_t i = 0; i < s.rows.size() && rule < 0; ++i)
        if (!s.rows[i].is_else && s.rows[i].value == v) rule = static_cast<int>(i);
      for (size_t i = 0; i < s.rows.size() && rule < 0; ++i)
        if (s.rows[i].is_else) rule = static_cast<int>(i);
      if (rule < 0) {
        err.at(row, rows_col + 1,
               s.rows_column.text + " is " + quoted(v) + ", which the `rows by " + s.rows_column.text +
                   "` block of source '" + s.id.text + "' does not list",
               "add `" + std::string(v.empty() ? "else" : v) + ": skip` (or the kind of row it is) to the block");
        continue;
      }
    }
    const RowKindTag kind = rule >= 0 ? s.rows[rule].kind : RowKindTag::School;
    if (kind == RowKindTag::Skip) {
      ++sum.skipped_rows;
      continue;
    }

    Period per = file_period;
    if (per_row_period) {
      std::string_view yv = cell(year_col);
      if (!parse_period(yv, per)) {
        err.at(row, year_col + 1, quoted(yv) + " in column " + headers[year_col] + " is not an academic year",
               "write years like 2018-19, or a year and term like 2018-19 autumn");
        continue;
      }
      if (term_col >= 0 && !cell(term_col).empty()) {
        int t = parse_term(cell(term_col));
        if (t == 0) {
          err.at(row, term_col + 1, quoted(cell(term_col)) + " in column " + headers[term_col] + " is not a term",
                 "terms are autumn, spring and summer");
          continue;
        }
        per.term = static_cast<uint8_t>(t);
      }
    }
    if (!(per == last_period) || periods.empty()) {  // most files are one period: skip the set
      periods.insert({per.key(), per.term});
      last_period = per;
    }

    if (kind == RowKindTag::Benchmark) {
      const int b = p.row_benchmark[rule];
      std::string phase = phase_cols[rule] >= 0 ? normalize_phase(cell(phase_cols[rule])) : "";
      // Only a local-authority row belongs to one LA; a national row's LEA cell is empty or "NAT".
      std::string la = b == 1 && la_col >= 0 ? std::string(cell(la_col)) : "";
      std::string key = std::to_string(b) + '\x1f' + phase + '\x1f' + la + '\x1f' + std::to_string(per.key()) +
                        '\x1f' + std::to_string(per.term);
      auto [it, fresh] = seen_bench.try_emplace(key, row);
      if (!fresh) {
        err.at(row, rows_col + 1,
               "a second " + (static_cast<size_t>(b) < rs_.benchmark_ids.size() ? rs_.benchmark_ids[b] : std::string(b == 0 ? "national" : "local_authority")) + (phase.empty() ? "" : " " + phase) +
                   (la.empty() ? "" : " (LA " + la + ")") + " row for " + to_string(per) + "; the first is row " +
                   std::to_string(it->second));
        continue;
      }
      ++sum.benchmark_rows;
      for (size_t i = 0; i < p.binds.size(); ++i) out.part.put_benchmark(b, phase, la, p.binds[i].series, make(i, row, per));
      continue;
    }

    std::string_view key = cell(key_col);
    if (key.empty()) {
      err.at(row, key_col + 1, "the row has no " + s.key.text, "every school row needs its key; aggregate rows need a `rows by` kind");
      continue;
    }
    // A school row of a one-period file finds its first row by the part's
    // school index (no hashing); rows with their own period by school and
    // period (FirstRows), and overrides by key.
    const int sc = overrides ? -1 : out.part.school(key);
    uint32_t first = 0;
    if (!overrides && !per_row_period) {
      if (first_row.size() <= static_cast<size_t>(sc)) first_row.resize(static_cast<size_t>(sc) + 1, 0);
      first = first_row[sc];
      if (!first) first_row[sc] = row;
    } else if (!overrides) {
      // Termly files (a row per school and term): the school's index and the
      // period make an integer key, so no string is built or hashed per row.
      uint64_t id = (static_cast<uint64_t>(sc) << 24) | (static_cast<uint64_t>(per.key() & 0x3fffff) << 2) | per.term;
      first = seen_periods.first(id, row);
    } else {
      std::string seen(key);
      seen += '\x1f';
      seen += static_cast<char>(per.year & 0xff);
      seen += static_cast<char>(per.year >> 8);
      seen += static_cast<char>(per.term);
      auto [it, fresh] = seen_keys.try_emplace(std::move(seen), row);
      if (!fresh) first = it->second;
    }
    if (first) {
      err.at(row, key_col + 1,
             s.key.text + " " + std::string(key) + " appears twice" + (per_row_period ? " for " + to_string(per) : "") +
                 "; the first is row " + std::to_string(first),
             "one row per school (and period) in a file");
      continue;
    }

    if (overrides) {
      Override o;
      o.urn = std::string(key);
      o.period = per;
      o.prov = {.row = row, .file = static_cast<uint16_t>(fi), .col = static_cast<uint16_t>(key_col + 1)};
      double t = 0;
      std::string_view tv = cell(tier_col);
      if (!csv::parse_number(tv, t) || t < 1 || t != static_cast<int>(t)) {
        err.at(row, tier_col + 1, quoted(tv) + " in column " + headers[tier_col] + " is not a tier number");
        continue;
      }
      o.tier = static_cast<int>(t);
      o.reason = cell(reason_col);
      o.approved_by = cell(approver_col);
      o.date = cell(date_col);
      out.overrides.push_back(std::move(o));
      ++sum.school_rows;
      continue;
    }

    ++sum.school_rows;
    for (const auto& a : attrs) {
      std::string v;
      if (a.from_rows) v = rule >= 0 ? normalize_type(s.rows[rule].school_type) : "";
      else if (a.attr == Attr::Phase) v = normalize_phase(cell(a.col));
      else if (a.attr == Attr::Type) v = normalize_type(cell(a.col));
      else v = std::string(cell(a.col));
      out.part.offer(sc, a.attr, std::move(v), p.order, per);
    }
    out.part.row(sc);
    for (size_t i = 0; i < p.binds.size(); ++i) out.part.put_in_row(p.binds[i].series, make(i, row, per));
  }
  if (!rd.error().empty()) err.at(rd.error_line(), 0, rd.error());

  for (const auto& [key, term] : periods) {
    Period q{static_cast<int16_t>((key - (term == 0 ? 3 : term)) / 4), static_cast<uint8_t>(term)};
    sum.periods.push_back(to_string(q));
  }
  for (size_t k = 0; k < p.codes.size(); ++k)
    if (code_counts[k]) sum.codes.emplace_back(p.codes[k].text, code_counts[k]);
  if (blank_count) sum.codes.emplace_back("blank", blank_count);
  if (short_count) sum.codes.emplace_back("(row ends early)", short_count);
  out.sum = std::move(sum);
}

void Loader::conflict_error(FileErrors& err, const Cell& kept, const Cell& clash) const {
  err.at(clash.row, out_.provenance(clash).col,
         "this value (" + fmt::format("{}", clash.value) + ") differs from the one already read for " +
             to_string(clash.period()) + " from " + out_.describe_provenance(kept) + " (" +
             fmt::format("{}", kept.value) + ")",
         "two files or sources give the same metric for the same school and period");
}

}  // namespace tr::data_detail
