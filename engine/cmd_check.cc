// `trustrules check [PATH...]`: loads every ruleset under the paths, checks it,
// prints every diagnostic (stderr) and one summary line per ruleset (stdout).
// Exit 0 when there are no errors (warnings allowed), 1 with errors, 2 on usage.
#include "checker.h"
#include "command.h"
#include "diagnostics.h"
#include "ruleset.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>

namespace tr::cli {

namespace {

namespace fs = std::filesystem;

bool stderr_color() {
  const char* no = std::getenv("NO_COLOR");
  return isatty(STDERR_FILENO) && !(no && *no);
}

std::string identity(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).string();
}

std::string count(size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

// Loads and checks one root; prints its diagnostics and summary. Returns its error count.
size_t check_root(const std::string& root, bool color, std::set<std::string>& loaded) {
  Diagnostics d;
  bool checked = false;
  std::unique_ptr<Ruleset> rs = load_and_check(root, d, &checked);
  bool syntax = !checked;
  SourceFiles none;
  std::string text = d.render(rs ? rs->sources : none, color);
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  if (rs)
    for (const File& f : rs->files) loaded.insert(identity(f.path));
  std::string summary;
  if (!d.has_errors()) {
    summary = fmt::format("ok ({}, {}", count(rs->metrics.size(), "metric"),
                          count(rs->tiers ? rs->tiers->tiers.size() : 0, "tier"));
    if (d.warning_count()) summary += ", " + count(d.warning_count(), "warning");
    summary += ")";
  } else {
    summary = count(d.error_count(), "error");
    if (d.warning_count()) summary += ", " + count(d.warning_count(), "warning");
    if (syntax && rs) summary += " (syntax errors: fix these, then check again for the rest)";
  }
  std::printf("%s: %s\n", root.c_str(), summary.c_str());
  std::fflush(stdout);
  return d.error_count();
}

int run_check(std::vector<std::string> paths) {
  if (paths.empty()) paths.push_back("rules");
  bool color = stderr_color();
  bool missing = false;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      std::fprintf(stderr, "trustrules check: '%s' does not exist\n", p.c_str());
      missing = true;
    }
  }
  if (missing) return kUsage;

  Diagnostics found;
  std::vector<std::string> roots = find_root_files(paths, found);
  size_t errors = found.error_count();
  if (found.error_count() || found.warning_count()) std::fputs(found.render(SourceFiles{}, color).c_str(), stderr);

  std::set<std::string> loaded;
  for (const auto& root : roots) errors += check_root(root, color, loaded);

  // A .rules file that no root includes is never checked nor evaluated: say so.
  SourceFiles names;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) continue;
    std::vector<std::string> stray;
    for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->path().extension() == ".rules" && !loaded.count(identity(it->path())))
        stray.push_back(it->path().lexically_normal().generic_string());
    std::sort(stray.begin(), stray.end());
    for (const auto& s : stray) {
      Diagnostic w;
      w.severity = Severity::Warning;
      uint32_t id = names.add(s, "");
      w.span.begin = w.span.end = {id, 0, 0};
      w.message = "not part of any ruleset";
      w.hint = "no root file includes it, so it is never checked or evaluated; include it from a root or remove it";
      std::fputs(render_diagnostic(names, w, color).c_str(), stderr);
    }
  }
  return errors ? kFailed : kOk;
}

Register reg("check", [](CLI::App& app) -> Action {
  auto* sub = app.add_subcommand("check", "Check rule files: syntax, names, types, units, tiers and tests");
  auto paths = std::make_shared<std::vector<std::string>>();
  sub->add_option("paths", *paths, "Rule files or folders (default: rules/); folders are searched for root files");
  sub->footer(
      "Every error in every file is reported, each with file:line:col, the line, a caret and a hint.\n"
      "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error (e.g. no such path).\n"
      "Colour is used when stderr is a terminal, unless NO_COLOR is set.");
  return [paths] { return run_check(*paths); };
});

}  // namespace

}  // namespace tr::cli
