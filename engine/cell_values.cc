#include "cell_values.h"

#include "csv.h"

#include <cctype>

namespace tr {

namespace {

// fold_name's rule, writing through `put(char)`.
template <class Put>
void fold(std::string_view text, Put put) {
  bool gap = false, any = false;
  for (char c : csv::trim(text)) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') {
      gap = true;
      continue;
    }
    if (gap && any) put('_');
    gap = false;
    any = true;
    put(csv::ascii_lower(c));
  }
}

}  // namespace

std::string fold_name(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  fold(text, [&](char c) { out += c; });
  return out;
}

GradeTable::GradeTable(const Scale& scale) {
  for (size_t i = 0; i < scale.grades.size(); ++i) {
    const Grade& g = scale.grades[i];
    names_.emplace_back(fold_name(g.id.text), static_cast<int>(i));
    if (!g.label.empty()) names_.emplace_back(fold_name(g.label), static_cast<int>(i));
  }
}

int GradeTable::rank(std::string_view written) const {
  // Folded on the stack: a national read ranks millions of grade cells, and
  // "requires_improvement" is past the short-string buffer.
  char buf[64];
  size_t n = 0;
  bool fits = true;
  fold(written, [&](char c) {
    if (n < sizeof buf) buf[n++] = c;
    else fits = false;
  });
  const std::string long_folded = fits ? std::string() : fold_name(written);
  std::string_view folded = fits ? std::string_view(buf, n) : std::string_view(long_folded);
  for (const auto& [name, rank] : names_)
    if (name == folded) return rank;
  return -1;
}

bool parse_value(std::string_view cell, MetricType type, const GradeTable* grades, double& out) {
  switch (type) {
    case MetricType::Percent:
    case MetricType::Rate:
      return csv::parse_number(cell, out, /*allow_percent=*/true);
    case MetricType::Score:
    case MetricType::Count:
    case MetricType::Number:
      return csv::parse_number(cell, out, false);
    case MetricType::YesNo: {
      std::string_view s = csv::trim(cell);
      for (const char* yes : {"yes", "y", "true", "1"})
        if (csv::iequals(s, yes)) return out = 1, true;
      for (const char* no : {"no", "n", "false", "0"})
        if (csv::iequals(s, no)) return out = 0, true;
      return false;
    }
    case MetricType::Grade: {
      int r = grades ? grades->rank(cell) : -1;
      if (r < 0) return false;
      out = r;
      return true;
    }
  }
  return false;
}

std::string normalize_phase(std::string_view text) {
  std::string f = fold_name(text);
  // The school census writes the phase inside the type: "State-funded primary",
  // "State-funded special school".
  if (f.rfind("state_funded_", 0) == 0) f.erase(0, 13);
  if (f == "special_school") return "special";
  if (f == "primary" || f == "pri") return "primary";
  if (f == "secondary" || f == "sec") return "secondary";
  if (f == "special" || f == "spe") return "special";
  if (f == "all_through") return "all_through";
  if (f == "middle_deemed_primary") return "middle_primary";
  if (f == "middle_deemed_secondary") return "middle_secondary";
  if (f == "nursery") return "nursery";
  if (f == "16_plus") return "sixteen_plus";
  return f;
}

std::string normalize_type(std::string_view text) { return fold_name(text); }

}  // namespace tr
