#include "csv.h"

#include <charconv>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace tr::csv {

namespace {
bool is_space(char c) { return c == ' ' || c == '\t'; }
}  // namespace

// Cells are short (a DfE row is 300 cells of a few characters each), so a call
// per cell costs more than the search: with SSE2 (every x86-64) sixteen bytes
// are compared at once and the separators taken from the bit mask.
void Reader::split_plain(const char* begin, const char* end, std::vector<std::string_view>& cells) const {
  const char* cell = begin;
  const char* p = begin;
#ifdef __SSE2__
  const __m128i sep = _mm_set1_epi8(sep_);
  for (; end - p >= 16; p += 16) {
    auto mask = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), sep)));
    while (mask) {
      const char* at = p + __builtin_ctz(mask);
      cells.emplace_back(cell, static_cast<size_t>(at - cell));
      cell = at + 1;
      mask &= mask - 1;
    }
  }
#endif
  for (; p < end; ++p)
    if (*p == sep_) {
      cells.emplace_back(cell, static_cast<size_t>(p - cell));
      cell = p + 1;
    }
  cells.emplace_back(cell, static_cast<size_t>(end - cell));
}

Reader::Reader(std::string text, char separator) : own_(std::move(text)), sep_(separator) {
  data_ = own_.data();
  size_ = own_.size();
  skip_bom();
}

Reader::Reader(std::span<char> bytes, char separator) : data_(bytes.data()), size_(bytes.size()), sep_(separator) {
  skip_bom();
}

void Reader::skip_bom() {
  if (size_ >= 3 && static_cast<unsigned char>(data_[0]) == 0xEF && static_cast<unsigned char>(data_[1]) == 0xBB &&
      static_cast<unsigned char>(data_[2]) == 0xBF)
    pos_ = 3;
}

bool Reader::next(Record& out) {
  out.cells.clear();
  const size_t n = size_;
  char* data = data_;

  // Skip blank lines (empty, or only spaces): exports often end with a few.
  for (;;) {
    size_t p = pos_;
    while (p < n && is_space(data[p])) ++p;
    if (p >= n) {
      pos_ = n;
      return false;
    }
    if (data[p] != '\n' && data[p] != '\r') break;
    pos_ = p + ((data[p] == '\r' && p + 1 < n && data[p + 1] == '\n') ? 2 : 1);
    ++line_;
  }

  out.line = line_;
  // Most records are a plain line: no quotes and no stray carriage return (two
  // memchr scans tell). Those are split on the separator alone, about twice as
  // fast as the loop below, which knows every case and takes the rest.
  {
    const char* start = data + pos_;
    const char* nl = static_cast<const char*>(std::memchr(start, '\n', n - pos_));
    const char* end = nl ? nl : data + n;
    const char* body_end = (end > start && end[-1] == '\r') ? end - 1 : end;
    const size_t len = static_cast<size_t>(body_end - start);
    if (fast_ && !std::memchr(start, '"', len) && !std::memchr(start, '\r', len)) {
      split_plain(start, body_end, out.cells);
      if (nl) {
        pos_ = static_cast<size_t>(nl - data) + 1;
        ++line_;
      } else {
        pos_ = n;
      }
      return true;
    }
  }
  for (;;) {
    if (pos_ < n && data[pos_] == '"') {
      // Quoted: unescape in place ("" -> "), which only ever shortens the cell,
      // so views into earlier cells of the buffer stay intact.
      const size_t begin = ++pos_;
      size_t w = begin;
      for (;;) {
        if (pos_ >= n) {
          error_ = "a quoted field is not closed (opening quote on line " +
                   std::to_string(out.line) + ")";
          error_line_ = out.line;
          pos_ = n;
          return false;
        }
        char c = data[pos_];
        if (c == '"') {
          if (pos_ + 1 < n && data[pos_ + 1] == '"') {
            data[w++] = '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        // Line breaks inside quotes belong to the cell but still advance the
        // physical line count, so later records keep true line numbers.
        if (c == '\n' || (c == '\r' && !(pos_ + 1 < n && data[pos_ + 1] == '\n'))) ++line_;
        data[w++] = c;
        ++pos_;
      }
      // Text after the closing quote (`"a"b`) is malformed CSV; keeping it is
      // kinder than rejecting a whole export over it.
      while (pos_ < n && data[pos_] != sep_ && data[pos_] != '\n' && data[pos_] != '\r')
        data[w++] = data[pos_++];
      out.cells.emplace_back(data + begin, w - begin);
    } else {
      const size_t begin = pos_;
      while (pos_ < n) {
        char c = data[pos_];
        if (c == sep_ || c == '\n' || c == '\r') break;
        ++pos_;
      }
      out.cells.emplace_back(data + begin, pos_ - begin);
    }

    if (pos_ >= n) return true;
    char c = data[pos_];
    if (c == sep_) {
      ++pos_;
      continue;
    }
    pos_ += (c == '\r' && pos_ + 1 < n && data[pos_ + 1] == '\n') ? 2 : 1;
    ++line_;
    return true;
  }
}

size_t width(const std::vector<std::string_view>& cells) {
  size_t w = cells.size();
  while (w > 0 && trim(cells[w - 1]).empty()) --w;
  return w;
}

std::string_view trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

bool parse_number(std::string_view cell, double& out, bool allow_percent) {
  std::string_view s = trim(cell);
  if (allow_percent && !s.empty() && s.back() == '%') s = trim(s.substr(0, s.size() - 1));
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  // from_chars also accepts "inf" and "nan"; a data cell saying so is not a number.
  if (s.empty() || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.')) return false;
  // Most cells are short decimals ("95.2", "-0.35", "27"). With at most 15
  // significant digits the digits and the power of ten are exact doubles, and
  // one division rounds correctly: the same double from_chars gives, sooner.
  {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t m = 0;
    int digits = 0, frac = -1;  // frac: digits after the point, -1 before one
    size_t i = 0;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c >= '0' && c <= '9') {
        m = m * 10 + static_cast<uint64_t>(c - '0');
        if (m != 0) ++digits;  // leading zeros are not significant
        if (frac >= 0) ++frac;
      } else if (c == '.' && frac < 0) {
        frac = 0;
      } else {
        break;
      }
    }
    const bool any_digit = s.size() > (frac >= 0 ? 1u : 0u);
    if (i == s.size() && any_digit && digits <= 15 && frac <= 22) {
      double v = static_cast<double>(m);
      if (frac > 0) v /= kPow10[frac];
      out = neg ? -v : v;
      return true;
    }
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return false;
  out = neg ? -v : v;
  return true;
}

}  // namespace tr::csv
