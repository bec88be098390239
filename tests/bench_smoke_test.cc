// The England-scale benchmark at small N, so it never rots: the generator's
// files are read by the shipped rules/dfe unchanged, and the engine and the
// hand-written baseline (bench/baseline_dfe.h) agree on every school. Nothing
// here is about time.
#include "bench/england_gen.h"
#include "bench/england_run.h"

#include <catch2/catch.hpp>

#include <filesystem>
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
