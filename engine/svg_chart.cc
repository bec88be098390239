// Inline SVG charts (see svg_chart.h). Coordinates are written with one decimal
// so the same data always gives the same bytes.
#include "svg_chart.h"

#include "html_style.h"
#include "value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tr {

namespace {

std::string fmt1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::abs(v) < 0.05 ? 0.0 : v);
  return buf;
}

// How each series is drawn, by position: colour, dash and marker all differ,
// so the lines stay apart in greyscale and for readers who cannot tell hues.
struct Look {
  const char* color;
  const char* dash;  // "" = solid
  char marker;       // 'o' filled circle, 's' hollow square, '^' filled triangle, 'd' hollow diamond
};
constexpr Look kSolid[] = {{"#1f4e79", "", 'o'}, {"#8a3b00", "", '^'}};
constexpr Look kDashed[] = {{"#555555", "5 3", 's'}, {"#777777", "2 2", 'd'}};

std::string marker(char kind, double x, double y, const char* color) {
  switch (kind) {
    case 's':
      return "<rect x=\"" + fmt1(x - 2.6) + "\" y=\"" + fmt1(y - 2.6) + "\" width=\"5.2\" height=\"5.2\" fill=\"#fff\" stroke=\"" +
             color + "\" stroke-width=\"1.3\"/>";
    case '^':
      return "<path d=\"M" + fmt1(x) + " " + fmt1(y - 3.4) + " L" + fmt1(x + 3.2) + " " + fmt1(y + 2.4) + " L" + fmt1(x - 3.2) +
             " " + fmt1(y + 2.4) + " Z\" fill=\"" + color + "\"/>";
    case 'd':
      return "<path d=\"M" + fmt1(x) + " " + fmt1(y - 3.4) + " L" + fmt1(x + 3.4) + " " + fmt1(y) + " L" + fmt1(x) + " " +
             fmt1(y + 3.4) + " L" + fmt1(x - 3.4) + " " + fmt1(y) + " Z\" fill=\"#fff\" stroke=\"" + color +
             "\" stroke-width=\"1.2\"/>";
    default:
      return "<circle cx=\"" + fmt1(x) + "\" cy=\"" + fmt1(y) + "\" r=\"2.8\" fill=\"" + color + "\"/>";
  }
}

