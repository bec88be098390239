// `fmt --diff`: a unified diff of the text before and after formatting, so that a
// reviewer (or CI) can see exactly what fmt would do without it writing anything.
#include "format.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tr {
namespace {

std::vector<std::string_view> split_lines(const std::string& s) {
  std::vector<std::string_view> out;
  size_t b = 0;
  while (b < s.size()) {
    size_t e = s.find('\n', b);
    if (e == std::string::npos) e = s.size();
    out.push_back(std::string_view(s).substr(b, e - b));
    b = e + 1;
  }
  return out;
}

struct Edit {
  char tag;  // ' ' kept, '-' removed, '+' added
  size_t a, b;  // line index in before / after (for ' ' both)
};

// Longest common subsequence on the middle part (common prefix and suffix removed);
// rule files are hundreds of lines, so the quadratic table stays small. Past a
// bound the middle is shown as one replacement, which is still a correct diff.
std::vector<Edit> edits(const std::vector<std::string_view>& x, const std::vector<std::string_view>& y) {
  size_t pre = 0;
  while (pre < x.size() && pre < y.size() && x[pre] == y[pre]) ++pre;
  size_t suf = 0;
  while (suf < x.size() - pre && suf < y.size() - pre && x[x.size() - 1 - suf] == y[y.size() - 1 - suf]) ++suf;
  size_t n = x.size() - pre - suf, m = y.size() - pre - suf;
  std::vector<Edit> out;
  for (size_t i = 0; i < pre; ++i) out.push_back({' ', i, i});
  if (n * m <= 16'000'000) {
    std::vector<uint32_t> t((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return t[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        at(i, j) = x[pre + i] == y[pre + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && x[pre + i] == y[pre + j]) {
        out.push_back({' ', pre + i++, pre + j++});
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({'-', pre + i++, pre + j});  // removals first, as diff(1) shows them
      } else {
        out.push_back({'+', pre + i, pre + j++});
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) out.push_back({'-', pre + i, pre});
    for (size_t j = 0; j < m; ++j) out.push_back({'+', pre + n, pre + j});
  }
  for (size_t k = 0; k < suf; ++k) out.push_back({' ', pre + n + k, pre + m + k});
  return out;
}

}  // namespace

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after) {
  if (before == after) return "";
  auto x = split_lines(before), y = split_lines(after);
  auto es = edits(x, y);
  const size_t ctx = 3;
  std::string out = "--- " + path + "\n+++ " + path + " (formatted)\n";
  size_t k = 0;
  while (k < es.size()) {
    while (k < es.size() && es[k].tag == ' ') ++k;
    if (k == es.size()) break;
    // A hunk runs from ctx lines before a change to ctx lines after the last change
    // that is within 2*ctx kept lines of the previous one.
    size_t begin = k >= ctx ? k - ctx : 0;
    size_t end = k;
    size_t kept = 0;
    for (size_t j = k; j < es.size(); ++j) {
      if (es[j].tag == ' ') {
        if (++kept > 2 * ctx) break;
      } else {
        kept = 0;
        end = j;
      }
    }
    size_t stop = std::min(es.size(), end + 1 + ctx);
    size_t a0 = es[begin].a, b0 = es[begin].b, na = 0, nb = 0;
    std::string body;
    for (size_t j = begin; j < stop; ++j) {
      const Edit& e = es[j];
      std::string_view line = e.tag == '+' ? y[e.b] : x[e.a];
      body += e.tag;
      body += line;
      body += '\n';
      na += e.tag != '+';
      nb += e.tag != '-';
    }
    out += "@@ -" + std::to_string(na ? a0 + 1 : a0) + "," + std::to_string(na) + " +" +
           std::to_string(nb ? b0 + 1 : b0) + "," + std::to_string(nb) + " @@\n" + body;
    k = stop;
  }
  return out;
}

}  // namespace tr
