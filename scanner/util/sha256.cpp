// The platform-independent half of sha256.h: hex encoding and the one-shot helper. The digest
// itself comes from sha256_posix.cpp (OpenSSL) or sha256_win.cpp (CNG).
#include "util/sha256.h"

namespace vakt {

std::string Sha256::hex() {
  auto d = digest();
  return to_hex(d.data(), d.size());
}

std::string to_hex(const std::uint8_t* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace vakt
