// `fmt`: prints a parsed rule file back in one canonical layout, keeping its comments.
//
// The layout:
//  - two-space indentation; one item per line (`a; b` becomes two lines); items keep
//    the order they were written in; `{}` for an empty block;
//  - top-level declarations are separated by one blank line, except that one-line
//    declarations (include, use lua, param, a define that fits, the ruleset line)
//    written on adjacent lines stay a group without blank lines;
//  - inside a block, blank lines between items collapse to at most one, and there is
//    none after `{` or before `}`;
//  - canonical spacing around operators and after `,` and `:`; comparison words as
//    written (`at least`, `is not`, `above`); numbers with their written digits
//    (`1.0`, `-2.5`) and the unit spelt out (`65%`, `2 points`, `1 point`); years as
//    `2018-19`; labels re-escaped;
//  - parentheses the grammar needs are added and the author's own are kept (the
//    parser widens an operand's span over its brackets, which is how they are seen);
//  - an item whose expression follows `:`, `=` or `when` (descriptor, define, applies
//    when, met when) and does not fit in kWrapColumn moves the expression to the next
//    line, one level in; if it still does not fit it breaks after each `or` (else
//    `and`) of the outermost chain, after `then` / before `else`, and between call
//    arguments. A param always stays on one line.
// Comments: an own-line comment stays before the item (or declaration) it preceded;
// a trailing comment stays at the end of its line; a comment after `{` stays there;
// a comment at the end of a block stays inside it, before `}`; a comment inside an
// item written over several lines moves above the item (a lone comment right after
// the `:`/`=`/`when` stays there, with the expression wrapped below it). Trailing
// blanks of comment lines are dropped; comment order never changes.
//
// Formatting never changes the AST and is idempotent; format_text() / format_path()
// re-parse their own output and refuse to write when the AST or the comments differ.
#pragma once

#include "ast.h"
#include "diagnostics.h"

#include <string>
#include <string_view>
#include <vector>

namespace tr {

// Lines longer than this (in characters) are wrapped where the language allows.
inline constexpr size_t kWrapColumn = 100;

// The whole file in canonical layout. `files` gives the source text that comments and
// item spans point into (it decides item order and bare-vs-quoted column names).
std::string format_file(const File& f, const SourceFiles& files);

// One expression on one line, with minimal parentheses.
std::string format_expr(const Expr& e);

// `65%`, `2 points`, `1 point`, `3 years`, `-2.5`.
std::string format_number(double value, Unit unit);

// A label in double quotes with `"` and `\` escaped.
std::string quote_label(std::string_view text);

// `2018-19`, `2019-20 autumn`.
std::string format_year(int start_year, uint8_t term = 0);

// ---- files on disk ----------------------------------------------------------

struct FormatReport {
  std::vector<std::string> unchanged;  // already canonical
  std::vector<std::string> changed;    // rewritten (or, when checking, would be)
  std::vector<std::string> failed;     // did not parse, unreadable, or not safe to format
  // Unified diffs of the changed files, filled when FormatOptions::diff is set.
  std::string diff;
};

struct FormatOptions {
  bool check_only = false;  // write nothing; only report what would change
  bool diff = false;        // also produce unified diffs in FormatReport::diff
};

// Formats one file in place: reads it, parses it, formats it and, unless check_only,
// replaces it atomically (temporary file + rename) when the text changes. A file that
// does not parse is never touched; its errors go to `diags`. Returns false when the
// file failed. `sources` receives the file text so that diagnostics can be rendered.
bool format_path(const std::string& path, const FormatOptions& opts, FormatReport& report,
                 SourceFiles& sources, Diagnostics& diags);

// Expands files and folders (folders recursively, *.rules only, sorted) and formats
// each. Returns true when no file failed. A path that does not exist is a failure.
bool format_paths(const std::vector<std::string>& paths, const FormatOptions& opts,
                  FormatReport& report, SourceFiles& sources, Diagnostics& diags);

// Formats text that has already been parsed elsewhere (tests, editors). Returns false
// with diagnostics when the text does not parse or formatting is not safe; `out` then
// holds the text unchanged.
bool format_text(const std::string& path, const std::string& text, std::string& out,
                 SourceFiles& sources, Diagnostics& diags);

// A minimal unified diff (3 lines of context) between two texts; "" when equal.
std::string unified_diff(const std::string& path, const std::string& before,
                         const std::string& after);

}  // namespace tr
