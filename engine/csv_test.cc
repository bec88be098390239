#include "csv.h"

#include <catch2/catch.hpp>

#include <charconv>
#include <cstring>
#include <random>
#include <string>
#include <vector>

using tr::csv::Reader;
using tr::csv::Record;

namespace {

struct Row {
  uint32_t line;
  std::vector<std::string> cells;
};

std::vector<Row> read_all(std::string text, std::string* error = nullptr, bool fast = true) {
  Reader r(std::move(text));
  r.set_fast_path(fast);
  Record rec;
  std::vector<Row> out;
  while (r.next(rec)) out.push_back({rec.line, {rec.cells.begin(), rec.cells.end()}});
  if (error) *error = r.error();
  return out;
}

}  // namespace

TEST_CASE("csv: BOM, CRLF and a last line without a newline", "[csv]") {
  auto rows = read_all("\xEF\xBB\xBFURN,NAME\r\n100,A\r\n200,B");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells == std::vector<std::string>{"URN", "NAME"});
  CHECK(rows[1].cells == std::vector<std::string>{"100", "A"});
  CHECK(rows[2].cells == std::vector<std::string>{"200", "B"});
  CHECK(rows[2].line == 3);
}

TEST_CASE("csv: quoted fields with separators, quotes and line breaks", "[csv]") {
  auto rows = read_all("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nnext,2,3\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].cells == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
  CHECK(rows[1].line == 2);
  // The quoted line break is a physical line: the next record starts on line 4.
  CHECK(rows[2].line == 4);
  CHECK(rows[2].cells[0] == "next");
}

TEST_CASE("csv: empty quoted fields and adjacent quoted fields keep earlier cells intact", "[csv]") {
  auto rows = read_all("\"\",\"a\"\"\",\"\"\"b\",c\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].cells == std::vector<std::string>{"", "a\"", "\"b", "c"});
}

