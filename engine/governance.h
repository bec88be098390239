// What the CLI verbs share for governance: where the store lives, loading a
// checked ruleset for `approve`, and the two hooks `evaluate` calls — one before
// evaluating (content hash, approval, --require-approved) and one after (put the
// approval in the result, record the run).
//
// The store: `--store FILE` when given, else `.trustrules/history.db` in the
// folder of the ruleset's root file (rules/.trustrules/history.db for
// rules/trust.rules), so approvals and history travel with the rules they are
// about. `evaluate` always reads the approval status from it (no store: a draft)
// and writes to it only with --record or --store.
#pragma once

#include "approval.h"
#include "eval_run.h"
#include "store.h"

#include <memory>
#include <optional>
#include <string>

namespace tr {

// `.trustrules/history.db` beside the root rule file.
std::string default_store_path(const std::string& root_file);

// The root rule file named by --rules: a file as it is, a folder's only root.
// Exit code: 0, or 2 (no such path, no root or several) with `messages`.
int resolve_root(const std::string& rules, std::string& root, std::string& messages);

// Loads and checks a ruleset for `approve`: 0, 1 (errors in the rules, with
// diagnostics in `messages`) or 2 (usage).
int load_checked_ruleset(const std::string& rules, std::unique_ptr<Ruleset>& out, std::string& messages,
                         bool color = false);

struct GovernanceOptions {
  std::string store;              // --store FILE; empty = default_store_path()
  bool record = false;            // --record; --store implies it
  bool require_approved = false;  // --require-approved
  std::string recorded_at;        // tests: a fixed time for the run; empty = now
};

class EvaluationGovernance {
 public:
  explicit EvaluationGovernance(GovernanceOptions opts) : opts_(std::move(opts)) {}

  // After prepare_run: computes the content hash and reads its approval. Returns
  // 0, or 1 with `messages` (the store cannot be read; a draft with
  // --require-approved — nothing is then evaluated).
  int before(const Run& run, std::string& messages);

  // After evaluate: puts the content hash and approval into `result` and, when
  // recording, records the run (one transaction). Returns 0, or 1 with `messages`.
  int after(const Run& run, EvaluationResult& result, std::string& messages);

  const std::string& store_path() const { return path_; }
  // The content hash before() computed ("sha256:…").
  const std::string& content_hash() const { return hash_; }
  // The content hash and approval, as after() puts them (a streamed JSON writes
  // them in its head, before the schools are evaluated).
  void stamp(EvaluationResult& result) const;
  // Whether after() records the run (it then needs every school's results).
  bool records() const;

 private:
  GovernanceOptions opts_;
  std::string path_, hash_;
  std::optional<Approval> approval_;
  std::unique_ptr<Store> store_;
};

}  // namespace tr
