// Source files and the errors found in them. Every phase reports through
// Diagnostics so that a run shows all errors at once, each rendered as
//
//   rules/trust.rules:12:7: error: unknown metric 'atendance'
//      12 |   met when atendance >= 95%
//         |            ^~~~~~~~~
//   hint: did you mean 'attendance'?
#pragma once

#include "ast.h"

#include <string>
#include <string_view>
#include <vector>

namespace tr {

class SourceFiles {
 public:
  // Registers a file's text; returns its id (the Pos::file of every node in it).
  uint32_t add(std::string path, std::string text);
  const std::string& path(uint32_t id) const { return files_[id].path; }
  const std::string& text(uint32_t id) const { return files_[id].text; }
  size_t size() const { return files_.size(); }
  // The text of a 1-based line, without its line ending.
  std::string_view line(uint32_t id, uint32_t line) const;
  // Converts a byte offset to a Pos (1-based line, column in characters).
  Pos pos(uint32_t id, size_t byte_offset) const;

 private:
  struct Entry {
    std::string path;
    std::string text;
    std::vector<size_t> line_starts;
  };
  std::vector<Entry> files_;
};

enum class Severity : uint8_t { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  Span span;
  std::string message;
  std::string hint;  // may be empty
};

class Diagnostics {
 public:
  void error(Span span, std::string message, std::string hint = {});
  void warning(Span span, std::string message, std::string hint = {});
  void note(Span span, std::string message, std::string hint = {});
  // An error that has no source position (a missing file given on the command line).
  void error_at(std::string where, std::string message, std::string hint = {});

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }
  const std::vector<Diagnostic>& all() const { return list_; }
  const std::vector<std::pair<std::string, Diagnostic>>& unplaced() const { return unplaced_; }

  // Renders every diagnostic in the order reported, with source line and caret.
  std::string render(const SourceFiles& files, bool color = false) const;

 private:
  std::vector<Diagnostic> list_;
  std::vector<std::pair<std::string, Diagnostic>> unplaced_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
};

// Renders one diagnostic (used by render and by tests).
std::string render_diagnostic(const SourceFiles& files, const Diagnostic& d, bool color = false);

// The closest candidate by edit distance, or "" when nothing is close enough.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace tr
