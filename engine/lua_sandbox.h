// Lua 5.4 extensions: a sandbox that loads a ruleset's `use lua` scripts and
// calls their functions under an instruction and a memory budget. The rules and
// their data are untrusted in the sense that a trust writes them: a script may
// loop, recurse, allocate or poke at the runtime, and the engine must still
// finish the batch and say which script misbehaved. docs/lua.md is the
// script-writer's side of this contract.
//
// Not thread-safe: one sandbox per thread.
#pragma once

#include "ast.h"
#include "lua_value.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tr {

namespace luab {
struct SandboxState;
}

struct LuaLimits {
  // Lua VM instructions per call (and for running a script's top level). Checked
  // every 1000 instructions by a count hook, so a call may overshoot by that much.
  uint64_t instructions = 10'000'000;
  // Bytes the whole sandbox (every loaded script and its data) may hold.
  size_t memory = size_t{64} << 20;
  // Longest string string.rep may build in one call.
  size_t max_string = size_t{1} << 20;
  // Pattern functions run in C where the hook cannot stop them; a call whose
  // worst-case cost estimate (subject length ^ (quantifiers + 1) / quantifiers!)
  // exceeds this is refused. 1e8 is a few tenths of a second.
  double pattern_steps = 1e8;
  // Values (list items and record fields, nested ones included) in one result.
  size_t max_result_items = 100'000;
};

enum class LuaErrorKind : uint8_t {
  None,
  Io,                // the script file cannot be read
  Syntax,            // the script does not compile (or is a binary chunk)
  Load,              // the script's top level failed, or redefines another script's function
  Runtime,           // an error raised while running
  InstructionLimit,  // the instruction budget ran out
  MemoryLimit,       // the memory budget ran out
  BadReturn,         // the function returned a value of the wrong type or shape
  NoFunction,        // no loaded script defines the function
  BadArgument,       // an engine value could not be passed in (e.g. a reserved school key)
};
const char* to_string(LuaErrorKind kind);  // "syntax error", "instruction limit", ...

struct LuaError {
  LuaErrorKind kind = LuaErrorKind::None;
  std::string script;    // path of the script the error points into; "" if none
  int line = 0;          // 1-based; 0 when not known
  std::string function;  // the function the engine called ("" while loading)
  std::string message;   // without the "script:line:" prefix
  std::string traceback; // Lua's stack traceback for runtime errors (may be empty)
  // Filled in by the evaluator, which knows what it was evaluating.
  std::string rule_id;
  std::string urn;

  explicit operator bool() const { return kind != LuaErrorKind::None; }
  // "rules/lua/risk.lua:12: in attendance_risk: instruction limit: ... (rule r, school 100001)"
  std::string to_string() const;
};

struct LuaCallResult {
  LuaValue value;
  LuaError error;
  bool ok() const { return !error; }
};

// What a whole-rule (`met by lua`) or KPI function returned. A script returns
// `true`/`false`, `tr.unknown(reason)`, or a table
// { status = "met"|"not_met"|"unknown"|"not_applicable", reason = "...",
//   value = v, values = { name = v, ... } } (tr.met(reason, values) etc. build one).
struct LuaRuleResult {
  std::optional<Status> status;  // always set by a successful call_rule
  std::optional<LuaValue> value;
  std::string reason;
  std::vector<LuaField> values;  // sorted by name
  LuaError error;
  bool ok() const { return !error; }
};

class LuaSandbox {
 public:
  explicit LuaSandbox(const LuaLimits& limits = {});
  ~LuaSandbox();
  LuaSandbox(const LuaSandbox&) = delete;
  LuaSandbox& operator=(const LuaSandbox&) = delete;

  const LuaLimits& limits() const;

  // A scale tr.grade(scale, grade) may build grades of; grades best first.
  void add_scale(std::string id, std::vector<std::string> grades);

  // Compiles a script (text only) into its own fresh global environment and runs
  // its top level under the limits. Its global functions become callable; a
  // function name another loaded script already defines is an error. On failure
  // nothing of the script stays callable and `error` (if given) says why.
  bool load_file(const std::string& path, LuaError* error = nullptr);
  bool load_string(std::string_view code, const std::string& name, LuaError* error = nullptr);

  // Global functions defined by the loaded scripts, sorted (the checker resolves
  // call names against these).
  std::vector<std::string> functions() const;
  int function_id(std::string_view name) const;  // -1 when no script defines it
  const std::string& function_name(int id) const;
  const std::string& script_of(int id) const;    // path of the defining script
  // The script's `tr.declare(name, type)`, if it made one.
  std::optional<LuaType> declared_return(int id) const;

  // Calls a function with values. The result must satisfy `expect` if given,
  // else the declared return type if any; numbers take their tag from it.
  LuaCallResult call(std::string_view function, std::span<const LuaValue> args,
                     const LuaType* expect = nullptr);
  LuaCallResult call(int id, std::span<const LuaValue> args, const LuaType* expect = nullptr);

  // `fn(school)` for a whole rule: the result must carry a status.
  LuaRuleResult call_rule(std::string_view function, const LuaSchool& school);
  // `fn(schools, extra...)` for a KPI: the result must carry a value or a status.
  LuaRuleResult call_kpi(std::string_view function, std::span<const LuaSchool> schools,
                         std::span<const LuaValue> extra = {});

  struct Stats {
    uint64_t instructions = 0;  // counted in steps of the hook interval
    size_t memory = 0;          // bytes held now
    size_t peak_memory = 0;     // most bytes held since the sandbox was made
  };
  Stats stats() const;  // instructions: of the last load or call

  // What scripts print()ed since the last take (capped at 64 KiB).
  std::string take_output();

 private:
  std::unique_ptr<luab::SandboxState> s_;
};

}  // namespace tr