std::string text(double x, double y, const std::string& s, const char* anchor = "middle", const char* extra = "") {
  return "<text x=\"" + fmt1(x) + "\" y=\"" + fmt1(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" + html_escape(s) +
         "</text>";
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
  out += "<svg viewBox=\"0 0 " + fmt1(W) + " " + fmt1(H) +
         "\" role=\"img\" aria-labelledby=\"" + html_escape(c.id) + "-t " + html_escape(c.id) + "-d\" font-size=\"9\">";
  out += "<title id=\"" + html_escape(c.id) + "-t\">" + html_escape(c.title) + "</title>";
  out += "<desc id=\"" + html_escape(c.id) + "-d\">" + html_escape(c.desc) + "</desc>";

  // Grid and y axis labels.
  for (double v : yt) {
    double y = yat(v);
    out += "<line x1=\"" + fmt1(L) + "\" y1=\"" + fmt1(y) + "\" x2=\"" + fmt1(right) + "\" y2=\"" + fmt1(y) +
           "\" stroke=\"#d0d0d0\" stroke-width=\"0.6\"/>";
    out += text(L - 4, y + 3, format_num(v) + c.unit, "end");
  }
  out += "<line x1=\"" + fmt1(L) + "\" y1=\"" + fmt1(T) + "\" x2=\"" + fmt1(L) + "\" y2=\"" + fmt1(bottom) +
         "\" stroke=\"#333\" stroke-width=\"0.8\"/>";
  out += "<line x1=\"" + fmt1(L) + "\" y1=\"" + fmt1(bottom) + "\" x2=\"" + fmt1(right) + "\" y2=\"" + fmt1(bottom) +
         "\" stroke=\"#333\" stroke-width=\"0.8\"/>";

  // x ticks, then the group labels centred under each run of equal groups.
  for (size_t i = 0; i < n; ++i) {
    double x = xat(i);
    out += "<line x1=\"" + fmt1(x) + "\" y1=\"" + fmt1(bottom) + "\" x2=\"" + fmt1(x) + "\" y2=\"" + fmt1(bottom + 3) +
           "\" stroke=\"#333\" stroke-width=\"0.8\"/>";
    out += text(x, bottom + 12, c.ticks[i].label);
  }
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && c.ticks[j + 1].group == c.ticks[i].group) ++j;
    if (!c.ticks[i].group.empty()) out += text((xat(i) + xat(j)) / 2, bottom + 24, c.ticks[i].group, "middle", " fill=\"#333\"");
    if (j + 1 < n) {  // a faint divider between years
      double x = (xat(j) + xat(j + 1)) / 2;
      out += "<line x1=\"" + fmt1(x) + "\" y1=\"" + fmt1(bottom + 2) + "\" x2=\"" + fmt1(x) + "\" y2=\"" + fmt1(bottom + 26) +
             "\" stroke=\"#bbb\" stroke-width=\"0.6\"/>";
    }
    i = j + 1;
  }

  // Comparators first, so the school's line is drawn on top.
  size_t solid = 0, dashed = 0;
  std::vector<Look> looks;
  for (const auto& s : c.series) looks.push_back(s.dashed ? kDashed[dashed++ % 2] : kSolid[solid++ % 2]);
  for (int pass = 0; pass < 2; ++pass)
    for (size_t k = 0; k < c.series.size(); ++k) {
      const auto& s = c.series[k];
      if (s.dashed != (pass == 0)) continue;
      const Look& look = looks[k];
      std::string points;
      auto flush = [&] {
        if (points.find(' ') != std::string::npos)  // two or more points make a line
          out += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + look.color + "\" stroke-width=\"1.6\"" +
                 (*look.dash ? std::string(" stroke-dasharray=\"") + look.dash + "\"" : std::string()) + "/>";
        points.clear();
      };
      for (size_t i = 0; i < n && i < s.y.size(); ++i) {
        if (!s.y[i]) {
          flush();
          continue;
        }
        points += (points.empty() ? "" : " ") + fmt1(xat(i)) + "," + fmt1(yat(*s.y[i]));
      }
      flush();
      for (size_t i = 0; i < n && i < s.y.size(); ++i)
        if (s.y[i]) out += marker(look.marker, xat(i), yat(*s.y[i]), look.color);
    }

  // Legend: a sample of each line with its marker.
  for (size_t k = 0; k < c.series.size(); ++k) {
    const Look& look = looks[k];
    double x = L + (k % 2) * 150.0, y = legend_y + 14 * static_cast<double>(k / 2);
    out += "<line x1=\"" + fmt1(x) + "\" y1=\"" + fmt1(y) + "\" x2=\"" + fmt1(x + 22) + "\" y2=\"" + fmt1(y) + "\" stroke=\"" +
           look.color + "\" stroke-width=\"1.6\"" +
           (*look.dash ? std::string(" stroke-dasharray=\"") + look.dash + "\"" : std::string()) + "/>";
    out += marker(look.marker, x + 11, y, look.color);
    out += text(x + 27, y + 3, shorten(c.series[k].name, 30), "start");
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
  out += "<svg viewBox=\"0 0 " + fmt1(W) + " " + fmt1(H) +
         "\" role=\"img\" aria-labelledby=\"" + html_escape(c.id) + "-t " + html_escape(c.id) + "-d\" font-size=\"13\">";
  out += "<title id=\"" + html_escape(c.id) + "-t\">" + html_escape(c.title) + "</title>";
  out += "<desc id=\"" + html_escape(c.id) + "-d\">" + html_escape(c.desc) + "</desc>";
  size_t nshades = sizeof shades / sizeof shades[0];
  for (size_t i = 0; i < c.bars.size(); ++i) {
    const Bar& b = c.bars[i];
    double y = top + row * static_cast<double>(i);
    double w = max > 0 ? b.value / max * bar_max : 0;
    out += text(label_w - 6, y + 14, shorten(b.label, 28), "end");
    size_t shade = c.bars.size() <= 1 ? 2 : i * (nshades - 1) / (c.bars.size() - 1);
    if (w > 0)
      out += "<rect x=\"" + fmt1(label_w) + "\" y=\"" + fmt1(y + 3) + "\" width=\"" + fmt1(w) + "\" height=\"" + fmt1(row - 6) +
             "\" fill=\"" + shades[shade] + "\" stroke=\"#111\" stroke-width=\"0.8\"/>";
    out += text(label_w + w + 6, y + 14, b.value_text, "start", " font-weight=\"bold\"");
  }
  out += "<line x1=\"" + fmt1(label_w) + "\" y1=\"" + fmt1(top) + "\" x2=\"" + fmt1(label_w) + "\" y2=\"" + fmt1(H - 2) +
         "\" stroke=\"#333\" stroke-width=\"1\"/>";
  out += "</svg>";
  return out;
}

}  // namespace tr
