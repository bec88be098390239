// load_data on small files written by the test, against a ruleset built by hand
// (so these tests depend on neither parser nor checker). The real DfE files are
// tested in data_real_test.cc.
#include "dataset.h"

#include <catch2/catch.hpp>

#include <deque>
#include <filesystem>
#include <fstream>
#include <random>

using namespace tr;
namespace fs = std::filesystem;

namespace {

Name nm(std::string s) { return Name{std::move(s), {}}; }

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("trustrules_data_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

// A ruleset's tables filled by hand, the way check_ruleset would.
struct Rules {
  Ruleset rs;
  std::deque<Metric> metrics;
  std::deque<Source> sources;
  std::deque<Scale> scales;

  Rules() {
    rs.benchmark_ids = {"national", "local_authority"};
    rs.benchmarks = {nullptr, nullptr};
    rs.benchmark_index = {{"national", 0}, {"local_authority", 1}};
  }
  Metric& metric(const std::string& id, MetricType t, std::vector<std::string> groups = {}, bool ci = false) {
    Metric& m = metrics.emplace_back();
    m.id = nm(id);
    m.type = t;
    for (auto& g : groups) m.groups.push_back(nm(g));
    m.confidence = ci;
    rs.metric_index[id] = static_cast<int>(rs.metrics.size());
    rs.metrics.push_back(&m);
    return m;
  }
  Source& source(const std::string& id, const std::string& glob) {
    Source& s = sources.emplace_back();
    s.id = nm(id);
    s.files = {glob};
    s.key = nm("URN");
    rs.source_index[id] = static_cast<int>(rs.data_sources.size());
    rs.data_sources.push_back(&s);
    return s;
  }
  void benchmark(const std::string& id) {
    rs.benchmark_index[id] = static_cast<int>(rs.benchmark_ids.size());
    rs.benchmark_ids.push_back(id);
    rs.benchmarks.push_back(nullptr);
  }
};

void bind(Source& s, const std::string& metric, std::vector<std::string> cols, const std::string& group = "",
          const std::string& bound = "") {
  ColumnBinding b;
  b.metric = nm(metric);
  b.group = nm(group);
  b.bound = nm(bound);
  for (auto& c : cols) b.columns.push_back(nm(c));
  s.columns.push_back(std::move(b));
}

RowRule school_row(std::string v, std::string type) {
  RowRule r;
  r.value = std::move(v);
  r.kind = RowKindTag::School;
  r.school_type = std::move(type);
  return r;
}
RowRule bench_row(std::string v, std::string b, std::string phase_col = "") {
  RowRule r;
  r.value = std::move(v);
  r.kind = RowKindTag::Benchmark;
  r.benchmark = nm(std::move(b));
  r.phase_column = nm(std::move(phase_col));
  return r;
}
RowRule skip_row(std::string v) {
  RowRule r;
  r.value = std::move(v);
  r.kind = RowKindTag::Skip;
  return r;
}

// The KS2-like source most tests use.
struct Ks2 : Rules {
  Source* src;
  Ks2() {
    metric("cohort", MetricType::Count);
    metric("rwm", MetricType::Percent, {"disadvantaged"});
    metric("progress", MetricType::Score, {}, true);
    metric("sen", MetricType::Percent);
    benchmark("national_all");
    src = &source("ks2", "*_ks2.csv");
    src->attrs.push_back({nm("name"), nm("SCHNAME"), false, {}});
    src->attrs.push_back({nm("type"), nm(""), true, {}});
    src->attrs.push_back({nm("la"), nm("LEA"), false, {}});
    src->rows_column = nm("RECTYPE");
    src->rows = {school_row("1", "mainstream"), school_row("2", "special"), bench_row("3", "local_authority"),
                 bench_row("4", "national_all"), bench_row("5", "national"), skip_row("6")};
    src->missing = {{"SUPP", "suppressed", {}}, {"NA", "not applicable", {}}, {"", "missing", {}}};
    bind(*src, "cohort", {"TELIG"});
    bind(*src, "rwm", {"PTRWM_EXP", "PTRWMEXP"});
    bind(*src, "rwm", {"PTRWM_EXP_FSM6CLA1A"}, "disadvantaged");
    bind(*src, "progress", {"READPROG"});
    bind(*src, "progress", {"READPROG_LOWER"}, "", "lower");
    bind(*src, "progress", {"READPROG_UPPER"}, "", "upper");
    bind(*src, "sen", {"PSENELSE"});
  }
};

const char* kHeader = "\xEF\xBB\xBFRECTYPE,LEA,URN,SCHNAME,TELIG,PTRWM_EXP,PTRWM_EXP_FSM6CLA1A,READPROG,READPROG_LOWER,READPROG_UPPER,PSENELSE\r\n";

std::string errors(const Diagnostics& d) { return d.render(SourceFiles{}); }

}  // namespace

TEST_CASE("load: a KS2-like file: codes, percent text, short rows, row kinds, provenance", "[data]") {
  Ks2 r;
  TempDir dir;
  dir.write("2018-2019_850_ks2.csv",
            std::string(kHeader) +
                "1,850,100001,\"Alpha, Primary\",30,53%,SUPP,1.5,0.2,2.8,12%\r\n"
                "2,850,100002,Beta Special,5,SUPP,SUPP,NA,NA,NA,\r\n"
                "1,850,100003,Gamma New,NEW\r\n"  // stops early
                "\r\n"
                "3,850, ,Hampshire,9000,66%,50%,0.1,0,0.2,11%\r\n"
                "4, , , ,600000,64%,51%,0,0,0,\r\n"
                "5, , , ,590000,65%,51%,0,0,0,\r\n"
                "6,,,,,,,,,,\r\n");
  r.src->missing.push_back({"NEW", "new school", {}});
  Dataset d;
  Diagnostics diags;
  LoadReport report;
  REQUIRE(load_data(r.rs, {dir.path.string()}, d, diags, &report));
  CHECK(errors(diags).empty());

  REQUIRE(d.schools.size() == 3);
  CHECK(d.schools[0].urn == "100001");
  CHECK(d.schools[0].name == "Alpha, Primary");
  CHECK(d.schools[0].type == "mainstream");
  CHECK(d.schools[0].la == "850");
  CHECK(d.schools[1].type == "special");

  const Period y{2018, 0};
  int rwm = d.series.of(r.rs, 1, 0, 0), rwm_dis = d.series.of(r.rs, 1, 1, 0);
  int prog_lo = d.series.of(r.rs, 2, 0, 1), sen = d.series.of(r.rs, 3, 0, 0);
  const Cell* c = d.at(rwm, 0, y);
  REQUIRE(c);
  CHECK(c->known());
  CHECK(c->value == 53);
  CHECK(c->row == 2);
  CHECK(d.provenance(*c).col == 6);
  CHECK(d.describe_provenance(*c) == "2018-2019_850_ks2.csv row 2, column PTRWM_EXP (2018-19)");
  CHECK(d.at(prog_lo, 0, y)->value == 0.2);

  const Cell* supp = d.at(rwm_dis, 0, y);
  REQUIRE(supp);
  CHECK(supp->missing() == Missing::Code);
  CHECK(supp->value == 0);
  CHECK(d.codes[supp->code()].code == "SUPP");
  CHECK(d.describe_missing(*supp) == "PTRWM_EXP_FSM6CLA1A is SUPP (suppressed) in 2018-2019_850_ks2.csv row 2");

  // Row 3 ends with an empty cell; row 4 stops after TELIG.
  CHECK(d.at(sen, 1, y)->missing() == Missing::Blank);
  CHECK(d.describe_missing(*d.at(sen, 1, y)) == "PSENELSE is blank (missing) in 2018-2019_850_ks2.csv row 3");
  const Cell* cut = d.at(rwm, 2, y);
  REQUIRE(cut);
  CHECK(cut->missing() == Missing::Blank);
  CHECK(d.codes[cut->code()].reason == "the row ends before this column");
  CHECK(d.at(0, 2, y)->missing() == Missing::Code);  // TELIG is NEW

  // Benchmarks: 5 is national, 4 national_all, 3 the LA row (line 6: a blank line precedes it).
  const Cell* nat = d.benchmark(0, rwm, "primary", y);
  REQUIRE(nat);
  CHECK(nat->value == 65);
  CHECK(nat->row == 8);
  CHECK(d.benchmark(2, rwm, "primary", y)->value == 64);
  const Cell* la = d.benchmark(1, rwm, "", y, "850");
  REQUIRE(la);
  CHECK(la->value == 66);
  CHECK(la->row == 6);
  CHECK(d.benchmark(0, sen, "", y)->missing() == Missing::Blank);

  REQUIRE(report.files.size() == 1);
  const auto& f = report.files[0];
  CHECK(f.rows == 7);
  CHECK(f.school_rows == 3);
  CHECK(f.benchmark_rows == 3);
  CHECK(f.skipped_rows == 1);
  CHECK(f.periods == std::vector<std::string>{"2018-19"});
  CHECK(f.metrics_absent.empty());
  CHECK(std::find(f.codes.begin(), f.codes.end(), std::pair<std::string, uint32_t>{"SUPP", 3}) != f.codes.end());
}

TEST_CASE("load: a column absent from one year's file is unknown for that year", "[data]") {
  Ks2 r;
  TempDir dir;
  dir.write("2017-2018_850_ks2.csv", std::string(kHeader) + "1,850,100001,A,30,50%,40%,1,0,2,10%\r\n");
  dir.write("2018-2019_850_ks2.csv",
            "RECTYPE,LEA,URN,SCHNAME,TELIG,PTRWMEXP,PTRWM_EXP_FSM6CLA1A,READPROG,READPROG_LOWER,READPROG_UPPER\n"
            "1,850,100001,A Renamed,31,55%,45%,1,0,2\n");
  Dataset d;
  Diagnostics diags;
  LoadReport report;
  REQUIRE(load_data(r.rs, {dir.path.string()}, d, diags, &report));
  int rwm = d.series.of(r.rs, 1, 0, 0), sen = d.series.of(r.rs, 3, 0, 0);
  // The alternative column name is used when the first is absent.
  CHECK(d.at(rwm, 0, {2018, 0})->value == 55);
  CHECK(d.at(rwm, 0, {2017, 0})->value == 50);
  const Cell* gone = d.latest(sen, 0, {2018, 0});
  REQUIRE(gone);
  CHECK(gone->missing() == Missing::ColumnAbsent);
  CHECK(d.describe_missing(*gone) == "column PSENELSE not in file 2018-2019_850_ks2.csv");
  CHECK(d.at(sen, 0, {2017, 0})->value == 10);
  // The later file's name wins within one source.
  CHECK(d.schools[0].name == "A Renamed");
  REQUIRE(report.files.size() == 2);
  CHECK(report.files[1].metrics_absent == std::vector<std::string>{"sen (PSENELSE)"});
}

TEST_CASE("load: broken files give errors with file, row and column", "[data]") {
  Ks2 r;
  TempDir dir;
  Dataset d;
  Diagnostics diags;
  std::string text;

  SECTION("a ragged row") {
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "1,850,100001,A,30,50%,40%,1,0,2,10%,oops\r\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find("2018-2019_850_ks2.csv:2:12: error: the row has 12 cells but the header has 11") != std::string::npos);
  }
  SECTION("a trailing separator is not ragged") {
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "1,850,100001,A,30,50%,40%,1,0,2,10%,\r\n");
    CHECK(load_data(r.rs, {dir.path.string()}, d, diags));
  }
  SECTION("a duplicate URN") {
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "1,850,100001,A,30,50%,40%,1,0,2,10%\r\n" +
                                           "1,850,100001,A,30,50%,40%,1,0,2,10%\r\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find("2018-2019_850_ks2.csv:3:3: error: URN 100001 appears twice; the first is row 2") != std::string::npos);
  }
  SECTION("a header wider than a cell can point at") {
    // A cell keeps its column in 16 bits: a wider file is refused, not misplaced.
    std::string wide = "RECTYPE,URN,TELIG";
    for (size_t i = 3; i <= kMaxColumns; ++i) wide += ",X" + std::to_string(i);
    dir.write("2018-2019_850_ks2.csv", wide + "\n1,100001,3\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find("2018-2019_850_ks2.csv:1: error: the header has 65536 columns; at most 65535 are read") !=
          std::string::npos);
    CHECK(text.find("export only the columns the sources name") != std::string::npos);
  }
  SECTION("more files than a cell can point at") {
    for (size_t i = 0; i <= kMaxFiles; ++i) std::ofstream(dir.path / ("f" + std::to_string(i) + "_ks2.csv"));
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find("65536 data files match the sources; at most 65535 are read in one run") != std::string::npos);
    CHECK(d.files.empty());  // refused before any file is read
  }
  SECTION("more bound columns than a cell can point at") {
    // A cell keeps its file and column as one of 65,535 places: a source that
    // binds 1,000 columns in 66 files is refused before any file is read.
    auto first = r.src->columns[0];
    for (int i = 0; i < 1000; ++i) r.src->columns.push_back(first);
    for (int i = 0; i < 66; ++i) std::ofstream(dir.path / ("f" + std::to_string(i) + "_ks2.csv"));
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find(std::to_string(66 * r.src->columns.size()) + " columns are bound in the 66 data files") !=
          std::string::npos);
    CHECK(text.find("at most 65535 are read in one run") != std::string::npos);
    CHECK(text.find("evaluate a region or a few years at a time") != std::string::npos);
    CHECK(d.values.cells.empty());
  }
  SECTION("a missing key column") {
    dir.write("2018-2019_850_ks2.csv", "RECTYPE,URNX,TELIG\n1,100001,3\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find("2018-2019_850_ks2.csv:1: error: key column URN is not in the header") != std::string::npos);
    CHECK(text.find("did you mean 'URNX'?") != std::string::npos);
  }
  SECTION("an undeclared code") {
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "1,850,100001,A,30,LOWCOV,40%,1,0,2,10%\r\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    text = errors(diags);
    CHECK(text.find("2018-2019_850_ks2.csv:2:6: error: 'LOWCOV' in column PTRWM_EXP is neither a percentage nor a declared missing code") != std::string::npos);
    CHECK(text.find("declared codes: SUPP, NA") != std::string::npos);
  }
  SECTION("an undeclared code with bad values warn") {
    r.src->bad_values_warn = true;
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "1,850,100001,A,30,LOWCOV,40%,1,0,2,10%\r\n");
    LoadReport report;
    REQUIRE(load_data(r.rs, {dir.path.string()}, d, diags, &report));
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].find("2018-2019_850_ks2.csv:2:6: 'LOWCOV' in column PTRWM_EXP") != std::string::npos);
    const Cell* c = d.at(d.series.of(r.rs, 1, 0, 0), 0, {2018, 0});
    REQUIRE(c);
    CHECK(c->missing() == Missing::BadValue);
    CHECK(d.describe_missing(*c) == "PTRWM_EXP is 'LOWCOV', not a percentage, in 2018-2019_850_ks2.csv row 2");
  }
  SECTION("a row kind the source does not list") {
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "9,850,100001,A,30,50%,40%,1,0,2,10%\r\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    CHECK(errors(diags).find(":2:1: error: RECTYPE is '9'") != std::string::npos);
  }
  SECTION("no year in the file name") {
    dir.write("latest_ks2.csv", std::string(kHeader));
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    CHECK(errors(diags).find("latest_ks2.csv: error: the file name carries no academic year") != std::string::npos);
  }
  SECTION("an unclosed quote") {
    dir.write("2018-2019_850_ks2.csv", std::string(kHeader) + "1,850,100001,\"A,30\r\n");
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    CHECK(errors(diags).find(":2: error: a quoted field is not closed") != std::string::npos);
  }
  SECTION("a missing data folder") {
    CHECK_FALSE(load_data(r.rs, {(dir.path / "nope").string()}, d, diags));
    CHECK(errors(diags).find("nope: error: no such file or folder") != std::string::npos);
  }
  SECTION("many bad cells are capped") {
    std::string body = kHeader;
    for (int i = 0; i < 30; ++i) body += "1,850,1000" + std::to_string(10 + i) + ",A,x,50%,40%,1,0,2,10%\r\n";
    dir.write("2018-2019_850_ks2.csv", body);
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
    CHECK(diags.error_count() == 21);
    CHECK(errors(diags).find("10 more errors in this file") != std::string::npos);
  }
}

