// The content hash of a ruleset: what the board approves. It hashes the rules'
// *meaning*, so that `fmt`, re-indenting, blank lines and comment edits keep an
// approval, while any change to a label, threshold, descriptor, policy, support
// item or Lua script revokes it (the content is then a draft until re-approved).
//
// What is hashed, as SHA-256, in this order:
//   "trustrules-content/1\n"                     (the scheme; bumped if it changes)
//   for each rule file, in include order (root first):
//     "file " <path relative to the root file's folder; the root is "(root)"> "\n"
//     <byte count> "\n" <canonical text>
//   for each `use lua` script, in the order first used:
//     "lua " <path relative to the root file's folder> "\n" <byte count> "\n" <bytes>
// The canonical text is the file re-parsed without its comments, printed by the
// formatter (format.h) and with blank lines dropped: the formatter never changes
// the AST, so the text determines the meaning, and layout choices it leaves to
// the author (blank lines between items) are gone. Paths are relative so that
// moving or copying the rules folder keeps the hash.
//
// The hash errs on the side of revoking: a change that `fmt` would keep (the
// author's redundant parentheses, `1.0` for `1`, the order of a block's items)
// changes it. Re-approving costs a minute; approving by mistake costs trust.
#pragma once

#include "ast.h"
#include "ruleset.h"

#include <string>

namespace tr {

// The scheme prefix of every content hash: "sha256:" + 64 hex digits.
inline constexpr const char* kContentHashPrefix = "sha256:";

// One rule file without comments or blank lines, in the formatter's layout.
std::string canonical_text(const File& f, const SourceFiles& sources);

struct ContentHash {
  std::string hash;   // "sha256:…"; empty when error is set
  std::string error;  // a Lua script could not be read
  bool ok() const { return error.empty(); }
};

// The hash of a loaded ruleset (load_ruleset; it need not be checked). The Lua
// scripts are read from disk, relative to the file that names them.
ContentHash content_hash(const Ruleset& rs);

// "sha256:1a2b3c4d…" shortened to its first 12 hex digits, for tables.
std::string short_hash(const std::string& hash);

}  // namespace tr
