// Syntax error messages, in words a school improvement lead understands. The
// parser's control class calls these when a must<> rule fails; each throws
// SyntaxError with the position, a message saying what was expected and what
// was found instead, and a hint when one helps.
#pragma once

#include "parse_state.h"

namespace tr {

// What a must<> rule expected: words for the message, and (optionally) the
// words it accepts, space-separated, for a did-you-mean hint.
struct Expected {
  const char* what;
  const char* choices = nullptr;
};

[[noreturn]] void fail_expected(const Builder& b, const char* at, Expected x);
// A value or expression was expected (after an operator, ':', `when`, ...).
[[noreturn]] void fail_value(const Builder& b, const char* at);
[[noreturn]] void fail_colon(const Builder& b, const char* at);
[[noreturn]] void fail_open_block(const Builder& b, const char* at, BlockKind kind);
[[noreturn]] void fail_close_block(const Builder& b, const char* at, BlockKind kind);
[[noreturn]] void fail_item_end(const Builder& b, const char* at, BlockKind kind);
[[noreturn]] void fail_decl_end(const Builder& b, const char* at);
[[noreturn]] void fail_top_level(const Builder& b, const char* at);
[[noreturn]] void fail_label(const Builder& b, const char* at, const char* quote);
[[noreturn]] void fail_escape(const Builder& b, const char* at);

// Helpers shared with tests.
std::string describe_found(const char* at, const char* end);
const char* skip_blanks(const char* at, const char* end);

}  // namespace tr
