// See atomic_file.h.
#include "atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace tr {

namespace fs = std::filesystem;

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

bool AtomicFile::open(const std::string& path, std::string& error) {
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmpl = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  fd_ = ::mkstemp(name.data());
  if (fd_ < 0) {
    error = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  path_ = path;
  temp_ = name.data();
  errno_ = 0;
  return true;
}

bool AtomicFile::write(std::string_view text) {
  if (fd_ < 0 || errno_) return false;
  const char* p = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      errno_ = errno;
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

bool AtomicFile::commit(std::string& error) {
  if (fd_ < 0) {
    error = "cannot write " + path_ + ": the file was not opened";
    return false;
  }
  int err = errno_;
  if (!err && ::fsync(fd_) != 0) err = errno;
  if (!err) {
    // mkstemp makes the file private (0600); give it the mode a new file would get.
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd_, 0666 & ~mask);
  }
  if (::close(fd_) != 0 && !err) err = errno;
  fd_ = -1;
  if (!err && ::rename(temp_.c_str(), path_.c_str()) != 0) err = errno;
  if (err) {
    error = "cannot write " + path_ + ": " + std::strerror(err);
    return false;  // the destructor removes the temporary file
  }
  temp_.clear();
  return true;
}

bool write_file_atomically(const std::string& path, std::string_view text, std::string& error) {
  AtomicFile f;
  if (!f.open(path, error)) return false;
  f.write(text);
  return f.commit(error);
}

}  // namespace tr
