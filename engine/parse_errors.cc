#include "parse_errors.h"

#include "edit_distance.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace tr {

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const char* char_end(const char* at, const char* end) {
  const char* p = at + 1;
  while (p < end && (static_cast<unsigned char>(*p) & 0xC0) == 0x80) ++p;
  return p;
}

// One encoded character: a lead byte with the right number of continuation bytes.
bool valid_utf8(const char* b, const char* e) {
  auto c = static_cast<unsigned char>(*b);
  size_t n = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  return n != 0 && static_cast<size_t>(e - b) == n;
}

// The extent of the offending text: a word, a label, or one character.
const char* token_end(const char* at, const char* end) {
  if (at >= end || *at == '\n' || *at == '\r') return at;
  if (word_char(*at)) {
    const char* p = at;
    while (p < end && word_char(*p)) ++p;
    return p;
  }
  return char_end(at, end);
}

std::string word_at(const char* at, const char* end) {
  if (at >= end || !word_char(*at)) return {};
  return std::string(at, token_end(at, end));
}

std::vector<std::string> split(const char* words) {
  std::vector<std::string> out;
  std::istringstream in(words ? words : "");
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The token before `at` on the text, for "after 'at least'".
std::string previous_token(const Builder& b, const char* at) {
  const char* begin = b.text_begin();
  const char* p = at;
  while (p > begin && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r' || p[-1] == '\n')) --p;
  const char* e = p;
  if (p > begin && word_char(p[-1])) {
    while (p > begin && word_char(p[-1])) --p;
  } else if (p > begin && p[-1] == '"') {
    return "the label";
  } else {
    while (p > begin && std::strchr("<>=!+-*/(,:[", p[-1]) && e - p < 2) --p;
  }
  std::string tok(p, e);
  // Two-word operators read better whole.
  if (tok == "least" || tok == "most" || tok == "not") {
    const char* q = p;
    while (q > begin && (q[-1] == ' ' || q[-1] == '\t')) --q;
    const char* w = q;
    while (w > begin && word_char(w[-1])) --w;
    std::string first(w, q);
    if ((first == "at" && tok != "not") || (first == "is" && tok == "not")) tok = first + " " + tok;
  }
  return tok;
}

// End-of-file errors point just after the last text rather than at an empty last line.
const char* place(const Builder& b, const char* at) {
  if (at < b.text_end()) return at;
  const char* p = at;
  while (p > b.text_begin() && std::strchr(" \t\r\n", p[-1])) --p;
  return p;
}

[[noreturn]] void throw_at(const Builder& b, const char* at, std::string msg, std::string hint = {}) {
  const char* where = place(b, at);
  b.fail(where, where == at ? token_end(at, b.text_end()) : where, std::move(msg), std::move(hint));
}

std::string block_name(const Builder& b, BlockKind k) {
  switch (k) {
    case BlockKind::Scale: return "scale";
    case BlockKind::Metric: return "metric";
    case BlockKind::Source: return "source";
    case BlockKind::Rows: return "'rows by'";
    case BlockKind::Missing: return "'missing'";
    case BlockKind::Columns: return "'columns'";
    case BlockKind::Benchmark: return "benchmark";
    case BlockKind::Rule: return b.rule_kind() == RuleKind::Floor ? "floor" : "standard";
    case BlockKind::Tiers: return "tiers";
    case BlockKind::Tier: return "tier";
    case BlockKind::Kpi: return "kpi";
    case BlockKind::Test: return "test";
    case BlockKind::Given: return "'given school'";
  }
  return "block";
}

// The items each block accepts: the first word of each (for did-you-mean), and how to list them.
struct Items {
  const char* words;
  const char* listed;
};

Items block_items(BlockKind k) {
  switch (k) {
    case BlockKind::Metric:
      return {"type better groups cadence confidence valid",
              "type, better, groups, cadence, confidence and 'valid for'"};
    case BlockKind::Source:
      return {"role files key period school rows missing bad columns",
              "role, files, key, period, school, rows by, missing, bad values warn and columns"};
    case BlockKind::Rule:
      return {"applies met on", "'applies when', 'met when', 'met by lua' and 'on breach tier at least N'"};
    case BlockKind::Tiers: return {"assign otherwise tier", "'assign by', 'otherwise tier N' and 'tier N \"label\" { … }'"};
    case BlockKind::Tier: return {"led descriptor support", "'led by', 'descriptor' and 'support'"};
    case BlockKind::Kpi: return {"value better met", "value, better and 'met when'"};
    case BlockKind::Test: return {"as given expect", "'as of', 'given school' and 'expect'"};
    default: return {nullptr, nullptr};
  }
}

// What a line of a free-form block looks like.
const char* block_item_shape(BlockKind k) {
  switch (k) {
    case BlockKind::Scale: return "a grade name (and an optional label)";
    case BlockKind::Rows: return "a row kind such as '5: national'";
    case BlockKind::Missing: return "a missing-value code such as 'SUPP: \"suppressed\"'";
    case BlockKind::Columns: return "a column binding such as 'rwm_expected: PTRWM_EXP'";
    case BlockKind::Benchmark: return "a value such as 'attendance: 96%'";
    case BlockKind::Given: return "a value such as 'attendance: 94%'";
    default: return nullptr;
  }
}

const char* all_keywords =
    "ruleset include use scale metric source benchmark param define standard floor tiers kpi test "
    "version year lua type better groups cadence confidence valid for role files key period school rows missing "
    "bad values warn columns applies when met by on breach tier at least most assign best fit ties to "
    "more support first match of otherwise led descriptor every once twice times value as given expect "
    "and or not between in is if then else above below percent score count rate number yesno grade "
    "higher lower annual termly interval";

// The first words of block items that are not reserved (so may be read as names).
const char* item_words =
    "type better groups cadence confidence valid role files key period school rows missing bad columns applies met on "
    "assign otherwise led descriptor support value as given expect";
const char* operators = "and or not + - * / < > <= >= = != is above below between in , ( [ :";

const char* decl_words = "ruleset include use scale metric source benchmark param define standard floor tiers kpi test";

bool is_decl_word(const std::string& w) {
  for (const auto& d : split(decl_words))
    if (d == w) return true;
  return false;
}

// Hints for habits from other languages and for case slips.
std::string common_hint(const Builder& b, const char* at) {
  const char* end = b.text_end();
  if (at >= end) return {};
  std::string_view rest(at, static_cast<size_t>(std::min<ptrdiff_t>(end - at, 3)));
  if (rest.starts_with("&&")) return "write 'and' instead of '&&'";
  if (rest.starts_with("||")) return "write 'or' instead of '||'";
  if (rest.starts_with("==")) return "write '=' once to compare: attendance = 95%";
  if (rest.starts_with("=>")) return "write '>=' or 'at least'";
  if (rest.starts_with("=<")) return "write '<=' or 'at most'";
  if (rest.starts_with("\xC2\xA0")) return "this is a non-breaking space (often pasted from a word processor); type an ordinary space";
  if (rest.starts_with("\xE2\x80\x9C") || rest.starts_with("\xE2\x80\x9D"))
    return "labels use plain double quotes \"like this\", not curly quotes";
  if (rest.starts_with("\xE2\x80\x93") || rest.starts_with("\xE2\x88\x92")) return "write a minus sign as '-'";
  if (*at == '(' && at > b.text_begin() && (at[-1] == ' ' || at[-1] == '\t')) {
    const char* p = at;
    while (p > b.text_begin() && (p[-1] == ' ' || p[-1] == '\t')) --p;
    if (p > b.text_begin() && word_char(p[-1]))
      return "write a name and its '(' together, with no space: abs(x), define gap(m)";
  }
  std::string w = word_at(at, end);
  if (w.empty()) return {};
  std::string lower;
  for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower != w)
    for (const auto& k : split(all_keywords))
      if (k == lower) return "keywords are written in lower case: '" + k + "'";
  if (w == "at") return "write 'at least' or 'at most'";
  return {};
}

std::string suggestion(const std::string& word, const char* choices) {
  if (word.empty() || !choices) return {};
  std::string m = did_you_mean(word, split(choices));
  return m.empty() || m == word ? std::string() : "did you mean '" + m + "'?";
}

}  // namespace

