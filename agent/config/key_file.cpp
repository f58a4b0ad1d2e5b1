#include "config/key_file.h"

#include <cstdint>
#include <fstream>
#include <system_error>

namespace vakt::agent {
namespace {

constexpr std::uint64_t kMaxKeyFileBytes = 64 * 1024;

}  // namespace

Expected<std::string> read_pseudonym_key_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{"pseudonym key file " + path.string() + " is a directory"};
  }
  // A FIFO or device would block the open or the read for ever.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    return Error{"pseudonym key file " + path.string() + " is not a regular file"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read pseudonym key file " + path.string()};
  std::string key;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    key.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (key.size() > kMaxKeyFileBytes) {
      return Error{"pseudonym key file " + path.string() + " is larger than 64 KiB"};
    }
  }
  if (in.bad()) return Error{"cannot read pseudonym key file " + path.string()};
  if (key.empty()) return Error{"pseudonym key file " + path.string() + " is empty"};
  if (key.size() < kMinPseudonymKeyBytes) {
    return Error{"pseudonym key file " + path.string() + " holds " + std::to_string(key.size()) +
                 " bytes; use at least " + std::to_string(kMinPseudonymKeyBytes) +
                 " random bytes (openssl rand -out FILE 32)"};
  }
  return key;
}

}  // namespace vakt::agent
