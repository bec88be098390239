// Small inline SVG charts for the HTML report: a line chart (a school's termly
// measure against the national line) and a horizontal bar chart (schools per
// tier). Plain SVG 1.1 — no scripts, no external references, no url(#…) paint —
// with <title> and <desc> as the text alternative, and lines told apart by
// dash and marker shape as well as colour, so they survive a greyscale print.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tr {

struct ChartSeries {
  std::string name;                       // the legend entry: "School", "National"
  std::vector<std::optional<double>> y;   // one per tick; nullopt = no value (the line breaks)
  bool dashed = false;                    // comparators: dashed line, hollow square markers
};

struct ChartTick {
  std::string label;  // under the tick: "Aut"
  std::string group;  // a second line, centred under a run of equal groups: "2023-24"
};

struct LineChart {
  std::string id;     // unique in the document (for aria-labelledby)
  std::string title;  // <title>, also drawn above the plot
  std::string desc;   // <desc>: every value in words, for screen readers
  std::string unit;   // appended to y tick labels: "%"; "" for none
  std::vector<ChartTick> ticks;
  std::vector<ChartSeries> series;
};

// An empty string when there is nothing to plot (no series with a value).
std::string svg_line_chart(const LineChart& c);

struct Bar {
  std::string label;       // left of the bar: "Tier 3 Reinvent"
  double value = 0;
  std::string value_text;  // right of the bar: "2 schools"
};

struct BarChart {
  std::string id, title, desc;
  std::vector<Bar> bars;  // drawn top to bottom, shaded light to dark
};

std::string svg_bar_chart(const BarChart& c);

// Appends v as printf's "%.1f" writes it, but with 0.0 for |v| < 0.05 (no
// "-0.0"): a chart's coordinates. Exposed for tests.
void put_coordinate(std::string& out, double v);

// Tick values for an axis from lo to hi: about `target` round numbers (steps of
// 1, 2, 2.5 or 5 times a power of ten) covering the range. Exposed for tests.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

}  // namespace tr