TEST_CASE("load: termly data with period columns, grades and yes/no", "[data]") {
  Rules r;
  Scale& sc = r.scales.emplace_back();
  sc.id = nm("judgement");
  sc.grades = {{nm("effective"), "Effective", {}}, {nm("requires_improvement"), "Requires improvement", {}},
               {nm("ineffective"), "Ineffective", {}}};
  r.rs.scale_index["judgement"] = 0;
  r.rs.scales.push_back(&sc);
  r.metric("attendance", MetricType::Percent).cadence = Cadence::Termly;
  Metric& g = r.metric("safeguarding", MetricType::Grade);
  g.scale = nm("judgement");
  r.metric("visited", MetricType::YesNo);
  Source& s = r.source("trust", "attendance*.csv");
  s.period.from = PeriodFrom::Columns;
  s.period.column = nm("Year");
  s.period.term_column = nm("Term");
  s.attrs.push_back({nm("phase"), nm("Phase"), false, {}});
  bind(s, "attendance", {"Attendance %"});
  bind(s, "safeguarding", {"Safeguarding"});
  bind(s, "visited", {"Visited"});
  TempDir dir;
  dir.write("attendance.csv",
            "URN,Year,Term,Phase,Attendance %,Safeguarding,Visited\n"
            "100001,2024-25,Autumn,Middle deemed primary,95.5,Effective,yes\n"
            "100001,2024-25,Spring term,Middle deemed primary,94.1,requires improvement,N\n"
            "100001,2023-24,,Middle deemed primary,93,REQUIRES_IMPROVEMENT,\n"
            "100002,2024-25,Autumn,PRI,91,ineffective,1\n");
  Dataset d;
  Diagnostics diags;
  LoadReport report;
  REQUIRE(load_data(r.rs, {dir.path.string()}, d, diags, &report));
  CHECK(errors(diags).empty());
  CHECK(d.schools[0].phase == "middle_primary");
  CHECK(d.schools[1].phase == "primary");
  REQUIRE(d.values.of(0, 0).size() == 3);
  CHECK(d.values.of(0, 0)[0].period() == Period{2023, 0});  // sorted although read last
  CHECK(d.latest(0, 0, {2024, 1})->value == 95.5);
  CHECK(d.latest(0, 0, {2024, 3})->value == 94.1);
  CHECK(d.latest(0, 0, {2023, 0})->value == 93);
  CHECK(d.at(1, 0, {2024, 1})->value == 0);
  CHECK(d.at(1, 0, {2024, 2})->value == 1);
  CHECK(d.at(1, 0, {2023, 0})->value == 1);
  CHECK(d.at(1, 1, {2024, 1})->value == 2);
  CHECK(d.at(2, 0, {2024, 1})->value == 1);
  CHECK(d.at(2, 0, {2024, 2})->value == 0);
  CHECK(d.at(2, 0, {2023, 0})->missing() == Missing::Blank);
  CHECK(report.files[0].periods == std::vector<std::string>{"2023-24", "2024-25 autumn", "2024-25 spring"});

  SECTION("an unknown grade word is a bad value") {
    dir.write("attendance.csv", "URN,Year,Term,Attendance %,Safeguarding\n100001,2024-25,Autumn,95,Excellent\n");
    Diagnostics d2;
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, d2));
    CHECK(errors(d2).find("attendance.csv:2:5: error: 'Excellent' in column Safeguarding is neither a grade") != std::string::npos);
  }
  SECTION("a bad term") {
    dir.write("attendance.csv", "URN,Year,Term,Attendance %\n100001,2024-25,Winter,95\n");
    Diagnostics d2;
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, d2));
    CHECK(errors(d2).find("attendance.csv:2:3: error: 'Winter' in column Term is not a term") != std::string::npos);
  }
  SECTION("the same school twice in one term") {
    dir.write("attendance.csv", "URN,Year,Term,Attendance %\n100001,2024-25,Autumn,95\n100001,2024-25,autumn,96\n");
    Diagnostics d2;
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, d2));
    CHECK(errors(d2).find("attendance.csv:3:1: error: URN 100001 appears twice for 2024-25 autumn; the first is row 2") != std::string::npos);
  }
  SECTION("a long termly file: every school and term once, then one twice") {
    // 300 schools x 3 terms: the (school, term) table grows several times over.
    std::string text = "URN,Year,Term,Attendance %\n";
    for (const char* term : {"Autumn", "Spring", "Summer"})
      for (int i = 0; i < 300; ++i) text += std::to_string(200000 + i) + ",2024-25," + term + ",95\n";
    Diagnostics d2;
    dir.write("attendance.csv", text);
    REQUIRE(load_data(r.rs, {dir.path.string()}, d, d2));
    CHECK(d.schools.size() == 300);
    text += "200123,2024-25,spring,96\n";  // row 902; the first was row 2 + 300 + 123
    dir.write("attendance.csv", text);
    Diagnostics d3;
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, d3));
    CHECK(errors(d3).find("attendance.csv:902:1: error: URN 200123 appears twice for 2024-25 spring; the first is row 425") != std::string::npos);
  }
}