const char* skip_blanks(const char* at, const char* end) {
  while (at < end && (*at == ' ' || *at == '\t' || (*at == '\r' && at + 1 < end && at[1] != '\n'))) ++at;
  return at;
}

std::string describe_found(const char* at, const char* end) {
  if (at >= end) return "the end of the file";
  if (*at == '\n' || (*at == '\r' && (at + 1 >= end || at[1] == '\n'))) return "the end of the line";
  if (*at == '#') return "a comment";
  if (*at == '"') return "a label in quotes";
  unsigned char c = static_cast<unsigned char>(*at);
  if (c < 0x20 || c == 0x7F) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "a control character (byte 0x%02X)", c);
    return buf;
  }
  if (c >= 0x80) {
    const char* e = char_end(at, end);
    if (!valid_utf8(at, e)) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "a byte that is not valid UTF-8 (0x%02X)", c);
      return buf;
    }
    return "'" + std::string(at, e) + "'";
  }
  return "'" + std::string(at, token_end(at, end)) + "'";
}

void fail_expected(const Builder& b, const char* at, Expected x) {
  at = skip_blanks(at, b.text_end());
  std::string msg = std::string("expected ") + x.what + ", found " + describe_found(at, b.text_end());
  std::string hint = suggestion(word_at(at, b.text_end()), x.choices);
  if (hint.empty()) hint = common_hint(b, at);
  throw_at(b, at, std::move(msg), std::move(hint));
}

