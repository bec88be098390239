// Turning one data cell into a value: numbers and `53%` by the metric's type,
// yes/no, grades by their scale, and the normalized school attributes.
#pragma once

#include "ast.h"

#include <string>
#include <string_view>
#include <vector>

namespace tr {

// A scale's grades as they may be written in data: identifier or label, any
// case, spaces, hyphens and underscores interchangeable.
class GradeTable {
 public:
  explicit GradeTable(const Scale& scale);
  // Rank of the grade (0 = best), or -1.
  int rank(std::string_view written) const;

 private:
  std::vector<std::pair<std::string, int>> names_;
};

// Lower case with runs of spaces, hyphens and underscores as one underscore:
// "Requires improvement" -> "requires_improvement".
std::string fold_name(std::string_view text);

// Parses a non-empty, non-code cell by the metric's type. Grades need `grades`.
// False when the cell is not a value of that type.
bool parse_value(std::string_view cell, MetricType type, const GradeTable* grades, double& out);

// "Primary"/"PRI" -> primary, "Middle deemed secondary" -> middle_secondary, ...
std::string normalize_phase(std::string_view text);

// A school type as written ("Academies", "mainstream") -> lower case, spaces as underscores.
std::string normalize_type(std::string_view text);

}  // namespace tr
