#include "mask/masking.h"

#include <cctype>

namespace vakt::mask {
namespace {

constexpr std::size_t kMaxShown = 80;
constexpr const char* kSecretMask = "********";

bool alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// Cuts a UTF-8 string at a character boundary at most `n` bytes long.
std::string clip_utf8(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n)) + "…";
}

}  // namespace

std::string mask_match(rules::MaskStyle style, std::string_view match) {
  switch (style) {
    case rules::MaskStyle::kNone: {
      std::string out;
      for (char c : clip_utf8(match, kMaxShown))
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
      return out;
    }
    case rules::MaskStyle::kTail4: {
      std::size_t keep = 4;
      std::string out(match);
      for (std::size_t i = out.size(); i-- > 0;) {
        if (!alnum(out[i])) continue;
        if (keep > 0) {
          --keep;
        } else {
          out[i] = '*';
        }
      }
      return clip_utf8(out, kMaxShown);
    }
    case rules::MaskStyle::kIdentity:
    case rules::MaskStyle::kFull: {
      std::string out;
      for (unsigned char c : match) {
        if (c >= 0x80) continue;  // non-ASCII letters vanish rather than leak by length
        out += alnum(static_cast<char>(c)) ? '*' : static_cast<char>(c);
      }
      return clip_utf8(out, kMaxShown);
    }
    case rules::MaskStyle::kSecret:
      return kSecretMask;
  }
  return "****";
}

std::string normalize_value(std::string_view match) {
  std::string out;
  for (char c : match) {
    if (alnum(c)) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace vakt::mask
