// The JSON rendering (schema: docs/json-schema.md). Keys are written in a fixed
// order (ordered_json) and computed numbers are rounded to 6 decimals, so the same
// evaluation always produces the same bytes.
#include "report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <thread>
#include <utility>

namespace tr {
namespace {

using json = nlohmann::ordered_json;

double tidy(double v) {
  double r = std::round(v * 1e6) / 1e6;
  return r == 0 ? 0 : r;  // no "-0.0"
}

const char* type_unit(Type t) {
  switch (t) {
    case Type::Percent: return "percent";
    case Type::Points: return "points";
    case Type::Score: return "score";
    case Type::Count: return "count";
    case Type::Rate: return "rate";
    case Type::Number: return "number";
    case Type::Bool: return "yesno";
    case Type::Grade: return "grade";
    case Type::Text: return "text";
    case Type::Year: return "year";
    case Type::Duration: return "duration";
    case Type::Error: return "";
  }
  return "";
}

// A value as JSON: a number, true/false, or the reader's text for grades, texts
// and years; null when unknown.
json value_json(const Value& v, const std::string& text) {
  switch (v.kind) {
    case Value::Kind::Number: return tidy(v.num);
    case Value::Kind::Bool: return v.num != 0;
    case Value::Kind::Grade:
    case Value::Kind::Text:
    case Value::Kind::Year: return text.empty() ? format_plain(v) : text;
    case Value::Kind::Range:
    case Value::Kind::Unknown: return nullptr;
  }
  return nullptr;
}

json reasons_json(const Reasons& r) {
  json a = json::array();
  for (const auto& s : r) a.push_back(std::move(s));
  return a;
}

const char* from_name(ValueUse::From f) {
  switch (f) {
    case ValueUse::From::Data: return "data";
    case ValueUse::From::Benchmark: return "benchmark";
    case ValueUse::From::Param: return "param";
    case ValueUse::From::Literal: return "literal";
  }
  return "";
}

json kpi_json(const KpiResult& k) {
  json j;
  j["id"] = k.id;
  j["kind"] = "kpi";
  j["label"] = k.label;
  j["aggregate"] = k.aggregate;
  j["unit"] = type_unit(k.value.known() ? k.value.type : k.previous.type);
  j["year"] = k.year;
  j["value"] = value_json(k.value, "");
  j["previous_year"] = k.previous_year;
  j["previous"] = value_json(k.previous, "");
  j["change"] = value_json(k.change, "");
  j["better"] = k.better == Direction::Higher ? json("higher") : k.better == Direction::Lower ? json("lower") : json(nullptr);
  j["direction"] = k.direction;
  j["status"] = result_status_id(k.status);
  j["schools"] = k.schools;
  j["known"] = k.known;
  j["unknown"] = k.unknown;
  j["not_applicable"] = k.not_applicable;
  j["reasons"] = reasons_json(k.reasons);
  return j;
}

// The schools are most of a run's JSON, so they are written directly into the
// text rather than through a tree (bench/bench_england.cc: building and dumping
// the trees was three quarters of a national run). The bytes are exactly those
// nlohmann's dump(2) gives: the same layout, its own number formatting
// (detail::to_chars) and, for any string that needs escaping, its own escaper.
// With indent < 0 it writes the compact layout (dump(-1)): no spaces, no newlines.
// Bytes a JSON string cannot hold as they are: controls, quote, backslash, and
// anything not ASCII (checked as UTF-8 by the slow path).
constexpr std::array<bool, 256> kNeedsCare = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
  return t;
}();

// Whether any byte of v needs kNeedsCare: eight bytes at a time, then the rest.
// A word has a byte below 0x20, at or above 0x80, '"' or '\\' exactly when one of
// the standard zero-byte tests below finds it.
bool needs_care(std::string_view v) {
  constexpr uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  auto has_zero = [&](uint64_t x) { return ((x - ones) & ~x & high) != 0; };
  size_t i = 0;
  for (; i + 8 <= v.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, v.data() + i, 8);
    if ((w & high) || ((w - 0x20 * ones) & ~w & high) || has_zero(w ^ ('"' * ones)) || has_zero(w ^ ('\\' * ones)))
      return true;
  }
  for (; i < v.size(); ++i)
    if (kNeedsCare[static_cast<unsigned char>(v[i])]) return true;
  return false;
}

