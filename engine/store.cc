// Recording and reading runs (see store.h; the schema is in store_schema.cc).
#include "store.h"

#include "report.h"
#include "version.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>

namespace tr {

namespace fs = std::filesystem;

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Store::Store(const std::string& path) : Store(path, Options{}) {}

Store::Store(const std::string& path, Options opts) : path_(path) {
  std::error_code ec;
  if (opts.read_only) {
    if (!fs::exists(path, ec)) throw StoreError("no store at " + path + " (nothing has been recorded there yet)");
    // Opened read-write but query-only: a writer killed mid-run leaves a hot
    // journal, which only a connection that may write can roll back (a read-only
    // one fails with SQLITE_READONLY_ROLLBACK). A write-protected file still opens.
    db_ = std::make_unique<sql::Db>(path, sql::Db::Mode::ReadWrite, opts.busy_ms);
    db_->exec("PRAGMA query_only = ON");
    store_version(*db_);  // refuses a newer or foreign file
    return;
  }
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  db_ = std::make_unique<sql::Db>(path, sql::Db::Mode::Create, opts.busy_ms);
  // The default rollback journal (DELETE) with synchronous=FULL: a commit is on disk
  // when it returns, a killed writer leaves a hot journal that the next opener rolls
  // back, and unlike WAL it is safe on the network shares trusts keep files on.
  db_->exec("PRAGMA foreign_keys = ON");
  migrate_store(*db_, opts.migrate_to);
}

Store::~Store() = default;

int Store::version() { return store_version(*db_); }

int64_t Store::record_run(const EvaluationResult& r, const RecordOptions& o) {
  // Each school's JSON is the `schools[]` element of `evaluate --format json`, so a
  // stored result reads exactly like the documented output (docs/json-schema.md).
  using json = nlohmann::ordered_json;
  json doc = json::parse(report_json(r));
  const json& schools = doc["schools"];

  sql::Transaction tx(*db_);
  // The approval in force is read under the write lock, so the run records what
  // the store said when the run was committed.
  bool has_approvals = store_version(*db_) >= 2;
  int64_t approval = 0;
  if (has_approvals) {
    sql::Stmt q(*db_, "SELECT id FROM approvals WHERE content_hash = ?");
    q.bind(1, r.content_hash);
    if (q.step()) approval = q.integer(0);
  }

  sql::Stmt run(*db_, has_approvals
                          ? "INSERT INTO runs (recorded_at, as_of, as_of_key, ruleset_name, ruleset_version, "
                            "ruleset_year, content_hash, engine_version, rules_path, json_schema, schools, trust, "
                            "approval_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                          : "INSERT INTO runs (recorded_at, as_of, as_of_key, ruleset_name, ruleset_version, "
                            "ruleset_year, content_hash, engine_version, rules_path, json_schema, schools, trust) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  run.bind(1, o.recorded_at.empty() ? utc_now() : o.recorded_at)
      .bind(2, to_string(r.as_of))
      .bind(3, r.as_of.key())
      .bind(4, r.ruleset_name)
      .bind(5, r.ruleset_version)
      .bind(6, r.ruleset_year)
      .bind(7, r.content_hash)
      .bind(8, kEngineVersion)
      .bind(9, o.rules_path)
      .bind(10, kJsonSchema)
      .bind(11, static_cast<int64_t>(r.schools.size()))
      .bind(12, doc["trust"].dump());
  if (has_approvals) {
    if (approval) run.bind(13, approval);
    else run.bind_null(13);
  }
  run.run();
  int64_t id = db_->last_insert_id();

  sql::Stmt file(*db_, "INSERT INTO run_files (run_id, position, path, source, rows, sha256) VALUES (?, ?, ?, ?, ?, ?)");
  for (size_t i = 0; i < o.files.size(); ++i) {
    const DataFileHash& f = o.files[i];
    file.bind(1, id).bind(2, static_cast<int64_t>(i)).bind(3, f.path).bind(4, f.source);
    file.bind(5, static_cast<int64_t>(f.rows)).bind(6, f.sha256).run();
  }

  sql::Stmt school(*db_,
                   "INSERT INTO school_results (run_id, urn, name, phase, type, tier, tier_label, placed, overridden, "
                   "raised_by_floor, floors_met, standards_met, standards_applicable, standards_unknown, result) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  sql::Stmt rule(*db_,
                 "INSERT INTO rule_results (run_id, urn, position, kind, rule_id, label, status) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (size_t i = 0; i < r.schools.size(); ++i) {
    const SchoolResult& s = r.schools[i];
    school.bind(1, id).bind(2, s.urn).bind(3, s.name).bind(4, s.phase).bind(5, s.type);
    school.bind_nonzero(6, s.tier.number);
    if (s.tier.number) school.bind(7, s.tier.label);
    else school.bind_null(7);
    school.bind_nonzero(8, s.tier.placed).bind(9, s.tier.override_.has_value()).bind(10, s.tier.raised_by_floor);
    school.bind(11, result_status_id(s.floors_met)).bind(12, s.standards_met).bind(13, s.standards_applicable);
    school.bind(14, s.standards_unknown).bind(15, i < schools.size() ? schools[i].dump() : std::string("{}"));
    school.run();
    for (size_t k = 0; k < s.results.size(); ++k) {
      const RuleResult& x = s.results[k];
      rule.bind(1, id).bind(2, s.urn).bind(3, static_cast<int64_t>(k)).bind(4, result_kind_id(x.kind));
      rule.bind(5, x.id).bind(6, x.label).bind(7, result_status_id(x.status)).run();
    }
    if (o.after_school) o.after_school(i);
  }
  tx.commit();
  return id;
}

std::vector<RunInfo> Store::runs() {
  bool has_approvals = store_version(*db_) >= 2;
  sql::Stmt q(*db_, has_approvals
                        ? "SELECT r.id, r.recorded_at, r.as_of, r.as_of_key, r.ruleset_name, r.ruleset_version, "
                          "r.ruleset_year, r.content_hash, r.engine_version, r.rules_path, r.schools, "
                          "a.id IS NOT NULL, a.approved_by, a.approved_on, a.minute "
                          "FROM runs r LEFT JOIN approvals a ON a.id = r.approval_id ORDER BY r.id"
                        : "SELECT id, recorded_at, as_of, as_of_key, ruleset_name, ruleset_version, ruleset_year, "
                          "content_hash, engine_version, rules_path, schools, 0, NULL, NULL, NULL "
                          "FROM runs ORDER BY id");
  std::vector<RunInfo> out;
  while (q.step()) {
    RunInfo r;
    r.id = q.integer(0);
    r.recorded_at = q.text(1);
    r.as_of = q.text(2);
    r.as_of_key = static_cast<int>(q.integer(3));
    r.ruleset_name = q.text(4);
    r.ruleset_version = q.text(5);
    r.ruleset_year = q.text(6);
    r.content_hash = q.text(7);
    r.engine_version = q.text(8);
    r.rules_path = q.text(9);
    r.schools = static_cast<int>(q.integer(10));
    r.approved = q.integer(11) != 0;
    r.approved_by = q.text(12);
    r.approved_on = q.text(13);
    r.minute = q.text(14);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<StoredSchool> Store::schools(int64_t run) {
  sql::Stmt q(*db_,
              "SELECT urn, name, phase, type, tier, tier_label, placed, overridden, raised_by_floor, floors_met, "
              "standards_met, standards_applicable, standards_unknown, result "
              "FROM school_results WHERE run_id = ? ORDER BY urn");
  q.bind(1, run);
  std::vector<StoredSchool> out;
  while (q.step()) {
    StoredSchool s;
    s.urn = q.text(0);
    s.name = q.text(1);
    s.phase = q.text(2);
    s.type = q.text(3);
    s.tier = static_cast<int>(q.integer(4));
    s.tier_label = q.text(5);
    s.placed = static_cast<int>(q.integer(6));
    s.overridden = q.integer(7) != 0;
    s.raised_by_floor = q.integer(8) != 0;
    s.floors_met = q.text(9);
    s.standards_met = static_cast<int>(q.integer(10));
    s.standards_applicable = static_cast<int>(q.integer(11));
    s.standards_unknown = static_cast<int>(q.integer(12));
    s.result_json = q.text(13);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<StoredRule> Store::rules(int64_t run, const std::string& urn) {
  sql::Stmt q(*db_,
              "SELECT urn, kind, rule_id, label, status FROM rule_results "
              "WHERE run_id = ?1 AND (?2 = '' OR urn = ?2) ORDER BY urn, position");
  q.bind(1, run).bind(2, urn);
  std::vector<StoredRule> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4)});
  return out;
}

std::vector<DataFileHash> Store::files(int64_t run) {
  sql::Stmt q(*db_, "SELECT path, source, rows, sha256 FROM run_files WHERE run_id = ? ORDER BY position");
  q.bind(1, run);
  std::vector<DataFileHash> out;
  while (q.step()) out.push_back({q.text(0), q.text(1), static_cast<uint32_t>(q.integer(2)), q.text(3)});
  return out;
}

}  // namespace tr
