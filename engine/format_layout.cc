// The second half of `fmt`: hangs every comment on a layout node and prints the
// tree. Comment placement is positional, so it works the same for every construct:
//   - a comment inside a node's span belongs to that node (recursively);
//   - a trailing comment right after a node on the node's last line stays after it;
//   - a trailing comment on a block's first line, before any item, stays after `{`;
//   - any other comment leads the next node, or ends the block (before `}`) or file;
//   - a comment inside a one-line item that was written across lines moves above
//     the item, except after a descriptor's `:`, where the item stays wrapped.
#include "format.h"
#include "format_internal.h"

#include <cctype>

namespace tr::fmtdetail {
namespace {

bool before(Pos a, Pos b) { return a.line < b.line || (a.line == b.line && a.col < b.col); }

bool contains(const Span& s, Pos p) { return valid(s) && !before(p, s.begin) && before(p, s.end); }

void place(std::vector<LayoutNode>& kids, std::vector<const Comment*>& end, LayoutNode* owner,
           const Comment& c);

void place_in(LayoutNode& n, const Comment& c) {
  if (n.block)
    place(n.children, n.end_comments, &n, c);
  else
    n.inner.push_back(&c);
}

void place(std::vector<LayoutNode>& kids, std::vector<const Comment*>& end, LayoutNode* owner,
           const Comment& c) {
  Pos p = c.span.begin;
  for (auto& k : kids) {
    if (contains(k.span, p)) return place_in(k, c);
  }
  if (c.trailing) {
    for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
      if (valid(it->span) && last_line(it->span) == p.line && !before(p, it->span.end) &&
          !it->trailing) {
        it->trailing = &c;
        return;
      }
    }
    if (owner && owner->span.begin.line == p.line && !owner->head_trailing) {
      owner->head_trailing = &c;
      return;
    }
  }
  for (auto& k : kids) {
    if (valid(k.span) && before(p, k.span.begin)) {
      k.leading.push_back(&c);
      return;
    }
  }
  end.push_back(&c);
}

size_t width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A comment written on the first line of a wrappable item that runs over several
// lines (after its `:`, `=` or `when`) keeps the item wrapped with the comment on
// the head line. Any other comment inside a leaf moves above it; so does this one
// when others do, so that comments never change order.
const Comment* after_head(const LayoutNode& n) {
  if (n.cont.empty() || n.inner.size() != 1) return nullptr;
  const Comment* c = n.inner.front();
  return c->trailing && c->span.begin.line == n.span.begin.line ? c : nullptr;
}

// A tail that does not fit after its head moves to the next line, one level in;
// if it still does not fit there it is broken where the grammar allows.
void decide_wrap(LayoutNode& n, int indent, const SourceFiles* files) {
  if (n.block) {
    for (auto& k : n.children) decide_wrap(k, indent + 2, files);
    return;
  }
  if (n.cont.empty()) return;
  size_t at = static_cast<size_t>(indent);
  bool too_long = at + width(n.head) + 1 + width(n.cont) > kWrapColumn;
  n.wrap = after_head(n) || (n.auto_wrap && too_long);
  if (!n.wrap) return;
  size_t room = kWrapColumn > at + 2 ? kWrapColumn - at - 2 : 1;
  if (n.cont_expr && files && width(n.cont) > room)
    n.cont_lines = format_expr_lines(*n.cont_expr, *files, room);
  else
    n.cont_lines = {n.cont};
}

std::string comment_text(const Comment& c) {
  std::string t = c.text;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.pop_back();
  return t;
}

class Printer {
 public:
  std::string out;

  void line(int indent, std::string_view text, const Comment* trailing = nullptr) {
    out.append(static_cast<size_t>(indent), ' ');
    out += text;
    if (trailing) {
      if (!text.empty()) out += "  ";
      out += comment_text(*trailing);
    }
    out += '\n';
  }
  void comment(int indent, const Comment& c) { line(indent, comment_text(c)); }
  void blank() {
    bool ends_blank = out.size() >= 2 && out.compare(out.size() - 2, 2, "\n\n") == 0;
    if (!out.empty() && !ends_blank) out += '\n';
  }

  // Tracks the source line of the last thing printed so that a blank line in the
  // source between two things (collapsed to one) can be kept.
  uint32_t prev_line = 0;
  void gap_before(uint32_t src_line) {
    if (prev_line && src_line && src_line > prev_line + 1) blank();
  }
  void seen(uint32_t src_line) {
    if (src_line) prev_line = src_line;
  }