class SchoolWriter {
 public:
  SchoolWriter(std::string& out, int indent) : o_(out), ind_(indent), compact_(indent < 0) {}

  void begin(char open) {
    o_ += open;
    first_.push_back(true);
    ind_ += 2;
  }
  void end(char close) {
    ind_ -= 2;
    if (!first_.back()) newline();
    first_.pop_back();
    o_ += close;
  }
  // Keys are literals: their length is known here, not found by strlen.
  template <size_t N>
  void key(const char (&k)[N]) {
    item();
    o_ += '"';
    o_.append(k, N - 1);
    o_.append(compact_ ? "\":" : "\": ", compact_ ? 2 : 3);
  }
  void item() {
    if (!first_.back()) o_ += ',';
    first_.back() = false;
    newline();
  }
  void str(std::string_view v) {
    // Most strings are plain ASCII and go out as they are; any other goes
    // through nlohmann for escaping and UTF-8 repair. The test (needs_care)
    // was the writer's largest cost, hence a word at a time.
    if (needs_care(v)) {
      o_ += json(std::string(v)).dump(-1, ' ', false, json::error_handler_t::replace);
      return;
    }
    o_ += '"';
    o_.append(v.data(), v.size());
    o_ += '"';
  }
  void num(double v) {
    if (!std::isfinite(v)) {
      o_ += "null";
      return;
    }
    char buf[64];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    o_.append(buf, static_cast<size_t>(end - buf));
  }
  void integer(long long v) { o_ += std::to_string(v); }
  void boolean(bool v) { o_ += v ? "true" : "false"; }
  void null() { o_ += "null"; }
  void strings(const std::vector<std::string>& v) {
    begin('[');
    for (const auto& x : v) item(), str(x);
    end(']');
  }

 private:
  void newline() {
    if (compact_) return;
    o_ += '\n';
    o_.append(static_cast<size_t>(ind_), ' ');
  }
  std::string& o_;
  int ind_;
  bool compact_;
  std::vector<char> first_;  // per open bracket: nothing written in it yet (char: vector<bool> was a cost)
};

// value_json(), written.
void write_value(SchoolWriter& w, const Value& v, const std::string& text) {
  switch (v.kind) {
    case Value::Kind::Number: return w.num(tidy(v.num));
    case Value::Kind::Bool: return w.boolean(v.num != 0);
    case Value::Kind::Grade:
    case Value::Kind::Text:
    case Value::Kind::Year: return w.str(text.empty() ? format_plain(v) : text);
    case Value::Kind::Range:
    case Value::Kind::Unknown: return w.null();
  }
  w.null();
}

void write_values(SchoolWriter& w, const RuleResult& r);

// result_json(), written.
void write_result(SchoolWriter& w, const RuleResult& r, bool values) {
  w.begin('{');
  w.key("id"), w.str(r.id);
  w.key("kind"), w.str(result_kind_id(r.kind));
  w.key("label"), w.str(r.label);
  if (r.kind == ResultKind::Descriptor) w.key("tier"), w.integer(r.tier);
  w.key("status"), w.str(result_status_id(r.status));
  if (values) write_values(w, r);
  w.key("reasons"), w.strings(r.reasons);
  w.end('}');
}

void write_values(SchoolWriter& w, const RuleResult& r) {
  w.key("values");
  w.begin('[');
  for (const auto& u : r.values) {
    w.item();
    w.begin('{');
    w.key("name"), w.str(u.name);
    w.key("value"), write_value(w, u.value, u.text);
    w.key("text"), w.str(u.text);
    w.key("unit"), w.str(type_unit(u.value.type));
    w.key("from"), w.str(from_name(u.from));
    w.key("period");
    u.period.empty() ? w.null() : w.str(u.period);
    w.key("age");
    u.age < 0 ? w.null() : w.integer(u.age);
    w.key("age_unit");
    u.age < 0 ? w.null() : w.str(u.age_unit);
    w.key("source");
    if (u.file.empty()) {
      w.null();
    } else {
      w.begin('{');
      w.key("file"), w.str(u.file);
      w.key("row"), w.integer(u.row);
      w.key("column"), w.str(u.column);
      w.end('}');
    }
    w.end('}');
  }
  w.end(']');
}

