// The front end: one .rules file's text to the AST of ast.h.
#pragma once

#include "ast.h"
#include "diagnostics.h"

namespace tr {

// Parses file `file_id` of `files` into `out` (out.id and out.path are set).
// Every syntax error goes to `diags` with its position; after an error the
// parser resumes at the next line that starts a declaration, so one run
// reports several errors. Declarations before and after an error are kept.
// All comments land in out.comments whether or not the parse succeeds.
// Returns false when a syntax error was reported.
//
// Conventions the later phases rely on:
//  - `-2.5` is a Number with a negative value; `-x` is Unary Neg.
//  - A parenthesized expression's span includes its brackets.
//  - `expect EXPR = VALUE`: Expect::value holds the whole comparison (args[0]
//    the computed side, args[1] the expected value); Expect::rule names
//    args[0] when it is an identifier or a call.
//  - A given test value written in capitals (`SUPP`) is a missing-value code:
//    GivenValue::code is set and value is null.
//  - `blank` in a `missing` block is the code "".
bool parse_file(SourceFiles& files, uint32_t file_id, File& out, Diagnostics& diags);

// Parses text as a file of its own (registers it in `files` under `path`).
bool parse_text(SourceFiles& files, std::string path, std::string text, File& out, Diagnostics& diags);

}  // namespace tr
