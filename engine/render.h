// `render`: the ruleset as a board paper — what governors approve, laid out as
// trusts write it: the header and approval status, performance standards and floor
// expectations in plain words (each criterion printed canonically), the tier table
// (one column per tier: label, led by, descriptors, support with frequencies), the
// params the board sets and the trust KPIs. Markdown for wikis and e-mail, HTML
// (self-contained, printable; html_style.h) for the board pack.
#pragma once

#include "ruleset.h"

#include <string>

namespace tr {

struct RenderMeta {
  std::string content_hash;  // "sha256:…"; empty when it could not be computed
  // "Approved by Jane Smith on 2025-07-10 (minute B/25/14)" or "DRAFT — not approved".
  std::string approval;
  bool approved = false;
};

std::string render_markdown(const Ruleset& rs, const RenderMeta& meta);
std::string render_html(const Ruleset& rs, const RenderMeta& meta);

}  // namespace tr
