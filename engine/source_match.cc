#include "source_match.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

namespace tr {

namespace fs = std::filesystem;

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative matcher with one backtrack point: linear for the patterns people
  // write ("*_ks2final.csv"), no recursion.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' ? t[ti] != '/' : p[pi] == t[ti]) && p[pi] != '*') {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos && t[mark] != '/') {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {

bool hidden(const fs::path& p) {
  std::string n = p.filename().string();
  return !n.empty() && n[0] == '.';
}

}  // namespace

std::vector<DataPath> list_data_files(const std::vector<std::string>& paths, Diagnostics& diags) {
  std::vector<DataPath> out;
  std::set<std::string> seen;  // canonical paths, so a file named twice is read once
  auto add = [&](const fs::path& file, std::string shown, std::string relative) {
    std::error_code ec;
    fs::path canon = fs::weakly_canonical(file, ec);
    if (!seen.insert(ec ? file.string() : canon.string()).second) return;
    out.push_back({std::move(shown), std::move(relative)});
  };
  for (const auto& given : paths) {
    std::error_code ec;
    fs::path root(given);
    auto status = fs::status(root, ec);
    if (ec || !fs::exists(status)) {
      diags.error_at(given, "no such file or folder");
      continue;
    }
    if (!fs::is_directory(status)) {
      add(root, given, root.filename().string());
      continue;
    }
    std::vector<std::pair<std::string, fs::path>> found;
    fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      diags.error_at(given, "cannot read folder: " + ec.message());
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        diags.error_at(given, "cannot read folder: " + ec.message());
        break;
      }
      if (hidden(it->path())) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec)) continue;
      found.emplace_back(fs::relative(it->path(), root, ec).generic_string(), it->path());
    }
    std::sort(found.begin(), found.end());
    for (auto& [rel, full] : found) {
      std::string shown = given;
      if (!shown.empty() && shown.back() != '/') shown += '/';
      add(full, shown + rel, rel);
    }
  }
  return out;
}

bool source_matches(const std::vector<std::string>& globs, const DataPath& file) {
  std::string_view name = file.relative;
  size_t slash = name.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  for (const auto& g : globs) {
    bool with_folder = g.find('/') != std::string::npos;
    if (glob_match(g, with_folder ? name : base)) return true;
  }
  return false;
}

}  // namespace tr