void fail_colon(const Builder& b, const char* at) {
  at = skip_blanks(at, b.text_end());
  std::string prev = previous_token(b, at);
  std::string msg = "expected ':'" + (prev.empty() ? std::string() : " after '" + prev + "'") + ", found " +
                    describe_found(at, b.text_end());
  std::string hint = common_hint(b, at);
  if (hint.empty()) hint = "a name and its value are separated by ':', as in attendance: 94%";
  throw_at(b, at, std::move(msg), std::move(hint));
}

void fail_value(const Builder& b, const char* at) {
  at = skip_blanks(at, b.text_end());
  std::string prev = previous_token(b, at);
  std::string found = describe_found(at, b.text_end());
  // A newline after an operator is allowed, so the parser looked on the next
  // lines; the value is missing at the end of the operator's line.
  const char* line_end = at;
  while (line_end > b.text_begin() && std::strchr(" \t\r\n", line_end[-1])) --line_end;
  bool next_line = std::find(line_end, at, '\n') != at;
  std::string msg = "expected a value";
  if (!prev.empty()) msg += " after '" + prev + "'";
  msg += ", found " + (next_line ? std::string("the end of the line") : found);
  std::string hint = next_line ? std::string() : common_hint(b, at);
  if (hint.empty() && !next_line && at < b.text_end() && *at == '=' && prev.ends_with("="))
    hint = "write '=' once to compare: attendance = 95%";
  std::string w = next_line ? std::string() : word_at(at, b.text_end());
  if (hint.empty() && !w.empty() && !(w[0] >= '0' && w[0] <= '9'))
    hint = "'" + w + "' is a keyword and cannot be used as a name";
  if (next_line) b.fail(line_end, line_end, std::move(msg));
  throw_at(b, at, std::move(msg), std::move(hint));
}

void fail_open_block(const Builder& b, const char* at, BlockKind kind) {
  at = skip_blanks(at, b.text_end());
  std::string what = block_name(b, kind);
  throw_at(b, at, "expected '{' to open the " + what + "'s block, found " + describe_found(at, b.text_end()),
           kind == BlockKind::Tier ? "a tier is written: tier 2 \"Grow\" { … }" : common_hint(b, at));
}

void fail_close_block(const Builder& b, const char* at, BlockKind kind) {
  const char* end = b.text_end();
  at = skip_blanks(at, end);
  std::string what = block_name(b, kind);
  std::string opened;
  if (const char* o = b.open_block()) opened = " opened at line " + std::to_string(b.pos(o).line);
  std::string w = word_at(at, end);
  if (at >= end)
    throw_at(b, at, "expected '}' to close the " + what + " block" + opened + ", but the file ends");
  if (is_decl_word(w))
    throw_at(b, at, "expected '}' to close the " + what + " block" + opened + " before this '" + w + "'");
  Items items = block_items(kind);
  if (items.words && !w.empty()) {
    std::string hint = suggestion(w, items.words);
    std::string list = std::string("a ") + what + " block holds " + items.listed;
    throw_at(b, at, "unknown " + what + " item '" + w + "'", hint.empty() ? list : hint + " (" + list + ")");
  }
  if (const char* shape = block_item_shape(kind))
    throw_at(b, at, std::string("expected ") + shape + " or '}', found " + describe_found(at, end),
             common_hint(b, at));
  throw_at(b, at, "expected an item of the " + what + " or '}', found " + describe_found(at, end),
           items.listed ? std::string("a ") + what + " block holds " + items.listed : common_hint(b, at));
}

