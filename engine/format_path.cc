// `fmt` on files: parse, format, prove the result means the same, then replace the
// file atomically. The proof (re-parse the output and compare ASTs and comments) is
// what lets fmt be run over a trust's whole rules folder without review: if the
// printer ever had a bug, the file is left as it was and the bug is reported.
#include "ast_equal.h"
#include "format.h"
#include "parser.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace tr {
namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

std::string trimmed(const std::string& s) {
  size_t e = s.find_last_not_of(" \t\r");
  return e == std::string::npos ? "" : s.substr(0, e + 1);
}

bool same_comments(const File& a, const File& b) {
  if (a.comments.size() != b.comments.size()) return false;
  for (size_t i = 0; i < a.comments.size(); ++i)
    if (trimmed(a.comments[i].text) != trimmed(b.comments[i].text)) return false;
  return true;
}

// Writes next to the target and renames over it, so a reader (or a crash) sees the
// old file or the new one, never half of one. Keeps the file's permission bits.
bool write_atomically(const std::string& path, const std::string& text, std::string& err) {
  std::error_code ec;
  fs::path target = fs::is_symlink(path, ec) ? fs::canonical(path, ec) : fs::path(path);
  if (ec) {
    err = ec.message();
    return false;
  }
  fs::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmp = (dir / ("." + target.filename().string() + ".fmt-XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    err = std::string("cannot create a temporary file: ") + std::strerror(errno);
    return false;
  }
  bool ok = true;
  size_t done = 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false; else done += static_cast<size_t>(n);
  }
  struct stat st {};
  if (ok && ::stat(target.c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);
  if (ok && ::fsync(fd) != 0) ok = false;
  if (::close(fd) != 0) ok = false;
  if (ok && ::rename(tmp.c_str(), target.c_str()) != 0) ok = false;
  if (!ok) {
    err = std::strerror(errno);
    ::unlink(tmp.c_str());
  }
  return ok;
}

}  // namespace

bool format_text(const std::string& path, const std::string& text, std::string& out,
                 SourceFiles& sources, Diagnostics& diags) {
  out = text;
  uint32_t id = sources.add(path, text);
  File before;
  before.id = id;
  before.path = path;
  if (!parse_file(sources, id, before, diags)) return false;
  std::string formatted = format_file(before, sources);

  // The proof. Its own SourceFiles keep the output out of the caller's diagnostics.
  SourceFiles again_sources;
  Diagnostics again_diags;
  uint32_t again_id = again_sources.add(path, formatted);
  File after;
  after.id = again_id;
  after.path = path;
  const char* bug = " (a bug in fmt; the file was left unchanged)";
  if (!parse_file(again_sources, again_id, after, again_diags)) {
    std::string first = again_diags.all().empty() ? "" : ": " + again_diags.all().front().message;
    diags.error_at(path, "the formatted text does not parse" + first + bug);
    return false;
  }
  std::string why;
  if (!ast_equal(before, after, &why)) {
    diags.error_at(path, "formatting would change the meaning at " + why + bug);
    return false;
  }
  if (!same_comments(before, after)) {
    diags.error_at(path, std::string("formatting would lose or alter a comment") + bug);
    return false;
  }
  out = std::move(formatted);
  return true;
}

bool format_path(const std::string& path, const FormatOptions& opts, FormatReport& report,
                 SourceFiles& sources, Diagnostics& diags) {
  std::string text;
  if (!read_file(path, text)) {
    diags.error_at(path, "cannot read the file");
    report.failed.push_back(path);
    return false;
  }
  std::string out;
  if (!format_text(path, text, out, sources, diags)) {
    report.failed.push_back(path);
    return false;
  }
  if (out == text) {
    report.unchanged.push_back(path);
    return true;
  }
  if (opts.diff) report.diff += unified_diff(path, text, out);
  if (!opts.check_only) {
    std::string err;
    if (!write_atomically(path, out, err)) {
      diags.error_at(path, "cannot write the formatted file: " + err);
      report.failed.push_back(path);
      return false;
    }
  }
  report.changed.push_back(path);
  return true;
}

bool format_paths(const std::vector<std::string>& paths, const FormatOptions& opts,
                  FormatReport& report, SourceFiles& sources, Diagnostics& diags) {
  bool ok = true;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".rules") found.push_back(it->path().string());
      }
      if (ec) {
        diags.error_at(p, "cannot list the folder: " + ec.message());
        report.failed.push_back(p);
        ok = false;
      }
      std::sort(found.begin(), found.end());
      for (const auto& f : found) ok = format_path(f, opts, report, sources, diags) && ok;
    } else if (fs::exists(p, ec)) {
      ok = format_path(p, opts, report, sources, diags) && ok;
    } else {
      diags.error_at(p, "no such file or folder");
      report.failed.push_back(p);
      ok = false;
    }
  }
  return ok;
}

}  // namespace tr
