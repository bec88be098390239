// The JSON report's strings: plain ASCII goes out as it is, anything else is
// escaped (or its broken UTF-8 repaired) wherever in the string it falls.
#include "report.h"

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

using namespace tr;

namespace {

// A result of one school named `name`, read back from both JSON layouts.
std::string name_read_back(const std::string& name, bool compact) {
  EvaluationResult r;
  r.schools.resize(1);
  r.schools[0].urn = "100001";
  r.schools[0].name = name;
  nlohmann::json j = nlohmann::json::parse(report_json(r, JsonOptions{compact, 1}));
  return j["schools"][0]["name"].get<std::string>();
}

}  // namespace

TEST_CASE("JSON strings: escapes at every position of the eight-byte scan", "[report][json]") {
  // The writer tests eight bytes at a time, then the tail: a byte that needs
  // escaping must be found in the first word, a later word and the tail.
  const std::string base = "Meridian Primary Academy, Hampshire";  // 35 bytes: 4 words and a tail of 3
  for (char special : {'"', '\\', '\n', '\t', '\x01', '\x1f'}) {
    for (size_t at = 0; at < base.size(); ++at) {
      std::string name = base;
      name[at] = special;
      INFO("byte " << static_cast<int>(special) << " at " << at);
      CHECK(name_read_back(name, true) == name);
      CHECK(name_read_back(name, false) == name);
    }
  }
  // Bytes just outside the ranges that need care go out as they are.
  const std::string plain = " !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}~";
  CHECK(name_read_back(plain, true) == plain);
  EvaluationResult r;
  r.schools.resize(1);
  r.schools[0].name = plain;
  CHECK(report_json(r, JsonOptions{true, 1}).find("\"" + plain + "\"") != std::string::npos);
}

TEST_CASE("JSON strings: UTF-8 kept, broken UTF-8 replaced, anywhere in the string", "[report][json]") {
  const std::string apostrophe = "St Mary\xE2\x80\x99s Church of England Primary School";  // U+2019
  CHECK(name_read_back(apostrophe, true) == apostrophe);
  for (size_t at : {0u, 7u, 8u, 20u, 41u}) {
    std::string name(42, 'a');
    name[at] = '\xFF';  // never valid in UTF-8
    std::string expected = name;
    expected.replace(at, 1, "\xEF\xBF\xBD");  // U+FFFD
    INFO("at " << at);
    CHECK(name_read_back(name, true) == expected);
  }
}