TEST_CASE("load: sources merge schools by URN; attributes by source order; conflicts are errors", "[data]") {
  Rules r;
  r.metric("roll", MetricType::Count);
  r.metric("fsm", MetricType::Percent);
  Source& a = r.source("census", "census_*.csv");
  a.period.from = PeriodFrom::Fixed;
  a.period.year = 2018;
  a.rows_column = nm("URN");
  RowRule nat = bench_row("NAT", "national", "ESTAB");
  RowRule other;
  other.is_else = true;
  a.rows = {nat, other};
  a.attrs.push_back({nm("name"), nm("Name"), false, {}});
  bind(a, "roll", {"NOR"});
  Source& b = r.source("gias", "gias_*.csv");
  b.period.from = PeriodFrom::FileName;
  b.attrs.push_back({nm("name"), nm("EstablishmentName"), false, {}});
  b.attrs.push_back({nm("phase"), nm("PhaseOfEducation (name)"), false, {}});
  bind(b, "fsm", {"PercentageFSM"});
  TempDir dir;
  dir.write("census_x.csv", "URN,LA,ESTAB,Name,NOR\n100001,850,2000,,200\n100002,850,2001,Census Name,100\n"
                            "NAT,,PRI,,4727089\nNAT,,SEC,,3327970\n");
  dir.write("gias_2019-01-10.csv",
            "\"URN\",\"EstablishmentName\",\"PhaseOfEducation (name)\",\"PercentageFSM\"\n"
            "100001,\"Gias One\",\"Primary\",\"12.5\"\n100002,\"Gias Two\",\"Secondary\",\"\"\n100003,\"Three\",\"All-through\",\"8\"\n");
  dir.write("notes.txt", "not data\n");
  Dataset d;
  Diagnostics diags;
  LoadReport report;
  REQUIRE(load_data(r.rs, {dir.path.string()}, d, diags, &report));
  REQUIRE(d.schools.size() == 3);
  CHECK(d.schools[0].name == "Gias One");  // census gave an empty name
  CHECK(d.schools[1].name == "Census Name");
  CHECK(d.schools[2].phase == "all_through");
  CHECK(d.at(1, 0, {2018, 2})->value == 12.5);  // a dated extract is the term it falls in
  CHECK(d.benchmark(0, 0, "primary", {2018, 0})->value == 4727089);
  CHECK(d.benchmark(0, 0, "secondary", {2018, 0})->value == 3327970);
  CHECK(d.benchmark(0, 0, "special", {2018, 0}) == nullptr);
  CHECK(report.unmatched_files.size() == 1);
  CHECK(report.unmatched_files[0].find("notes.txt") != std::string::npos);

  SECTION("two sources disagreeing about one value") {
    bind(b, "roll", {"NOR"});
    b.period.from = PeriodFrom::Fixed;
    b.period.year = 2018;
    dir.write("gias_2019-01-10.csv", "URN,NOR\n100001,201\n");
    Diagnostics d2;
    CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, d2));
    CHECK(errors(d2).find("gias_2019-01-10.csv:2:2: error: this value (201") != std::string::npos);
  }
}

