// The evaluator's side of `use lua`: a LuaBridge backed by a LuaSandbox that has
// loaded the ruleset's scripts. Values cross as LuaValue (lua_value.h); a script
// that fails, loops or returns the wrong thing gives unknown with the reason,
// never a wrong answer and never a crashed batch.
#pragma once

#include "evaluate.h"
#include "plan.h"

namespace tr {

// A factory that makes one bridge per worker thread (each loads the scripts into
// its own sandbox), or an empty function when the ruleset uses no Lua.
LuaBridgeFactory make_lua_bridge_factory(const Plan& plan);

// Makes the checker list a `use lua` script's functions by loading it in a
// sandbox (syntax and load errors at file:line). Done when this file is linked;
// tests that replace the lister call it to put it back.
void install_sandbox_lua_lister();

}  // namespace tr
