#include "atomic_file.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using tr::AtomicFile;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t entries(const fs::path& dir) {
  size_t n = 0;
  for (auto& e : fs::directory_iterator(dir)) (void)e, ++n;
  return n;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("trustrules-atomic-" + std::to_string(getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("AtomicFile: pieces appear whole at commit, the old file until then", "[atomic]") {
  TempDir d;
  fs::path target = d.path / "run.json";
  std::ofstream(target) << "old";
  AtomicFile f;
  std::string error;
  REQUIRE(f.open(target.string(), error));
  CHECK(f.write("{\"a\":"));
  CHECK(f.write("1}\n"));
  CHECK(slurp(target) == "old");   // not yet
  CHECK(entries(d.path) == 2);     // the target and the temporary beside it
  REQUIRE(f.commit(error));
  CHECK(slurp(target) == "{\"a\":1}\n");
  CHECK(entries(d.path) == 1);
  CHECK((fs::status(target).permissions() & fs::perms::others_read) != fs::perms::none);  // not mkstemp's 0600
}

TEST_CASE("AtomicFile: not committed leaves nothing behind and the old file intact", "[atomic]") {
  TempDir d;
  fs::path target = d.path / "run.json";
  std::ofstream(target) << "old";
  {
    AtomicFile f;
    std::string error;
    REQUIRE(f.open(target.string(), error));
    f.write("half a run");
  }  // a failed run: destroyed without commit
  CHECK(slurp(target) == "old");
  CHECK(entries(d.path) == 1);
}

TEST_CASE("AtomicFile: a folder that does not exist is an error that names it", "[atomic]") {
  TempDir d;
  AtomicFile f;
  std::string error;
  CHECK_FALSE(f.open((d.path / "no" / "such" / "run.json").string(), error));
  CHECK(error.find("cannot create a temporary file in") != std::string::npos);
  CHECK(error.find("no/such") != std::string::npos);
  CHECK_FALSE(f.write("x"));
  CHECK_FALSE(f.commit(error));
  CHECK(tr::write_file_atomically((d.path / "whole.txt").string(), "all of it", error));
  CHECK(slurp(d.path / "whole.txt") == "all of it");
}
