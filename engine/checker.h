// Hooks into the checker for other phases. check_ruleset() and check_expression()
// themselves are declared in ruleset.h.
#pragma once

#include "ruleset.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tr {

// What check_ruleset() leaves in each Expr (ast.h, "checker:" fields):
//   type, scale   the value type; `scale` names the scale of a Type::Grade.
//   ref / ref_index:
//     Metric       index in Ruleset::metrics; `group` (0 all, i+1 groups[i]) and `bound`
//                  (0 value, 1 lower, 2 upper) on the Ident or the outermost Member node
//     Param, Define, Rule   index in params / defines / rules
//     DefineParam  the parameter's position (in define bodies)
//     Benchmark    index in benchmark_ids, on the Call; its argument carries the Metric ref
//     Grade        the grade's rank on `scale` (0 the best)
//     Builtin      a name (phase 0, school_type 1, year 2, floors_met 3, yes 4, no 5) or,
//                  with ref_index -1, a built-in function or aggregate
//     Lua          index in Ruleset::lua_functions
//     KpiValue     `value` in a kpi's met when (ref_index -1)
// A define with parameters is checked per call on a copy; its own body keeps the
// fields of the pass with the parameters unknown (Type::Error where they matter).

// load_ruleset() then, when the files parsed without errors, check_ruleset().
// After a syntax error the check is skipped: declarations lost to the error
// would only add follow-on errors ("unknown metric" for a metric that failed to
// parse). `checked` says whether the check ran. Null when the root cannot be read.
std::unique_ptr<Ruleset> load_and_check(const std::string& path, Diagnostics& diags, bool* checked = nullptr);

// Lists the global functions a `use lua` script defines. Returns false, with a
// message in `error`, when the script cannot be read or loaded.
using LuaFunctionLister =
    std::function<bool(const std::string& path, std::vector<std::string>& names, std::string& error)>;

// Until the Lua sandbox can load scripts, the checker finds a script's functions by
// scanning its text (scan_lua_functions). The sandbox installs its own lister
// (LuaSandbox::functions()) here so that the checker sees exactly what will run.
// An empty function restores the text scan.
void set_lua_function_lister(LuaFunctionLister lister);

// The text scan: every `function NAME(` at the start of a line (not `local
// function`, not `function M.name`), i.e. the script's global functions.
bool scan_lua_functions(const std::string& path, std::vector<std::string>& names, std::string& error);

}  // namespace tr
