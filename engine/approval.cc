// Recording and reading approvals (see approval.h).
#include "approval.h"

#include "content_hash.h"

#include <cctype>
#include <ctime>

namespace tr {

namespace {

Approval read_approval(sql::Stmt& q) {
  Approval a;
  a.id = q.integer(0);
  a.content_hash = q.text(1);
  a.ruleset_name = q.text(2);
  a.ruleset_version = q.text(3);
  a.ruleset_year = q.text(4);
  a.approved_by = q.text(5);
  a.approved_on = q.text(6);
  a.minute = q.text(7);
  a.recorded_at = q.text(8);
  return a;
}

constexpr const char* kSelect =
    "SELECT id, content_hash, ruleset_name, ruleset_version, ruleset_year, approved_by, approved_on, minute, "
    "recorded_at FROM approvals WHERE content_hash = ?";

}  // namespace

std::optional<Approval> find_approval(Store& store, const std::string& content_hash) {
  if (store.version() < 2) return std::nullopt;
  sql::Stmt q(store.db(), kSelect);
  q.bind(1, content_hash);
  if (!q.step()) return std::nullopt;
  return read_approval(q);
}

ApproveOutcome record_approval(Store& store, const Approval& a, Approval& in_force) {
  if (store.version() < 2) throw StoreError(store.path() + " is too old to hold approvals; open it read-write to upgrade it");
  sql::Transaction tx(store.db());
  {
    sql::Stmt q(store.db(), kSelect);
    q.bind(1, a.content_hash);
    if (q.step()) {
      in_force = read_approval(q);
      return ApproveOutcome::AlreadyApproved;  // the transaction rolls back: nothing written
    }
  }
  in_force = a;
  if (in_force.recorded_at.empty()) in_force.recorded_at = utc_now();
  sql::Stmt ins(store.db(),
                "INSERT INTO approvals (content_hash, ruleset_name, ruleset_version, ruleset_year, approved_by, "
                "approved_on, minute, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, in_force.content_hash).bind(2, in_force.ruleset_name).bind(3, in_force.ruleset_version);
  ins.bind(4, in_force.ruleset_year).bind(5, in_force.approved_by).bind(6, in_force.approved_on);
  ins.bind(7, in_force.minute).bind(8, in_force.recorded_at).run();
  in_force.id = store.db().last_insert_id();
  tx.commit();
  return ApproveOutcome::Recorded;
}

void set_approval(EvaluationResult& r, const std::optional<Approval>& a) {
  r.approved = a.has_value();
  r.approved_by = a ? a->approved_by : "";
  r.approved_on = a ? a->approved_on : "";
  r.minute = a ? a->minute : "";
}

std::string approval_text(const EvaluationResult& r) {
  if (!r.approved) return "DRAFT — not approved";
  return "approved by " + r.approved_by + " on " + r.approved_on + " (minute " + r.minute + ")";
}

std::string approval_line(const EvaluationResult& r) {
  std::string t = approval_text(r);
  if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
  if (!r.content_hash.empty()) t += "; content " + short_hash(r.content_hash);
  return t;
}

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  if (m < 1 || m > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string local_today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace tr
