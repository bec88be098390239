// Governance glue for the CLI verbs (see governance.h).
#include "governance.h"

#include "content_hash.h"
#include "sha256.h"

#include <filesystem>

namespace tr {

namespace fs = std::filesystem;

std::string default_store_path(const std::string& root_file) {
  fs::path dir = fs::path(root_file).parent_path();
  return (dir / ".trustrules" / "history.db").string();
}

int resolve_root(const std::string& rules, std::string& root, std::string& messages) {
  std::error_code ec;
  if (!fs::exists(rules, ec)) {
    messages += "trustrules: error: no such rules file or folder: " + rules + "\n";
    return 2;
  }
  root = rules;
  if (!fs::is_directory(rules, ec)) return 0;
  Diagnostics found;
  std::vector<std::string> roots = find_root_files({rules}, found);
  if (roots.size() != 1) {
    messages += "trustrules: error: " + rules + " holds " + std::to_string(roots.size()) +
                " ruleset root files; name one with --rules\n";
    for (const auto& r : roots) messages += "  " + r + "\n";
    return 2;
  }
  root = roots[0];
  return 0;
}

int load_checked_ruleset(const std::string& rules, std::unique_ptr<Ruleset>& out, std::string& messages,
                         bool color) {
  std::string root;
  if (int rc = resolve_root(rules, root, messages)) return rc;
  Diagnostics d;
  out = load_ruleset(root, d);
  if (out && !d.has_errors()) check_ruleset(*out, d);
  if (!out || d.has_errors()) {
    // Only errors: warnings are `check`'s business and would bury them.
    Diagnostics errors;
    for (const auto& [where, x] : d.unplaced()) errors.error_at(where, x.message, x.hint);
    for (const auto& x : d.all())
      if (x.severity == Severity::Error) errors.error(x.span, x.message, x.hint);
    messages += errors.render(out ? out->sources : SourceFiles{}, color);
    messages += "trustrules: the rules have errors\n";
    return 1;
  }
  return 0;
}

int EvaluationGovernance::before(const Run& run, std::string& messages) {
  path_ = opts_.store.empty() ? default_store_path(run.rules->root_path) : opts_.store;
  bool record = opts_.record || !opts_.store.empty();
  ContentHash h = tr::content_hash(*run.rules);
  if (!h.ok()) {
    messages += "trustrules evaluate: error: " + h.error + "\n";
    return 1;
  }
  hash_ = h.hash;
  std::error_code ec;
  try {
    if (record)
      store_ = std::make_unique<Store>(path_);
    else if (fs::exists(path_, ec))
      store_ = std::make_unique<Store>(path_, Store::Options{.read_only = true});
    if (store_) approval_ = find_approval(*store_, hash_);
  } catch (const StoreError& e) {
    messages += std::string("trustrules evaluate: error: ") + e.what() + "\n";
    return 1;
  }
  if (opts_.require_approved && !approval_) {
    messages += "trustrules evaluate: error: the rules are a draft: content " + hash_ + " of " +
                run.rules->root_path + " has no approval in " + path_ +
                (store_ ? "" : " (no store there)") + "; nothing was evaluated\n" +
                "hint: once the board has approved it: trustrules approve --rules " + run.rules->root_path +
                " --by WHO --minute REF" + (opts_.store.empty() ? "" : " --store " + opts_.store) + "\n";
    return 1;
  }
  return 0;
}

void EvaluationGovernance::stamp(EvaluationResult& result) const {
  result.content_hash = hash_;
  set_approval(result, approval_);
}

bool EvaluationGovernance::records() const { return store_ && (opts_.record || !opts_.store.empty()); }

int EvaluationGovernance::after(const Run& run, EvaluationResult& result, std::string& messages) {
  stamp(result);
  if (!records()) return 0;

  RecordOptions ro;
  ro.recorded_at = opts_.recorded_at;
  ro.rules_path = run.rules->root_path;
  for (const DataFile& f : run.data.files) {
    DataFileHash x{f.path, f.source, f.rows, {}};
    std::string error;
    if (!sha256_file(f.path, x.sha256, error)) {
      messages += "trustrules evaluate: error: " + error + "; the run was not recorded\n";
      return 1;
    }
    ro.files.push_back(std::move(x));
  }
  try {
    int64_t id = store_->record_run(result, ro);
    messages += "recorded run " + std::to_string(id) + " (as of " + to_string(result.as_of) + ", " +
                std::to_string(result.schools.size()) + " schools, " +
                (result.approved ? "approved" : "draft") + ") in " + path_ + "\n";
  } catch (const std::exception& e) {
    messages += std::string("trustrules evaluate: error: ") + e.what() + "; the run was not recorded\n";
    return 1;
  }
  return 0;
}

}  // namespace tr
