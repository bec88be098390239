// The shared page shell and stylesheet (see html_style.h for the classes).
#include "html_style.h"

#include <cstdio>

namespace tr {

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one
// (overlong forms, surrogates and code points above U+10FFFF are invalid too).
size_t utf8_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  unsigned char d = byte(i + 1);
  if (c == 0xE0 && d < 0xA0) return 0;  // overlong
  if (c == 0xED && d >= 0xA0) return 0;  // surrogate
  if (c == 0xF0 && d < 0x90) return 0;  // overlong
  if (c == 0xF4 && d >= 0x90) return 0;  // above U+10FFFF
  return n;
}

// A CSS string literal's content: the footer goes into `content: "…"` inside
// <style>, where a quote, a backslash, a newline or "</style" would end it early.
std::string css_string(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = utf8_length(text, i);
    if (n == 0) {
      out += "\\FFFD ";  // invalid UTF-8 would make the whole stylesheet undecodable
      ++i;
    } else if (c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%X ", c);
      out += buf;
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace

void html_escape_to(std::string& out, std::string_view text) {
  // Plain text and valid UTF-8 are copied a run at a time: a report escapes
  // every label, reason and name it shows.
  size_t run = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    const char* entity = nullptr;
    if (c < 0x80) {
      switch (c) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: ++i; continue;
      }
    } else if (size_t n = utf8_length(text, i)) {
      i += n;
      continue;
    } else {
      entity = "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
    }
    out.append(text.data() + run, i - run);
    out += entity;
    run = ++i;
  }
  out.append(text.data() + run, text.size() - run);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  html_escape_to(out, text);
  return out;
}

const std::string& html_css() {
  // Print first: the paper is what boards read. Status never relies on hue
  // alone: each has a symbol and words, and "not met" is also bold with a heavy
  // left rule, "unknown" italic, so a greyscale print keeps every distinction.
  static const std::string css = R"CSS(
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 200mm; padding: 10px 14px; background: #fff; color: #111;
  font-family: "Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 9.5pt; line-height: 1.3; }
h1 { font-size: 18pt; margin: 0 0 2pt; }
h2 { font-size: 14pt; margin: 0 0 4pt; padding-bottom: 2pt; border-bottom: 2px solid #111; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
p { margin: 2pt 0 4pt; }
a { color: inherit; }
.meta { color: #444; font-size: 0.9em; }
.reason { color: #333; font-size: 0.95em; }
.keep, figure, .banner, dl.facts, tr, tbody.group { break-inside: avoid; page-break-inside: avoid; }
section.page { break-before: page; page-break-before: always; }
table.data { border-collapse: collapse; width: 100%; margin: 3pt 0 7pt; font-size: 8pt; line-height: 1.25; }
table.data thead { display: table-header-group; }
table.data th, table.data td { border: 1px solid #888; padding: 1.5pt 3pt; text-align: left; vertical-align: top; }
table.data thead th { background: #e6e6e6; border-bottom: 2px solid #333; font-weight: bold; }
table.data tbody th { font-weight: normal; }
table.data td.num, table.data th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.nowrap, .unknown-value { white-space: nowrap; }
table.data.measures th:first-child { width: 30%; }
table.data tr.sub th { padding-left: 14pt; color: #333; }
table.data tr.gap th { font-style: italic; }
table.data tr.row-not-met > :first-child { border-left: 4px solid #b71c1c; }
table.data tr.row-unknown > :first-child { border-left: 3px dotted #7a5a00; }
.status { white-space: nowrap; }
.status .sym { display: inline-block; width: 1.1em; text-align: center; font-weight: bold; }
.status.met { color: #1b5e20; }
.status.not-met { color: #b71c1c; font-weight: bold; }
.status.unknown { color: #6b4e00; font-style: italic; }
.status.na { color: #555; }
.unknown-value { font-style: italic; color: #6b4e00; }
.banner { margin: 6pt 0 10pt; padding: 5pt 8pt; border: 2px solid #1b5e20; background: #eef6ee; font-weight: bold; }
.banner.draft { border: 3px dashed #b71c1c; background: #fdecea; color: #8e1111; letter-spacing: 0.02em; }
.badge { display: inline-block; padding: 0 5pt; border: 2px solid #111; font-weight: bold; }
.badge.trust-led { border-style: double; border-width: 3px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 4pt 10pt; }
.grid2 > * { min-width: 0; }
figure { margin: 2pt 0 6pt; }
figure svg { display: block; width: 100%; height: auto; }
figure.bars svg { max-width: 125mm; }
figcaption { font-size: 8.5pt; color: #333; }
figcaption b { color: #111; font-size: 9pt; }
svg text { font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 1pt 10pt; margin: 2pt 0 6pt; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
ol.steps { margin: 2pt 0 6pt; padding-left: 16pt; }
ul.plain { margin: 0; padding: 0; list-style: none; }
.override { border: 2px solid #111; border-left-width: 6px; padding: 3pt 6pt; margin: 4pt 0 6pt; }
nav.contents ol { columns: 2; margin: 2pt 0; }
@media screen {
  section.page { margin-top: 26pt; padding-top: 10pt; border-top: 6px solid #d8d8d8; }
}
@media print {
  body { max-width: none; padding: 0 1px; }  /* 1px: a full-width table's outer border is not clipped */
  a { text-decoration: none; }
}
)CSS";
  return css;
}

std::string html_page(std::string_view title, std::string_view body, std::string_view footer) {
  std::string out;
  out.reserve(body.size() + html_css().size() + 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>";
  // Page size and margins, with the footer and "Page N of M" in the margin boxes
  // Chromium prints (other browsers ignore the boxes and print their own).
  out += "\n@page { size: A4; margin: 12mm 12mm 14mm 12mm;\n";
  std::string f = css_string(footer);
  if (!f.empty())
    out += "  @bottom-left { content: \"" + f + "\"; font: 7.5pt \"Liberation Sans\", sans-serif; color: #555; }\n";
  out += "  @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); "
         "font: 7.5pt \"Liberation Sans\", sans-serif; color: #555; }\n}";
  out += html_css();
  out += "</style>\n</head>\n<body>\n<main>\n";
  out += body;
  out += "\n</main>\n</body>\n</html>\n";
  return out;
}

const char* status_symbol(Status s) {
  switch (s) {
    case Status::Met: return "✔";
    case Status::NotMet: return "✘";
    case Status::Unknown: return "?";
    case Status::NotApplicable: return "–";
  }
  return "?";
}

const char* status_class(Status s) {
  switch (s) {
    case Status::Met: return "met";
    case Status::NotMet: return "not-met";
    case Status::Unknown: return "unknown";
    case Status::NotApplicable: return "na";
  }
  return "unknown";
}

std::string html_status(Status s) {
  const char* words = s == Status::Met ? "met"
                      : s == Status::NotMet ? "not met"
                      : s == Status::Unknown ? "unknown"
                                             : "not applicable";
  // The symbol is aria-hidden: a screen reader says the words once, not "heavy check mark, met".
  return std::string("<span class=\"status ") + status_class(s) + "\"><span class=\"sym\" aria-hidden=\"true\">" +
         status_symbol(s) + "</span> " + words + "</span>";
}

}  // namespace tr
