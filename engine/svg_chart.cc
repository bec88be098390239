// Inline SVG charts (see svg_chart.h). Coordinates are written with one decimal
// so the same data always gives the same bytes.
#include "svg_chart.h"

#include "html_style.h"
#include "value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace tr {

namespace {

// A chart is appended piece by piece (put, html_style.h): a trust's report draws
// hundreds of charts.
struct F1 {  // a coordinate (put_coordinate)
  double v;
};
void put1(std::string& out, F1 x) { put_coordinate(out, x.v); }

// How each series is drawn, by position: colour, dash and marker all differ,
// so the lines stay apart in greyscale and for readers who cannot tell hues.
struct Look {
  const char* color;
  const char* dash;  // "" = solid
  char marker;       // 'o' filled circle, 's' hollow square, '^' filled triangle, 'd' hollow diamond
};
constexpr Look kSolid[] = {{"#1f4e79", "", 'o'}, {"#8a3b00", "", '^'}};
constexpr Look kDashed[] = {{"#555555", "5 3", 's'}, {"#777777", "2 2", 'd'}};

void marker(std::string& out, char kind, double x, double y, const char* color) {
  switch (kind) {
    case 's':
      put(out, "<rect x=\"", F1{x - 2.6}, "\" y=\"", F1{y - 2.6}, "\" width=\"5.2\" height=\"5.2\" fill=\"#fff\" stroke=\"",
          color, "\" stroke-width=\"1.3\"/>");
      return;
    case '^':
      put(out, "<path d=\"M", F1{x}, " ", F1{y - 3.4}, " L", F1{x + 3.2}, " ", F1{y + 2.4}, " L", F1{x - 3.2}, " ",
          F1{y + 2.4}, " Z\" fill=\"", color, "\"/>");
      return;
    case 'd':
      put(out, "<path d=\"M", F1{x}, " ", F1{y - 3.4}, " L", F1{x + 3.4}, " ", F1{y}, " L", F1{x}, " ", F1{y + 3.4}, " L",
          F1{x - 3.4}, " ", F1{y}, " Z\" fill=\"#fff\" stroke=\"", color, "\" stroke-width=\"1.2\"/>");
      return;
    default:
      put(out, "<circle cx=\"", F1{x}, "\" cy=\"", F1{y}, "\" r=\"2.8\" fill=\"", color, "\"/>");
  }
}

void text(std::string& out, double x, double y, std::string_view s, const char* anchor = "middle", const char* extra = "") {
  put(out, "<text x=\"", F1{x}, "\" y=\"", F1{y}, "\" text-anchor=\"", anchor, "\"", extra, ">", Esc{s}, "</text>");
}

// A line from (x1, y1) to (x2, y2); `style` is its attributes after the ends.
void line(std::string& out, double x1, double y1, double x2, double y2, std::string_view style) {
  put(out, "<line x1=\"", F1{x1}, "\" y1=\"", F1{y1}, "\" x2=\"", F1{x2}, "\" y2=\"", F1{y2}, "\" ", style, "/>");
}

// The opening tag, title and description every chart has.
void head(std::string& out, double w, double h, const std::string& id, const std::string& title, const std::string& desc,
          const char* font_size) {
  put(out, "<svg viewBox=\"0 0 ", F1{w}, " ", F1{h}, "\" role=\"img\" aria-labelledby=\"", Esc{id}, "-t ", Esc{id},
      "-d\" font-size=\"", font_size, "\">");
  put(out, "<title id=\"", Esc{id}, "-t\">", Esc{title}, "</title>");
  put(out, "<desc id=\"", Esc{id}, "-d\">", Esc{desc}, "</desc>");
}

// At most `max` characters (code points), cut with "…": SVG text does not wrap.
std::string shorten(const std::string& s, size_t max) {
  size_t chars = 0, cut = std::string::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (chars == max - 1) cut = i;
    ++chars;
  }
  return chars <= max ? s : s.substr(0, cut) + "…";
}

}  // namespace

