// Terminal colour decisions and codes (see term.h).
#include "term.h"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace tr {

bool use_color(std::FILE* f) {
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  const char* term = std::getenv("TERM");
  if (!term || !*term || std::strcmp(term, "dumb") == 0) return false;
  return f && ::isatty(::fileno(f));
}

std::string paint(std::string_view text, Paint p, bool on) {
  if (!on || text.empty()) return std::string(text);
  const char* code = "";
  switch (p) {
    case Paint::Bold: code = "\x1b[1m"; break;
    case Paint::Red: code = "\x1b[31m"; break;
    case Paint::Green: code = "\x1b[32m"; break;
    case Paint::Yellow: code = "\x1b[33m"; break;
    case Paint::Dim: code = "\x1b[2m"; break;
  }
  return code + std::string(text) + "\x1b[0m";
}

size_t visible_width(std::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b && i + 1 < text.size() && text[i + 1] == '[') {
      // CSI: parameters and intermediates up to a final byte in @..~
      i += 2;
      while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace tr