  // The node and everything hanging on it. `gap` decides the blank line before its
  // first printed line: -1 keep the source's, 0 none, 1 one.
  void node(const LayoutNode& n, int indent, int gap) {
    bool first = true;
    auto lead = [&](uint32_t src_line) {
      if (first) {
        if (gap < 0)
          gap_before(src_line);
        else if (gap > 0)
          blank();
        first = false;
      } else {
        gap_before(src_line);
      }
      seen(src_line);
    };
    for (const Comment* c : n.leading) {
      lead(c->span.begin.line);
      comment(indent, *c);
    }
    const Comment* head_comment = after_head(n);
    for (const Comment* c : n.inner) {
      if (c == head_comment) continue;
      // Its own line is gone (the item is now on fewer lines): it stands where the item begins.
      lead(n.span.begin.line);
      comment(indent, *c);
    }
    lead(n.span.begin.line);
    if (n.block && n.children.empty() && n.end_comments.empty() && !n.head_trailing) {
      line(indent, n.head + " {}", n.trailing);
    } else if (n.block) {
      line(indent, n.head + " {", n.head_trailing);
      prev_line = 0;  // no blank line straight after `{`
      for (const auto& k : n.children) node(k, indent + 2, -1);
      for (const Comment* c : n.end_comments) {
        gap_before(c->span.begin.line);
        seen(c->span.begin.line);
        comment(indent + 2, *c);
      }
      line(indent, "}", n.trailing);
    } else if (n.cont.empty()) {
      line(indent, n.head, n.trailing);
    } else if (!n.wrap) {
      line(indent, n.head + " " + n.cont, n.trailing);
    } else {
      line(indent, n.head, head_comment);
      for (size_t i = 0; i < n.cont_lines.size(); ++i)
        line(indent + 2, n.cont_lines[i], i + 1 == n.cont_lines.size() ? n.trailing : nullptr);
    }
    prev_line = 0;
    seen(valid(n.span) ? last_line(n.span) : 0);
  }
};

bool one_line(const LayoutNode& n) { return !n.block && !n.wrap; }

uint32_t first_line(const LayoutNode& n) {
  if (!n.leading.empty()) return n.leading.front()->span.begin.line;
  return valid(n.span) ? n.span.begin.line : 0;
}

}  // namespace

bool valid(const Span& s) { return s.begin.line > 0 && s.end.line > 0; }

uint32_t last_line(const Span& s) {
  if (s.end.col <= 1 && s.end.line > s.begin.line) return s.end.line - 1;
  return s.end.line;
}

std::string_view text_at(const SourceFiles& files, Pos p) {
  if (p.line == 0 || p.file >= files.size()) return {};
  std::string_view l = files.line(p.file, p.line);
  size_t i = 0;
  // Columns count characters; skip col-1 of them.
  for (uint32_t c = 1; c < p.col && i < l.size(); ++c) {
    ++i;
    while (i < l.size() && (static_cast<unsigned char>(l[i]) & 0xC0) == 0x80) ++i;
  }
  return l.substr(i);
}

std::string word_at(const SourceFiles& files, Pos p) {
  std::string_view t = text_at(files, p);
  size_t n = 0;
  while (n < t.size() && (std::isalnum(static_cast<unsigned char>(t[n])) || t[n] == '_')) ++n;
  return std::string(t.substr(0, n));
}

std::string render_layout(LayoutFile& lf, const File& f) {
  for (const auto& c : f.comments) place(lf.decls, lf.end_comments, nullptr, c);
  for (auto& d : lf.decls) decide_wrap(d, 0, lf.files);

  Printer p;
  const LayoutNode* prev = nullptr;
  for (const auto& d : lf.decls) {
    int gap = 0;
    if (prev) {
      // One-line declarations written on adjacent lines stay a group; everything
      // else is separated by exactly one blank line.
      bool adjacent = valid(prev->span) && first_line(d) <= last_line(prev->span) + 1;
      gap = one_line(*prev) && one_line(d) && adjacent ? 0 : 1;
    }
    p.node(d, 0, gap);
    prev = &d;
  }
  for (const Comment* c : lf.end_comments) {
    p.gap_before(c->span.begin.line);
    p.seen(c->span.begin.line);
    p.comment(0, *c);
  }
  return p.out;
}

}  // namespace tr::fmtdetail
