#include "util/utf8_guard.h"

#include "util/simd_text.h"

#include <cstdint>
#include <cstring>

namespace vakt {
namespace {

// Repairs `in` into `out`; bytes of a sequence cut off at the end go to `tail`.
void repair(std::string_view in, std::string& out, std::string& tail) {
  std::size_t i = 0;
  while (i < in.size()) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    const int n = utf8_sequence_length(in.substr(i));
    if (n > 0) {
      out.append(in.substr(i, static_cast<std::size_t>(n)));
      i += static_cast<std::size_t>(n);
    } else if (n < 0) {
      tail.assign(in.substr(i));
      return;
    } else {
      out += '?';
      ++i;
    }
  }
}

}  // namespace

int utf8_sequence_length(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  int n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (int k = 1; k < n; ++k) {
    if (static_cast<std::size_t>(k) >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[static_cast<std::size_t>(k)]);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
  }
  return n;
}

namespace {

// Bytes a sequence needs, from its lead byte; 0 for a byte that cannot lead one.
std::size_t sequence_bytes(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::string_view Utf8Guard::clean(std::string_view& in, std::string& scratch) {
  if (!carry_.empty()) {
    // Complete the character the previous chunk cut, with continuation bytes only.
    scratch = carry_;
    carry_.clear();
    const std::size_t need = sequence_bytes(static_cast<unsigned char>(scratch[0]));
    while (scratch.size() < need && !in.empty() &&
           (static_cast<unsigned char>(in[0]) & 0xC0) == 0x80) {
      scratch += in[0];
      in.remove_prefix(1);
    }
    if (scratch.size() < need && in.empty()) {
      carry_ = scratch;  // still cut: wait for more
      return {};
    }
    if (utf8_sequence_length(scratch) == static_cast<int>(scratch.size())) return scratch;
    scratch.assign(scratch.size(), '?');
    return scratch;
  }
  // The common case: valid text whose last character may be cut by the chunk boundary. Scan it
  // in place and hold back only the cut bytes.
  std::size_t body = in.size();
  for (std::size_t k = 1; k <= 3 && k <= in.size(); ++k) {
    const auto b = static_cast<unsigned char>(in[in.size() - k]);
    if ((b & 0xC0) == 0x80) continue;
    if (sequence_bytes(b) > k) body = in.size() - k;
    break;
  }
  if (utf8_valid(in.substr(0, body))) {
    std::string_view out = in.substr(0, body);
    carry_.assign(in.substr(body));
    in = {};
    return out;
  }
  scratch.clear();
  scratch.reserve(in.size());
  repair(in, scratch, carry_);
  in = {};
  return scratch;
}

std::string_view Utf8Guard::flush(std::string& scratch) {
  scratch.assign(carry_.size(), '?');
  carry_.clear();
  return scratch;
}

}  // namespace vakt
