// The inline SVG charts: axes from round numbers, gaps where a value is
// missing, text alternatives, and nothing that points outside the document.
#include "svg_chart.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>

using namespace tr;

namespace {

int count(const std::string& s, const std::string& needle) {
  int n = 0;
  for (size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + 1)) ++n;
  return n;
}

LineChart attendance() {
  LineChart c;
  c.id = "c1";
  c.title = "Attendance <year to date>";
  c.desc = "Attendance: 2023-24 autumn 95%, …";
  c.unit = "%";
  c.ticks = {{"Aut", "2023-24"}, {"Spr", "2023-24"}, {"Sum", "2023-24"}, {"Aut", "2024-25"}};
  c.series = {{"This school", {95.1, 94.2, std::nullopt, 96.0}, false}, {"National", {94.0, 93.9, 94.1, 94.4}, true}};
  return c;
}

}  // namespace

TEST_CASE("nice_ticks covers the range with round steps", "[html]") {
  CHECK(nice_ticks(93.2, 96.9) == std::vector<double>{93, 94, 95, 96, 97});
  CHECK(nice_ticks(0, 10) == std::vector<double>{0, 2.5, 5, 7.5, 10});
  CHECK(nice_ticks(-0.52, 0.06).front() <= -0.52);
  CHECK(nice_ticks(-0.52, 0.06).back() >= 0.06);
  std::vector<double> one = nice_ticks(5, 5);  // a single value still gets an axis
  CHECK(one.front() < 5);
  CHECK(one.back() > 5);
}

TEST_CASE("a line chart has its text alternative and breaks at missing values", "[html]") {
  std::string svg = svg_line_chart(attendance());
  REQUIRE(!svg.empty());
  CHECK(svg.rfind("<svg viewBox=", 0) == 0);
  CHECK(svg.find("role=\"img\" aria-labelledby=\"c1-t c1-d\"") != std::string::npos);
  CHECK(svg.find("<title id=\"c1-t\">Attendance &lt;year to date&gt;</title>") != std::string::npos);
  CHECK(svg.find("<desc id=\"c1-d\">Attendance: 2023-24 autumn 95%, …</desc>") != std::string::npos);
  // The school's line breaks at the missing term: two pieces, one a single point
  // (drawn as a marker only), so one polyline; the national line is whole.
  CHECK(count(svg, "<polyline") == 2);
  CHECK(count(svg, "stroke-dasharray=\"5 3\"") == 2);  // the national line and its legend sample
  CHECK(count(svg, "<circle") == 3 + 1);                // three school points, one in the legend
  CHECK(svg.find(">96%</text>") != std::string::npos);  // y labels with the unit
  CHECK(count(svg, ">2023-24</text>") == 1);            // one label per run of a year's terms
  CHECK(svg.find("url(") == std::string::npos);
  CHECK(svg.find("href") == std::string::npos);
}

TEST_CASE("a line chart with nothing to plot is empty", "[html]") {
  LineChart c = attendance();
  for (auto& s : c.series)
    for (auto& y : s.y) y.reset();
  CHECK(svg_line_chart(c).empty());
}

TEST_CASE("a bar chart labels every bar with its value", "[html]") {
  BarChart b;
  b.id = "tiers";
  b.title = "Schools per tier";
  b.desc = "Tier 1: 2 schools; Tier 2: 0 schools";
  b.bars = {{"Tier 1 Lead & Learn", 2, "2 schools"}, {"Tier 2 Grow", 0, "0 schools"}};
  std::string svg = svg_bar_chart(b);
  CHECK(svg.find(">Tier 1 Lead &amp; Learn</text>") != std::string::npos);
  CHECK(svg.find(">2 schools</text>") != std::string::npos);
  CHECK(svg.find(">0 schools</text>") != std::string::npos);
  CHECK(count(svg, "<rect") == 1);  // no bar for zero
  CHECK(svg.find("<desc id=\"tiers-d\">") != std::string::npos);
}

TEST_CASE("put_coordinate writes what printf's %.1f writes", "[html]") {
  // Random coordinates, values on and beside every tie (x.x5), huge and tiny
  // numbers and random bit patterns: the fast path must round as the exact
  // binary value does, and hand ties it cannot decide to the exact conversion.
  std::mt19937_64 rng(20261203);
  std::uniform_real_distribution<double> coord(-2000, 2000);
  std::uniform_int_distribution<long> hundredths(-2000000, 2000000);
  auto expect = [](double v) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.1f", std::abs(v) < 0.05 ? 0.0 : v);
    return std::string(buf);
  };
  long checked = 0, mismatched = 0;
  auto check = [&](double v) {
    if (!std::isfinite(v)) return;
    std::string got = "x";
    put_coordinate(got, v);
    ++checked;
    if (got != "x" + expect(v) && ++mismatched <= 5) FAIL_CHECK(v << ": " << got.substr(1) << " against " << expect(v));
  };
  for (int i = 0; i < 300000; ++i) {
    check(coord(rng));
    double tie = static_cast<double>(hundredths(rng)) / 100.0 + 0.005 * (i % 2 ? 1 : -1);
    check(tie);
    check(std::nextafter(tie, 1e300));
    check(std::nextafter(tie, -1e300));
    uint64_t bits = rng();
    double any;
    std::memcpy(&any, &bits, sizeof any);
    check(any);
  }
  for (double v : {0.0, -0.0, 0.05, -0.05, 0.049999, -0.049999, 0.25, 0.35, -0.45, 99999999.95, 1e8, 1e9, 1e15, -1e300, 5e-324})
    check(v);
  CHECK(mismatched == 0);
  CHECK(checked > 1000000);
}
