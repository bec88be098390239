// Builder plumbing shared by every concern: positions, text, errors, reset.
#include "parse_state.h"

#include <charconv>
#include <cstdio>

namespace tr {

Builder::Builder(const SourceFiles& files, uint32_t file, File& out, Diagnostics& diags)
    : files_(files),
      file_(file),
      base_(files.text(file).data()),
      end_(files.text(file).data() + files.text(file).size()),
      out_(out),
      diags_(diags) {}

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
  return first;
}

}  // namespace tr