void put_coordinate(std::string& out, double v) {
  if (std::abs(v) < 0.05) v = 0;
  // Most coordinates are a few hundred: ten times the value, rounded, is the
  // answer unless it lies within a hair of a tie, where only the exact binary
  // value decides. Below 1e9 the product's error is under 1.2e-7, so outside
  // 1e-6 of a tie the rounding is the exact value's.
  double t = v * 10;
  if (std::abs(t) < 1e9) {
    double r = std::nearbyint(t);
    if (std::abs(std::abs(t - r) - 0.5) > 1e-6) {
      auto k = static_cast<long long>(r);
      char buf[24];
      char* p = buf + sizeof buf;
      unsigned long long u = static_cast<unsigned long long>(k < 0 ? -k : k);
      *--p = static_cast<char>('0' + u % 10);
      *--p = '.';
      u /= 10;
      do *--p = static_cast<char>('0' + u % 10);
      while (u /= 10);
      if (k < 0) *--p = '-';
      out.append(p, buf + sizeof buf);
      return;
    }
  }
  char buf[400];  // the largest double has 309 digits
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1);
  out.append(buf, ec == std::errc() ? end : buf);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};  // never from real data; no endless loop
  if (!(hi > lo)) {  // one value (or none): a band around it
    double pad = std::abs(lo) > 1 ? std::abs(lo) * 0.05 : 1;
    lo -= pad;
    hi += pad;
  }
  double raw = (hi - lo) / std::max(1, target - 1);
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  double first = std::floor(lo / step + 1e-9) * step;
  double last = std::ceil(hi / step - 1e-9) * step;
  std::vector<double> out;
  for (int i = 0; first + i * step <= last + step * 1e-6 && i <= 2 * target + 2; ++i) {
    double v = first + i * step;  // by index: repeated += drifts (0.1 + 0.2 …)
    out.push_back(std::abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

std::string svg_line_chart(const LineChart& c) {
  double lo = 0, hi = 0;
  bool any = false;
  for (const auto& s : c.series)
    for (const auto& y : s.y)
      if (y) {
        lo = any ? std::min(lo, *y) : *y;
        hi = any ? std::max(hi, *y) : *y;
        any = true;
      }
  if (!any || c.ticks.empty()) return {};
  std::vector<double> yt = nice_ticks(lo, hi, 5);
  if (yt.size() < 2) yt = {lo - 1, hi + 1};  // an axis needs two ends
  lo = yt.front();
  hi = yt.back();

  // The plot area inside a 340-wide box: y labels left, two label rows and the
  // legend below. The title is not drawn (SVG text cannot wrap); the page shows
  // it as the figure's caption.
  const double W = 340, L = 40, R = 10, T = 8, P = 130;  // P: plot height
  const double right = W - R, bottom = T + P;
  size_t n = c.ticks.size();
  auto xat = [&](size_t i) { return n == 1 ? (L + right) / 2 : L + 8 + (right - L - 16) * static_cast<double>(i) / static_cast<double>(n - 1); };
  auto yat = [&](double v) { return bottom - (v - lo) / (hi - lo) * P; };
  double legend_y = bottom + 36;
  double H = legend_y + 10 + 14 * static_cast<double>((c.series.size() + 1) / 2);

  std::string out;
  head(out, W, H, c.id, c.title, c.desc, "9");

  // Grid and y axis labels.
  for (double v : yt) {
    double y = yat(v);
    line(out, L, y, right, y, "stroke=\"#d0d0d0\" stroke-width=\"0.6\"");
    text(out, L - 4, y + 3, format_num(v) + c.unit, "end");
  }
  line(out, L, T, L, bottom, "stroke=\"#333\" stroke-width=\"0.8\"");
  line(out, L, bottom, right, bottom, "stroke=\"#333\" stroke-width=\"0.8\"");

  // x ticks, then the group labels centred under each run of equal groups.
  for (size_t i = 0; i < n; ++i) {
    double x = xat(i);
    line(out, x, bottom, x, bottom + 3, "stroke=\"#333\" stroke-width=\"0.8\"");
    text(out, x, bottom + 12, c.ticks[i].label);
  }
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && c.ticks[j + 1].group == c.ticks[i].group) ++j;
    if (!c.ticks[i].group.empty()) text(out, (xat(i) + xat(j)) / 2, bottom + 24, c.ticks[i].group, "middle", " fill=\"#333\"");
    if (j + 1 < n) {  // a faint divider between years
      double x = (xat(j) + xat(j + 1)) / 2;
      line(out, x, bottom + 2, x, bottom + 26, "stroke=\"#bbb\" stroke-width=\"0.6\"");
    }
    i = j + 1;
  }

  // Comparators first, so the school's line is drawn on top.
  size_t solid = 0, dashed = 0;
  std::vector<Look> looks;
  for (const auto& s : c.series) looks.push_back(s.dashed ? kDashed[dashed++ % 2] : kSolid[solid++ % 2]);
  // A series' stroke, the same for its line and its legend sample.
  auto stroke = [](const Look& look) {
    std::string style = std::string("stroke=\"") + look.color + "\" stroke-width=\"1.6\"";
    if (*look.dash) put(style, " stroke-dasharray=\"", look.dash, "\"");
    return style;
  };
  for (int pass = 0; pass < 2; ++pass)
    for (size_t k = 0; k < c.series.size(); ++k) {
      const auto& s = c.series[k];
      if (s.dashed != (pass == 0)) continue;
      const Look& look = looks[k];
      std::string points;
      auto flush = [&] {
        if (points.find(' ') != std::string::npos) {  // two or more points make a line
          put(out, "<polyline points=\"", points, "\" fill=\"none\" ", stroke(look), "/>");
        }
        points.clear();
      };
      for (size_t i = 0; i < n && i < s.y.size(); ++i) {
        if (!s.y[i]) {
          flush();
          continue;
        }
        put(points, points.empty() ? "" : " ", F1{xat(i)}, ",", F1{yat(*s.y[i])});
      }
      flush();
      for (size_t i = 0; i < n && i < s.y.size(); ++i)
        if (s.y[i]) marker(out, look.marker, xat(i), yat(*s.y[i]), look.color);
    }

  // Legend: a sample of each line with its marker.
  for (size_t k = 0; k < c.series.size(); ++k) {
    const Look& look = looks[k];
    double x = L + (k % 2) * 150.0, y = legend_y + 14 * static_cast<double>(k / 2);
    line(out, x, y, x + 22, y, stroke(look));
    marker(out, look.marker, x + 11, y, look.color);
    text(out, x + 27, y + 3, shorten(c.series[k].name, 30), "start");
  }
  out += "</svg>";
  return out;
}

