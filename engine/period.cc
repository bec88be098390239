// Academic years and terms as written by people and by file names.
#include "period.h"

#include "csv.h"

#include <cctype>
#include <charconv>

namespace tr {

namespace {

constexpr const char* kTerms[] = {"", "autumn", "spring", "summer"};

bool digits(std::string_view s, size_t n, int& out) {
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  std::from_chars(s.data(), s.data() + n, out);
  return true;
}

}  // namespace

std::string to_string(Period p) {
  std::string s = std::to_string(p.year) + "-";
  int next = (p.year + 1) % 100;
  if (next < 10) s += '0';
  s += std::to_string(next);
  if (p.term >= 1 && p.term <= 3) {
    s += ' ';
    s += kTerms[p.term];
  }
  return s;
}

int parse_term(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  // MIS exports write "Autumn", "Autumn term" or "Autumn Term".
  if (text.size() > 5 && csv::iequals(text.substr(text.size() - 5), " term")) text.remove_suffix(5);
  for (int t = 1; t <= 3; ++t)
    if (csv::iequals(text, kTerms[t])) return t;
  return 0;
}

bool parse_period(std::string_view text, Period& out) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  int start = 0, end = 0;
  if (!digits(text, 4, start) || text.size() < 7 || (text[4] != '-' && text[4] != '/')) return false;
  std::string_view rest = text.substr(5);
  size_t used = 0;
  if (digits(rest, 4, end) && (rest.size() == 4 || !std::isdigit(static_cast<unsigned char>(rest[4])))) {
    used = 4;
  } else if (digits(rest, 2, end) &&
             (rest.size() == 2 || !std::isdigit(static_cast<unsigned char>(rest[2])))) {
    used = 2;
    end += start / 100 * 100;
    if (end < start) end += 100;  // 2099-00
  } else {
    return false;
  }
  if (end != start + 1 || start < kFirstYear || start > kLastYear) return false;
  rest.remove_prefix(used);
  Period p;
  p.year = static_cast<int16_t>(start);
  if (!rest.empty()) {
    if (rest[0] != ' ' && rest[0] != ':' && rest[0] != '\t') return false;
    rest.remove_prefix(1);
    int t = parse_term(rest);
    if (t == 0) return false;
    p.term = static_cast<uint8_t>(t);
  }
  out = p;
  return true;
}

bool period_from_file_name(std::string_view name, Period& out) {
  // Look for the first YYYY-YYYY or YYYY-YY whose years follow each other, so
  // that "2018-2019_850_ks2final.csv" is 2018-19 and "850_2018-19.csv" too.
  for (size_t i = 0; i + 7 <= name.size(); ++i) {
    if (i > 0 && std::isdigit(static_cast<unsigned char>(name[i - 1]))) continue;
    int start = 0;
    if (!digits(name.substr(i), 4, start) || name[i + 4] != '-') continue;
    if (start < kFirstYear || start > kLastYear) continue;  // not a year a period can name (kFirstYear, ast.h)
    std::string_view rest = name.substr(i + 5);
    int end = 0, two = 0;
    bool four = digits(rest, 4, end) && (rest.size() == 4 || !std::isdigit(static_cast<unsigned char>(rest[4])));
    if (!four) {
      if (!digits(rest, 2, two) || (rest.size() > 2 && std::isdigit(static_cast<unsigned char>(rest[2])))) continue;
      end = two + start / 100 * 100;
      if (end < start) end += 100;
    }
    if (end == start + 1) {
      out = Period{static_cast<int16_t>(start), 0};
      return true;
    }
    // A date (YYYY-MM-DD, as in a GIAS extract "2021-05-07_850_gias.csv") is a
    // snapshot: it belongs to the term it falls in. Autumn is September to
    // December, spring January to March, summer April to August.
    int day = 0;
    if (!four && rest.size() >= 5 && rest[2] == '-' && digits(rest.substr(3), 2, day) &&
        (rest.size() == 5 || !std::isdigit(static_cast<unsigned char>(rest[5]))) && two >= 1 &&
        two <= 12 && day >= 1 && day <= 31) {
      Period p;
      p.year = static_cast<int16_t>(two >= 9 ? start : start - 1);
      p.term = static_cast<uint8_t>(two >= 9 ? 1 : two <= 3 ? 2 : 3);
      if (p.year < kFirstYear) continue;  // spring 1900 is in 1899-00
      out = p;
      return true;
    }
  }
  return false;
}

}  // namespace tr
