#include "diagnostics.h"

#include <algorithm>
#include <cstdio>

namespace tr {

namespace {

bool has_bom(const std::string& text) { return text.compare(0, 3, "\xEF\xBB\xBF") == 0; }

// Continuation bytes (10xxxxxx) do not start a character.
bool starts_char(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

uint32_t SourceFiles::add(std::string path, std::string text) {
  Entry e{std::move(path), std::move(text), {0}};
  for (size_t i = 0; i < e.text.size(); ++i)
    if (e.text[i] == '\n') e.line_starts.push_back(i + 1);
  files_.push_back(std::move(e));
  return static_cast<uint32_t>(files_.size() - 1);
}

std::string_view SourceFiles::line(uint32_t id, uint32_t line) const {
  const Entry& e = files_[id];
  if (line == 0 || line > e.line_starts.size()) return {};
  size_t b = e.line_starts[line - 1];
  size_t end = line < e.line_starts.size() ? e.line_starts[line] - 1 : e.text.size();
  if (line == 1 && has_bom(e.text)) b = std::min<size_t>(3, end);
  if (end > b && e.text[end - 1] == '\r') --end;
  return std::string_view(e.text).substr(b, end - b);
}

Pos SourceFiles::pos(uint32_t id, size_t byte_offset) const {
  const Entry& e = files_[id];
  byte_offset = std::min(byte_offset, e.text.size());
  auto it = std::upper_bound(e.line_starts.begin(), e.line_starts.end(), byte_offset);
  uint32_t line = static_cast<uint32_t>(it - e.line_starts.begin());
  size_t b = e.line_starts[line - 1];
  // The byte order mark is invisible in editors, so it takes no column.
  if (line == 1 && has_bom(e.text)) b = std::min<size_t>(3, byte_offset);
  uint32_t col = 1;
  for (size_t i = b; i < byte_offset; ++i)
    if (starts_char(e.text[i])) ++col;
  return Pos{id, line, col};
}

void Diagnostics::error(Span span, std::string message, std::string hint) {
  list_.push_back({Severity::Error, span, std::move(message), std::move(hint)});
  ++errors_;
}

void Diagnostics::warning(Span span, std::string message, std::string hint) {
  list_.push_back({Severity::Warning, span, std::move(message), std::move(hint)});
  ++warnings_;
}

void Diagnostics::note(Span span, std::string message, std::string hint) {
  list_.push_back({Severity::Note, span, std::move(message), std::move(hint)});
}

void Diagnostics::error_at(std::string where, std::string message, std::string hint) {
  unplaced_.push_back({std::move(where), {Severity::Error, {}, std::move(message), std::move(hint)}});
  ++errors_;
}

namespace {

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;35m";
    case Severity::Note: return "\033[1;36m";
  }
  return "";
}

void put_head(std::string& out, std::string_view where, const Diagnostic& d, bool color) {
  out += where;
  out += ": ";
  if (color) out += severity_color(d.severity);
  out += severity_word(d.severity);
  out += ':';
  if (color) out += "\033[0m\033[1m";
  out += ' ';
  out += d.message;
  if (color) out += "\033[0m";
  out += '\n';
}

void put_hint(std::string& out, const Diagnostic& d, bool color) {
  if (d.hint.empty()) return;
  out += color ? "\033[1;36mhint:\033[0m " : "hint: ";
  out += d.hint;
  out += '\n';
}

}  // namespace

std::string render_diagnostic(const SourceFiles& files, const Diagnostic& d, bool color) {
  std::string out;
  const Pos& b = d.span.begin;
  if (b.file >= files.size() || b.line == 0) {
    put_head(out, b.file < files.size() ? files.path(b.file) : "<unknown>", d, color);
    put_hint(out, d, color);
    return out;
  }
  char where[64];
  std::snprintf(where, sizeof where, ":%u:%u", b.line, b.col);
  put_head(out, files.path(b.file) + where, d, color);

  std::string_view text = files.line(b.file, b.line);
  std::string num = std::to_string(b.line);
  size_t width = std::max<size_t>(5, num.size());
  out += std::string(width - num.size(), ' ') + num + " | ";
  out += text;
  out += '\n';

  // The caret line copies tabs from the source so the caret lands under the
  // same character however wide the reader's tabs are.
  out += std::string(width, ' ') + " | ";
  uint32_t col = 1;
  size_t i = 0;
  while (i < text.size() && col < b.col) {
    out += text[i] == '\t' ? '\t' : ' ';
    ++i;
    while (i < text.size() && !starts_char(text[i])) ++i;
    ++col;
  }
  uint32_t end_col = d.span.end.line == b.line ? d.span.end.col : 0;
  if (d.span.end.line > b.line) {
    // A span over several lines is underlined to the end of its first line.
    uint32_t n = 1;
    for (size_t k = 0; k < text.size(); ++k)
      if (starts_char(text[k])) ++n;
    end_col = n;
  }
  size_t len = end_col > b.col ? end_col - b.col : 1;
  if (color) out += severity_color(d.severity);
  out += '^';
  if (len > 1) out += std::string(len - 1, '~');
  if (color) out += "\033[0m";
  out += '\n';
  put_hint(out, d, color);
  return out;
}

std::string Diagnostics::render(const SourceFiles& files, bool color) const {
  // Unplaced errors (a missing file named on the command line) come first:
  // they usually explain why the placed ones are missing.
  std::string out;
  for (const auto& [where, d] : unplaced_) {
    put_head(out, where, d, color);
    put_hint(out, d, color);
  }
  for (const auto& d : list_) out += render_diagnostic(files, d, color);
  return out;
}

}  // namespace tr
