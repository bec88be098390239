// The shared HTML shell: escaping (every string from rules or data passes
// through it) and the page a report or board paper is wrapped in.
#include "html_style.h"

#include <catch2/catch.hpp>

using namespace tr;

TEST_CASE("html_escape escapes markup and keeps Unicode", "[html]") {
  CHECK(html_escape("Tom & Jerry's <b>\"Academy\"</b>") ==
        "Tom &amp; Jerry&#39;s &lt;b&gt;&quot;Academy&quot;&lt;/b&gt;");
  CHECK(html_escape("Attendance – close to ‘national’ “yes” ✔") == "Attendance – close to ‘national’ “yes” ✔");
  CHECK(html_escape("") == "");
  CHECK(html_escape("𝔘nicode ok") == "𝔘nicode ok");  // 4-byte sequences pass
}

TEST_CASE("html_escape replaces bytes that are not UTF-8", "[html]") {
  CHECK(html_escape("caf\xE9 au lait") == "caf\xEF\xBF\xBD au lait");  // a Latin-1 é
  CHECK(html_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");        // overlong '/'
  CHECK(html_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(html_escape("end\xE2\x80") == "end\xEF\xBF\xBD\xEF\xBF\xBD");  // cut short
}

TEST_CASE("html_page is a whole self-contained document", "[html]") {
  std::string page = html_page("Board <paper> & “criteria”", "<h1>Hello</h1>", "Trust \"A\" </style> \\ footer");
  CHECK(page.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(page.find("<title>Board &lt;paper&gt; &amp; “criteria”</title>") != std::string::npos);
  CHECK(page.find("<main>\n<h1>Hello</h1>\n</main>") != std::string::npos);
  CHECK(page.find("size: A4") != std::string::npos);
  CHECK(page.find("counter(page)") != std::string::npos);
  // The footer sits in a CSS string inside <style>: nothing in it may end either early.
  size_t style_end = page.find("</style>");
  REQUIRE(style_end != std::string::npos);
  CHECK(page.find("</style>", style_end + 1) == std::string::npos);
  CHECK(page.find("Trust \\22 A\\22  \\3C /style\\3E  \\5C  footer") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
  // No footer, no footer box.
  CHECK(html_page("t", "b").find("@bottom-left") == std::string::npos);
}

TEST_CASE("a status reads without colour", "[html]") {
  CHECK(html_status(Status::Met).find("✔</span> met") != std::string::npos);
  CHECK(html_status(Status::NotMet).find("✘</span> not met") != std::string::npos);
  CHECK(html_status(Status::Unknown).find("?</span> unknown") != std::string::npos);
  CHECK(html_status(Status::NotApplicable).find("–</span> not applicable") != std::string::npos);
  CHECK(html_status(Status::NotMet).find("class=\"status not-met\"") != std::string::npos);
}

TEST_CASE("html_escape_to appends, and escapes at every position of a run", "[html]") {
  std::string out = "<p>";
  html_escape_to(out, "a&b");
  CHECK(out == "<p>a&amp;b");
  // Each special byte, and an invalid one, at the start, the middle and the end
  // of plain and UTF-8 text: the runs before and after it are copied whole.
  const std::pair<std::string, std::string> specials[] = {
      {"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&#39;"}, {"\xFF", "\xEF\xBF\xBD"}};
  for (const auto& [raw, escaped] : specials)
    for (const std::string& text : {std::string("plain words"), std::string("caf\xC3\xA9 \xE2\x80\x93 \xF0\x9D\x94\x98")})
      for (size_t at = 0; at <= text.size(); ++at) {
        if (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) continue;  // inside a character
        std::string in = text.substr(0, at) + raw + text.substr(at);
        std::string want = text.substr(0, at) + escaped + text.substr(at);
        CAPTURE(in);
        CHECK(html_escape(in) == want);
        std::string appended = "x";
        html_escape_to(appended, in);
        CHECK(appended == "x" + want);
      }
}