TEST_CASE("load: overrides", "[data]") {
  Rules r;
  r.metric("roll", MetricType::Count);
  Source& a = r.source("census", "census.csv");
  a.period.from = PeriodFrom::Fixed;
  a.period.year = 2024;
  bind(a, "roll", {"NOR"});
  Source& o = r.source("overrides", "overrides.csv");
  o.role = SourceRole::Overrides;
  o.period.from = PeriodFrom::Columns;
  o.period.column = nm("AcademicYear");
  o.period.term_column = nm("Term");
  bind(o, "tier", {"Tier"});
  bind(o, "reason", {"Reason"});
  bind(o, "approved_by", {"ApprovedBy"});
  bind(o, "date", {"Date"});
  TempDir dir;
  dir.write("census.csv", "URN,NOR\n100001,200\n");
  dir.write("overrides.csv", "URN,AcademicYear,Term,Tier,Reason,ApprovedBy,Date\n"
                             "100001,2024-25,Spring,3,\"Head resigned, interim\",CEO,2025-01-20\n"
                             "999999,2024-25,Spring,2,x,CEO,2025-01-20\n");
  Dataset d;
  Diagnostics diags;
  LoadReport report;
  REQUIRE(load_data(r.rs, {dir.path.string()}, d, diags, &report));
  REQUIRE(d.overrides.size() == 2);
  CHECK(d.overrides[0].urn == "100001");
  CHECK(d.overrides[0].tier == 3);
  CHECK(d.overrides[0].period == Period{2024, 2});
  CHECK(d.overrides[0].reason == "Head resigned, interim");
  CHECK(d.overrides[0].approved_by == "CEO");
  CHECK(d.overrides[0].prov.row == 2);
  REQUIRE(report.warnings.size() == 1);
  CHECK(report.warnings[0].find("999999") != std::string::npos);
  CHECK(d.schools.size() == 1);

  dir.write("overrides.csv", "URN,AcademicYear,Term,Tier\n100001,2024-25,Spring,three\n");
  Diagnostics d2;
  CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, d2));
  CHECK(errors(d2).find("overrides.csv:2:4: error: 'three' in column Tier is not a tier number") != std::string::npos);
}

