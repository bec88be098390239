#include "edit_distance.h"

#include "diagnostics.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace tr {

static char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

size_t edit_distance(std::string_view a, std::string_view b) {
  // Levenshtein with adjacent transpositions counted as one edit (optimal
  // string alignment): "tpye" is one slip from "type", not two.
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  // A third of the name's length: close enough to be a typo, far enough that
  // short names do not suggest unrelated words.
  size_t limit = std::max<size_t>(1, name.size() / 3);
  size_t best = limit + 1;
  std::string found;
  for (const auto& c : candidates) {
    size_t d = edit_distance(name, c);
    if (d < best) {
      best = d;
      found = c;
    }
  }
  return found;
}

}  // namespace tr
