// A CSV reader for the files a data lead actually has: DfE downloads with a
// UTF-8 byte-order mark and CRLF line endings, MIS exports with quoted fields,
// blank lines and trailing separators. It reads the whole file in one pass and
// hands out string_views into its own buffer, so a record costs no allocation
// once the cell vector has grown to the widest row.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tr::csv {

struct Record {
  uint32_t line = 0;                   // 1-based physical line where the record starts
  std::vector<std::string_view> cells;  // valid while the Reader lives
};

class Reader {
 public:
  // Takes the file's bytes. A leading UTF-8 BOM is skipped.
  explicit Reader(std::string text, char separator = ',');
  // Reads bytes the caller keeps alive and lets the reader change (quoted
  // cells are unescaped in place): a national file read into a PageBuffer.
  explicit Reader(std::span<char> bytes, char separator = ',');
  // Plain lines (no quotes, no stray CR) are split by a fast path; false makes
  // every record take the general loop, so a test can hold the two to the same
  // answers.
  void set_fast_path(bool on) { fast_ = on; }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads the next record; false at the end of the text or on a malformed
  // record (then error() is non-empty). Lines that are empty or hold only
  // spaces are skipped. Trailing empty cells are kept: whether they are
  // harmless trailing separators depends on the header width (see width()).
  bool next(Record& out);

  // Where the next record starts, in bytes from the start of the text.
  size_t offset() const { return pos_; }

  // Non-empty after next() returned false on a malformed record.
  const std::string& error() const { return error_; }
  uint32_t error_line() const { return error_line_; }

 private:
  // Splits a line known to hold no quotes and no CR on the separator alone.
  void split_plain(const char* begin, const char* end, std::vector<std::string_view>& cells) const;

  void skip_bom();
  std::string own_;  // the text, when the reader was given it
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  uint32_t line_ = 1;  // physical line at pos_
  char sep_;
  bool fast_ = true;
  std::string error_;
  uint32_t error_line_ = 0;
};

// The number of cells that carry content: trailing cells that are empty or
// only spaces are not counted, so `a,b,c,` has width 3.
size_t width(const std::vector<std::string_view>& cells);

// Removes leading and trailing spaces and tabs.
std::string_view trim(std::string_view s);

// ASCII case folding, free of the locale and inline: it runs for every code,
// term and yes/no cell of a national file, whose words are ASCII.
inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Parses a whole cell as a decimal number (leading '+' or '-', digits, '.',
// exponent), ignoring surrounding spaces. With allow_percent, a trailing '%'
// (optionally after spaces) is accepted and ignored: "53%" is 53.
bool parse_number(std::string_view cell, double& out, bool allow_percent = false);

}  // namespace tr::csv
