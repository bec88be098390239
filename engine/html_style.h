// The look every trustrules HTML document shares: the evaluation report
// (report_html.cc) and the board paper of the criteria (`render --format html`).
// A document is one self-contained file — inline CSS, inline SVG, no scripts, no
// fonts or images fetched — so it opens offline, can be mailed to governors, and
// prints on A4 with page numbers.
//
// How to build a page (for `render`):
//
//   std::string body;
//   body += "<h1>" + html_escape(title) + "</h1>";
//   body += "<table class=\"data\"><thead><tr><th scope=\"col\">Tier</th>…</tr></thead>"
//           "<tbody><tr><th scope=\"row\">1 Lead</th><td>…</td></tr></tbody></table>";
//   std::string doc = html_page(title, body, "Meridian Learning Trust — tier criteria 2025.1");
//
// Escape every string that came from rules or data with html_escape(); the
// helpers below return HTML and must not be escaped again. Classes the
// stylesheet knows (use them rather than inline styles, so both documents look
// alike):
//   h1 / h2 / h3         document / section (an academy) / subsection
//   section.page         starts on a new printed page (the academy cards)
//   table.data           bordered table; <th scope="col"> in <thead>, <th scope="row"> for row
//                        names; td.num right-aligns numbers; tables never split across pages
//                        unless longer than a page (then the header row repeats)
//   tr.sub th            an indented sub-row (a pupil group under its measure)
//   .banner.approved     the approval record; .banner.draft the "DRAFT — not approved" banner
//   .badge               a tier or grade shown as a boxed word
//   .meta                small grey text (versions, hashes, periods, provenance)
//   .reason              the why of an unknown or not-applicable result
//   .keep                any block that must not be split across pages
//   .grid2               two columns on screen and paper (charts side by side)
//   dl.facts             term / value pairs in two columns
#pragma once

#include "ast.h"

#include <string>
#include <string_view>

namespace tr {

// Text for element content or a double-quoted attribute value: & < > " ' are
// escaped, and bytes that are not valid UTF-8 become U+FFFD, so a stray Latin-1
// byte in a data file cannot break the document's encoding.
std::string html_escape(std::string_view text);
// The same, appended to `out` (no string of its own: for a page's hot loops).
void html_escape_to(std::string& out, std::string_view text);

// put(out, "<li>", Esc{name}, "</li>") appends each piece to `out`, Esc ones
// escaped: a page is built by appending, where `+` chains make and copy a
// temporary string per piece. Other kinds of piece add a put1 overload beside
// their type (svg_chart.cc's coordinates).
struct Esc {
  std::string_view s;
};
inline void put1(std::string& out, std::string_view s) { out.append(s); }
inline void put1(std::string& out, Esc e) { html_escape_to(out, e.s); }
template <typename... P>
void put(std::string& out, const P&... p) {
  (put1(out, p), ...);
}

// The inline stylesheet (screen, and print on A4 with page numbers).
const std::string& html_css();

// A complete document: doctype, UTF-8, <title>, the stylesheet, `body` (HTML)
// inside <main>. `footer` (plain text, may be empty) is printed at the foot of
// every page beside the page number.
std::string html_page(std::string_view title, std::string_view body, std::string_view footer = {});

// A status as symbol, words and colour, so it reads without colour too:
// ✔ met, ✘ not met, ? unknown, – not applicable.
std::string html_status(Status s);
// The symbol alone and the class name ("met", "not-met", "unknown", "na").
const char* status_symbol(Status s);
const char* status_class(Status s);

}  // namespace tr
