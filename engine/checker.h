// Hooks into the checker for other phases. check_ruleset() and check_expression()
// themselves are declared in ruleset.h.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tr {

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
