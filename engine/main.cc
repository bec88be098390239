// trustrules: one program, one subcommand per verb (see command.h).
#include "command.h"

#include <algorithm>
#include <cstdio>
#include <exception>

namespace tr::cli {
std::vector<Verb>& verbs() {
  static std::vector<Verb> v;
  return v;
}
}  // namespace tr::cli

int main(int argc, char** argv) {
  using namespace tr::cli;
  CLI::App app{"trustrules — a rules engine for school trusts in England"};
  app.require_subcommand(1);
  auto& all = verbs();
  std::sort(all.begin(), all.end(), [](const Verb& a, const Verb& b) { return a.name < b.name; });
  std::vector<std::pair<CLI::App*, Action>> actions;
  for (auto& v : all) {
    actions.emplace_back(nullptr, Action{});
    size_t before = app.get_subcommands({}).size();
    actions.back().second = v.setup(app);
    auto subs = app.get_subcommands({});
    if (subs.size() > before) actions.back().first = subs.back();
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }
  for (auto& [sub, action] : actions) {
    if (sub && sub->parsed() && action) {
      try {
        return action();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "trustrules: error: %s\n", e.what());
        return kFailed;
      }
    }
  }
  std::fputs(app.help().c_str(), stderr);
  return kUsage;
}
