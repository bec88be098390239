// load_data on the real DfE files in shared/data, through the shipped source
// rules (rules/sources/*.rules, via the test roots in tests/data/). Expected
// values are read from the files here by a separate, deliberately naive CSV
// split, not by the engine's reader.
#include "dataset.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace tr;
namespace fs = std::filesystem;

namespace {

const std::string kHampshire = std::string(TRUSTRULES_SHARED_DATA) + "/dfe-ks2/hampshire-850";
const std::string kEngland = std::string(TRUSTRULES_SHARED_DATA) + "/dfe-england";
const std::string kKs2Root = std::string(TRUSTRULES_SOURCE_DIR) + "/tests/data/ks2.rules";
const std::string kPublicRoot = std::string(TRUSTRULES_SOURCE_DIR) + "/tests/data/public.rules";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The naive split: the files have no line breaks inside quotes, so a record is
// a line; a field is quoted when it starts with a quote.
std::vector<std::vector<std::string>> naive_rows(const std::string& path) {
  std::string text = slurp(path);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cells.back() += '"', ++i;
        else if (c == '"') quoted = false;
        else cells.back() += c;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.emplace_back();
      } else {
        cells.back() += c;
      }
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

// Replaces the raw text of cell `col` (0-based) of one CSV line, quotes and all.
std::string replace_cell(const std::string& line, int col, const std::string& with) {
  size_t begin = 0;
  bool quoted = false;
  int at = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    char c = i < line.size() ? line[i] : ',';
    if (c == '"') quoted = !quoted;
    if (quoted || (c != ',' && c != '\r' && c != '\n')) continue;
    if (at == col) return line.substr(0, begin) + with + line.substr(i);
    ++at;
    begin = i + 1;
    if (c != ',') break;
  }
  FAIL("no cell " << col);
  return line;
}

