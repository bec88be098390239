// The run-history store: atomic runs, never overwritten, migrations, refusal of
// newer and foreign files, a run killed half way, and concurrent runs.
#include "store.h"

#include "approval.h"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace tr;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path dir;
  TempDir() {
    static int n = 0;
    dir = fs::temp_directory_path() / ("trustrules_store_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~TempDir() { fs::remove_all(dir); }
  std::string path(const std::string& name) const { return (dir / name).string(); }
};

// A small evaluation, built by hand: the store must not depend on the rules.
EvaluationResult sample_result(int schools, const std::string& as_of = "2024-25 summer", int tier_shift = 0) {
  EvaluationResult r;
  r.ruleset_name = "Test trust";
  r.ruleset_version = "1";
  r.ruleset_year = "2024-25";
  r.content_hash = "sha256:" + std::string(64, 'a');
  REQUIRE(parse_period(as_of, r.as_of));
  for (int i = 0; i < schools; ++i) {
    SchoolResult s;
    s.school = i;
    s.urn = std::to_string(100001 + i);
    s.name = "School " + std::to_string(i + 1);
    s.phase = "primary";
    s.type = "academy";
    s.tier.number = 1 + (i + tier_shift) % 4;
    s.tier.label = "Tier label";
    s.tier.policy = "best fit, ties to more support";
    s.tier.placed = s.tier.number;
    RuleResult st;
    st.kind = ResultKind::Standard;
    st.id = "gap";
    st.label = "Close the gap";
    st.status = i % 2 ? Status::Met : Status::Unknown;
    if (st.status == Status::Unknown) st.reasons.push_back("PTRWM_EXP_FSM6CLA1A is SUPP");
    RuleResult fl;
    fl.kind = ResultKind::Floor;
    fl.id = "attendance_floor";
    fl.label = "Attendance floor";
    fl.status = Status::Met;
    s.results = {st, fl};
    s.standards_met = i % 2;
    s.standards_applicable = 1;
    r.schools.push_back(std::move(s));
  }
  return r;
}

RecordOptions fixed(const std::string& at = "2025-07-10T12:00:00Z") {
  RecordOptions o;
  o.recorded_at = at;
  o.rules_path = "rules/trust.rules";
  o.files = {{"samples/a.csv", "attendance", 10, std::string(64, 'b')}};
  return o;
}

// Every row of every table, and the schema version: two equal dumps are two
// stores with the same content.
std::string dump(const std::string& path) {
  sql::Db db(path, sql::Db::Mode::ReadWrite, 5000);  // read-write: it may roll back a hot journal
  std::string out;
  {
    sql::Stmt v(db, "PRAGMA user_version");
    v.step();
    out += "version " + v.text(0) + "\n";
  }
  std::vector<std::string> tables;
  {
    sql::Stmt t(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (t.step()) tables.push_back(t.text(0));
  }
  for (const auto& t : tables) {
    out += "table " + t + "\n";
    sql::Stmt q(db, "SELECT * FROM \"" + t + "\" ORDER BY rowid");
    while (q.step()) {
      for (int c = 0; c < q.columns(); ++c) out += (q.is_null(c) ? "NULL" : q.text(c)) + "|";
      out += "\n";
    }
  }
  return out;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int count(Store& s, const std::string& table) {
  sql::Stmt q(s.db(), "SELECT count(*) FROM " + table);
  q.step();
  return static_cast<int>(q.integer(0));
}

}  // namespace

TEST_CASE("store: created at the latest schema, and runs recorded whole", "[store]") {
  TempDir t;
  std::string path = t.path("sub/dir/history.db");  // folders are created
  Store s(path);
  CHECK(s.version() == latest_store_version());
  CHECK(latest_store_version() == 2);

  EvaluationResult r = sample_result(3);
  int64_t id = s.record_run(r, fixed());
  CHECK(id == 1);
  auto runs = s.runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].as_of == "2024-25 summer");
  CHECK(runs[0].recorded_at == "2025-07-10T12:00:00Z");
  CHECK(runs[0].content_hash == r.content_hash);
  CHECK(runs[0].ruleset_name == "Test trust");
  CHECK_FALSE(runs[0].approved);
  CHECK(runs[0].engine_version.size() > 0);
  CHECK(runs[0].schools == 3);
  auto schools = s.schools(id);
  REQUIRE(schools.size() == 3);
  CHECK(schools[1].urn == "100002");
  CHECK(schools[1].tier == 2);
  CHECK(schools[0].floors_met == "met");
  // The stored JSON is the school's element of `evaluate --format json`.
  CHECK(schools[0].result_json.find("\"urn\":\"100001\"") != std::string::npos);
  CHECK(schools[0].result_json.find("PTRWM_EXP_FSM6CLA1A is SUPP") != std::string::npos);
  auto rules = s.rules(id, "100002");
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].kind == "standard");
  CHECK(rules[0].status == "met");
  CHECK(rules[1].id == "attendance_floor");
  CHECK(s.rules(id).size() == 6);
  auto files = s.files(id);
  REQUIRE(files.size() == 1);
  CHECK(files[0].sha256 == std::string(64, 'b'));
}

