// Helpers shared by the parser tests: parse a text, render expressions compactly.
#pragma once

#include "parser.h"

#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>

namespace tr::parser_testing {

struct Parsed {
  SourceFiles files;
  Diagnostics diags;
  File file;
  bool ok = false;
  std::string errors() const { return diags.render(files); }
};

inline std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->ok = parse_text(p->files, "t.rules", std::move(text), p->file, p->diags);
  return p;
}

// Parses text that must be valid and returns the only declaration of type D.
template <class D> const D& only(const Parsed& p) {
  INFO(p.errors());
  REQUIRE(p.ok);
  REQUIRE(p.file.decls.size() == 1);
  REQUIRE(std::holds_alternative<D>(p.file.decls[0]));
  return std::get<D>(p.file.decls[0]);
}

inline const char* op_name(Op op) {
  switch (op) {
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Neg: return "neg";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Not: return "not";
    case Op::Eq: return "=";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
  }
  return "?";
}

inline const char* unit_name(Unit u) {
  switch (u) {
    case Unit::None: return "";
    case Unit::Percent: return "%";
    case Unit::Points: return "pt";
    case Unit::Years: return "y";
    case Unit::Terms: return "t";
    case Unit::Weeks: return "w";
  }
  return "?";
}

// A compact, fully bracketed rendering of an expression tree.
inline std::string sx(const Expr& e) {
  std::ostringstream o;
  auto args = [&](size_t from) {
    for (size_t i = from; i < e.args.size(); ++i) o << ' ' << sx(*e.args[i]);
  };
  switch (e.kind) {
    case ExprKind::Number: o << e.number << unit_name(e.unit); break;
    case ExprKind::String: o << '"' << e.text << '"'; break;
    case ExprKind::Year:
      o << "Y" << e.number;
      if (e.term) o << "t" << int(e.term);
      break;
    case ExprKind::Ident: o << e.text; break;
    case ExprKind::Member: o << sx(*e.args[0]) << '.' << e.text; break;
    case ExprKind::Call: o << '(' << e.text << ':'; args(0); o << ')'; break;
    case ExprKind::Unary: o << '(' << op_name(e.op) << ' ' << sx(*e.args[0]) << ')'; break;
    case ExprKind::Binary: o << '(' << op_name(e.op) << ' ' << sx(*e.args[0]) << ' ' << sx(*e.args[1]) << ')'; break;
    case ExprKind::Between: o << "(between"; args(0); o << ')'; break;
    case ExprKind::In: o << "(in"; args(0); o << ')'; break;
    case ExprKind::If: o << "(if"; args(0); o << ')'; break;
  }
  return o.str();
}

// Parses `define x = EXPR` and returns the body's rendering.
inline std::string ex(const std::string& text) {
  auto p = parse("define x = " + text + "\n");
  INFO(text << "\n" << p->errors());
  REQUIRE(p->ok);
  return sx(*std::get<Define>(p->file.decls.at(0)).body);
}

inline const Expr& body(const Parsed& p) { return *only<Define>(p).body; }

inline std::string at(const Span& s) {
  return std::to_string(s.begin.line) + ":" + std::to_string(s.begin.col) + "-" + std::to_string(s.end.line) + ":" +
         std::to_string(s.end.col);
}

}  // namespace tr::parser_testing
