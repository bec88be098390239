// The store's schema as an ordered list of migrations. A migration is never edited
// once released: a change to the schema is a new migration at the end, so every
// store, however old, reaches the current schema by the same steps. The version
// lives in PRAGMA user_version; PRAGMA application_id marks the file as ours, so
// `--store` pointed at some other SQLite file fails instead of adding tables to it.
#include "store.h"

#include <optional>
#include <string>
#include <vector>

namespace tr {
namespace {

constexpr int kApplicationId = 0x54525354;  // "TRST"

struct Migration {
  int version;
  const char* what;
  const char* sql;
};

// Recorded rows are immutable: a trigger per table refuses UPDATE and DELETE, so
// no later code path (or hand-written SQL) can rewrite history by accident.
#define TR_IMMUTABLE(table)                                                                     \
  "CREATE TRIGGER " table "_never_updated BEFORE UPDATE ON " table                              \
  " BEGIN SELECT RAISE(ABORT, '" table " are kept as recorded: never updated'); END;\n"         \
  "CREATE TRIGGER " table "_never_deleted BEFORE DELETE ON " table                              \
  " BEGIN SELECT RAISE(ABORT, '" table " are kept as recorded: never deleted'); END;\n"

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all = {
      {1, "run history",
       "CREATE TABLE runs (\n"
       "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"  // AUTOINCREMENT: an id is never reused
       "  recorded_at TEXT NOT NULL,\n"
       "  as_of TEXT NOT NULL,\n"
       "  as_of_key INTEGER NOT NULL,\n"
       "  ruleset_name TEXT NOT NULL,\n"
       "  ruleset_version TEXT NOT NULL,\n"
       "  ruleset_year TEXT NOT NULL,\n"
       "  content_hash TEXT NOT NULL,\n"
       "  engine_version TEXT NOT NULL,\n"
       "  rules_path TEXT NOT NULL,\n"
       "  json_schema TEXT NOT NULL,\n"
       "  schools INTEGER NOT NULL,\n"
       "  trust TEXT NOT NULL\n"
       ");\n"
       "CREATE INDEX runs_by_term ON runs (ruleset_name, as_of_key);\n"
       "CREATE TABLE run_files (\n"
       "  run_id INTEGER NOT NULL REFERENCES runs (id),\n"
       "  position INTEGER NOT NULL,\n"
       "  path TEXT NOT NULL,\n"
       "  source TEXT NOT NULL,\n"
       "  rows INTEGER NOT NULL,\n"
       "  sha256 TEXT NOT NULL,\n"
       "  PRIMARY KEY (run_id, position)\n"
       ");\n"
       "CREATE TABLE school_results (\n"
       "  run_id INTEGER NOT NULL REFERENCES runs (id),\n"
       "  urn TEXT NOT NULL,\n"
       "  name TEXT NOT NULL,\n"
       "  phase TEXT NOT NULL,\n"
       "  type TEXT NOT NULL,\n"
       "  tier INTEGER,\n"
       "  tier_label TEXT,\n"
       "  placed INTEGER,\n"
       "  overridden INTEGER NOT NULL,\n"
       "  raised_by_floor INTEGER NOT NULL,\n"
       "  floors_met TEXT NOT NULL,\n"
       "  standards_met INTEGER NOT NULL,\n"
       "  standards_applicable INTEGER NOT NULL,\n"
       "  standards_unknown INTEGER NOT NULL,\n"
       "  result TEXT NOT NULL,\n"
       "  PRIMARY KEY (run_id, urn)\n"
       ");\n"
       "CREATE TABLE rule_results (\n"
       "  run_id INTEGER NOT NULL,\n"
       "  urn TEXT NOT NULL,\n"
       "  position INTEGER NOT NULL,\n"
       "  kind TEXT NOT NULL,\n"
       "  rule_id TEXT NOT NULL,\n"
       "  label TEXT NOT NULL,\n"
       "  status TEXT NOT NULL,\n"
       "  PRIMARY KEY (run_id, urn, position),\n"
       "  FOREIGN KEY (run_id, urn) REFERENCES school_results (run_id, urn)\n"
       ");\n" TR_IMMUTABLE("runs") TR_IMMUTABLE("run_files") TR_IMMUTABLE("school_results")
           TR_IMMUTABLE("rule_results")},
      {2, "approvals",
       "CREATE TABLE approvals (\n"
       "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
       "  content_hash TEXT NOT NULL UNIQUE,\n"
       "  ruleset_name TEXT NOT NULL,\n"
       "  ruleset_version TEXT NOT NULL,\n"
       "  ruleset_year TEXT NOT NULL,\n"
       "  approved_by TEXT NOT NULL,\n"
       "  approved_on TEXT NOT NULL,\n"
       "  minute TEXT NOT NULL,\n"
       "  recorded_at TEXT NOT NULL\n"
       ");\n"
       // Runs recorded before approvals existed keep NULL: they were drafts.
       "ALTER TABLE runs ADD COLUMN approval_id INTEGER REFERENCES approvals (id);\n" TR_IMMUTABLE("approvals")},
  };
  return all;
}

#undef TR_IMMUTABLE

int pragma_int(sql::Db& db, const char* pragma) {
  sql::Stmt st(db, std::string("PRAGMA ") + pragma);
  return st.step() ? static_cast<int>(st.integer(0)) : 0;
}

std::string newer_message(sql::Db& db, int version) {
  return db.path() + " is a store of schema version " + std::to_string(version) +
         ", written by a newer trustrules; this one reads up to version " + std::to_string(latest_store_version()) +
         ". Upgrade trustrules; the store has not been changed";
}

// Refuses files that are not (or not yet) trustrules stores.
void check_identity(sql::Db& db, int version) {
  int app = pragma_int(db, "application_id");
  if (app != 0 && app != kApplicationId)
    throw StoreError(db.path() + " is an SQLite file of another application, not a trustrules store");
  if (version == 0) {
    sql::Stmt st(db, "SELECT count(*) FROM sqlite_master");
    if (st.step() && st.integer(0) != 0)
      throw StoreError(db.path() + " already holds tables of its own: it is not a trustrules store");
  }
}

}  // namespace

int latest_store_version() { return migrations().back().version; }

int store_version(sql::Db& db) {
  // One snapshot for all the reads: another process may be creating the store
  // between two of them (version 0 read before its commit, its tables after).
  std::optional<sql::Transaction> snapshot;
  if (!db.in_transaction()) snapshot.emplace(db, sql::Transaction::Kind::Read);
  int v = pragma_int(db, "user_version");
  if (v > latest_store_version()) throw StoreError(newer_message(db, v));
  check_identity(db, v);
  return v;
}

void migrate_store(sql::Db& db, int target) {
  if (target < 0) target = latest_store_version();
  if (store_version(db) >= target) return;
  sql::Transaction tx(db);
  // Read again under the write lock: another process may have migrated meanwhile.
  int v = store_version(db);
  if (v >= target) return;
  for (const Migration& m : migrations()) {
    if (m.version <= v || m.version > target) continue;
    try {
      db.exec(m.sql);
    } catch (const StoreError& e) {
      throw StoreError(std::string("migrating the store to version ") + std::to_string(m.version) + " (" + m.what +
                       ") failed: " + e.what());
    }
  }
  db.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
  db.exec("PRAGMA user_version = " + std::to_string(target));
  tx.commit();
}

}  // namespace tr