TEST_CASE("store: runs are never overwritten", "[store]") {
  TempDir t;
  Store s(t.path("h.db"));
  s.record_run(sample_result(2), fixed("2025-07-10T12:00:00Z"));
  s.record_run(sample_result(2, "2024-25 summer", 1), fixed("2025-07-11T12:00:00Z"));  // the same term again
  auto runs = s.runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].as_of == runs[1].as_of);
  CHECK(s.schools(runs[0].id)[0].tier == 1);
  CHECK(s.schools(runs[1].id)[0].tier == 2);
  // Not even SQL written by hand rewrites history.
  CHECK_THROWS_WITH(s.db().exec("UPDATE runs SET as_of = 'x'"), Catch::Contains("never updated"));
  CHECK_THROWS_WITH(s.db().exec("DELETE FROM school_results"), Catch::Contains("never deleted"));
  CHECK_THROWS_WITH(s.db().exec("UPDATE rule_results SET status = 'met'"), Catch::Contains("never updated"));
  CHECK(count(s, "school_results") == 4);
}

TEST_CASE("store: migrations from an empty file and from an older version", "[store]") {
  TempDir t;
  SECTION("an empty file becomes a store") {
    std::ofstream(t.path("empty.db"));
    Store s(t.path("empty.db"));
    CHECK(s.version() == latest_store_version());
  }
  SECTION("version 1 (runs, no approvals) is upgraded; its runs stay, as drafts") {
    {
      Store old(t.path("old.db"), Store::Options{.migrate_to = 1});
      CHECK(old.version() == 1);
      CHECK_FALSE(find_approval(old, "sha256:x"));  // no approvals table yet
      old.record_run(sample_result(2), fixed());
      CHECK(old.runs().size() == 1);
    }
    std::string before = dump(t.path("old.db"));
    Store s(t.path("old.db"));
    CHECK(s.version() == 2);
    auto runs = s.runs();
    REQUIRE(runs.size() == 1);
    CHECK_FALSE(runs[0].approved);
    CHECK(s.schools(runs[0].id).size() == 2);
    CHECK(count(s, "approvals") == 0);
    CHECK(dump(t.path("old.db")) != before);  // the approvals table was added
  }
  SECTION("opening read-only never migrates") {
    { Store old(t.path("old.db"), Store::Options{.migrate_to = 1}); }
    Store ro(t.path("old.db"), Store::Options{.read_only = true});
    CHECK(ro.version() == 1);
    CHECK(ro.runs().empty());
  }
}

TEST_CASE("store: a newer or foreign file is refused and left as it was", "[store]") {
  TempDir t;
  std::string path = t.path("h.db");
  SECTION("newer") {
    {
      Store s(path);
      s.record_run(sample_result(1), fixed());
      s.db().exec("PRAGMA user_version = 9");
    }
    std::string before = dump(path);
    CHECK_THROWS_WITH(Store(path), Catch::Contains("schema version 9") && Catch::Contains("newer trustrules") &&
                                       Catch::Contains("reads up to version 2"));
    CHECK_THROWS_WITH(Store(path, Store::Options{.read_only = true}), Catch::Contains("newer trustrules"));
    CHECK(dump(path) == before);
  }
  SECTION("another application's SQLite file") {
    {
      sql::Db db(path, sql::Db::Mode::Create, 1000);
      db.exec("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine')");
    }
    std::string before = dump(path);
    CHECK_THROWS_WITH(Store(path), Catch::Contains("not a trustrules store"));
    CHECK(dump(path) == before);
  }
  SECTION("not SQLite at all") {
    std::ofstream(path) << "URN,Name\n100001,School\n";
    CHECK_THROWS_AS(Store(path), StoreError);
  }
  SECTION("no store, read-only") {
    CHECK_THROWS_WITH(Store(path, Store::Options{.read_only = true}), Catch::Contains("no store at"));
    CHECK_FALSE(fs::exists(path));
  }
}

