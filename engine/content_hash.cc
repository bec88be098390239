// The content hash of a ruleset's meaning (see content_hash.h for what is hashed).
#include "content_hash.h"

#include "format.h"
#include "parser.h"
#include "sha256.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tr {

namespace fs = std::filesystem;

namespace {

// Drops blank lines and trailing blanks: what is left is one item per line, in
// the formatter's indentation.
std::string without_blank_lines(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") != std::string_view::npos) {
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

// Paths as the hash spells them: relative to the root file's folder, '/'-separated.
std::string relative_to(const fs::path& path, const fs::path& root_dir) {
  fs::path p = fs::absolute(path).lexically_normal();
  fs::path rel = p.lexically_relative(root_dir);
  return (rel.empty() ? p : rel).generic_string();
}

void add_part(Sha256& h, const std::string& kind, const std::string& name, const std::string& bytes) {
  // Lengths make the concatenation unambiguous: no file's text can pose as a boundary.
  h.update(kind + " " + name + "\n" + std::to_string(bytes.size()) + "\n");
  h.update(bytes);
}

}  // namespace

std::string canonical_text(const File& f, const SourceFiles& sources) {
  // Re-parse the file's text so that the copy can lose its comments: the loaded
  // AST is shared (and const), and the formatter attaches comments by position.
  SourceFiles own;
  File copy;
  Diagnostics ignored;
  parse_text(own, f.path, sources.text(f.id), copy, ignored);
  copy.comments.clear();
  return without_blank_lines(format_file(copy, own));
}

ContentHash content_hash(const Ruleset& rs) {
  ContentHash out;
  Sha256 h;
  h.update("trustrules-content/1\n");
  fs::path root = rs.root_path.empty() && !rs.files.empty() ? fs::path(rs.files[0].path) : fs::path(rs.root_path);
  fs::path root_dir = fs::absolute(root).lexically_normal().parent_path();

  std::vector<std::string> scripts;  // resolved, in the order first used
  for (size_t i = 0; i < rs.files.size(); ++i) {
    const File& f = rs.files[i];
    add_part(h, "file", i == 0 ? "(root)" : relative_to(f.path, root_dir), canonical_text(f, rs.sources));
    // The same resolution as the checker's: relative to the file that names it.
    for (const Decl& d : f.decls)
      if (const auto* u = std::get_if<UseLua>(&d)) {
        std::string resolved = (fs::path(f.path).parent_path() / u->path).lexically_normal().string();
        if (std::find(scripts.begin(), scripts.end(), resolved) == scripts.end()) scripts.push_back(resolved);
      }
  }
  for (const auto& path : scripts) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    if (in) bytes << in.rdbuf();
    if (!in || in.bad()) {
      out.error = "cannot read the Lua script " + path + " to compute the ruleset's content hash";
      return out;
    }
    add_part(h, "lua", relative_to(path, root_dir), bytes.str());
  }
  out.hash = kContentHashPrefix + h.hex();
  return out;
}

std::string short_hash(const std::string& hash) {
  std::string_view prefix = kContentHashPrefix;
  if (hash.size() > prefix.size() + 12 && hash.compare(0, prefix.size(), prefix) == 0)
    return hash.substr(0, prefix.size() + 12);
  return hash;
}

}  // namespace tr
