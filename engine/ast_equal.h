// Structural equality of parsed files: the same declarations, names, labels, numbers
// and expression trees, ignoring spans, comments and everything the checker fills.
// `fmt` uses it to prove it changed layout only; tests use it on parse round trips.
#pragma once

#include "ast.h"

#include <string>

namespace tr {

// True when the two files say the same thing. On a difference, `why` (when given)
// names the first one found, e.g. "decls[3] (metric attendance): better differs".
bool ast_equal(const File& a, const File& b, std::string* why = nullptr);
bool ast_equal(const Expr& a, const Expr& b, std::string* why = nullptr);

}  // namespace tr
