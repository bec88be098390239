// The parser on expressions and on text as it comes: precedence, units, spans in
// characters, wrapping, comments, CRLF, BOM, and every example in the docs.
#include "parse_state.h"
#include "parser_test_util.h"

#include <filesystem>
#include <fstream>
#include <random>

using namespace tr;
using namespace tr::parser_testing;

TEST_CASE("expression precedence", "[parser]") {
  CHECK(ex("a or b and not c is d + e * -f.g") == "(or a (and b (not (= c (+ d (* e (neg f.g)))))))");
  CHECK(ex("a - b - c") == "(- (- a b) c)");
  CHECK(ex("a / b * c") == "(* (/ a b) c)");
  CHECK(ex("(a + b) * c") == "(* (+ a b) c)");
  CHECK(ex("not not a") == "(not (not a))");
  CHECK(ex("a and b or c and d") == "(or (and a b) (and c d))");
  CHECK(ex("x between 90% and 95% and y") == "(and (between x 90% 95%) y)");
  CHECK(ex("teaching in [good, outstanding]") == "(in teaching good outstanding)");
  CHECK(ex("phase in [\"primary\", \"middle deemed primary\",]") == "(in phase \"primary\" \"middle deemed primary\")");
  CHECK(ex("phase in []") == "(in phase)");
  CHECK(ex("if year <= 2016-17 then a else b + 1") == "(if (<= year Y2016) a (+ b 1))");
  CHECK(ex("count_of(a, b, c) >= 2") == "(>= (count_of: a b c) 2)");
  CHECK(ex("f()") == "(f:)");
  CHECK(ex("national(rwm_expected.disadvantaged)") == "(national: rwm_expected.disadvantaged)");
  CHECK(ex("read_progress.disadvantaged.upper") == "read_progress.disadvantaged.upper");
  CHECK(ex("every_year(rwm_expected < 85%, 3)") == "(every_year: (< rwm_expected 85%) 3)");
  CHECK(ex("-(a)") == "(neg a)");
  CHECK(ex("- 2") == "(neg 2)");
  CHECK(ex("-2.5") == "-2.5");
  CHECK(ex("a -2") == "(- a 2)");
  CHECK(ex("\"text\"") == "\"text\"");
}

TEST_CASE("readable comparisons keep their words", "[parser]") {
  struct Case {
    const char* text;
    Op op;
    const char* written;
  };
  for (auto c : {Case{"a is b", Op::Eq, "is"}, Case{"a is not b", Op::Ne, "is not"},
                 Case{"a at least b", Op::Ge, "at least"}, Case{"a at  most b", Op::Le, "at most"},
                 Case{"a above b", Op::Gt, "above"}, Case{"a below b", Op::Lt, "below"}, Case{"a = b", Op::Eq, "="},
                 Case{"a != b", Op::Ne, "!="}, Case{"a < b", Op::Lt, "<"}, Case{"a <= b", Op::Le, "<="},
                 Case{"a > b", Op::Gt, ">"}, Case{"a >= b", Op::Ge, ">="}}) {
    auto p = parse(std::string("define x = ") + c.text + "\n");
    const Expr& e = body(*p);
    CHECK(e.kind == ExprKind::Binary);
    CHECK(e.op == c.op);
    CHECK(e.written == c.written);
  }
  auto p = parse("define x = a + b and c or d\n");
  CHECK(body(*p).written == "or");
}

TEST_CASE("years, terms and numbers with units", "[parser]") {
  CHECK(ex("2018-19") == "Y2018");
  CHECK(ex("2018-2019") == "Y2018");
  CHECK(ex("2019-20 autumn") == "Y2019t1");
  CHECK(ex("2019-20 spring") == "Y2019t2");
  CHECK(ex("2019-20  summer") == "Y2019t3");
  CHECK(ex("2018 - 19") == "(- 2018 19)");
  CHECK(ex("65%") == "65%");
  CHECK(ex("65 %") == "65%");
  CHECK(ex("2 points") == "2pt");
  CHECK(ex("1 point") == "1pt");
  CHECK(ex("3 years") == "3y");
  CHECK(ex("1 year") == "1y");
  CHECK(ex("2 terms + 1 term") == "(+ 2t 1t)");
  CHECK(ex("4 weeks") == "4w");
  CHECK(ex("1 week") == "1w");
  CHECK(ex("0.25") == "0.25");
  CHECK(ex("change(attendance, 3 years)") == "(change: attendance 3y)");
  auto p = parse("define x = 2019-20 autumn\n");
  CHECK(at(body(*p).span) == "1:12-1:26");
  auto q = parse("define x = 2 points\n");
  CHECK(at(body(*q).span) == "1:12-1:20");
  auto r = parse("define x = 2018-20\n");
  CHECK_FALSE(r->diags.all().empty());
}

