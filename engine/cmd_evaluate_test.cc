// `trustrules evaluate` and `explain` as scripts use them: exit codes, formats,
// --out written whole, --jobs never changing a byte; and the shipped sample trust
// evaluating with every school placed in a tier by named descriptors.
#include "eval_run.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

using namespace tr;

namespace {

const std::string kSource = TRUSTRULES_SOURCE_DIR;
const std::string kFixture = kSource + "/tests/fixtures/eval";

struct Ran {
  int rc = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Ran trustrules(const std::string& args) {
  auto dir = std::filesystem::temp_directory_path() / "trustrules_cmd_evaluate_test";
  std::filesystem::create_directories(dir);
  std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  std::string cmd = "cd '" + kSource + "' && '" + TRUSTRULES_BINARY + "' " + args + " >'" + out + "' 2>'" + err + "'";
  int status = std::system(cmd.c_str());
  Ran r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

const std::string kArgs = "--rules tests/fixtures/eval/eval.rules --data tests/fixtures/eval/data";

}  // namespace

TEST_CASE("evaluate: formats, exit codes, atomic --out, --jobs", "[eval][cli]") {
  Ran table = trustrules("evaluate " + kArgs);
  INFO(table.err);
  REQUIRE(table.rc == 0);
  CHECK(table.out.find("100004  Delta Primary    3 Reinvent (floor)") != std::string::npos);

  Ran json = trustrules("evaluate " + kArgs + " --format json --jobs 1");
  REQUIRE(json.rc == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["schema"] == "trustrules.evaluation/1");
  CHECK(j["as_of"] == "2024-25 summer");
  CHECK(j["ruleset"]["name"] == "Evaluation fixture");
  REQUIRE(j["schools"].size() == 5);
  CHECK(j["schools"][1]["tier"]["override"]["approved_by"] == "Chair of trustees");
  CHECK(j["trust"]["kpis"][0]["id"] == "attendance_mean");
  for (const char* jobs : {"2", "4", "0"}) {
    Ran again = trustrules("evaluate " + kArgs + " --format json --jobs " + jobs);
    CHECK(again.out == json.out);
  }

  // --compact and --detail summary: the same run, smaller.
  Ran compact = trustrules("evaluate " + kArgs + " --format json --compact");
  REQUIRE(compact.rc == 0);
  CHECK(nlohmann::json::parse(compact.out) == j);
  CHECK(compact.out.size() < json.out.size());
  Ran summary = trustrules("evaluate " + kArgs + " --format json --detail summary");
  REQUIRE(summary.rc == 0);
  auto js = nlohmann::json::parse(summary.out);
  CHECK(js["detail"] == "summary");
  CHECK(js["schools"][1]["tier"] == j["schools"][1]["tier"]);
  CHECK_FALSE(js["schools"][1]["results"][0].contains("values"));
  CHECK(trustrules("evaluate " + kArgs + " --detail some").rc == 2);

  Ran csv = trustrules("evaluate " + kArgs + " --format csv");
  REQUIRE(csv.rc == 0);
  CHECK(csv.out.rfind("urn,name,kind,id,label,status,values,reasons\r\n", 0) == 0);
  CHECK(csv.out.find("100002,Beta Primary,standard,attendance_gap,No attendance gap,unknown,") != std::string::npos);

  auto dir = std::filesystem::temp_directory_path() / "trustrules_cmd_evaluate_out";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string target = (dir / "run.json").string();
  Ran written = trustrules("evaluate " + kArgs + " --format json --out '" + target + "'");
  CHECK(written.rc == 0);
  CHECK(slurp(target) == json.out);
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) (void)e, ++files;
  CHECK(files == 1);  // no temporary left behind

  // Errors: nothing evaluated, nothing written.
  Ran usage = trustrules("evaluate --rules no/such.rules --data tests/fixtures/eval/data");
  CHECK(usage.rc == 2);
  Ran bad_as_of = trustrules("evaluate " + kArgs + " --as-of 'next week'");
  CHECK(bad_as_of.rc == 2);
  std::string stale = (dir / "stale.json").string();
  std::ofstream(stale) << "old";
  Ran bad_data = trustrules("evaluate --rules tests/fixtures/eval/eval.rules --data tests/fixtures/eval/bad_data"
                            " --out '" + stale + "'");
  CHECK(bad_data.rc == 1);
  CHECK(bad_data.err.find("nothing was evaluated") != std::string::npos);
  CHECK(slurp(stale) == "old");
}

TEST_CASE("explain: one school's trace; an unknown URN is an error", "[eval][cli]") {
  Ran ok = trustrules("explain " + kArgs + " --school 100002");
  INFO(ok.err);
  REQUIRE(ok.rc == 0);
  CHECK(ok.out.find("School 100002 Beta Primary") != std::string::npos);
  CHECK(ok.out.find("AttDis is SUPP (suppressed) in attendance.csv row 5") != std::string::npos);
  Ran missing = trustrules("explain " + kArgs + " --school 100009");
  CHECK(missing.rc == 1);
  CHECK(missing.err.find("no school with URN 100009") != std::string::npos);
}

TEST_CASE("the sample trust evaluates: every school placed by named descriptors", "[eval][sample]") {
  RunOptions o;
  o.rules = kSource + "/rules/trust.rules";
  o.data = {kSource + "/samples/trust"};
  Run run;
  std::string messages;
  int rc = prepare_run(o, run, messages);
  INFO(messages);
  REQUIRE(rc == 0);
  EvaluationResult r = evaluate(run.plan, eval_options(run));
  REQUIRE(!r.schools.empty());
  for (const auto& s : r.schools) {
    INFO(s.urn << " " << s.name);
    CHECK(s.tier.number > 0);
    CHECK(!s.tier.decided_by.empty());
    CHECK(!s.support.empty());
  }
  CHECK(!r.kpis.empty());
  CHECK(!r.capacity.empty());
}
