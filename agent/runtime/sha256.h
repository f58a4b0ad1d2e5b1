// Sha256: streaming SHA-256 (the scanner's vakt::Sha256: OpenSSL on Linux, CNG on Windows) and a
// helper that hashes a whole file, for the verdict cache key, `file.hash.sha256` and the
// quarantine's verify-after-copy.
//
//   Sha256 h; h.update(bytes); std::string hex = h.hex_digest();
//   auto digest = sha256_file(path);       // Expected<std::string>, lower-case hex
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view bytes);
  std::string hex_digest();  // finishes; call once

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Hashes the file's bytes; a symlink is refused (never followed).
Expected<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace vakt::agent
