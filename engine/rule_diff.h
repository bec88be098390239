// `diff`: the meaningful differences between two versions of a ruleset, for a
// board that approves criteria each year. Declarations are matched by id (tiers by
// number, descriptors by position and label similarity) and compared by meaning:
// expressions by their canonical formatting, everything else through ast_equal,
// so reformatting or re-commenting a file gives no differences.
#pragma once

#include "eval_run.h"

#include <string>
#include <vector>

namespace tr {

// Criteria changes, one sentence each, in a stable order (declaration order of
// the new version, removals after). Returns false with `errors` (rendered
// diagnostics) when either version does not load or check.
bool diff_rules(const std::string& old_root, const std::string& new_root,
                std::vector<std::string>& changes, std::string& errors);

// Evaluates both versions on the same data (`data`, `as_of` as for evaluate) and
// describes every school whose tier, floor or standard results change: from what
// to what, and the descriptors / floors whose status changed. Returns false with
// `errors` when either run cannot be prepared.
bool diff_results(const std::string& old_root, const std::string& new_root,
                  const std::vector<std::string>& data, const std::string& as_of,
                  std::vector<std::string>& changes, std::string& errors);

}  // namespace tr