TEST_CASE("load: files read in parallel are taken in order: errors, attributes, conflicts, notes", "[data]") {
  Ks2 r;
  TempDir dir;
  // Twelve years, more files than threads. A school renamed every year keeps
  // its latest name; each file has an error whose row tells the files apart;
  // 2016-17 lacks a column, so its cells are unknown with that file's own note.
  for (int y = 2010; y < 2022; ++y) {
    std::string name = std::to_string(y) + "-" + std::to_string(y + 1) + "_850_ks2.csv";
    std::string text = y == 2016 ? "RECTYPE,LEA,URN,SCHNAME,TELIG,PTRWM_EXP_FSM6CLA1A,READPROG,READPROG_LOWER,READPROG_UPPER,PSENELSE\n"
                                 : std::string(kHeader);
    text += "1,850,100001,Name " + std::to_string(y) + ",30," + (y == 2016 ? "" : "50%,") + "40%,1,0,2,10%\n";
    for (int k = 0; k < y - 2009; ++k) text += "1,850,1000" + std::to_string(10 + k) + ",Filler,30," + (y == 2016 ? "" : "50%,") + "40%,1,0,2,10%\n";
    text += "1,850,100002,Bad,30," + std::string(y == 2016 ? "" : "50%,") + "40%,1,0,2,oops\n";  // row y - 2006
    dir.write(name, text);
  }
  Dataset d;
  Diagnostics diags;
  CHECK_FALSE(load_data(r.rs, {dir.path.string()}, d, diags));
  std::string e = errors(diags);
  size_t at = 0;
  for (int y = 2010; y < 2022; ++y) {
    std::string where = std::to_string(y) + "-" + std::to_string(y + 1) + "_850_ks2.csv:" + std::to_string(y - 2006) + ":";
    size_t found = e.find(where, at);
    INFO(where << "\n" << e);
    REQUIRE(found != std::string::npos);  // and after the previous file's error
    at = found;
  }

  // Without the bad cells, the same files load; attributes and notes as if read one by one.
  for (int y = 2010; y < 2022; ++y) {
    std::string name = std::to_string(y) + "-" + std::to_string(y + 1) + "_850_ks2.csv";
    std::ifstream in(dir.path / name);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    text.replace(text.find("oops"), 4, "11%");
    dir.write(name, text);
  }
  Diagnostics ok;
  REQUIRE(load_data(r.rs, {dir.path.string()}, d, ok));
  int a = d.school_index("100001");
  REQUIRE(a >= 0);
  CHECK(d.schools[static_cast<size_t>(a)].name == "Name 2021");
  CHECK(d.values.of(1, a).size() == 12);  // rwm: a cell a year, 2016-17's unknown
  const Cell* c2016 = d.at(1, a, {2016, 0});
  REQUIRE(c2016);
  CHECK(c2016->missing() == Missing::ColumnAbsent);
  CHECK(d.describe_missing(*c2016).find("2016-2017_850_ks2.csv") != std::string::npos);
  CHECK(d.at(1, a, {2017, 0})->value == 50);
  CHECK(d.files.size() == 12);
  CHECK(d.files[6].path.find("2016-2017") != std::string::npos);  // in the order listed
}
