// Shared by the governance tests (approval_test.cc, history_test.cc): scratch
// folders, a copy of the shipped rules, and the CLI run as a script runs it.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace tr::govtest {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A scratch folder, removed at the end of the test; `rules/` in it is a copy of
// the shipped rules when asked for.
struct Scratch {
  fs::path dir;
  explicit Scratch(bool with_rules = false) {
    static int n = 0;
    dir = fs::temp_directory_path() / ("trustrules_gov_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    if (with_rules) fs::copy(fs::path(TRUSTRULES_SOURCE_DIR) / "rules", dir / "rules", fs::copy_options::recursive);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string path(const std::string& rel) const { return (dir / rel).string(); }
  std::string rules() const { return path("rules/trust.rules"); }
  // Replaces the first occurrence of `from` in a file under the scratch folder.
  void edit(const std::string& rel, const std::string& from, const std::string& to) const {
    std::string t = slurp(dir / rel);
    size_t at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
    std::ofstream(dir / rel, std::ios::binary | std::ios::trunc) << t;
  }
};

struct CliResult {
  int exit = -1;
  std::string out, err;
};

// Runs the trustrules binary in the source folder (so `samples/trust` resolves).
inline CliResult run_cli(const Scratch& s, const std::string& args) {
  static int n = 0;
  fs::path out = s.dir / ("cli" + std::to_string(++n) + ".out"), err = s.dir / ("cli" + std::to_string(n) + ".err");
  std::string cmd = "cd '" TRUSTRULES_SOURCE_DIR "' && NO_COLOR=1 '" TRUSTRULES_BINARY "' " + args + " >'" +
                    out.string() + "' 2>'" + err.string() + "'";
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace tr::govtest
