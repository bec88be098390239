// `trustrules check` as a script sees it: exit codes, the summary line, the
// "not part of any ruleset" warning.
#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit = -1;
  std::string out, err;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result run(const std::string& args) {
  static int n = 0;
  fs::path dir = fs::temp_directory_path() / ("trustrules_cmd_check_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path out = dir / (std::to_string(++n) + ".out"), err = dir / (std::to_string(n) + ".err");
  std::string cmd = "cd '" TRUSTRULES_SOURCE_DIR "' && NO_COLOR=1 '" TRUSTRULES_BINARY "' " + args + " >'" +
                    out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(cmd.c_str());
  Result r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace

TEST_CASE("check: exit 1 with errors, and every error is printed", "[cmd_check]") {
  Result r = run("check tests/golden/errors/27_source_bindings.rules");
  CHECK(r.exit == 1);
  CHECK(r.err == slurp(fs::path(TRUSTRULES_SOURCE_DIR) / "tests/golden/errors/27_source_bindings.expected"));
  CHECK(r.out == "tests/golden/errors/27_source_bindings.rules: 3 errors\n");
}

TEST_CASE("check: exit 0 with warnings only", "[cmd_check]") {
  Result r = run("check tests/golden/errors/26_unused_metric_and_param.rules");
  CHECK(r.exit == 0);
  CHECK(r.out == "tests/golden/errors/26_unused_metric_and_param.rules: ok (2 metrics, 0 tiers, 2 warnings)\n");
}

TEST_CASE("check: syntax errors say the rest was not checked", "[cmd_check]") {
  Result r = run("check tests/golden/errors/17_missing_brace.rules");
  CHECK(r.exit == 1);
  CHECK(r.out.find("1 error (syntax errors: fix these, then check again for the rest)") != std::string::npos);
}

TEST_CASE("check: usage errors exit 2", "[cmd_check]") {
  Result r = run("check no/such/folder");
  CHECK(r.exit == 2);
  CHECK(r.err.find("'no/such/folder' does not exist") != std::string::npos);
  CHECK(run("check --no-such-flag").exit == 2);
  Result help = run("check --help");
  CHECK(help.exit == 0);
  CHECK(help.out.find("Exit status") != std::string::npos);
}

TEST_CASE("check: a folder's files that no root includes are reported", "[cmd_check]") {
  fs::path dir = fs::temp_directory_path() / ("trustrules_cmd_check_tree_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "root.rules") << "ruleset \"R\" version \"1\" year 2025-26\ninclude \"sub/used.rules\"\n";
  std::ofstream(dir / "sub" / "used.rules") << "param p = 5%\n";
  std::ofstream(dir / "sub" / "stray.rules") << "param q = 5%\n";
  Result r = run("check '" + dir.string() + "'");
  CHECK(r.exit == 0);
  CHECK(r.err.find("stray.rules: warning: not part of any ruleset") != std::string::npos);
  CHECK(r.err.find("used.rules: warning: not part") == std::string::npos);
  CHECK(r.out.find("root.rules: ok (0 metrics, 0 tiers, 1 warning)") != std::string::npos);
  fs::remove_all(dir);
}
