#include "runtime/sha256.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "runtime/file_info.h"
#include "vakt/scanner/sha256.h"

namespace vakt::agent {

// The digest is the scanner's (OpenSSL on Linux, CNG on Windows): one implementation per platform.
struct Sha256::State {
  vakt::Sha256 hash;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {}

Sha256::~Sha256() = default;

void Sha256::update(std::string_view bytes) {
  state_->hash.update(bytes);
}

std::string Sha256::hex_digest() {
  return state_->hash.hex();
}

Expected<std::string> sha256_file(const std::filesystem::path& path) {
  auto info = stat_no_follow(path);
  if (!info) return info.error();
  if (info->kind == FileKind::kMissing) return Error{"file not found"};
  if (info->kind != FileKind::kRegular) return Error{"not a regular file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{std::string("cannot open: ") + std::strerror(errno)};
  Sha256 h;
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto got = in.gcount();
    if (got > 0) h.update(std::string_view(buf.data(), static_cast<std::size_t>(got)));
  }
  if (in.bad()) return Error{"read error"};
  return h.hex_digest();
}

}  // namespace vakt::agent