TEST_CASE("expression spans", "[parser]") {
  auto p = parse("define x = (a + b) * national(c)\n");
  const Expr& e = body(*p);
  CHECK(at(e.span) == "1:12-1:33");
  CHECK(at(e.args[0]->span) == "1:12-1:19");
  CHECK(at(e.args[0]->args[0]->span) == "1:13-1:14");
  CHECK(at(e.args[1]->span) == "1:22-1:33");
  CHECK(at(e.args[1]->args[0]->span) == "1:31-1:32");
  auto q = parse("define x = a.b in [c]\n");
  CHECK(at(body(*q).span) == "1:12-1:22");
  CHECK(at(body(*q).args[0]->span) == "1:12-1:15");
  auto r = parse("define x = not a between 1 and 2\n");
  CHECK(at(body(*r).span) == "1:12-1:33");
  CHECK(at(body(*r).args[0]->span) == "1:16-1:33");
  auto s = parse("define x = if a then b else c\n");
  CHECK(at(body(*s).span) == "1:12-1:30");
  auto t = parse("define x = -2\n");
  CHECK(at(body(*t).span) == "1:12-1:14");
}

TEST_CASE("long expressions wrap after operators, inside brackets and after ':'", "[parser]") {
  auto p = parse(
      "define x = a and\n"
      "  b or\n"
      "  c\n"
      "define y = f(a,\n"
      "  b\n"
      "  , c) + (d\n"
      "  + e)\n"
      "define z = p in [\n"
      "  good,   # the usual\n"
      "  outstanding\n"
      "]\n");
  INFO(p->errors());
  REQUIRE(p->ok);
  REQUIRE(p->file.decls.size() == 3);
  CHECK(sx(*std::get<Define>(p->file.decls[0]).body) == "(or (and a b) c)");
  CHECK(sx(*std::get<Define>(p->file.decls[1]).body) == "(+ (f: a b c) (+ d e))");
  CHECK(sx(*std::get<Define>(p->file.decls[2]).body) == "(in p good outstanding)");
  CHECK(at(std::get<Define>(p->file.decls[0]).body->span) == "1:12-3:4");
  // A newline before an operator ends the item.
  auto q = parse("define x = a\n+ b\n");
  CHECK_FALSE(q->ok);
}

TEST_CASE("comments are collected with their place", "[parser]") {
  auto p = parse(
      "# A trust's rules\n"
      "metric a \"A # not a comment\" {  # trailing\n"
      "  type percent\n"
      "  # inside\n"
      "}\n"
      "define x = \"\\\"#\" # after an escaped quote\n"
      "#");
  INFO(p->errors());
  REQUIRE(p->ok);
  REQUIRE(p->file.comments.size() == 5);
  CHECK(p->file.comments[0].text == "# A trust's rules");
  CHECK_FALSE(p->file.comments[0].trailing);
  CHECK(at(p->file.comments[0].span) == "1:1-1:18");
  CHECK(p->file.comments[1].text == "# trailing");
  CHECK(p->file.comments[1].trailing);
  CHECK(at(p->file.comments[1].span) == "2:33-2:43");
  CHECK(p->file.comments[2].text == "# inside");
  CHECK_FALSE(p->file.comments[2].trailing);
  CHECK(p->file.comments[3].text == "# after an escaped quote");
  CHECK(p->file.comments[3].trailing);
  CHECK(p->file.comments[4].text == "#");
}

TEST_CASE("Unicode labels give character columns", "[parser]") {
  auto p = parse(
      "tiers {\n"
      "  tier 1 \"Lead – “best” ’n’ all\" {\n"
      "    descriptor \"Attendance – close to national ‘really’\": attendance above 95%\n"
      "  }\n"
      "}\n");
  const auto& t = only<Tiers>(*p);
  CHECK(t.tiers[0].label == "Lead – “best” ’n’ all");
  const auto& d = t.tiers[0].descriptors.at(0);
  CHECK(d.label == "Attendance – close to national ‘really’");
  CHECK(at(d.expr->span) == "3:59-3:79");
  CHECK(at(d.expr->args[1]->span) == "3:76-3:79");
}