// A line that ends with an operator continues on the next line, so when an
// expression is left dangling the next item's first word is read as its
// operand and the error surfaces one line late. Report it where it is.
void fail_dangling_operator(const Builder& b, const char* at) {
  const char* begin = b.text_begin();
  const char* ls = at;
  while (ls > begin && ls[-1] != '\n') --ls;
  const char* first = skip_blanks(ls, b.text_end());
  std::string w = word_at(first, b.text_end());
  if (ls == begin || first >= at || w.empty()) return;
  bool item_word = false;
  for (const auto& k : split(item_words))
    if (k == w) item_word = true;
  if (!item_word) return;
  std::string prev = previous_token(b, ls);
  bool op = false;
  for (const auto& o : split(operators))
    if (o == prev) op = true;
  if (!op && prev != "at least" && prev != "at most" && prev != "is not") return;
  const char* le = ls;
  while (le > begin && std::strchr(" \t\r\n", le[-1])) --le;
  b.fail(le, le, "expected a value after '" + prev + "', found the end of the line",
         "the next line starts a new item ('" + w + "'), so nothing follows '" + prev + "'");
}

void fail_item_end(const Builder& b, const char* at, BlockKind kind) {
  const char* end = b.text_end();
  at = skip_blanks(at, end);
  fail_dangling_operator(b, at);
  std::string hint = common_hint(b, at);
  if (hint.empty()) hint = "each item of a " + block_name(b, kind) + " goes on its own line (or after ';')";
  throw_at(b, at, "unexpected " + describe_found(at, end) + " after the end of this item", hint);
}

void fail_decl_end(const Builder& b, const char* at) {
  const char* end = b.text_end();
  at = skip_blanks(at, end);
  std::string hint = suggestion(word_at(at, end), "version year");
  if (hint.empty()) hint = common_hint(b, at);
  if (hint.empty()) hint = "each declaration starts on a new line";
  throw_at(b, at, "unexpected " + describe_found(at, end) + " after the end of this declaration", hint);
}

void fail_top_level(const Builder& b, const char* at) {
  const char* end = b.text_end();
  at = skip_blanks(at, end);
  std::string w = word_at(at, end);
  std::string list = "a file holds ruleset, include, use lua, scale, metric, source, benchmark, param, define, "
                     "standard, floor, tiers, kpi and test declarations";
  if (at < end && *at == '}') throw_at(b, at, "unexpected '}': there is no open block to close", list);
  if (!w.empty()) {
    std::string hint;
    for (BlockKind k : {BlockKind::Metric, BlockKind::Source, BlockKind::Rule, BlockKind::Tiers, BlockKind::Tier,
                        BlockKind::Kpi, BlockKind::Test}) {
      for (const auto& item : split(block_items(k).words))
        if (item == w) hint = "'" + w + "' belongs inside a " + block_name(b, k) + " block { … }";
      if (!hint.empty()) break;
    }
    if (hint.empty()) hint = suggestion(w, decl_words);
    if (hint.empty()) hint = common_hint(b, at);
    throw_at(b, at, "unknown declaration '" + w + "'", hint.empty() ? list : hint);
  }
  throw_at(b, at, "expected a declaration, found " + describe_found(at, end), common_hint(b, at).empty() ? list : common_hint(b, at));
}

void fail_label(const Builder& b, const char* at, const char* quote) {
  const char* end = b.text_end();
  if (at < end && *at != '\n' && *at != '\r') {
    b.fail(at, char_end(at, end), "this label contains bytes that are not valid UTF-8",
           "save the file as UTF-8");
  }
  const char* q = quote ? quote : at;
  b.fail(q, at, "this label has no closing double quote", "a label ends on the line it starts: \"like this\"");
}

void fail_escape(const Builder& b, const char* at) {
  const char* end = b.text_end();
  const char* bs = at > b.text_begin() ? at - 1 : at;
  b.fail(bs, at < end ? char_end(at, end) : at, "'\\" + std::string(at, at < end ? char_end(at, end) : at) +
                                                    "' is not allowed in a label",
         "inside a label only \\\" (a double quote) and \\\\ (a backslash) are escapes");
}

}  // namespace tr
