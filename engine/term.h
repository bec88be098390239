// Terminal output: whether to colour, and the colour codes. Colour is for people
// at a terminal; a file, a pipe, a dumb terminal or NO_COLOR (https://no-color.org)
// gets plain text, so scripts and diffs never see escape codes.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace tr {

// False when NO_COLOR is set to anything non-empty, TERM is "dumb" (or unset),
// or `f` is not a terminal.
bool use_color(std::FILE* f);

enum class Paint : unsigned char { Bold, Red, Green, Yellow, Dim };

// `text` wrapped in the ANSI codes for `p` when `on`; `text` unchanged otherwise.
std::string paint(std::string_view text, Paint p, bool on);

// Display width of text that may hold ANSI colour codes: code points, escapes
// not counted (for aligning coloured columns).
size_t visible_width(std::string_view text);

}  // namespace tr