TEST_CASE("CRLF line endings, a byte order mark and tabs", "[parser]") {
  std::string unix_text =
      "ruleset \"T\"\n"
      "metric a \"A\" {\n"
      "\ttype percent   # note\n"
      "}\n"
      "define x = a and\n"
      "\tb\n";
  std::string dos;
  for (char c : unix_text) {
    if (c == '\n') dos += '\r';
    dos += c;
  }
  auto u = parse(unix_text);
  auto d = parse("\xEF\xBB\xBF" + dos);
  INFO(d->errors());
  REQUIRE(u->ok);
  REQUIRE(d->ok);
  REQUIRE(d->file.decls.size() == 2);
  const auto& m = std::get<Metric>(d->file.decls[0]);
  CHECK(at(m.item_spans[0]) == "3:2-3:14");
  CHECK(at(std::get<Define>(d->file.decls[1]).body->span) == "5:12-6:3");
  CHECK(at(d->file.header->span) == "1:1-1:12");
  REQUIRE(d->file.comments.size() == 1);
  CHECK(d->file.comments[0].text == "# note");
  CHECK(at(d->file.comments[0].span) == "3:17-3:23");
  CHECK(at(d->file.comments[0].span) == at(u->file.comments[0].span));
}

TEST_CASE("every example in docs/language.md parses", "[parser]") {
  std::ifstream in(std::string(TRUSTRULES_SOURCE_DIR) + "/docs/language.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  int blocks = 0;
  for (size_t p = doc.find("```\n"); p != std::string::npos; p = doc.find("```\n", p)) {
    size_t b = p + 4;
    size_t e = doc.find("```", b);
    REQUIRE(e != std::string::npos);
    std::string block = doc.substr(b, e - b);
    p = e + 4;
    // Placeholders: `{ … }` is an empty block, a line of `…` stands for omitted items.
    std::string text;
    std::istringstream lines(block);
    for (std::string line; std::getline(lines, line);) {
      if (line.find_first_not_of(' ') != std::string::npos && line.substr(line.find_first_not_of(' ')) == "…")
        continue;
      for (size_t k; (k = line.find("{ … }")) != std::string::npos;) line.replace(k, 7, "{ }");
      text += line + "\n";
    }
    ++blocks;
    auto parsed = parse(text);
    INFO("block " << blocks << ":\n" << text << "\n" << parsed->errors());
    CHECK(parsed->ok);
    CHECK(parsed->diags.all().empty());
    CHECK_FALSE(parsed->file.decls.empty());
  }
  CHECK(blocks >= 12);
}

TEST_CASE("every shipped rules file parses", "[parser]") {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(std::string(TRUSTRULES_SOURCE_DIR) + "/rules")) {
    if (e.path().extension() != ".rules") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto p = parse(ss.str());
    INFO(e.path().string() << "\n" << p->errors());
    CHECK(p->ok);
    ++files;
  }
  CHECK(files > 0);
}

TEST_CASE("the parser's positions agree with SourceFiles::pos", "[parser]") {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {"a", " ", "\t", "\n", "\r\n", "–", "“", "é", "\xF0\x9F\x98\x80", "xyz"};
  for (int round = 0; round < 50; ++round) {
    std::string text = round % 2 ? "\xEF\xBB\xBF" : "";
    size_t n = rng() % 400;
    for (size_t i = 0; i < n; ++i) text += pieces[rng() % (round % 3 ? pieces.size() : 3)];
    SourceFiles files;
    uint32_t id = files.add("p.rules", text);
    File f;
    Diagnostics d;
    Builder b(files, id, f, d);
    for (size_t off = 0; off <= text.size(); ++off) {
      Pos x = b.pos(files.text(id).data() + off), y = files.pos(id, off);
      if (off >= 3 || !(round % 2)) {
        INFO(round << " " << off);
        REQUIRE(x.line == y.line);
        REQUIRE(x.col == y.col);
      }
    }
  }
}

TEST_CASE("a file that is one enormous line parses in linear time", "[parser]") {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "define x" + std::to_string(i) + " = a + 1; ";
  auto p = parse(text);
  REQUIRE(p->ok);
  CHECK(p->file.decls.size() == 10000);
  const auto& last = std::get<Define>(p->file.decls.back());
  CHECK(last.span.begin.line == 1);
  CHECK(last.span.begin.col == text.size() - std::string("define x9999 = a + 1; ").size() + 1);
}
