// SHA-256 (FIPS 180-4), for the ruleset's content hash and the hashes of the data
// files a run read. Written here rather than pulled from a crypto library because
// the engine needs nothing else from one, and a governance record must not depend
// on which library version happened to be installed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tr {

class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  // The digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> finish();
  // finish() as 64 lower-case hex digits.
  std::string hex();

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t used_ = 0;
  uint64_t total_ = 0;  // bytes
};

// Lower-case hex digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex digest of a file's bytes, read in chunks. False with `error` when
// it cannot be read.
bool sha256_file(const std::string& path, std::string& hex, std::string& error);

}  // namespace tr