std::string svg_bar_chart(const BarChart& c) {
  // Light to dark with the count written beside each bar: the shade is a
  // reminder of order, never the only way to read a value.
  static const char* shades[] = {"#c6dbef", "#9ecae1", "#4292c6", "#2166ac", "#08306b", "#041a3a"};
  double max = 0;
  for (const auto& b : c.bars) max = std::max(max, b.value);
  const double W = 520, label_w = 170, row = 22, top = 6, bar_max = 250;
  double H = top + row * static_cast<double>(c.bars.size()) + 4;
  std::string out;
  head(out, W, H, c.id, c.title, c.desc, "13");
  size_t nshades = sizeof shades / sizeof shades[0];
  for (size_t i = 0; i < c.bars.size(); ++i) {
    const Bar& b = c.bars[i];
    double y = top + row * static_cast<double>(i);
    double w = max > 0 ? b.value / max * bar_max : 0;
    text(out, label_w - 6, y + 14, shorten(b.label, 28), "end");
    size_t shade = c.bars.size() <= 1 ? 2 : i * (nshades - 1) / (c.bars.size() - 1);
    if (w > 0)
      put(out, "<rect x=\"", F1{label_w}, "\" y=\"", F1{y + 3}, "\" width=\"", F1{w}, "\" height=\"", F1{row - 6},
          "\" fill=\"", shades[shade], "\" stroke=\"#111\" stroke-width=\"0.8\"/>");
    text(out, label_w + w + 6, y + 14, b.value_text, "start", " font-weight=\"bold\"");
  }
  line(out, label_w, top, label_w, H - 2, "stroke=\"#333\" stroke-width=\"1\"");
  out += "</svg>";
  return out;
}

}  // namespace tr