TEST_CASE("store: a run killed in the middle leaves the store exactly as it was", "[store]") {
  TempDir t;
  std::string path = t.path("h.db");
  {
    Store s(path);
    s.record_run(sample_result(4, "2023-24 summer"), fixed());
  }
  std::string before = dump(path);
  std::string bytes_before = read_bytes(path);

  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child writes half a run, then dies without any chance to clean up.
    try {
      Store s(path);
      // A tiny page cache spills the half-written run into the database file
      // itself, so the kill leaves the file changed, not just the journal.
      s.db().exec("PRAGMA cache_size = 2");
      RecordOptions o = fixed();
      o.after_school = [](size_t school) {
        if (school == 150) ::raise(SIGKILL);
      };
      s.record_run(sample_result(200), o);
    } catch (...) {
    }
    ::_exit(3);  // not reached when the kill lands
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  // The dead writer left the file half-changed and its rollback journal ("hot")...
  CHECK(read_bytes(path) != bytes_before);
  CHECK(fs::exists(path + "-journal"));
  // ...and the next reader (here `history`'s read-only open) rolls it back: the
  // store is as it was before the run.
  {
    Store ro(path, Store::Options{.read_only = true});
    CHECK(ro.runs().size() == 1);
  }
  CHECK(dump(path) == before);
  Store s(path);
  {
    sql::Stmt q(s.db(), "PRAGMA integrity_check");
    REQUIRE(q.step());
    CHECK(q.text(0) == "ok");
  }
  CHECK(s.runs().size() == 1);
  // And the store takes the next run as usual.
  CHECK(s.record_run(sample_result(200), fixed()) == 2);
  CHECK(s.schools(2).size() == 200);
  CHECK(s.runs().size() == 2);
}

TEST_CASE("store: concurrent runs from two processes are both recorded", "[store]") {
  TempDir t;
  std::string path = t.path("h.db");
  { Store s(path); }  // created first, so the two writers race on runs, not on creation
  constexpr int kRuns = 3;
  std::vector<pid_t> kids;
  for (int k = 0; k < 2; ++k) {
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int rc = 0;
      try {
        Store s(path);
        RecordOptions o = fixed();
        // Slow writes widen the window in which the other process wants the lock.
        o.after_school = [](size_t) { std::this_thread::sleep_for(std::chrono::milliseconds(5)); };
        for (int i = 0; i < kRuns; ++i) s.record_run(sample_result(10, k ? "2024-25 autumn" : "2024-25 spring"), o);
      } catch (...) {
        rc = 1;
      }
      ::_exit(rc);
    }
    kids.push_back(child);
  }
  for (pid_t kid : kids) {
    int status = 0;
    REQUIRE(::waitpid(kid, &status, 0) == kid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  Store s(path);
  auto runs = s.runs();
  CHECK(runs.size() == 2 * kRuns);
  int spring = 0;
  for (const auto& r : runs) {
    spring += r.as_of == "2024-25 spring";
    CHECK(s.schools(r.id).size() == 10);
  }
  CHECK(spring == kRuns);
}

TEST_CASE("store: concurrent runs from two threads are both recorded, even creating the store", "[store]") {
  TempDir t;
  std::string path = t.path("h.db");  // not there yet: both threads create and migrate it at once
  std::atomic<int> failures{0};
  auto writer = [&](const char* as_of) {
    try {
      Store s(path);  // a connection per thread
      for (int i = 0; i < 3; ++i) s.record_run(sample_result(5, as_of), fixed());
    } catch (...) {
      ++failures;
    }
  };
  std::thread a(writer, "2024-25 autumn"), b(writer, "2024-25 spring");
  a.join();
  b.join();
  CHECK(failures == 0);
  Store s(path);
  CHECK(s.runs().size() == 6);
  CHECK(count(s, "school_results") == 30);
}
