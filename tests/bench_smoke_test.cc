// The England-scale benchmark at small N, so it never rots: the generators'
// files are read by the shipped rules (rules/dfe, rules/trust.rules) unchanged,
// and the engine and the hand-written baselines (bench/baseline_dfe.h,
// bench/baseline_tiers.h) agree on every school. Nothing here is about time.
#include "bench/england_gen.h"
#include "bench/england_run.h"
#include "bench/trust_gen.h"
#include "bench/trust_run.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;

TEST_CASE("bench_england smoke run: engine and baseline agree school by school", "[bench]") {
  fs::path dir = fs::temp_directory_path() / ("trustrules-bench-smoke-" + std::to_string(getpid()));
  fs::create_directories(dir);
  bench::GenOptions g;
  g.schools = 300;
  g.header_dir = std::string(TRUSTRULES_SHARED_DATA) + "/dfe-ks2/hampshire-850";
  g.out_dir = dir.string();
  std::string error;
  std::vector<std::string> paths = bench::generate_england(g, error);
  INFO(error);
  REQUIRE(paths.size() == 3);

  // Reproducible: the same seed gives the same bytes.
  std::string first;
  REQUIRE(baseline::slurp(paths[2], first));
  bench::generate_england(g, error);
  std::string again;
  REQUIRE(baseline::slurp(paths[2], again));
  CHECK(first == again);
  CHECK(first.rfind("\xEF\xBB\xBFRECTYPE,", 0) == 0);
  CHECK(first.find("\r\n") != std::string::npos);

  bench::Outcome base = bench::run_baseline(paths, (dir / "baseline.json").string());
  bench::Outcome eng = bench::run_engine(std::string(TRUSTRULES_SOURCE_DIR) + "/rules/dfe/dfe.rules", paths,
                                         (dir / "engine.json").string(), false, 2);
  INFO(base.error << eng.error);
  REQUIRE(base.error.empty());
  REQUIRE(eng.error.empty());
  CHECK(eng.schools == 300);
  CHECK(base.schools == 300);
  std::vector<std::string> diff = bench::disagreements(eng, base);
  for (const auto& d : diff) UNSCOPED_INFO(d);
  CHECK(diff.empty());

  // Every outcome occurs, so agreement is not vacuous.
  std::string all;
  for (const auto& a : base.answers) all += a + "\n";
  for (const char* s : {"met / met", "not met /", "/ not met", "unknown", "not applicable / not applicable"})
    CHECK(all.find(s) != std::string::npos);
  fs::remove_all(dir);
}

// The trust tier rules (rules/trust.rules) on ~200 generated trust schools:
// the engine and the hand-written tier baseline (bench/baseline_tiers.h) agree
// on every school's tier, best fit, floor, override and every descriptor; and
// every tier, an unknown tier, a floor raise and an override occur, so the
// agreement covers each path of the placement.
TEST_CASE("bench_england trust tiers: engine and tier baseline agree school by school", "[bench]") {
  fs::path dir = fs::temp_directory_path() / ("trustrules-bench-trust-" + std::to_string(getpid()));
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  bench::TrustGenOptions g;
  g.schools = 200;
  g.out_dir = (dir / "a").string();
  std::string error;
  std::vector<std::string> paths = bench::generate_trust(g, error);
  INFO(error);
  REQUIRE(paths.size() == 3 + 4 * 3);  // schools, reviews, overrides; attendance, KS2, KS4, census per year

  // Reproducible: the same seed gives the same bytes in every file.
  g.out_dir = (dir / "b").string();
  std::vector<std::string> again = bench::generate_trust(g, error);
  REQUIRE(again.size() == paths.size());
  std::map<std::string, std::string> text;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::string x, y;
    REQUIRE(baseline::slurp(paths[i], x));
    REQUIRE(baseline::slurp(again[i], y));
    CHECK(x == y);
    text[fs::path(paths[i]).filename().string()] = x;
  }
  // The samples' layouts and warts.
  const std::string& att = text["trust_attendance_2024-25.csv"];
  CHECK(att.rfind("\xEF\xBB\xBFURN,SchoolName,Phase,", 0) == 0);
  CHECK(att.find("\r\nNATIONAL,") != std::string::npos);
  CHECK(att.find(",SUPP,") != std::string::npos);
  CHECK(text["trust_reviews.csv"].find(",NJ,") != std::string::npos);
  CHECK(text["trust_reviews.csv"].find('\r') == std::string::npos);
  CHECK(text["2024-2025_ks2final.csv"].find(",NP,") != std::string::npos);
  CHECK(text["2023-2024_ks2final.csv"].find(",SUPP,") != std::string::npos);
  CHECK(text["trust_overrides.csv"].find("\"\"trust-led\"\"") != std::string::npos);

  bench::Outcome base = bench::run_tier_baseline(paths, (dir / "baseline.json").string());
  bench::Outcome eng = bench::run_engine(std::string(TRUSTRULES_SOURCE_DIR) + "/rules/trust.rules", paths,
                                         (dir / "engine.json").string(), false, 2, bench::tier_answer);
  INFO(base.error << eng.error);
  REQUIRE(base.error.empty());
  REQUIRE(eng.error.empty());
  CHECK(eng.schools == 200);
  CHECK(base.schools == 200);
  std::vector<std::string> diff = bench::disagreements(eng, base);
  for (const auto& d : diff) UNSCOPED_INFO(d);
  CHECK(diff.empty());
  // `--detail summary` decides every descriptor and tier the same, and writes far less.
  bench::Outcome sum = bench::run_engine(std::string(TRUSTRULES_SOURCE_DIR) + "/rules/trust.rules", paths,
                                         (dir / "summary.json").string(), false, 2, bench::tier_answer, false);
  REQUIRE(sum.error.empty());
  CHECK(bench::disagreements(sum, base).empty());
  CHECK(sum.output_bytes * 4 < eng.output_bytes);

  std::map<std::string, int> n = bench::tier_counts(base);
  for (const char* w : {"tier-1", "tier-2", "tier-3", "tier-4", "tier-unknown", "floor", "override"}) {
    INFO(w);
    CHECK(n[w] > 0);
  }
  // A descriptor of each kind is unknown somewhere (NJ, SUPP, no history), not only true or false.
  size_t with_unknown = 0;
  for (const auto& a : base.answers) with_unknown += a.find('U', a.find(" d=")) != std::string::npos;
  CHECK(with_unknown > 0);

  // The hand-made sample trust too: its warts were written by someone else.
  std::vector<std::string> sample;
  for (const auto& e : fs::directory_iterator(std::string(TRUSTRULES_SOURCE_DIR) + "/samples/trust"))
    if (e.path().extension() == ".csv") sample.push_back(e.path().string());
  std::sort(sample.begin(), sample.end());
  bench::Outcome sb = bench::run_tier_baseline(sample, (dir / "sample-baseline.json").string());
  bench::Outcome se = bench::run_engine(std::string(TRUSTRULES_SOURCE_DIR) + "/rules/trust.rules", sample,
                                        (dir / "sample-engine.json").string(), false, 1, bench::tier_answer);
  REQUIRE(se.error.empty());
  CHECK(se.schools == 8);
  std::vector<std::string> sdiff = bench::disagreements(se, sb);
  for (const auto& d : sdiff) UNSCOPED_INFO(d);
  CHECK(sdiff.empty());
  fs::remove_all(dir);
}
