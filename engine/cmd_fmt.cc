// `trustrules fmt`: rewrites rule files in the one canonical layout (see format.h).
#include "command.h"
#include "format.h"

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace tr::cli {
namespace {

struct FmtArgs {
  bool check = false;
  bool diff = false;
  std::vector<std::string> paths;
};

int run_fmt(const FmtArgs& args) {
  FormatOptions opts;
  opts.diff = args.diff;
  // --diff shows the change instead of making it, like --check.
  opts.check_only = args.check || args.diff;
  std::vector<std::string> paths = args.paths;
  if (paths.empty()) paths.push_back("rules");

  FormatReport report;
  SourceFiles sources;
  Diagnostics diags;
  format_paths(paths, opts, report, sources, diags);

  std::string rendered = diags.render(sources, isatty(STDERR_FILENO) != 0);
  if (!rendered.empty()) std::fputs(rendered.c_str(), stderr);
  if (opts.diff) std::fputs(report.diff.c_str(), stdout);
  if (!args.diff) {
    for (const auto& p : report.changed) std::printf("%s%s\n", opts.check_only ? "" : "formatted ", p.c_str());
  }
  size_t total = report.changed.size() + report.unchanged.size() + report.failed.size();
  if (total == 0 && report.failed.empty()) {
    std::fprintf(stderr, "trustrules fmt: no .rules files found\n");
    return kOk;
  }
  if (opts.check_only && !report.changed.empty())
    std::fprintf(stderr, "trustrules fmt: %zu of %zu file(s) would be reformatted\n", report.changed.size(),
                 total);
  if (!report.failed.empty())
    std::fprintf(stderr, "trustrules fmt: %zu file(s) could not be formatted and were left unchanged\n",
                 report.failed.size());
  if (!report.failed.empty()) return kFailed;
  if (opts.check_only && !report.changed.empty()) return kFailed;
  return kOk;
}

Register reg("fmt", [](CLI::App& app) -> Action {
  auto args = std::make_shared<FmtArgs>();
  auto* sub = app.add_subcommand("fmt", "Rewrite rule files in the canonical layout, keeping comments");
  sub->add_flag("--check", args->check,
                "Write nothing; list the files that would change and exit 1 if there are any");
  sub->add_flag("--diff", args->diff,
                "Write nothing; print what would change as a unified diff and exit 1 if anything would");
  sub->add_option("paths", args->paths,
                  "Rule files or folders (a folder means every *.rules file in it, recursively); "
                  "default: rules/");
  sub->footer(
      "Files are replaced atomically and only when their text changes. A file that does not parse\n"
      "is never touched: its errors are printed and fmt exits 1.\n"
      "Exit status: 0 all files formatted (or already canonical), 1 a file failed or (--check, --diff)\n"
      "would change, 2 usage error.");
  return [args]() { return run_fmt(*args); };
});

}  // namespace
}  // namespace tr::cli
