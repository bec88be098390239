// The trustrules grammar (PEGTL 3). docs/language.md is the specification;
// engine/parser.cc attaches the actions that build the AST of engine/ast.h.
#pragma once

#include "decls.hpp"

namespace tr::grammar {

struct decl : sor<header, include_decl, use_decl, scale_decl, metric_decl, source_decl, benchmark_decl,
                  param_decl, define_decl, rule_decl, tiers_decl, kpi_decl, test_decl> {};
struct decl_end : eoi {};
struct file_end : eof {};
// A whole file, or the rest of one after error recovery resumed at a declaration.
struct file : seq<opt<pg::utf8::bom>, bws, star<decl, must<decl_end>, bws>, must<file_end>> {};

}  // namespace tr::grammar
