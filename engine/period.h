// Period helpers beyond the to_string / parse_period pair in dataset.h, used by
// the data loader to read periods from file names and term columns.
#pragma once

#include "dataset.h"

#include <string_view>

namespace tr {

// "autumn", "Spring", "Summer term" -> 1, 2, 3; 0 when not a term name.
int parse_term(std::string_view text);

// The period a file name carries: "2018-2019_850_ks2final.csv" and
// "attendance_2018-19.csv" are the year 2018-19; a date such as
// "2021-05-07_850_gias.csv" is the term it falls in (2020-21 summer).
// False when the name carries neither.
bool period_from_file_name(std::string_view name, Period& out);

}  // namespace tr