TEST_CASE("csv: blank lines are skipped and line numbers stay physical", "[csv]") {
  auto rows = read_all("h1,h2\r\n\r\n1,2\r\n   \r\n\n3,4\r\n\r\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].line == 3);
  CHECK(rows[2].line == 6);
  CHECK(rows[2].cells == std::vector<std::string>{"3", "4"});
}

TEST_CASE("csv: trailing separators count as empty cells, width ignores them", "[csv]") {
  auto rows = read_all("a,b,c,\n1,2,3,,\n1, ,,\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].cells.size() == 4);
  auto width = [](const Row& r) {
    return tr::csv::width(std::vector<std::string_view>(r.cells.begin(), r.cells.end()));
  };
  CHECK(width(rows[0]) == 3);
  CHECK(width(rows[1]) == 3);
  CHECK(width(rows[2]) == 1);  // a cell of only spaces is blank
}

TEST_CASE("csv: short rows and a lone CR line ending", "[csv]") {
  auto rows = read_all("a,b,c\r1\r2,3\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].cells == std::vector<std::string>{"1"});
  CHECK(rows[2].line == 3);
}

TEST_CASE("csv: an unclosed quote is an error with its line", "[csv]") {
  Reader r("a,b\n1,\"open\n2,3\n");
  Record rec;
  REQUIRE(r.next(rec));
  CHECK_FALSE(r.next(rec));
  CHECK(r.error_line() == 2);
  CHECK(r.error().find("not closed") != std::string::npos);
}

TEST_CASE("csv: stray text after a closing quote is kept", "[csv]") {
  auto rows = read_all("\"5\" inch,x\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].cells[0] == "5 inch");
}

TEST_CASE("csv: empty text has no records", "[csv]") {
  CHECK(read_all("").empty());
  CHECK(read_all("\xEF\xBB\xBF").empty());
  CHECK(read_all("\r\n\r\n").empty());
}

TEST_CASE("csv: other separators", "[csv]") {
  Reader r("a\tb\n1\t\"x\ty\"\n", '\t');
  Record rec;
  REQUIRE(r.next(rec));
  REQUIRE(r.next(rec));
  CHECK(rec.cells[1] == "x\ty");
}

TEST_CASE("csv: numbers, percentages and things that are not numbers", "[csv]") {
  double v = 0;
  CHECK(tr::csv::parse_number("53", v));
  CHECK(v == 53);
  CHECK(tr::csv::parse_number(" -0.25 ", v));
  CHECK(v == -0.25);
  CHECK(tr::csv::parse_number("+1.5e2", v));
  CHECK(v == 150);
  CHECK(tr::csv::parse_number(".5", v));
  CHECK(v == 0.5);
  CHECK_FALSE(tr::csv::parse_number("53%", v));
  CHECK(tr::csv::parse_number("53%", v, true));
  CHECK(v == 53);
  CHECK(tr::csv::parse_number("53.5 %", v, true));
  CHECK(v == 53.5);
  for (const char* bad : {"", " ", "SUPP", "NA", "inf", "nan", "-", "1,000", "12a", "%", "1e", "--1"})
    CHECK_FALSE(tr::csv::parse_number(bad, v, true));
}

// Short decimals take a fast path; it must give the very double from_chars
// gives (the correctly rounded one), bit for bit, and refuse what it refuses.
TEST_CASE("csv: decimals parse to the same double as from_chars", "[csv]") {
  std::mt19937 rng(20261203);
  auto reference = [](std::string_view s, double& out) {
    bool neg = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (s.empty() || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.')) return false;
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return false;
    out = neg ? -v : v;
    return true;
  };
  const std::string chars = "0123456789012345678901234567890123456789.";
  int agreed = 0, numbers = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string t;
    if (rng() % 4 == 0) t += rng() % 2 ? '-' : '+';
    size_t len = 1 + rng() % 26;
    for (size_t k = 0; k < len; ++k) t += chars[rng() % chars.size()];
    double a = 1, b = 2;
    bool pa = tr::csv::parse_number(t, a), pb = reference(t, b);
    bool same = pa == pb && (!pa || std::memcmp(&a, &b, sizeof a) == 0);
    if (!same) FAIL_CHECK(t << ": " << pa << " " << a << " vs " << pb << " " << b);
    agreed += same;
    numbers += pa;
  }
  CHECK(agreed == 200000);
  CHECK(numbers > 50000);  // the strings were mostly numbers, not only refusals
  // The edges of the fast path: 15 and 16 significant digits, 22 and 23 decimals.
  for (const char* t : {"123456789012345", "1234567890123456", "0.1234567890123456789012", "0.00000000000000000000001",
                        "9007199254740993", "5.", "-0", "000000000000000000000.5", "0.1", "0.3", "94.6"}) {
    double a = 1, b = 2;
    CHECK(tr::csv::parse_number(t, a));
    CHECK(reference(t, b));
    CHECK(std::memcmp(&a, &b, sizeof a) == 0);
  }
}

// The memchr fast path for plain lines must give exactly what the general loop
// gives, on any text: random mixes of the characters that matter.
TEST_CASE("csv: the fast path and the general loop agree on random text", "[csv]") {
  std::mt19937 rng(20261202);
  const std::string alphabet = "ab1,,,\"\r\n\n \t";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1), len(0, 120);
  int with_quotes = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (size_t k = len(rng); k > 0; --k) text += alphabet[pick(rng)];
    if (text.find('"') != std::string::npos) ++with_quotes;
    std::string e1, e2;
    std::vector<Row> fast = read_all(text, &e1, true), slow = read_all(text, &e2, false);
    INFO("text: " << text);
    REQUIRE(fast.size() == slow.size());
    for (size_t r = 0; r < fast.size(); ++r) {
      CHECK(fast[r].line == slow[r].line);
      CHECK(fast[r].cells == slow[r].cells);
    }
    CHECK(e1 == e2);
  }
  CHECK(with_quotes > 1000);  // both paths were exercised
}
