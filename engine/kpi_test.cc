// KPI aggregates over schools: known values only, unknown schools counted.
#include "kpi.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace tr;

namespace {
// The per-school arguments as the trust phase keeps them.
std::vector<KpiArg> args(const std::vector<Value>& vs) {
  std::vector<KpiArg> out;
  for (const auto& v : vs) out.push_back(KpiArg::of(v));
  return out;
}
Value P(double v) { return Value::number(v, Type::Percent); }
Value U() { return Value::unknown("attendance is blank", Type::Percent); }
Value NA() {
  Value v = Value::unknown("does not apply", Type::Bool);
  v.not_applicable = true;
  return v;
}
}  // namespace

TEST_CASE("count and share of a predicate", "[eval][kpi]") {
  std::vector<Value> xs{Value::boolean(true), Value::boolean(false), Value::boolean(true),
                        Value::unknown("?", Type::Bool), NA()};
  AggregateCounts c;
  Value n = aggregate(AggKind::Count, args(xs), Type::Bool, c);
  CHECK(n.num == 2);
  CHECK(c.schools == 5);
  CHECK(c.known == 3);
  CHECK(c.unknown == 1);
  CHECK(c.not_applicable == 1);
  Value s = aggregate(AggKind::Share, args(xs), Type::Bool, c);
  CHECK(s.type == Type::Percent);
  CHECK(s.num == Approx(200.0 / 3));
  CHECK(!aggregate(AggKind::Share, args({Value::unknown("?", Type::Bool)}), Type::Bool, c).known());
}

TEST_CASE("mean, min, max, spread and variability over known values", "[eval][kpi]") {
  std::vector<Value> xs{P(94), P(96), U(), P(95)};
  AggregateCounts c;
  CHECK(aggregate(AggKind::Mean, args(xs), Type::Percent, c).num == Approx(95));
  CHECK(c.known == 3);
  CHECK(c.unknown == 1);
  CHECK(aggregate(AggKind::Min, args(xs), Type::Percent, c).num == Approx(94));
  CHECK(aggregate(AggKind::Max, args(xs), Type::Percent, c).num == Approx(96));
  Value spread = aggregate(AggKind::Spread, args(xs), Type::Percent, c);
  CHECK(spread.num == Approx(2));
  CHECK(spread.type == Type::Points);
  Value cv = aggregate(AggKind::Variability, args(xs), Type::Percent, c);
  double sd = std::sqrt((1.0 + 1.0 + 0.0) / 3.0);
  CHECK(cv.num == Approx(100.0 * sd / 95));
  CHECK(cv.type == Type::Percent);
  Value none = aggregate(AggKind::Mean, args({U(), U()}), Type::Percent, c);
  CHECK(!none.known());
  CHECK(none.reasons == Reasons{"no school had a known value"});
  CHECK(!aggregate(AggKind::Variability, args({P(0), P(0)}), Type::Percent, c).known());
}

TEST_CASE("year-on-year direction follows `better`", "[eval][kpi]") {
  CHECK(change_direction(Value::number(1.5), Direction::Higher) == "improved");
  CHECK(change_direction(Value::number(1.5), Direction::Lower) == "declined");
  CHECK(change_direction(Value::number(-1), Direction::Lower) == "improved");
  CHECK(change_direction(Value::number(0), Direction::Higher) == "unchanged");
  CHECK(change_direction(Value::number(2), Direction::None) == "changed");
  CHECK(change_direction(Value::unknown("x"), Direction::Higher) == "unknown");
}

TEST_CASE("a fold fed a school at a time gives the figures of the whole list", "[eval][kpi]") {
  // The evaluator folds each window of schools as it is done; the figures must
  // be those of the whole list to the last bit (sums in school order).
  std::vector<Value> xs{P(94.1), U(), P(96.3), NA(), P(95.05), P(93.7), U()};
  const std::vector<double> known{94.1, 96.3, 95.05, 93.7};
  double sum = 0;
  for (double x : known) sum += x;
  const double mean = sum / 4;
  double ss = 0;
  for (double x : known) ss += (x - mean) * (x - mean);
  const std::vector<std::pair<AggKind, double>> expected{{AggKind::Mean, mean},
                                                        {AggKind::Min, 93.7},
                                                        {AggKind::Max, 96.3},
                                                        {AggKind::Spread, 96.3 - 93.7},
                                                        {AggKind::Variability, 100.0 * std::sqrt(ss / 4) / mean}};
  for (const auto& [kind, figure] : expected) {
    AggregateFold fold(kind);
    for (const KpiArg& a : args(xs)) fold.add(a);
    AggregateCounts c;
    Value v = fold.result(Type::Percent, c);
    INFO(agg_name(kind));
    REQUIRE(v.known());
    CHECK(v.num == figure);
    CHECK(c.known == 4);
    CHECK(c.unknown == 2);
    CHECK(c.not_applicable == 1);
    CHECK(c.schools == 7);
  }
  AggregateFold empty(AggKind::Mean);
  AggregateCounts c;
  CHECK(empty.result(Type::Percent, c).reasons == Reasons{"no school had a known value"});
  CHECK(c.schools == 0);
}
