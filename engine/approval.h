// Board approval of a ruleset: who approved which exact content (its content
// hash, content_hash.h), on what date, under which minute reference. Approvals
// live in the store (store.h, schema 2) and are immutable; an approval covers one
// hash, so any change to the rules' meaning makes them a draft until the board
// approves the new content. Approving the same content twice records nothing new.
#pragma once

#include "result.h"
#include "store.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tr {

struct Approval {
  int64_t id = 0;
  std::string content_hash;  // "sha256:…"
  std::string ruleset_name, ruleset_version, ruleset_year;
  std::string approved_by;   // as given: "Jane Smith, Chair of the Board"
  std::string approved_on;   // the board's decision date, YYYY-MM-DD
  std::string minute;        // the minute reference, "B/25/14"
  std::string recorded_at;   // when it was entered, UTC ISO-8601
};

// The approval of exactly this content, or nullopt (a draft). A store older than
// schema 2 has no approvals.
std::optional<Approval> find_approval(Store& store, const std::string& content_hash);

enum class ApproveOutcome { Recorded, AlreadyApproved };

// Records `a` (recorded_at empty = now) in one transaction unless its hash is
// already approved; `in_force` receives the approval that now covers the hash —
// the new one, or the earlier one, which is never changed.
ApproveOutcome record_approval(Store& store, const Approval& a, Approval& in_force);

// Copies an approval, or its absence, into the result the reports print.
void set_approval(EvaluationResult& r, const std::optional<Approval>& a);

// "approved by Jane Smith on 2025-07-10 (minute B/25/14)" or "DRAFT — not approved".
std::string approval_text(const EvaluationResult& r);

// The line the table report prints under the ruleset's name: the approval text
// with a capital, and the content hash it covers.
std::string approval_line(const EvaluationResult& r);

// A real calendar date written YYYY-MM-DD.
bool valid_date(const std::string& date);

// Today's local date, YYYY-MM-DD: board meetings happen on local dates.
std::string local_today();

}  // namespace tr