int column(const std::vector<std::string>& header, const std::string& name) {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

struct Loaded {
  std::unique_ptr<Ruleset> rs;
  Dataset data;
  LoadReport report;
  Diagnostics diags;
  bool ok = false;
};

std::unique_ptr<Loaded> load(const std::string& root, const std::vector<std::string>& paths) {
  auto l = std::make_unique<Loaded>();
  Diagnostics rd;
  l->rs = load_ruleset(root, rd);
  REQUIRE(l->rs);
  INFO(rd.render(l->rs->sources));
  REQUIRE(check_ruleset(*l->rs, rd));
  l->ok = load_data(*l->rs, paths, l->data, l->diags, &l->report);
  return l;
}

int series(const Loaded& l, const std::string& metric, int group = 0, int bound = 0) {
  int m = l.rs->find(l.rs->metric_index, metric);
  REQUIRE(m >= 0);
  return l.data.series.of(*l.rs, m, group, bound);
}

int group_of(const Loaded& l, const std::string& metric, const std::string& group) {
  const Metric& m = *l.rs->metrics[l.rs->find(l.rs->metric_index, metric)];
  for (size_t i = 0; i < m.groups.size(); ++i)
    if (m.groups[i].text == group) return static_cast<int>(i) + 1;
  FAIL("no group " << group);
  return -1;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device rd;
    path = fs::temp_directory_path() / ("trustrules_real_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Runs the CLI; returns its exit code and fills `out` with stdout and stderr.
int run_cli(const std::string& args, std::string& out) {
  std::string cmd = std::string(TRUSTRULES_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char* kYears[] = {"2016-2017", "2017-2018", "2018-2019"};

}  // namespace

TEST_CASE("real KS2: all three Hampshire years load, national rows by RECTYPE", "[data][real]") {
  auto l = load(kKs2Root, {kHampshire});
  INFO(l->diags.render(l->rs->sources));
  REQUIRE(l->ok);
  REQUIRE(l->report.files.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(l->report.files[i].periods == std::vector<std::string>{to_string(Period{int16_t(2016 + i), 0})});
    CHECK(l->report.files[i].metrics_absent.empty());
    CHECK(l->report.files[i].benchmark_rows == 3);
  }
  const int rwm = series(*l, "rwm_expected");
  // RECTYPE 5 (state-funded) is `national`; 4 (all schools) is `national_all`.
  const double national[] = {61, 64, 65};
  for (int i = 0; i < 3; ++i) {
    Period p{int16_t(2016 + i), 0};
    const Cell* c = l->data.benchmark(0, rwm, "primary", p);
    REQUIRE(c);
    CHECK(c->value == national[i]);
    // Verify the row independently: the national row is the one whose RECTYPE is 5.
    auto rows = naive_rows(kHampshire + "/" + kYears[i] + "_850_ks2final.csv");
    int rt = column(rows[0], "RECTYPE"), col = column(rows[0], "PTRWM_EXP");
    size_t line = 0;
    for (size_t r = 1; r < rows.size(); ++r)
      if (rows[r][rt] == "5") line = r + 1;
    CHECK(c->row == line);
    CHECK(l->data.provenance(*c).col == static_cast<uint32_t>(col + 1));
    CHECK(rows[line - 1][col] == std::to_string(static_cast<int>(national[i])) + "%");
  }
  int national_all = l->rs->find(l->rs->benchmark_index, "national_all");
  REQUIRE(national_all >= 2);
  CHECK(l->data.benchmark(national_all, rwm, "", {2016, 0})->value == 61);
  CHECK(l->data.benchmark(national_all, rwm, "", {2018, 0})->value == 65);
  // The Hampshire LA row (RECTYPE 3).
  CHECK(l->data.benchmark(1, rwm, "", {2016, 0}, "850")->value == 66);
  CHECK(l->data.benchmark(1, rwm, "", {2018, 0}, "850")->value == 68);
  CHECK(l->data.benchmark_latest(0, rwm, "", {2030, 0})->value == 65);
}

TEST_CASE("real KS2: a school's values and provenance match the file", "[data][real]") {
  auto l = load(kKs2Root, {kHampshire});
  REQUIRE(l->ok);
  const std::string urn = "115868";  // Burghclere Primary School: in all three years
  const int school = l->data.school_index(urn);
  REQUIRE(school >= 0);
  CHECK(l->data.schools[school].name == "Burghclere Primary School");
  CHECK(l->data.schools[school].type == "mainstream");
  CHECK(l->data.schools[school].la == "850");

  struct Want {
    const char* metric;
    int group, bound;
    const char* column;
  };
  const Want wants[] = {{"cohort", 0, 0, "TELIG"},          {"rwm_expected", 0, 0, "PTRWM_EXP"},
                        {"rwm_high", 0, 0, "PTRWM_HIGH"},     {"read_progress", 0, 0, "READPROG"},
                        {"read_progress", 0, 1, "READPROG_LOWER"}, {"read_progress", 0, 2, "READPROG_UPPER"},
                        {"maths_progress", 0, 0, "MATPROG"}};
  for (int y = 0; y < 3; ++y) {
    const std::string file = kHampshire + "/" + kYears[y] + "_850_ks2final.csv";
    auto rows = naive_rows(file);
    int urn_col = column(rows[0], "URN");
    size_t line = 0;
    for (size_t r = 1; r < rows.size(); ++r)
      if (rows[r].size() > static_cast<size_t>(urn_col) && rows[r][urn_col] == urn) line = r + 1;
    REQUIRE(line > 0);
    for (const Want& w : wants) {
      INFO(kYears[y] << " " << w.column);
      int col = column(rows[0], w.column);
      REQUIRE(col >= 0);
      std::string text = rows[line - 1][col];
      if (!text.empty() && text.back() == '%') text.pop_back();
      const Cell* c = l->data.at(series(*l, w.metric, w.group, w.bound), school, Period{int16_t(2016 + y), 0});
      REQUIRE(c);
      REQUIRE(c->known());
      CHECK(c->value == Approx(std::stod(text)));
      CHECK(c->row == line);
      CHECK(l->data.provenance(*c).col == static_cast<uint32_t>(col + 1));
      CHECK(l->data.files[l->data.provenance(*c).file].path == file);
    }
  }
  // And spelled out for one year, so a reader can check it by eye.
  const Cell* c = l->data.at(series(*l, "rwm_expected"), school, {2018, 0});
  CHECK(c->value == 72);
  CHECK(l->data.describe_provenance(*c) == "2018-2019_850_ks2final.csv row 21, column PTRWM_EXP (2018-19)");
  CHECK(l->data.latest(series(*l, "cohort"), school, {2018, 3})->value == 18);
  CHECK(l->data.latest(series(*l, "cohort"), school, {2017, 0})->value == 13);
}

TEST_CASE("real KS2: SUPP is unknown with its reason, never 0", "[data][real]") {
  auto l = load(kKs2Root, {kHampshire});
  REQUIRE(l->ok);
  const int dis = series(*l, "rwm_expected", group_of(*l, "rwm_expected", "disadvantaged"));
  // Every SUPP cell of the column in every year is unknown with the SUPP reason.
  size_t checked = 0;
  for (int y = 0; y < 3; ++y) {
    auto rows = naive_rows(kHampshire + "/" + kYears[y] + "_850_ks2final.csv");
    int urn_col = column(rows[0], "URN"), col = column(rows[0], "PTRWM_EXP_FSM6CLA1A");
    for (size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() <= static_cast<size_t>(col) || rows[r][col] != "SUPP") continue;
      int school = l->data.school_index(rows[r][urn_col]);
      REQUIRE(school >= 0);
      const Cell* c = l->data.at(dis, school, Period{int16_t(2016 + y), 0});
      REQUIRE(c);
      CHECK(c->missing() == Missing::Code);
      CHECK_FALSE(c->known());
      CHECK(l->data.codes[c->code()].code == "SUPP");
      CHECK(c->row == r + 1);
      ++checked;
    }
  }
  CHECK(checked > 300);
  const int school = l->data.school_index("115868");
  const Cell* c = l->data.at(dis, school, {2018, 0});
  CHECK(l->data.describe_missing(*c) ==
        "PTRWM_EXP_FSM6CLA1A is SUPP (suppressed (small numbers)) in 2018-2019_850_ks2final.csv row 21");
  // A new school's row stops early: what follows is blank, not zero.
  const Cell* cut = l->data.at(series(*l, "rwm_expected"), l->data.school_index("147519"), {2018, 0});
  REQUIRE(cut);
  CHECK(cut->missing() == Missing::Blank);
  CHECK(cut->row == 41);
}

TEST_CASE("real KS2: broken copies give errors with file, row and column", "[data][real]") {
  TempDir dir;
  const std::string name = "2018-2019_850_ks2final.csv";
  const std::string original = slurp(kHampshire + "/" + name);
  // Lines of the file, each with its CRLF, so a change keeps every other byte.
  std::vector<std::string> lines;
  for (size_t at = 0; at < original.size();) {
    size_t nl = original.find('\n', at);
    size_t end = nl == std::string::npos ? original.size() : nl + 1;
    lines.push_back(original.substr(at, end - at));
    at = end;
  }
  auto header = naive_rows(kHampshire + "/" + name)[0];
  auto write = [&](const std::vector<std::string>& ls) {
    std::ofstream out(dir.path / name, std::ios::binary);
    for (const auto& s : ls) out << s;
  };
  auto strip = [](std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  };
  auto expect_error = [&](const std::string& where, const std::string& what) {
    Diagnostics rd;
    auto rs = load_ruleset(kKs2Root, rd);
    REQUIRE(check_ruleset(*rs, rd));
    Dataset d;
    Diagnostics diags;
    CHECK_FALSE(load_data(*rs, {dir.path.string()}, d, diags));
    std::string text = diags.render(rs->sources);
    INFO(text);
    CHECK(text.find((dir.path / name).string() + where + ": error: " + what) != std::string::npos);
  };

  SECTION("a ragged row") {
    auto ls = lines;
    ls[9] = strip(ls[9]) + ",surplus\r\n";  // row 10
    write(ls);
    expect_error(":10:" + std::to_string(header.size() + 1),
                 "the row has " + std::to_string(header.size() + 1) + " cells but the header has " +
                     std::to_string(header.size()));
  }
  SECTION("a duplicate URN") {
    auto ls = lines;
    ls.insert(ls.begin() + 10, ls[9]);  // row 10 again as row 11
    write(ls);
    auto row10 = naive_rows(kHampshire + "/" + name)[9];
    int urn = column(header, "URN");
    expect_error(":11:" + std::to_string(urn + 1), "URN " + row10[urn] + " appears twice; the first is row 10");
  }
  SECTION("a missing key column") {
    auto ls = lines;
    size_t at = ls[0].find(",URN,");
    REQUIRE(at != std::string::npos);
    ls[0].replace(at, 5, ",URN_ID,");
    write(ls);
    expect_error(":1", "key column URN is not in the header of " + name);
  }
  SECTION("an undeclared code") {
    auto ls = lines;
    auto rows = naive_rows(kHampshire + "/" + name);
    int col = column(header, "PTRWM_EXP");
    // Row 21 (Burghclere) has 72% there; make it a code no source declares.
    REQUIRE(rows[20][col] == "72%");
    ls[20] = replace_cell(ls[20], col, "SUPX");
    write(ls);
    expect_error(":21:" + std::to_string(col + 1),
                 "'SUPX' in column PTRWM_EXP is neither a percentage nor a declared missing code");
  }
  SECTION("the unchanged copy loads") {
    write(lines);
    Diagnostics rd;
    auto rs = load_ruleset(kKs2Root, rd);
    REQUIRE(check_ruleset(*rs, rd));
    Dataset d;
    Diagnostics diags;
    CHECK(load_data(*rs, {dir.path.string()}, d, diags));
  }
}

TEST_CASE("real England files: absence and census by phase, KS4 rows, GIAS grades", "[data][real]") {
  auto l = load(kPublicRoot, {kEngland, kHampshire});
  INFO(l->diags.render(l->rs->sources));
  REQUIRE(l->ok);
  const Period y{2018, 0};
  const int abs = series(*l, "overall_absence"), pa = series(*l, "persistent_absence");
  // National rows by phase (LA = NAT, ESTAB = PRI / SEC / SPE).
  CHECK(l->data.benchmark(0, abs, "primary", y)->value == 4.0);
  CHECK(l->data.benchmark(0, abs, "secondary", y)->value == 5.5);
  CHECK(l->data.benchmark(0, pa, "special", y)->value == 28.8);
  CHECK(l->data.benchmark(0, abs, "nursery", y) == nullptr);
  // The first school row of the absence file.
  int s = l->data.school_index("100000");
  REQUIRE(s >= 0);
  CHECK(l->data.at(abs, s, y)->value == 2.6);
  CHECK(l->data.at(abs, s, y)->row == 2);
  // Census: the phase is in the school type; national rows have URN = NAT.
  CHECK(l->data.schools[s].phase == "primary");
  CHECK(l->data.benchmark(0, series(*l, "disadvantaged_share"), "secondary", y)->value == 27.7);
  const Cell* na = l->data.at(series(*l, "disadvantaged_share"), l->data.school_index("100001"), y);
  REQUIRE(na);
  CHECK(na->missing() == Missing::Code);
  CHECK(l->data.codes[na->code()].code == "NA");
  // KS4: RECTYPE 7 is state-funded `national`, 5 all schools, 4 one row per LA.
  const int p8 = series(*l, "progress8"), att8 = series(*l, "attainment8");
  CHECK(l->data.benchmark(0, p8, "secondary", y)->value == -0.03);
  CHECK(l->data.benchmark(0, att8, "secondary", y)->value == 46.5);
  int all = l->rs->find(l->rs->benchmark_index, "national_all");
  CHECK(l->data.benchmark(all, att8, "", y)->value == 44.5);
  CHECK(l->data.benchmark(all, p8, "", y)->missing() == Missing::Blank);  // no P8 for all schools
  CHECK(l->data.benchmark(1, p8, "", y, "202")->value == 0.09);
  CHECK(l->data.benchmark(1, p8, "", y, "203")->value == -0.18);
  CHECK(l->data.benchmark(1, series(*l, "progress8", 0, 1), "", y, "203")->value == -0.23);
  // GIAS: grades by the scale, its date is its term, and its names win where given first.
  const int ofsted = series(*l, "ofsted_grade");
  int alton = l->data.school_index("115850");
  REQUIRE(alton >= 0);
  const Cell* g = l->data.at(ofsted, alton, {2020, 3});
  REQUIRE(g);
  CHECK(g->value == 1);  // good: rank 1 on the ofsted scale
  CHECK(l->data.schools[alton].name == "Alton Infant School");
  CHECK(l->data.schools[alton].la == "850");
  size_t serious = 0;
  for (const auto& f : l->report.files)
    for (const auto& [code, n] : f.codes)
      if (code == "Serious Weaknesses") serious += n;
  CHECK(serious == 1);
}

TEST_CASE("real: the data command reports the Hampshire folder", "[data][real][cli]") {
  std::string out;
  int rc = run_cli("data --rules " + kKs2Root + " " + kHampshire, out);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out.find("2016-2017_850_ks2final.csv\n      period 2016-17: 331 rows (328 school rows, 3 benchmark rows)") != std::string::npos);
  CHECK(out.find("2017-2018_850_ks2final.csv\n      period 2017-18: 331 rows (328 school rows, 3 benchmark rows)") != std::string::npos);
  CHECK(out.find("2018-2019_850_ks2final.csv\n      period 2018-19: 334 rows (331 school rows, 3 benchmark rows)") != std::string::npos);
  CHECK(out.find("periods: 2016-17, 2017-18, 2018-19\n") != std::string::npos);
  CHECK(out.find("benchmark national: 2016-17, 2017-18, 2018-19") != std::string::npos);
  CHECK(out.find("2021-05-07_850_gias.csv") != std::string::npos);  // not matched by the KS2 source
  CHECK(out.find("no data errors") != std::string::npos);

  TempDir dir;
  const std::string name = "2018-2019_850_ks2final.csv";
  std::string text = slurp(kHampshire + "/" + name);
  // Line 21 (Burghclere), column 49 (PTRWM_EXP): 72% becomes "7 2".
  size_t begin = 0;
  for (int i = 0; i < 20; ++i) begin = text.find('\n', begin) + 1;
  size_t end = text.find('\n', begin) + 1;
  std::string line = text.substr(begin, end - begin);
  std::string changed = replace_cell(line, 48, "7 2");
  REQUIRE(changed != line);
  text.replace(begin, end - begin, changed);
  std::ofstream(dir.path / name, std::ios::binary) << text;
  std::string broken;
  rc = run_cli("data --rules " + kKs2Root + " " + dir.path.string(), broken);
  INFO(broken);
  CHECK(rc == 1);
  CHECK(broken.find(name + ":21:49: error: '7 2' in column PTRWM_EXP") != std::string::npos);
  CHECK(broken.find("1 data error") != std::string::npos);

  out.clear();
  CHECK(run_cli("data --rules " + kKs2Root, out) == 2);  // no data path
  out.clear();
  CHECK(run_cli("data --rules " + kKs2Root + " /no/such/folder", out) == 2);
}

// The benchmark index (Dataset::index_benchmarks) must give exactly what a scan
// of every row gives: checked on the real England files, whose KS4 table has a
// row per LA, for a spread of schools, every benchmark, series and period.
TEST_CASE("real England files: indexed benchmark lookups agree with a full scan", "[data][real]") {
  auto l = load(kPublicRoot, {kEngland, kHampshire});
  INFO(l->diags.render(l->rs->sources));
  REQUIRE(l->ok);
  const Dataset& indexed = l->data;
  Dataset scanned = indexed;
  Dataset::BenchmarkRow never;  // a row of no benchmark: the index no longer matches, so lookups scan
  never.benchmark = -1;
  scanned.benchmarks.push_back(never);
  auto same = [](const Cell* a, const Cell* b) {
    if (!a || !b) return a == b;
    return a->place == b->place && a->row == b->row &&
           a->missing() == b->missing() && (a->missing() != Missing::None || a->value == b->value);
  };
  size_t found = 0, with_la = 0, checked = 0, differ = 0;
  for (size_t s = 0; s < indexed.schools.size(); s += 97) {
    const School& sc = indexed.schools[s];
    with_la += !sc.la.empty();
    for (int b = 0; b < static_cast<int>(l->rs->benchmark_ids.size()); ++b)
      for (int series = 0; series < indexed.series.count; ++series)
        for (int year = 2016; year <= 2019; ++year) {
          Period p{static_cast<int16_t>(year), 0};
          for (std::string_view la : {std::string_view(sc.la), std::string_view()}) {
            const Cell* a = indexed.benchmark(b, series, sc.phase, p, la);
            bool agree = same(a, scanned.benchmark(b, series, sc.phase, p, la)) &&
                         same(indexed.benchmark_latest(b, series, sc.phase, p, la),
                              scanned.benchmark_latest(b, series, sc.phase, p, la));
            if (!agree) {
              UNSCOPED_INFO("school " << sc.urn << " benchmark " << b << " series " << series << " " << year
                                      << (la.empty() ? " any LA" : " own LA"));
              ++differ;
            }
            found += a != nullptr;
            ++checked;
          }
        }
  }
  CHECK(differ == 0);
  CHECK(checked > 10000);
  CHECK(found > 1000);  // not vacuous: most lookups find a row
  CHECK(with_la > 50);  // and the schools' own LA rows are among them
}
