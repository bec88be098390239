// Robustness: no input crashes or hangs the parser. Every prefix of a
// realistic rules text, random bytes, and mutations of valid text must end in
// either a clean parse or reported errors.
#include "parser.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

using namespace tr;

namespace {

// The code blocks of docs/language.md, placeholders removed.
std::vector<std::string> doc_examples() {
  std::ifstream in(std::string(TRUSTRULES_SOURCE_DIR) + "/docs/language.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  std::vector<std::string> out;
  for (size_t p = doc.find("```\n"); p != std::string::npos; p = doc.find("```\n", p)) {
    size_t e = doc.find("```", p + 4);
    if (e == std::string::npos) break;
    std::string block = doc.substr(p + 4, e - p - 4);
    for (size_t k; (k = block.find("…")) != std::string::npos;) block.replace(k, 3, "");
    out.push_back(block);
    p = e + 4;
  }
  return out;
}

// Parses and checks the invariant: success means no errors; failure means at least one.
void parse_ok_or_errors(const std::string& text) {
  SourceFiles files;
  Diagnostics diags;
  File file;
  bool ok = parse_text(files, "f.rules", text, file, diags);
  REQUIRE(ok == !diags.has_errors());
  for (const auto& d : diags.all()) {
    REQUIRE(d.span.begin.line >= 1);
    REQUIRE(d.span.begin.col >= 1);
    (void)render_diagnostic(files, d);
  }
}

}  // namespace

TEST_CASE("special inputs", "[parser][fuzz]") {
  for (std::string s : {std::string(), std::string("\xEF\xBB\xBF"), std::string("\""), std::string("\n\n\n"),
                        std::string("#"), std::string("\r"), std::string("\r\n"), std::string(1, '\0'),
                        std::string("metric"), std::string("metric a \"A\" {"), std::string("{{{{"),
                        std::string("define x = \"abc"), std::string("define x = 2018-"),
                        std::string("\t\t\tmetric\ta\t\"A\"\t{\ttype\tpercent\t}")}) {
    INFO(s);
    parse_ok_or_errors(s);
  }
}

TEST_CASE("every prefix of the language examples", "[parser][fuzz]") {
  // Each example cut at every byte: a truncated file must never crash or hang.
  // Cutting each block rather than their concatenation keeps this quick while
  // still stopping the parser at every point of every construct.
  auto blocks = doc_examples();
  REQUIRE(blocks.size() >= 12);
  std::string all;
  for (const auto& b : blocks) {
    for (size_t n = 0; n <= b.size(); ++n) parse_ok_or_errors(b.substr(0, n));
    all += b + "\n";
  }
  parse_ok_or_errors(all);
}

TEST_CASE("random bytes and mutations", "[parser][fuzz]") {
  std::mt19937 rng(20250101);
  auto blocks = doc_examples();
  const std::string alphabet = "ab _-+*/<>=!()[]{},.:;\"\\#%\n\t\r0123456789 andornotisin\xE2\x80\x93\xFF";
  for (int i = 0; i < 300; ++i) {
    std::string junk(rng() % 300, '\0');
    for (auto& c : junk) c = static_cast<char>(rng() % 256);
    parse_ok_or_errors(junk);
    std::string words(rng() % 300, '\0');
    for (auto& c : words) c = alphabet[rng() % alphabet.size()];
    parse_ok_or_errors(words);
    std::string mutated = blocks[rng() % blocks.size()];
    for (int k = 0; k < 3; ++k) {
      size_t at = rng() % (mutated.size() + 1);
      switch (rng() % 3) {
        case 0: mutated.erase(std::min(at, mutated.size()), 1 + rng() % 8); break;
        case 1: mutated.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default:
          if (at < mutated.size()) mutated[at] = static_cast<char>(rng() % 256);
          break;
      }
    }
    parse_ok_or_errors(mutated);
  }
}
