// The driver: runs the grammar with the Builder's actions, turns failed must<>
// rules into readable errors, and resumes after an error at the next
// declaration so that one run reports several.
#include "parser.h"

#include "parse_errors.h"
#include "parse_messages.h"
#include "parse_state.h"

#include <algorithm>
#include <exception>
#include <type_traits>

namespace tr {

namespace {

namespace pg = tao::pegtl;

// Every rule with a Builder::on(T<Rule>, …) overload gets an action; the rest none.
template <class Rule> struct action : pg::nothing<Rule> {};
template <class Rule>
  requires requires(Builder& b, const char* p) { b.on(T<Rule>{}, p, p); }
struct action<Rule> {
  template <class In> static void apply(const In& in, Builder& b) { b.on(T<Rule>{}, in.begin(), in.end()); }
};

// Rules that recurse into an expression count towards the nesting limit.
template <class R> constexpr bool nests = false;
template <> constexpr bool nests<g::paren> = true;
template <> constexpr bool nests<g::call_args> = true;
template <> constexpr bool nests<g::in_list> = true;
template <class S> constexpr bool nests<g::if_expr<S>> = true;
template <class S> constexpr bool nests<g::negation<S>> = true;
template <class S> constexpr bool nests<g::negate<S>> = true;

// Rules after which a value is expected.
template <class R> constexpr bool value_rule = false;
template <class S> constexpr bool value_rule<g::expr<S>> = true;
template <class S> constexpr bool value_rule<g::and_expr<S>> = true;
template <class S> constexpr bool value_rule<g::not_expr<S>> = true;
template <class S> constexpr bool value_rule<g::additive<S>> = true;
template <class S> constexpr bool value_rule<g::mul<S>> = true;
template <class S> constexpr bool value_rule<g::unary<S>> = true;
template <> constexpr bool value_rule<g::bench_amount> = true;

template <class Tag> constexpr BlockKind kind_of = BlockKind::Scale;
template <> constexpr BlockKind kind_of<g::metric_tag> = BlockKind::Metric;
template <> constexpr BlockKind kind_of<g::source_tag> = BlockKind::Source;
template <> constexpr BlockKind kind_of<g::rows_tag> = BlockKind::Rows;
template <> constexpr BlockKind kind_of<g::missing_tag> = BlockKind::Missing;
template <> constexpr BlockKind kind_of<g::columns_tag> = BlockKind::Columns;
template <> constexpr BlockKind kind_of<g::benchmark_tag> = BlockKind::Benchmark;
template <> constexpr BlockKind kind_of<g::rule_tag> = BlockKind::Rule;
template <> constexpr BlockKind kind_of<g::tiers_tag> = BlockKind::Tiers;
template <> constexpr BlockKind kind_of<g::tier_tag> = BlockKind::Tier;
template <> constexpr BlockKind kind_of<g::kpi_tag> = BlockKind::Kpi;
template <> constexpr BlockKind kind_of<g::test_tag> = BlockKind::Test;
template <> constexpr BlockKind kind_of<g::given_tag> = BlockKind::Given;

// Which kind of block rule R belongs to: 1 close, 2 item end, 3 the block itself.
template <class R> struct block_rule {
  static constexpr int shape = 0;
  static constexpr BlockKind kind = BlockKind::Scale;
};
template <class Tag> struct block_rule<g::close_block<Tag>> {
  static constexpr int shape = 1;
  static constexpr BlockKind kind = kind_of<Tag>;
};
template <class Tag> struct block_rule<g::item_end<Tag>> {
  static constexpr int shape = 2;
  static constexpr BlockKind kind = kind_of<Tag>;
};
template <class Tag, class Item> struct block_rule<g::block<Tag, Item>> {
  static constexpr int shape = 3;
  static constexpr BlockKind kind = kind_of<Tag>;
};

template <class Rule> struct control : pg::normal<Rule> {
  template <class In> static void start(const In& in, Builder& b) {
    if constexpr (nests<Rule>) b.enter(in.current());
  }
  template <class In> static void success(const In&, Builder& b) {
    if constexpr (nests<Rule>) b.leave();
  }
  template <class In> static void failure(const In&, Builder& b) {
    if constexpr (nests<Rule>) b.leave();
  }
  template <class In> [[noreturn]] static void raise(const In& in, Builder& b) {
    const char* at = in.current();
    using B = block_rule<Rule>;
    if constexpr (value_rule<Rule>) fail_value(b, at);
    else if constexpr (B::shape == 1) fail_close_block(b, at, B::kind);
    else if constexpr (B::shape == 2) fail_item_end(b, at, B::kind);
    else if constexpr (B::shape == 3) fail_open_block(b, at, B::kind);
    else if constexpr (std::is_same_v<Rule, g::close_quote>) fail_label(b, at, b.quote());
    else if constexpr (std::is_same_v<Rule, g::escaped>) fail_escape(b, at);
    else if constexpr (std::is_same_v<Rule, g::colon>) fail_colon(b, at);
    else if constexpr (std::is_same_v<Rule, g::decl_end>) fail_decl_end(b, at);
    else if constexpr (std::is_same_v<Rule, g::file_end>) fail_top_level(b, at);
    else if constexpr (expected<Rule>.what != nullptr) fail_expected(b, at, expected<Rule>);
    else fail_expected(b, at, {keyword_text<Rule>().c_str()});
  }
};

void collect_comments(const SourceFiles& files, uint32_t id, File& out) {
  // A lexical pass of its own: comments are wherever '#' stands outside a
  // label, whatever the grammar made of the line (even after an error).
  const std::string& text = files.text(id);
  size_t line_start = 0;
  bool code = false, in_label = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      line_start = i + 1;
      code = in_label = false;
    } else if (in_label) {
      if (c == '\\') ++i;
      else if (c == '"') in_label = false;
    } else if (c == '"') {
      in_label = code = true;
    } else if (c == '#') {
      size_t e = text.find('\n', i);
      if (e == std::string::npos) e = text.size();
      size_t te = e;
      if (te > i && text[te - 1] == '\r') --te;
      Comment cm;
      cm.text = text.substr(i, te - i);
      cm.span = {files.pos(id, i), files.pos(id, te)};
      cm.trailing = code;
      out.comments.push_back(std::move(cm));
      i = e - 1;
    } else if (c != ' ' && c != '\t' && c != '\r' && !(line_start == 0 && i < 3 && (c & 0x80))) {
      code = true;
    }
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The first line after `from` whose first word is a declaration keyword, or null.
const char* resync(const char* from, const char* end) {
  const char* p = from;
  while (p < end) {
    while (p < end && *p != '\n') ++p;
    if (p >= end) return nullptr;
    ++p;
    const char* q = p;
    while (q < end && is_blank(*q)) ++q;
    pg::memory_input<pg::tracking_mode::lazy> in(q, end, "");
    if (pg::parse<g::decl_keyword>(in)) return q;
  }
  return nullptr;
}

// Turns a span back into a pointer (for errors built from AST spans).
const char* pointer_of(const SourceFiles& files, uint32_t id, Pos p) {
  std::string_view line = files.line(id, p.line);
  const char* q = line.data();
  for (uint32_t c = 1; c < p.col && q < line.data() + line.size(); ++c) {
    ++q;
    while (q < line.data() + line.size() && (static_cast<unsigned char>(*q) & 0xC0) == 0x80) ++q;
  }
  return q;
}

constexpr int kMaxSyntaxErrors = 20;

}  // namespace

bool parse_file(SourceFiles& files, uint32_t file_id, File& out, Diagnostics& diags) {
  out.id = file_id;
  out.path = files.path(file_id);
  collect_comments(files, file_id, out);
  const std::string& text = files.text(file_id);
  Builder b(files, file_id, out, diags);
  const char* p = text.data();
  const char* end = text.data() + text.size();
  int errors = 0;
  while (p) {
    pg::memory_input<pg::tracking_mode::lazy> in(p, end, out.path);
    try {
      pg::parse<g::file, action, control>(in, b);
      break;
    } catch (const SyntaxError& e) {
      Span s = e.at ? b.span(e.at, e.end) : e.span;
      const char* at = e.at ? e.at : pointer_of(files, file_id, e.span.begin);
      if (++errors > kMaxSyntaxErrors) {
        diags.note(s, "too many syntax errors in this file; stopping here");
        break;
      }
      diags.error(s, e.message, e.hint);
      b.reset();
      p = resync(std::max(at, p), end);  // always forward, so recovery ends
    } catch (const std::exception& e) {
      // Never expected; reported rather than crashing the run.
      diags.error(b.span(in.current(), in.current()), std::string("internal parser error: ") + e.what());
      break;
    }
  }
  return errors == 0;
}

bool parse_text(SourceFiles& files, std::string path, std::string text, File& out, Diagnostics& diags) {
  uint32_t id = files.add(std::move(path), std::move(text));
  return parse_file(files, id, out, diags);
}

}  // namespace tr
