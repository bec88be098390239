// An output file that is either the old one or the whole new one, never half:
// the bytes go to a temporary file in the same folder, and commit() renames it
// over the target. A run that fails part-way (a write error, a Lua script that
// failed, a history store that would not record) destroys the AtomicFile without
// committing, and the temporary file is removed. Written in pieces, so a national
// run's JSON streams to disk instead of being held whole in memory.
#pragma once

#include <string>
#include <string_view>

namespace tr {

class AtomicFile {
 public:
  AtomicFile() = default;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // not committed: the temporary file is removed

  // Creates the temporary file beside `path`; false (with `error`) if it cannot.
  bool open(const std::string& path, std::string& error);
  // Appends; false after any I/O error (commit() then fails and says why).
  bool write(std::string_view text);
  // Flushes to disk, gives the file the mode a new file would get, and renames it
  // into place.
  bool commit(std::string& error);
  int write_error() const { return errno_; }  // the first write's errno; 0 if none

 private:
  std::string path_, temp_;
  int fd_ = -1;
  int errno_ = 0;  // the first write error
};

// The whole of `text`, atomically.
bool write_file_atomically(const std::string& path, std::string_view text, std::string& error);

}  // namespace tr
