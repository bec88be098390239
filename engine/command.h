// The CLI's verbs. Each cmd_<verb>.cc registers itself; main.cc only dispatches,
// so adding a verb never touches another verb's file.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tr::cli {

// Exit codes scripts can rely on.
enum Exit : int { kOk = 0, kFailed = 1, kUsage = 2 };

using Action = std::function<int()>;
// Adds the verb's subcommand (with its options) to `app`; returns what runs it.
using Setup = std::function<Action(CLI::App& app)>;

struct Verb {
  std::string name;
  Setup setup;
};

std::vector<Verb>& verbs();

struct Register {
  Register(std::string name, Setup setup) { verbs().push_back({std::move(name), std::move(setup)}); }
};

}  // namespace tr::cli
