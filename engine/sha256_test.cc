// SHA-256 against the FIPS 180-4 / NIST example vectors, fed whole and in pieces.
#include "sha256.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

using namespace tr;

TEST_CASE("sha256: standard test vectors", "[sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: block boundaries and pieces give the same digest", "[sha256]") {
  // 55, 56 and 64 bytes straddle the padding's two-block case.
  for (size_t n : {55u, 56u, 63u, 64u, 65u, 127u, 128u, 1000u}) {
    std::string s(n, 'x');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
    Sha256 h;
    for (size_t i = 0; i < n; i += 7) h.update(std::string_view(s).substr(i, 7));
    CHECK(h.hex() == sha256_hex(s));
  }
}

TEST_CASE("sha256: a file's digest equals its bytes' digest", "[sha256]") {
  auto path = std::filesystem::temp_directory_path() / "trustrules_sha256_test.bin";
  std::string bytes(200000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31 % 251);
  std::ofstream(path, std::ios::binary) << bytes;
  std::string hex, error;
  REQUIRE(sha256_file(path.string(), hex, error));
  CHECK(hex == sha256_hex(bytes));
  std::filesystem::remove(path);
  CHECK_FALSE(sha256_file(path.string(), hex, error));
  CHECK(error.find("cannot read") != std::string::npos);
}
