// SHA-256 and HMAC-SHA256 from the platform's vetted crypto (no hand-written crypto): OpenSSL's EVP
// interface on Linux (util/sha256_posix.cpp), Windows CNG / BCrypt on Windows
// (util/sha256_win.cpp), chosen by CMake. Front ends (the agent's file hashing) use the same digest
// as the scanner.
//
//   Sha256 h; h.update(a); h.update(b); std::string hex = h.hex();
//   std::string mac = hmac_sha256_hex(key, message);
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vakt {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  std::array<std::uint8_t, 32> digest();  // finishes; call once
  std::string hex();                      // finishes; call once

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view bytes);
std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string to_hex(const std::uint8_t* data, std::size_t n);

}  // namespace vakt
