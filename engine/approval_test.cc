// Approval: recorded once per content hash, kept through reformatting and comment
// edits, lost with any change of meaning; `evaluate` says which, and
// --require-approved refuses a draft.
#include "approval.h"

#include "governance_test_util.h"

#include <catch2/catch.hpp>

using namespace tr;
using namespace tr::govtest;

namespace {

Approval board(const std::string& hash, const std::string& minute = "B/25/14") {
  Approval a;
  a.content_hash = hash;
  a.ruleset_name = "Test trust";
  a.ruleset_version = "1";
  a.ruleset_year = "2024-25";
  a.approved_by = "Trust board";
  a.approved_on = "2025-07-10";
  a.minute = minute;
  return a;
}

const std::string kEvaluate = "evaluate --data samples/trust --rules ";

}  // namespace

TEST_CASE("approve: one approval per content hash; the second is reported, not recorded", "[approve]") {
  Scratch s;
  Store store(s.path("h.db"));
  CHECK_FALSE(find_approval(store, "sha256:aa"));
  Approval in_force;
  CHECK(record_approval(store, board("sha256:aa"), in_force) == ApproveOutcome::Recorded);
  CHECK(in_force.id == 1);
  CHECK_FALSE(in_force.recorded_at.empty());
  CHECK(record_approval(store, board("sha256:aa", "B/26/01"), in_force) == ApproveOutcome::AlreadyApproved);
  CHECK(in_force.minute == "B/25/14");  // the earlier approval stands, unchanged
  auto found = find_approval(store, "sha256:aa");
  REQUIRE(found);
  CHECK(found->approved_by == "Trust board");
  CHECK_FALSE(find_approval(store, "sha256:bb"));
  sql::Stmt q(store.db(), "SELECT count(*) FROM approvals");
  q.step();
  CHECK(q.integer(0) == 1);
  CHECK_THROWS_WITH(store.db().exec("UPDATE approvals SET minute = 'x'"), Catch::Contains("never updated"));
}

TEST_CASE("approve: the result states approved or draft", "[approve]") {
  EvaluationResult r;
  r.content_hash = "sha256:" + std::string(64, 'c');
  set_approval(r, std::nullopt);
  CHECK(approval_text(r) == "DRAFT — not approved");
  CHECK(approval_line(r) == "DRAFT — not approved; content sha256:cccccccccccc");
  set_approval(r, board(r.content_hash));
  CHECK(approval_text(r) == "approved by Trust board on 2025-07-10 (minute B/25/14)");
  CHECK(approval_line(r) == "Approved by Trust board on 2025-07-10 (minute B/25/14); content sha256:cccccccccccc");
}

TEST_CASE("approve: dates", "[approve]") {
  CHECK(valid_date("2025-07-10"));
  CHECK(valid_date("2024-02-29"));
  CHECK_FALSE(valid_date("2025-02-29"));
  CHECK_FALSE(valid_date("2025-13-01"));
  CHECK_FALSE(valid_date("10/07/2025"));
  CHECK_FALSE(valid_date("2025-7-10"));
  CHECK(valid_date(local_today()));
}

TEST_CASE("approve: approval, then reformat still approved, then a threshold change is a draft", "[approve][e2e]") {
  Scratch s(true);
  std::string store = s.path("history.db");
  std::string eval = kEvaluate + s.rules() + " --store " + store;

  CliResult r = run_cli(s, eval);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("\nDRAFT — not approved; content sha256:") != std::string::npos);

  r = run_cli(s, eval + " --require-approved");
  CHECK(r.exit == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("the rules are a draft: content sha256:") != std::string::npos);
  CHECK(r.err.find("nothing was evaluated") != std::string::npos);

  r = run_cli(s, "approve --rules " + s.rules() + " --by 'Trust board' --minute B/25/14 --date 2025-07-10 --store " + store);
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("approved: Meridian Learning Trust") != std::string::npos);
  CHECK(r.out.find("by Trust board on 2025-07-10 (minute B/25/14)") != std::string::npos);
  r = run_cli(s, "approve --rules " + s.rules() + " --by 'Someone else' --minute B/25/99 --store " + store);
  CHECK(r.exit == 0);
  CHECK(r.out.find("already approved") != std::string::npos);
  CHECK(r.out.find("B/25/14") != std::string::npos);

  r = run_cli(s, eval + " --require-approved");
  REQUIRE(r.exit == 0);
  CHECK(r.out.find("\nApproved by Trust board on 2025-07-10 (minute B/25/14); content sha256:") != std::string::npos);
  r = run_cli(s, eval + " --format json");
  CHECK(r.out.find("\"approved\": true") != std::string::npos);
  CHECK(r.out.find("\"minute\": \"B/25/14\"") != std::string::npos);

  // Comment edits and `fmt` keep the approval.
  s.edit("rules/trust/framework.rules", "param close_margin", "# Reviewed by the board in July.\nparam   close_margin");
  r = run_cli(s, "fmt " + s.path("rules"));
  REQUIRE(r.exit == 0);
  r = run_cli(s, eval + " --require-approved");
  CHECK(r.exit == 0);
  CHECK(r.out.find("\nApproved by Trust board") != std::string::npos);

  // A threshold the board did not approve makes the rules a draft again.
  s.edit("rules/trust/framework.rules", "= 2 points", "= 3 points");
  r = run_cli(s, eval);
  CHECK(r.exit == 0);
  CHECK(r.out.find("\nDRAFT — not approved; content sha256:") != std::string::npos);
  r = run_cli(s, eval + " --require-approved");
  CHECK(r.exit == 1);
  CHECK(r.err.find("the rules are a draft") != std::string::npos);
}

TEST_CASE("approve: the default store sits beside the root rule file", "[approve][e2e]") {
  Scratch s(true);
  CliResult r = run_cli(s, "approve --rules " + s.rules() + " --by Board --minute M1 --date 2025-07-10");
  REQUIRE(r.exit == 0);
  CHECK(fs::exists(s.path("rules/.trustrules/history.db")));
  // evaluate reads it without being told; without --record it writes nothing.
  r = run_cli(s, kEvaluate + s.rules() + " --require-approved");
  CHECK(r.exit == 0);
  CHECK(r.out.find("\nApproved by Board on 2025-07-10 (minute M1)") != std::string::npos);
  CHECK(r.err.find("recorded run") == std::string::npos);
  r = run_cli(s, kEvaluate + s.rules() + " --record");
  CHECK(r.exit == 0);
  CHECK(r.err.find("recorded run 1 (as of 2024-25 summer, 8 schools, approved) in " + s.path("rules/.trustrules/history.db")) !=
        std::string::npos);
}

TEST_CASE("approve: usage and rules with errors", "[approve][e2e]") {
  Scratch s(true);
  CliResult r = run_cli(s, "approve --rules " + s.rules() + " --by Board --minute M1 --date 2025-02-30");
  CHECK(r.exit == 2);
  CHECK(r.err.find("is not a date") != std::string::npos);
  r = run_cli(s, "approve --rules " + s.rules() + " --by Board");
  CHECK(r.exit == 2);
  s.edit("rules/trust/framework.rules", "= 2 points", "= 2 pointz");
  r = run_cli(s, "approve --rules " + s.rules() + " --by Board --minute M1");
  CHECK(r.exit == 1);
  CHECK_FALSE(fs::exists(s.path("rules/.trustrules/history.db")));
}
