// Loading a ruleset: the root file and everything it includes, each parsed
// once; and finding the root files under folders.
#include "diagnostics.h"
#include "parser.h"
#include "ruleset.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace tr {

namespace fs = std::filesystem;

namespace {

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

// The key under which a file counts as "already loaded".
std::string identity(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? p.lexically_normal() : c).string();
}

// The include path as it would have to be written to name `file` instead.
std::string respelled(const std::string& written, const std::string& file) {
  fs::path w(written);
  return (w.parent_path() / file).generic_string();
}

std::string missing_include_hint(const fs::path& target, const std::string& written) {
  std::error_code ec;
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec)) return "the folder '" + target.parent_path().generic_string() + "' does not exist";
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".rules") names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string m = did_you_mean(target.filename().string(), names);
  if (!m.empty()) return "did you mean '" + respelled(written, m) + "'?";
  return "include paths are relative to the file that includes them";
}

class Loader {
 public:
  Loader(Ruleset& rs, Diagnostics& diags) : rs_(rs), diags_(diags) {}

  // Reads and parses `path`, then its includes, depth first. Returns the file's
  // index in rs.files, or -1 when it could not be read.
  int load(const fs::path& path) {
    std::string text;
    if (!read_file(path, text)) return -1;
    uint32_t id = rs_.sources.add(path.lexically_normal().generic_string(), std::move(text));
    int index = static_cast<int>(rs_.files.size());
    rs_.files.emplace_back();
    parse_file(rs_.sources, id, rs_.files[index], diags_);
    std::string key = identity(path);
    loaded_[key] = index;
    stack_.push_back(key);
    // Copy the includes out: loading more files grows rs.files and moves this one.
    std::vector<Include> includes;
    for (const auto& d : rs_.files[index].decls)
      if (const auto* inc = std::get_if<Include>(&d)) includes.push_back(*inc);
    for (const auto& inc : includes) follow(path, inc);
    stack_.pop_back();
    return index;
  }

 private:
  void follow(const fs::path& from, const Include& inc) {
    fs::path target = (from.parent_path() / inc.path).lexically_normal();
    std::string key = identity(target);
    auto on_stack = std::find(stack_.begin(), stack_.end(), key);
    if (on_stack != stack_.end()) {
      std::string cycle;
      for (auto it = on_stack; it != stack_.end(); ++it) cycle += rs_.sources.path(file_of(*it)) + " → ";
      cycle += rs_.sources.path(file_of(key));
      diags_.error(inc.span, "include cycle: " + cycle, "a file cannot include itself, directly or through others");
      return;
    }
    if (loaded_.count(key)) return;  // included before: parsed once, shared
    std::error_code ec;
    if (!fs::is_regular_file(target, ec)) {
      diags_.error(inc.span, "cannot find the included file '" + target.generic_string() + "'",
                   missing_include_hint(target, inc.path));
      return;
    }
    if (load(target) < 0)
      diags_.error(inc.span, "cannot read the included file '" + target.generic_string() + "'");
  }

  uint32_t file_of(const std::string& key) const { return rs_.files[loaded_.at(key)].id; }

  Ruleset& rs_;
  Diagnostics& diags_;
  std::map<std::string, int> loaded_;
  std::vector<std::string> stack_;
};

// A root starts, after comments and blank lines, with the word `ruleset`.
bool is_root(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string line;
  bool first = true;
  while (std::getline(in, line)) {
    if (first && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    first = false;
    size_t i = line.find_first_not_of(" \t\r");
    if (i == std::string::npos || line[i] == '#') continue;
    if (line.compare(i, 7, "ruleset") != 0) return false;
    char next = i + 7 < line.size() ? line[i + 7] : ' ';
    return !(std::isalnum(static_cast<unsigned char>(next)) || next == '_');
  }
  return false;
}

}  // namespace

std::unique_ptr<Ruleset> load_ruleset(const std::string& path, Diagnostics& diags) {
  auto rs = std::make_unique<Ruleset>();
  rs->root_path = path;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    diags.error_at(path, "this is a folder, not a .rules file", "name the ruleset's root file");
    return nullptr;
  }
  Loader loader(*rs, diags);
  if (loader.load(fs::path(path)) < 0) {
    diags.error_at(path, fs::exists(path, ec) ? "cannot read this file" : "no such file");
    return nullptr;
  }
  return rs;
}

std::vector<std::string> find_root_files(const std::vector<std::string>& paths, Diagnostics& diags) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const fs::path& p) {
    std::string s = p.lexically_normal().generic_string();
    if (seen.insert(identity(p)).second) out.push_back(s);
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->path().extension() == ".rules" && it->is_regular_file(ec)) found.push_back(it->path());
      std::sort(found.begin(), found.end());
      size_t before = out.size();
      for (const auto& f : found)
        if (is_root(f)) add(f);
      if (out.size() == before)
        diags.error_at(p, "no root .rules file here", "a root file starts with a 'ruleset' line");
    } else if (fs::exists(p, ec)) {
      add(p);
    } else {
      diags.error_at(p, "no such file or folder");
    }
  }
  return out;
}

}  // namespace tr
