// The typed AST of a ruleset. The parser fills the syntax; the checker fills the
// fields marked "checker:". Every node keeps its Span so that any later phase can
// point an error, an explanation or a formatter decision at the source.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tr {

// Line and column are 1-based; columns count Unicode characters, not bytes.
struct Pos {
  uint32_t file = 0;  // index into SourceFiles (diagnostics.h)
  uint32_t line = 0;
  uint32_t col = 0;
};

struct Span {
  Pos begin;
  Pos end;  // one past the last character
};

struct Name {
  std::string text;
  Span span;
};

// ---- expressions -----------------------------------------------------------

enum class Unit : uint8_t { None, Percent, Points, Years, Terms, Weeks };

enum class Op : uint8_t {
  Add, Sub, Mul, Div, Neg,
  And, Or, Not,
  Eq, Ne, Lt, Le, Gt, Ge,  // `is`/`at least`/`above`… are parsed to these; `written` keeps the words
};

enum class ExprKind : uint8_t {
  Number,   // number + unit
  String,   // text
  Year,     // `2018-19` (year = 2018) or `2019-20 autumn` (term set)
  Ident,    // text = name
  Member,   // args[0] . text   (group, `lower`, `upper`)
  Call,     // text = callee, args
  Unary,    // op, args[0]
  Binary,   // op, args[0], args[1]
  Between,  // args[0] between args[1] and args[2]
  In,       // args[0] in [args[1..]]
  If,       // if args[0] then args[1] else args[2]
};

// Value types assigned by the checker.
enum class Type : uint8_t {
  Error,    // already reported; suppresses follow-on errors
  Number,   // unitless
  Percent,
  Points,   // a difference on a percent or score scale
  Score,
  Count,
  Rate,
  Duration, // `3 years`, `2 terms`
  Bool,     // yes/no and predicates
  Grade,    // see Expr::scale
  Text,
  Year,
};

// What an identifier or call resolved to.
enum class RefKind : uint8_t {
  None, Metric, Param, Define, DefineParam, Benchmark, Grade, Builtin, Lua, Rule, KpiValue,
};

struct Expr {
  ExprKind kind{};
  Span span;
  double number = 0;         // Number; Year: start year (2018 for 2018-19)
  Unit unit = Unit::None;    // Number
  uint8_t term = 0;          // Year: 0 none, 1 autumn, 2 spring, 3 summer
  Op op{};                   // Unary, Binary
  std::string text;          // String text, Ident/Call name, Member field
  std::string written;       // operator as written (`at least`), for fmt and explain
  std::vector<std::unique_ptr<Expr>> args;

  // checker:
  Type type = Type::Error;
  std::string scale;         // Type::Grade: the scale id
  RefKind ref = RefKind::None;
  int ref_index = -1;        // index into the Ruleset table named by ref (see ruleset.h)
  int group = 0;             // ref Metric: 0 = all, i+1 = Metric::groups[i]
  int bound = 0;             // ref Metric: 0 value, 1 lower, 2 upper
};
using ExprPtr = std::unique_ptr<Expr>;

// ---- declarations ----------------------------------------------------------

struct Header {
  std::string name;
  std::string version;
  std::string year;  // "2025-26"
  Span span;
};

struct Include {
  std::string path;
  Span span;
};

struct UseLua {
  std::string path;
  Span span;
};

struct Grade {
  Name id;
  std::string label;  // may be empty
  Span span;
};

struct Scale {
  Name id;
  std::string label;
  std::vector<Grade> grades;  // best first
  Span span;
};

enum class MetricType : uint8_t { Percent, Score, Count, Rate, Number, YesNo, Grade };

// The expression type of a metric's values (yes/no metrics are Bool).
constexpr Type value_type(MetricType t) {
  switch (t) {
    case MetricType::Percent: return Type::Percent;
    case MetricType::Score: return Type::Score;
    case MetricType::Count: return Type::Count;
    case MetricType::Rate: return Type::Rate;
    case MetricType::Number: return Type::Number;
    case MetricType::YesNo: return Type::Bool;
    case MetricType::Grade: return Type::Grade;
  }
  return Type::Number;
}
enum class Direction : uint8_t { None, Higher, Lower };
enum class Cadence : uint8_t { Annual, Termly };

struct Metric {
  Name id;
  std::string label;
  MetricType type = MetricType::Number;
  Name scale;  // MetricType::Grade
  Direction better = Direction::None;
  std::vector<Name> groups;  // `all` is implicit and not listed
  Cadence cadence = Cadence::Annual;
  bool confidence = false;
  // `valid for 1 year`: a value older than this is stale, so unknown (0 = no limit).
  int valid_for = 0;
  bool valid_for_terms = false;  // the count is in terms, not years
  Span valid_for_span;
  Span span;
  std::vector<Span> item_spans;  // one per property line, for fmt
};

enum class PeriodFrom : uint8_t { Fixed, FileName, Column, Columns };

// The academic years (start years) a period can name: a rule file, file name or
// year column that names another is refused, and a data Cell keeps its year in
// 11 bits (dataset.h).
constexpr int kFirstYear = 1900, kLastYear = 2200;

struct PeriodSpec {
  PeriodFrom from = PeriodFrom::FileName;
  int year = 0;       // Fixed: start year
  uint8_t term = 0;   // Fixed: 0 annual, 1..3
  Name column;        // Column / Columns: year column
  Name term_column;   // Columns: term column
  Span span;
};

enum class RowKindTag : uint8_t { School, Benchmark, Skip };

