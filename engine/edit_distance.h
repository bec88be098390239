// Edit distance for "did you mean" hints. Case is ignored because rule writers
// mistype case as often as letters ("Attendance" for `attendance`).
#pragma once

#include <cstddef>
#include <string_view>

namespace tr {

// Levenshtein distance over bytes, ASCII case-insensitive, with a swap of two
// neighbouring letters counted as one edit.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace tr
