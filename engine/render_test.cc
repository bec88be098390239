// The board paper names every tier, descriptor and support item of the shipped
// trust rules, in Markdown and in HTML, and the HTML fetches nothing.
#include "render.h"

#include "checker.h"
#include "html_style.h"

#include <catch2/catch.hpp>

using namespace tr;

TEST_CASE("render: md and html name every tier, descriptor and support item") {
  Diagnostics d;
  auto rs = load_and_check(std::string(TRUSTRULES_SOURCE_DIR) + "/rules/trust.rules", d);
  REQUIRE(rs);
  REQUIRE_FALSE(d.has_errors());
  REQUIRE(rs->tiers);
  RenderMeta meta{"sha256:abc", "DRAFT — not approved", false};
  std::string md = render_markdown(*rs, meta);
  std::string html = render_html(*rs, meta);
  CHECK(md.find("DRAFT — not approved") != std::string::npos);
  CHECK(html.find("DRAFT — not approved") != std::string::npos);
  for (const Tier& t : rs->tiers->tiers) {
    INFO("tier " << t.number << " " << t.label);
    CHECK(md.find(t.label) != std::string::npos);
    CHECK(html.find(html_escape(t.label)) != std::string::npos);
    for (const Descriptor& x : t.descriptors) {
      INFO(x.label);
      CHECK(md.find(x.label) != std::string::npos);
      CHECK(html.find(html_escape(x.label)) != std::string::npos);
    }
    for (const Support& s : t.support) {
      INFO(s.label);
      CHECK(md.find(s.label) != std::string::npos);
      CHECK(html.find(html_escape(s.label)) != std::string::npos);
    }
  }
  for (const Rule* r : rs->rules) CHECK(md.find(r->label) != std::string::npos);
  // Self-contained: nothing is fetched when the paper is opened.
  for (const char* ref : {"http://", "https://", "src=", "<link", "<script", "@import", "url("})
    CHECK(html.find(ref) == std::string::npos);
}