struct RowRule {
  std::string value;     // cell value; empty with is_else
  bool is_else = false;
  RowKindTag kind = RowKindTag::School;
  std::string school_type;  // School: "mainstream"
  Name benchmark;           // Benchmark: `national`, `local_authority`, or a declared id
  Name phase_column;        // Benchmark: `national phase from ESTAB`
  Span span;
};

struct MissingCode {
  std::string code;  // "SUPP"; "" for `blank`
  std::string reason;
  Span span;
};

struct ColumnBinding {
  Name metric;   // or an overrides field: tier, reason, approved_by, date
  Name group;    // empty = all
  Name bound;    // empty, `lower` or `upper`
  std::vector<Name> columns;  // alternatives, first found wins
  Span span;
};

enum class SourceRole : uint8_t { Data, Overrides };

struct SchoolAttr {
  Name attr;    // name, phase, type, la
  Name column;  // empty for `school type from rows`
  bool from_rows = false;
  Span span;
};

struct Source {
  Name id;
  std::string label;
  SourceRole role = SourceRole::Data;
  std::vector<std::string> files;  // globs
  Name key;
  PeriodSpec period;
  std::vector<SchoolAttr> attrs;
  Name rows_column;  // empty when there is no `rows by`
  std::vector<RowRule> rows;
  std::vector<MissingCode> missing;
  bool bad_values_warn = false;
  std::vector<ColumnBinding> columns;
  Span span;
  std::vector<Span> item_spans;
};

struct BenchmarkValue {
  Name metric;
  Name group;
  struct PerYear {
    ExprPtr value;
    int year = 0;  // 0 = every year
    Span span;
  };
  std::vector<PerYear> values;
  Span span;
};

struct Benchmark {
  Name id;
  std::string label;
  std::vector<BenchmarkValue> values;
  Span span;
};

struct Param {
  Name id;
  std::string label;
  ExprPtr value;
  Span span;
};

struct Define {
  Name id;
  std::string label;
  std::vector<Name> params;
  bool has_parens = false;  // `define f() = …` vs `define f = …`
  ExprPtr body;
  Span span;
};

enum class RuleKind : uint8_t { Standard, Floor };

struct Rule {
  RuleKind kind{};
  Name id;
  std::string label;
  ExprPtr applies;   // may be null
  ExprPtr met;       // null when lua_function is set
  Name lua_function; // `met by lua "fn"`
  int breach_tier = 0;  // floor: `on breach tier at least N`; 0 = none
  Span breach_span;
  Span span;
  std::vector<Span> item_spans;
};

enum class PolicyKind : uint8_t { BestFit, FirstMatch, AtLeast };

struct Policy {
  PolicyKind kind = PolicyKind::BestFit;
  int at_least = 0;
  int otherwise = 0;  // 0 = highest tier
  Span span;
};

struct Descriptor {
  std::string label;
  ExprPtr expr;
  Span span;
};

enum class FreqUnit : uint8_t { Once, Week, Term, Year };

struct Frequency {
  FreqUnit unit = FreqUnit::Once;  // Once: a one-off, no frequency written
  double every = 1;   // `every N weeks`: N (count per unit is 1)
  double times = 1;   // `N times a year`: N (every is 1)
  std::string written;  // as written, for render and fmt ("every 4 weeks")
};

struct Support {
  Name id;
  std::string label;
  Frequency freq;
  Span span;
};

enum class LedBy : uint8_t { Academy, Trust };

struct Tier {
  int number = 0;
  Span number_span;
  std::string label;
  LedBy led_by = LedBy::Academy;
  std::vector<Descriptor> descriptors;
  std::vector<Support> support;
  Span span;
};

struct Tiers {
  std::string label;
  Policy policy;
  std::vector<Tier> tiers;
  Span span;
};

struct Kpi {
  Name id;
  std::string label;
  ExprPtr value;
  Direction better = Direction::None;
  ExprPtr met;  // may be null
  Span span;
  std::vector<Span> item_spans;
};

// A given value in a test: `metric[.group][.bound] [in PERIOD]: value`, or
// `benchmark(metric[.group]) [in PERIOD]: value`. `code` is set for `SUPP` etc.
struct GivenValue {
  Name benchmark;  // empty for a school value
  Name metric;
  Name group;
  Name bound;
  ExprPtr period;  // ExprKind::Year or null (= the test's evaluation period)
  ExprPtr value;   // null when code is set
  std::string code;
  Span span;
};

struct GivenSchool {
  std::string urn;
  std::string name;
  std::string phase;
  std::string type;
  std::vector<GivenValue> values;
  Span span;
};

enum class ExpectKind : uint8_t { Tier, Status, Value };
enum class Status : uint8_t { Met, NotMet, Unknown, NotApplicable };

struct Expect {
  ExpectKind kind{};
  std::string urn;   // `expect school 900001 tier 4`; empty = the only school
  int tier = 0;
  Name rule;         // Status: rule/descriptor/kpi id; Value: metric or define
  Status status{};
  ExprPtr value;     // Value: `expect gap(rwm_expected) = 5 points`
  Span span;
};

struct Test {
  std::string label;
  ExprPtr as_of;     // `as of 2024-25 summer`; null = the ruleset year
  std::vector<GivenSchool> schools;
  std::vector<Expect> expects;
  Span span;
};

using Decl = std::variant<Include, UseLua, Scale, Metric, Source, Benchmark, Param, Define,
                          Rule, Tiers, Kpi, Test>;

struct Comment {
  std::string text;  // from '#' to end of line, without the newline
  Span span;
  bool trailing = false;  // code precedes it on its line
};

struct File {
  uint32_t id = 0;  // index into SourceFiles
  std::string path;
  std::optional<Header> header;
  std::vector<Decl> decls;        // in source order
  std::vector<Comment> comments;  // in source order
};

}  // namespace tr
