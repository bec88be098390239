// Actions for `tiers`: the assignment policy, each tier, its descriptors and support.
#include "parse_state.h"

#include <charconv>

namespace tr {

void Builder::on(T<g::tiers_label>, const char* b, const char* e) { tiers_.label = unquote(b, e); }
void Builder::on(T<g::best_fit>, const char*, const char*) { tiers_.policy.kind = PolicyKind::BestFit; }
void Builder::on(T<g::first_match>, const char*, const char*) { tiers_.policy.kind = PolicyKind::FirstMatch; }
void Builder::on(T<g::at_least_count>, const char* b, const char* e) {
  tiers_.policy.kind = PolicyKind::AtLeast;
  tiers_.policy.at_least = small_number(b, e);
}
void Builder::on(T<g::t_assign>, const char* b, const char* e) { tiers_.policy.span = span(b, e); }
void Builder::on(T<g::otherwise_tier>, const char* b, const char* e) {
  tiers_.policy.otherwise = small_number(b, e);
}

void Builder::on(T<g::tier_number>, const char* b, const char* e) {
  tier_ = {};
  tier_.number = small_number(b, e);
  tier_.number_span = span(b, e);
}
void Builder::on(T<g::tier_label>, const char* b, const char* e) { tier_.label = unquote(b, e); }
void Builder::on(T<g::led_value>, const char* b, const char*) {
  tier_.led_by = *b == 'a' ? LedBy::Academy : LedBy::Trust;
}

void Builder::on(T<g::descriptor_label>, const char* b, const char* e) {
  descriptor_ = {};
  descriptor_.label = unquote(b, e);
}
void Builder::on(T<g::t_descriptor>, const char* b, const char* e) {
  descriptor_.expr = pop_expr();
  descriptor_.span = span(b, e);
  tier_.descriptors.push_back(std::move(descriptor_));
  descriptor_ = {};
}

void Builder::on(T<g::support_id>, const char* b, const char* e) {
  support_ = {};
  support_.id = name(b, e);
}
void Builder::on(T<g::support_label>, const char* b, const char* e) { support_.label = unquote(b, e); }

void Builder::on(T<g::frequency>, const char* b, const char* e) {
  // The grammar has fixed the shape; read the words back.
  Frequency& f = support_.freq;
  std::vector<std::string_view> w;
  for (const char* p = b; p < e;) {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r')) ++p;
    const char* q = p;
    while (q < e && *q != ' ' && *q != '\t' && *q != '\r') ++q;
    if (q > p) w.emplace_back(p, static_cast<size_t>(q - p));
    p = q;
  }
  auto count = [&](std::string_view s) {
    double v = 1;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
  };
  std::string_view unit = w.back();
  f.unit = unit.starts_with("week") ? FreqUnit::Week : unit.starts_with("term") ? FreqUnit::Term : FreqUnit::Year;
  if (w[0] == "every") {
    f.every = w.size() == 3 ? count(w[1]) : 1;
  } else {
    f.times = w[0] == "once" ? 1 : w[0] == "twice" ? 2 : count(w[0]);
  }
  f.written.clear();
  for (auto s : w) {
    if (!f.written.empty()) f.written += ' ';
    f.written += s;
  }
  if (f.every <= 0 || f.times <= 0) error(b, e, "a support frequency needs a count of at least 1");
}

void Builder::on(T<g::t_support>, const char* b, const char* e) {
  support_.span = span(b, e);
  tier_.support.push_back(std::move(support_));
  support_ = {};
}

void Builder::on(T<g::tier_decl>, const char* b, const char* e) {
  tier_.span = span(b, e);
  tiers_.tiers.push_back(std::move(tier_));
  tier_ = {};
}

void Builder::on(T<g::tiers_decl>, const char* b, const char* e) { finish(tiers_, b, e); }

}  // namespace tr
