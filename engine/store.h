// The run-history store: an embedded SQLite file that keeps every evaluation run
// (and, from schema 2, the board's approvals). A run is written in one IMMEDIATE
// transaction, so the store holds either the whole run or nothing of it — also
// when the process is killed half way — and concurrent runs queue on the lock
// (busy timeout) rather than fail. Runs are never overwritten: re-running a term
// adds a run, and triggers refuse UPDATE and DELETE on recorded rows.
//
// Schema (store_schema.cc, versioned with PRAGMA user_version):
//   runs            one row per run: as-of term, ruleset name/version/year,
//                   content hash, approval (approval_id, null = draft), engine
//                   version, UTC time, the trust KPIs and capacity as JSON
//   run_files       the data files the run read, with their SHA-256
//   school_results  one row per school: tier, placed, floor/override flags,
//                   counts, and the school's full result as JSON (the `schools[]`
//                   element of docs/json-schema.md)
//   rule_results    one row per standard/floor/descriptor: kind, id, label, status
//   approvals       see approval.h
#pragma once

#include "result.h"
#include "sqlite_db.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tr {

// The schema version this engine writes; a store with a higher one is refused.
int latest_store_version();

// Brings `db` to schema `target` (default: latest) in one IMMEDIATE transaction,
// applying the ordered migrations after its current version. Throws StoreError
// when the store is newer than this engine or is not a trustrules store.
void migrate_store(sql::Db& db, int target = -1);

// The schema version of an open store (PRAGMA user_version).
int store_version(sql::Db& db);

// The current time as UTC ISO-8601, "2025-07-10T14:03:00Z".
std::string utc_now();

struct DataFileHash {
  std::string path;    // as the run was given it
  std::string source;  // the source declaration it matched
  uint32_t rows = 0;
  std::string sha256;  // hex
};

struct RecordOptions {
  std::string recorded_at;  // UTC ISO-8601; empty = utc_now() (tests inject a fixed time)
  std::string rules_path;   // the root rule file, as given
  std::vector<DataFileHash> files;
  // Tests only: called inside the transaction after each school is written.
  std::function<void(size_t school)> after_school;
};

// One recorded run, joined with its approval.
struct RunInfo {
  int64_t id = 0;
  std::string recorded_at, as_of;
  int as_of_key = 0;  // Period::key(), for ordering terms
  std::string ruleset_name, ruleset_version, ruleset_year, content_hash;
  bool approved = false;
  std::string approved_by, approved_on, minute;
  std::string engine_version, rules_path;
  int schools = 0;
};

struct StoredSchool {
  std::string urn, name, phase, type;
  int tier = 0;  // 0 = undecided, or the rules have no tiers
  std::string tier_label;
  int placed = 0;
  bool overridden = false, raised_by_floor = false;
  std::string floors_met;  // "met", "not_met", "unknown", "not_applicable"
  int standards_met = 0, standards_applicable = 0, standards_unknown = 0;
  std::string result_json;
};

struct StoredRule {
  std::string urn, kind, id, label, status;  // kind and status as result.h names them
};

class Store {
 public:
  struct Options {
    bool read_only = false;  // never creates, never migrates, never writes
    int busy_ms = 30000;     // how long to wait for another run's lock
    int migrate_to = -1;     // tests: stop at this schema version
  };
  // Opens (creating the file and its folder unless read_only) and migrates.
  explicit Store(const std::string& path);
  Store(const std::string& path, Options opts);
  ~Store();

  const std::string& path() const { return path_; }
  int version();
  sql::Db& db() { return *db_; }

  // Records a run atomically; returns its id. The approval recorded with it is
  // the store's approval of result.content_hash at that moment (none: draft).
  int64_t record_run(const EvaluationResult& result, const RecordOptions& opts);

  std::vector<RunInfo> runs();  // oldest first (by id)
  std::vector<StoredSchool> schools(int64_t run);  // by URN
  std::vector<StoredRule> rules(int64_t run, const std::string& urn = {});  // standards and floors first, as evaluated
  std::vector<DataFileHash> files(int64_t run);

 private:
  std::string path_;
  std::unique_ptr<sql::Db> db_;
};

}  // namespace tr