// A school's tier: number, policy, scores, what decided it, floors, override, steps.
void write_tier(SchoolWriter& w, const TierResult& t) {
  auto tier_or_null = [&](int n) { n ? w.integer(n) : w.null(); };
  w.begin('{');
  w.key("number"), tier_or_null(t.number);
  w.key("label");
  t.number ? w.str(t.label) : w.null();
  w.key("led_by");
  t.number ? w.str(t.led_by == LedBy::Trust ? "trust" : "academy") : w.null();
  w.key("policy"), w.str(t.policy);
  w.key("placed"), tier_or_null(t.placed);
  w.key("by_otherwise"), w.boolean(t.by_otherwise);
  w.key("scores");
  w.begin('[');
  for (const auto& x : t.scores) {
    w.item();
    w.begin('{');
    w.key("tier"), w.integer(x.tier);
    w.key("met"), w.integer(x.met);
    w.key("known"), w.integer(x.known);
    w.key("unknown"), w.integer(x.unknown);
    w.key("share");
    x.known ? w.num(tidy(x.share)) : w.null();
    w.end('}');
  }
  w.end(']');
  w.key("decided_by"), w.strings(t.decided_by);
  w.key("not_judged"), w.strings(t.not_judged);
  w.key("raised_by_floor"), w.boolean(t.raised_by_floor);
  w.key("floors");
  w.begin('[');
  for (const auto& f : t.floors) {
    w.item();
    w.begin('{');
    w.key("floor"), w.str(f.floor);
    w.key("status"), w.str(f.breached ? "not_met" : "unknown");
    w.key("requires"), w.integer(f.required);
    w.key("from"), tier_or_null(f.from);
    w.key("to"), tier_or_null(f.to);
    w.end('}');
  }
  w.end(']');
  w.key("override");
  if (t.override_) {
    const TierOverride& o = *t.override_;
    w.begin('{');
    w.key("tier"), w.integer(o.tier);
    w.key("from"), tier_or_null(o.from);
    w.key("reason"), w.str(o.reason);
    w.key("approved_by"), w.str(o.approved_by);
    w.key("date"), w.str(o.date);
    w.key("period"), w.str(o.period);
    w.key("source");
    w.begin('{');
    w.key("file"), w.str(o.file);
    w.key("row"), w.integer(o.row);
    w.end('}');
    w.end('}');
  } else {
    w.null();
  }
  w.key("reasons"), w.strings(t.reasons);
  w.key("steps"), w.strings(t.steps);
  w.end('}');
}

// One school, as an element of the "schools" array (4 spaces deep, or compact).
void write_school(std::string& out, const SchoolResult& s, bool compact, bool values) {
  SchoolWriter w(out, compact ? -1 : 4);
  w.begin('{');
  w.key("urn"), w.str(s.urn);
  w.key("name"), w.str(s.name);
  w.key("phase"), w.str(s.phase);
  w.key("type"), w.str(s.type);
  w.key("results");
  w.begin('[');
  for (const auto& rr : s.results) w.item(), write_result(w, rr, values);
  w.end(']');
  w.key("tier");
  if (s.tier.policy.empty()) w.null();  // the rules have no tiers
  else write_tier(w, s.tier);
  w.key("floors_met"), w.str(result_status_id(s.floors_met));
  w.key("floors_breached"), w.strings(s.floors_breached);
  w.key("standards");
  w.begin('{');
  w.key("met"), w.integer(s.standards_met);
  w.key("applicable"), w.integer(s.standards_applicable);
  w.key("unknown"), w.integer(s.standards_unknown);
  w.end('}');
  w.key("support");
  w.begin('[');
  for (const auto& x : s.support) {
    w.item();
    w.begin('{');
    w.key("id"), w.str(x.id);
    w.key("label"), w.str(x.label);
    w.key("frequency");
    x.one_off ? w.null() : w.str(x.frequency);
    w.key("per_term"), w.num(tidy(x.per_term));
    w.key("one_off"), w.boolean(x.one_off);
    w.end('}');
  }
  w.end(']');
  w.end('}');
}

// Everything but the schools, as dump() lays it out, split where the schools go.
struct Frame {
  std::string head, tail;
};

