// The renderings of an evaluation: JSON (the stable, documented schema in
// docs/json-schema.md), a table for people, CSV for spreadsheets, and the full
// explanation of one school. Each reads only the result model, so all of them
// tell the same story; the explanation also walks the plan to print expressions.
#pragma once

#include "evaluate.h"
#include "plan.h"
#include "result.h"

#include <functional>
#include <string>
#include <string_view>

namespace tr {

// The version of the JSON layout; bumped on any incompatible change.
inline constexpr const char* kJsonSchema = "trustrules.evaluation/1";

struct JsonOptions {
  // One school per line and no indentation: a national run's JSON at half the
  // size, and a file that tools can read a school at a time. Same content.
  bool compact = false;
  int jobs = 1;  // threads formatting schools; the bytes never depend on it
};
// Receives the text in pieces, in order; returns false to stop (a write failed).
using TextSink = std::function<bool(std::string_view)>;

// Streams the JSON to `sink` (a window of schools at a time, so a national run is
// never held whole); false if the sink stopped it.
bool write_json(const EvaluationResult& r, const JsonOptions& o, const TextSink& sink);

// The same text in three calls, so that schools can be written as they are
// evaluated (EvalOptions::on_window) and their results let go: head() before the
// first school (it needs the header fields and r.schools.size()), schools() for
// each range in order, tail() after the last (the trust KPIs and capacity).
class JsonStream {
 public:
  JsonStream(JsonOptions o, TextSink sink) : o_(o), sink_(std::move(sink)) {}
  bool head(const EvaluationResult& r);
  bool schools(const EvaluationResult& r, size_t first, size_t count);
  bool tail(const EvaluationResult& r);

 private:
  JsonOptions o_;
  TextSink sink_;
};
std::string report_json(const EvaluationResult& r, const JsonOptions& o = {});
std::string report_table(const EvaluationResult& r, bool color = false);  // color: ANSI, see term.h
std::string report_csv(const EvaluationResult& r);

// Everything about one school: each standard, floor and descriptor with its
// expression, values, benchmarks, provenance and how three-valued logic resolved,
// then the tier decision step by step. `trace` comes from evaluate_school.
std::string explain_school(const Plan& plan, const EvaluationResult& run, const SchoolResult& school,
                           const SchoolTrace& trace);

// One CSV field, quoted when RFC 4180 requires it.
std::string csv_field(const std::string& s);

// Display width in characters (UTF-8 code points), for aligning columns.
size_t text_width(const std::string& s);

}  // namespace tr
