// What `evaluate` and `explain` share: find and load the ruleset, check it, load
// the data, plan — stopping at the first phase with errors, so nothing is ever
// evaluated on rules with errors or on half-read data. Output files are written
// atomically (atomic_file.h).
#pragma once

#include "atomic_file.h"
#include "dataset.h"
#include "evaluate.h"
#include "plan.h"
#include "ruleset.h"

#include <memory>
#include <string>
#include <vector>

namespace tr {

struct RunOptions {
  std::string rules = "rules/trust.rules";  // a root file, or a folder holding exactly one root
  std::vector<std::string> data;            // files or folders; empty = samples/trust
  std::string as_of;                        // "2024-25 summer"; empty = default_as_of()
  int jobs = 0;                             // 0 = one per core
};

struct Run {
  std::unique_ptr<Ruleset> rules;
  Dataset data;
  Plan plan;
  Period as_of;
  LuaBridgeFactory lua;  // null when the ruleset uses no Lua
};

// Exit codes as in command.h: 0 ready, 1 errors in the rules or data, 2 usage
// (no such path, several roots, a malformed --as-of). Diagnostics and messages
// are appended to `messages` (stderr text), rendered with colour when asked.
int prepare_run(const RunOptions& opts, Run& run, std::string& messages, bool color = false);

// The options that evaluate a prepared run: its as-of period and its Lua bridge.
EvalOptions eval_options(const Run& run, int jobs = 0);

}  // namespace tr
