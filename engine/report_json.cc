// The JSON rendering (schema: docs/json-schema.md). Keys are written in a fixed
// order (ordered_json) and computed numbers are rounded to 6 decimals, so the same
// evaluation always produces the same bytes.
#include "report.h"

#include <nlohmann/json.hpp>

#include <cmath>
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

json strings(const std::vector<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(std::move(s));
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

json result_json(const RuleResult& r) {
  json j;
  j["id"] = r.id;
  j["kind"] = result_kind_id(r.kind);
  j["label"] = r.label;
  if (r.kind == ResultKind::Descriptor) j["tier"] = r.tier;
  j["status"] = result_status_id(r.status);
  json values = json::array();
  for (const auto& u : r.values) {
    json v;
    v["name"] = u.name;
    v["value"] = value_json(u.value, u.text);
    v["text"] = u.text;
    v["unit"] = type_unit(u.value.type);
    v["from"] = from_name(u.from);
    v["period"] = u.period.empty() ? json(nullptr) : json(u.period);
    v["age"] = u.age < 0 ? json(nullptr) : json(u.age);
    v["age_unit"] = u.age < 0 ? json(nullptr) : json(u.age_unit);
    if (u.file.empty()) {
      v["source"] = nullptr;
    } else {
      json s;
      s["file"] = u.file;
      s["row"] = u.row;
      s["column"] = u.column;
      v["source"] = std::move(s);
    }
    values.push_back(std::move(v));
  }
  j["values"] = std::move(values);
  j["reasons"] = reasons_json(r.reasons);
  return j;
}

json tier_json(const TierResult& t) {
  json j;
  j["number"] = t.number ? json(t.number) : json(nullptr);
  j["label"] = t.number ? json(t.label) : json(nullptr);
  j["led_by"] = t.number ? json(t.led_by == LedBy::Trust ? "trust" : "academy") : json(nullptr);
  j["policy"] = t.policy;
  j["placed"] = t.placed ? json(t.placed) : json(nullptr);
  j["by_otherwise"] = t.by_otherwise;
  json scores = json::array();
  for (const auto& s : t.scores) {
    json x;
    x["tier"] = s.tier;
    x["met"] = s.met;
    x["known"] = s.known;
    x["unknown"] = s.unknown;
    x["share"] = s.known ? json(tidy(s.share)) : json(nullptr);
    scores.push_back(std::move(x));
  }
  j["scores"] = std::move(scores);
  j["decided_by"] = strings(t.decided_by);
  j["not_judged"] = strings(t.not_judged);
  j["raised_by_floor"] = t.raised_by_floor;
  json floors = json::array();
  for (const auto& f : t.floors) {
    json x;
    x["floor"] = f.floor;
    x["status"] = f.breached ? "not_met" : "unknown";
    x["requires"] = f.required;
    x["from"] = f.from ? json(f.from) : json(nullptr);
    x["to"] = f.to ? json(f.to) : json(nullptr);
    floors.push_back(std::move(x));
  }
  j["floors"] = std::move(floors);
  if (t.override_) {
    const TierOverride& o = *t.override_;
    json x;
    x["tier"] = o.tier;
    x["from"] = o.from ? json(o.from) : json(nullptr);
    x["reason"] = o.reason;
    x["approved_by"] = o.approved_by;
    x["date"] = o.date;
    x["period"] = o.period;
    json s;
    s["file"] = o.file;
    s["row"] = o.row;
    x["source"] = std::move(s);
    j["override"] = std::move(x);
  } else {
    j["override"] = nullptr;
  }
  j["reasons"] = reasons_json(t.reasons);
  j["steps"] = strings(t.steps);
  return j;
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

json school_json(const SchoolResult& s) {
  json j;
  j["urn"] = s.urn;
  j["name"] = s.name;
  j["phase"] = s.phase;
  j["type"] = s.type;
  json results = json::array();
  for (const auto& rr : s.results) results.push_back(result_json(rr));
  j["results"] = std::move(results);
  j["tier"] = s.tier.policy.empty() ? json(nullptr) : tier_json(s.tier);  // null: the rules have no tiers
  j["floors_met"] = result_status_id(s.floors_met);
  j["floors_breached"] = strings(s.floors_breached);
  json st;
  st["met"] = s.standards_met;
  st["applicable"] = s.standards_applicable;
  st["unknown"] = s.standards_unknown;
  j["standards"] = std::move(st);
  json support = json::array();
  for (const auto& x : s.support) {
    json o;
    o["id"] = x.id;
    o["label"] = x.label;
    o["frequency"] = x.one_off ? json(nullptr) : json(x.frequency);
    o["per_term"] = tidy(x.per_term);
    o["one_off"] = x.one_off;
    support.push_back(std::move(o));
  }
  j["support"] = std::move(support);
  return j;
}

}  // namespace

std::string report_json(const EvaluationResult& r) {
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
  // Schools are rendered one at a time into the text, not built into one tree
  // first: a national run's tree would take many times the memory of its output
  // (bench/bench_england.cc). The bytes are exactly those of dumping the whole
  // tree: each school is dumped alone and indented to its depth (4 spaces;
  // strings in JSON hold no raw newline).
  const char* const kSchoolsMark = "\x01schools\x01";
  root["schools"] = kSchoolsMark;
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
  std::string text = root.dump(2, ' ', false, json::error_handler_t::replace);
  const std::string mark = "\"schools\": \"\\u0001schools\\u0001\"";
  size_t at = text.find(mark);
  std::string out = text.substr(0, at) + "\"schools\": ";
  if (r.schools.empty()) out += "[]";
  else out += "[\n";
  for (size_t i = 0; i < r.schools.size(); ++i) {
    std::string one = school_json(r.schools[i]).dump(2, ' ', false, json::error_handler_t::replace);
    for (size_t from = 0; from < one.size();) {
      size_t nl = one.find('\n', from);
      size_t end = nl == std::string::npos ? one.size() : nl + 1;
      out += "    ";
      out.append(one, from, end - from);
      from = end;
    }
    out += i + 1 < r.schools.size() ? ",\n" : "\n  ]";
  }
  out.append(text, at + mark.size(), std::string::npos);
  out += "\n";
  return out;
}

}  // namespace tr
