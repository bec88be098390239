// Builder plumbing shared by every concern: positions, text, errors, reset.
#include "parse_state.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace tr {

Builder::Builder(const SourceFiles& files, uint32_t file, File& out, Diagnostics& diags)
    : files_(files),
      file_(file),
      base_(files.text(file).data()),
      end_(files.text(file).data() + files.text(file).size()),
      out_(out),
      diags_(diags) {
  // One pass records where lines start and the column at every block boundary.
  size_t n = static_cast<size_t>(end_ - base_);
  size_t skip = n >= 3 && std::string_view(base_, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // the BOM takes no column
  line_starts_.push_back(0);
  block_cols_.reserve(n / kPosBlock + 1);
  uint32_t col = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i % kPosBlock == 0) block_cols_.push_back(col);
    char c = base_[i];
    if (c == '\n') {
      line_starts_.push_back(i + 1);
      col = 0;
    } else if (i >= skip && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++col;
    }
  }
  if (n % kPosBlock == 0) block_cols_.push_back(col);
}

Pos Builder::pos(const char* p) const {
  size_t off = static_cast<size_t>(std::clamp(p, base_, end_) - base_);
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  size_t from = line_starts_[line - 1];
  uint32_t col = 0;
  size_t block = off / kPosBlock * kPosBlock;
  if (block > from) {
    from = block;
    col = block_cols_[block / kPosBlock];
  }
  if (line == 1 && from < 3 && std::string_view(base_, static_cast<size_t>(end_ - base_)).starts_with("\xEF\xBB\xBF"))
    from = std::min<size_t>(3, off);
  for (size_t i = from; i < off; ++i)
    if ((static_cast<unsigned char>(base_[i]) & 0xC0) != 0x80) ++col;
  return Pos{file_, line, col + 1};
}

std::string Builder::unquote(const char* b, const char* e) {
  std::string s;
  if (e - b >= 2 && *b == '"') ++b, --e;
  s.reserve(static_cast<size_t>(e - b));
  for (const char* p = b; p < e; ++p) {
    if (*p == '\\' && p + 1 < e) ++p;
    s += *p;
  }
  return s;
}

Name Builder::column(const char* b, const char* e) const {
  if (b < e && *b == '"') return {unquote(b, e), span(b, e)};
  return name(b, e);
}

void Builder::error(const char* b, const char* e, std::string msg, std::string hint) {
  diags_.error(span(b, e), std::move(msg), std::move(hint));
}

void Builder::fail(const char* b, const char* e, std::string msg, std::string hint) const {
  throw SyntaxError{b, e, std::move(msg), std::move(hint)};
}

void Builder::reset() {
  ex_.clear();
  depth_.clear();
  marks_.clear();
  ops_.clear();
  nesting_ = 0;
  blocks_.clear();
  parts_.clear();
  columns_.clear();
  path_.clear();
  header_ = {};
  scale_ = {};
  grade_ = {};
  metric_ = {};
  better_ = Direction::None;
  bench_ = {};
  bench_value_ = {};
  bench_year_ = 0;
  param_ = {};
  define_ = {};
  rule_ = {};
  kpi_ = {};
  source_ = {};
  attr_ = {};
  school_attr_ = {};
  row_ = {};
  missing_ = {};
  tiers_ = {};
  tier_ = {};
  descriptor_ = {};
  support_ = {};
  test_ = {};
  given_ = {};
  given_value_ = {};
  expect_ = {};
}

void Builder::enter(const char* at) {
  if (++nesting_ > kMaxNesting)
    fail(at, at + 1, "this expression is nested too deeply (more than " + std::to_string(kMaxNesting) +
                         " levels of brackets, calls, 'not' or 'if')",
         "split it into smaller parts with 'define'");
}

static int digits_value(const char* b, const char* e) {
  int v = 0;
  std::from_chars(b, e, v);
  return v;
}

int Builder::small_number(const char* b, const char* e) {
  int v = 0;
  auto [p, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || p != e || v > 1000000) {
    error(b, e, "the number " + std::string(b, e) + " is too large here");
    return 0;
  }
  return v;
}

int Builder::year_of(const char* b, const char* e, uint8_t* term) {
  // The text is `YYYY-YY` or `YYYY-YYYY`, then optional blanks and a term word.
  int first = digits_value(b, b + 4);
  const char* p = b + 5;
  const char* q = p;
  while (q < e && *q >= '0' && *q <= '9') ++q;
  int second = digits_value(p, q);
  bool ok = (q - p == 2) ? second == (first + 1) % 100 : second == first + 1;
  if (term) {
    *term = 0;
    std::string_view rest(q, static_cast<size_t>(e - q));
    if (rest.find("autumn") != rest.npos) *term = 1;
    else if (rest.find("spring") != rest.npos) *term = 2;
    else if (rest.find("summer") != rest.npos) *term = 3;
  }
  if (!ok) {
    char want[8];
    std::snprintf(want, sizeof want, "%02d", (first + 1) % 100);
    error(b, q, "'" + std::string(b, q) + "' is not an academic year",
          "an academic year runs over two calendar years: write " + std::to_string(first) + "-" + want);
    return 0;
  }
  if (first < kFirstYear || first > kLastYear) {
    error(b, q, "'" + std::string(b, q) + "' is outside the academic years the engine reads",
          "write a year from " + std::to_string(kFirstYear) + "-" + std::to_string(kFirstYear + 1).substr(2) + " to " +
              std::to_string(kLastYear) + "-" + std::to_string(kLastYear + 1).substr(2));
    return 0;
  }
  return first;
}

}  // namespace tr