Frame frame(const EvaluationResult& r, bool compact) {
  json root;
  root["schema"] = kJsonSchema;
  json rs;
  rs["name"] = r.ruleset_name;
  rs["version"] = r.ruleset_version;
  rs["year"] = r.ruleset_year;
  rs["content_hash"] = r.content_hash;
  {  // governance (approval.h): whether the board approved exactly this content
    json ap;
    ap["approved"] = r.approved;
    ap["approved_by"] = r.approved ? json(r.approved_by) : json(nullptr);
    ap["approved_on"] = r.approved ? json(r.approved_on) : json(nullptr);
    ap["minute"] = r.approved ? json(r.minute) : json(nullptr);
    rs["approval"] = std::move(ap);
  }
  root["ruleset"] = std::move(rs);
  root["as_of"] = to_string(r.as_of);
  // "summary": the results carry no "values" (evaluate --detail summary).
  root["detail"] = r.values ? "full" : "summary";
  // The schools are written by write_school(), in place of this mark.
  root["schools"] = "\x01schools\x01";
  json trust;
  json kpis = json::array();
  for (const auto& k : r.kpis) kpis.push_back(kpi_json(k));
  trust["kpis"] = std::move(kpis);
  json cap = json::array();
  for (const auto& c : r.capacity) {
    json o;
    o["id"] = c.id;
    o["label"] = c.label;
    o["per_term"] = tidy(c.per_term);
    o["schools"] = c.schools;
    o["one_off"] = c.one_off;
    cap.push_back(std::move(o));
  }
  trust["capacity"] = std::move(cap);
  root["trust"] = std::move(trust);
  // Invalid UTF-8 in a data file (a Latin-1 school name) is replaced, never fatal.
  std::string text = root.dump(compact ? -1 : 2, ' ', false, json::error_handler_t::replace);
  const std::string mark = compact ? "\"schools\":\"\\u0001schools\\u0001\"" : "\"schools\": \"\\u0001schools\\u0001\"";
  size_t at = text.find(mark);
  Frame f;
  f.head = text.substr(0, at) + (compact ? "\"schools\":" : "\"schools\": ");
  f.head += r.schools.empty() ? "[]" : "[\n";
  f.tail = r.schools.empty() ? "" : compact ? "\n]" : "\n  ]";
  f.tail.append(text, at + mark.size(), std::string::npos);
  f.tail += "\n";
  return f;
}

}  // namespace

bool JsonStream::head(const EvaluationResult& r) { return sink_(frame(r, o_.compact).head); }

bool JsonStream::tail(const EvaluationResult& r) { return sink_(frame(r, o_.compact).tail); }

bool JsonStream::schools(const EvaluationResult& r, size_t first, size_t count) {
  // Schools are formatted in chunks, a window of chunks at a time on `jobs`
  // threads, and handed to the sink in school order: the bytes never depend on
  // the thread count, and only one window of text is held at once.
  // A full-detail school is ~32 KB of text; chunks of 64 held 27 MB of a
  // national run's peak, chunks of 16 hold about 8 MB.
  constexpr size_t kChunk = 16;
  const size_t n = r.schools.size(), end = std::min(n, first + count);
  if (first >= end) return true;
  size_t chunks = (end - first + kChunk - 1) / kChunk;
  size_t jobs = static_cast<size_t>(std::max(1, o_.jobs));
  size_t window = jobs * 4;
  std::vector<std::string> text(std::min(window, chunks));
  auto format_chunk = [&](size_t c, std::string& out) {
    out.clear();
    for (size_t i = first + c * kChunk; i < std::min(end, first + (c + 1) * kChunk); ++i) {
      if (!o_.compact) out += "    ";
      write_school(out, r.schools[i], o_.compact, r.values);
      if (i + 1 < n) out += ",\n";
    }
  };
  for (size_t from = 0; from < chunks; from += window) {
    size_t k_end = std::min(window, chunks - from);
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t k; (k = next.fetch_add(1)) < k_end;) format_chunk(from + k, text[k]);
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < std::min(jobs, k_end); ++t) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
    for (size_t k = 0; k < k_end; ++k)
      if (!sink_(text[k])) return false;
  }
  return true;
}

bool write_json(const EvaluationResult& r, const JsonOptions& o, const TextSink& sink) {
  JsonStream js(o, sink);
  return js.head(r) && js.schools(r, 0, r.schools.size()) && js.tail(r);
}

std::string report_json(const EvaluationResult& r, const JsonOptions& o) {
  std::string out;
  write_json(r, o, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

}  // namespace tr
