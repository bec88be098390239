// Internals shared by format.cc (declarations -> layout tree) and format_layout.cc
// (layout tree + comments -> text). Not part of the public API.
//
// Printing happens in two steps so that comment placement is written once for every
// construct: each declaration becomes a tree of LayoutNodes, each carrying the source
// span it came from; the layout step then hangs every comment on the node whose span
// it falls in or next to, and prints the tree.
#pragma once

#include "ast.h"
#include "diagnostics.h"

#include <string>
#include <string_view>
#include <vector>

namespace tr::fmtdetail {

struct LayoutNode {
  Span span;          // where it came from; line 0 = synthetic (no comments attach)
  std::string head;   // the line, without indentation (for a block: before ` {`)
  std::string cont;   // leaf only: a tail that may move to its own line (after `:`, `=`, `when`)
  const Expr* cont_expr = nullptr;  // the tail's expression, to break it when it is long
  bool auto_wrap = true;  // false: the tail moves only for a comment written after the head
  bool block = false; // prints `head {`, the children one level in, then `}`
  std::vector<LayoutNode> children;  // in source order

  // Filled by the layout step.
  bool wrap = false;                    // the tail goes on the next line(s)
  std::vector<std::string> cont_lines;  // ... as these lines, one level in
  std::vector<const Comment*> leading;       // own-line comments before the node
  std::vector<const Comment*> inner;         // inside a leaf's span (multi-line item)
  const Comment* head_trailing = nullptr;    // after `{` on the head line
  const Comment* trailing = nullptr;         // at the end of the node's last line
  std::vector<const Comment*> end_comments;  // block: before the closing `}`
};

// The root: the header (if any) and the declarations in source order.
struct LayoutFile {
  const SourceFiles* files = nullptr;
  std::vector<LayoutNode> decls;
  std::vector<const Comment*> end_comments;  // after the last declaration
};

// Expression printing that keeps the author's parentheses and number digits.
std::string format_expr_src(const Expr& e, const SourceFiles& files);
// Where the grammar takes only arithmetic (a benchmark value).
std::string format_additive(const Expr& e, const SourceFiles& files);
// The expression in lines of at most `room` characters where the grammar allows a
// break (after `or`/`and`, before `else`); one line when it fits or cannot break.
std::vector<std::string> format_expr_lines(const Expr& e, const SourceFiles& files, size_t room);

// Builds the tree for a file (format.cc).
LayoutFile build_layout(const File& f, const SourceFiles& files);

// Places the comments and prints (format_layout.cc).
std::string render_layout(LayoutFile& lf, const File& f);

// Source helpers used to recover what the AST does not record (item order, quoting).
// The text at `p` up to the end of its line; "" when p is synthetic or out of range.
std::string_view text_at(const SourceFiles& files, Pos p);
// The identifier-like word starting at `p` ("" if none).
std::string word_at(const SourceFiles& files, Pos p);

bool valid(const Span& s);
// The last source line a span covers (a span ending at column 1 ends on the line before).
uint32_t last_line(const Span& s);

}  // namespace tr::fmtdetail
