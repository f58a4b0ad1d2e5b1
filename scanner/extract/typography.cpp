#include "extract/typography.h"

namespace vakt::extract {
namespace {

bool is_ascii_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

bool is_ascii_letter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A word ends in a letter: ASCII, or the last byte of a multi-byte character (å, ö …).
bool ends_in_letter(const std::string& s) {
  if (s.empty()) return false;
  const auto c = static_cast<unsigned char>(s.back());
  return is_ascii_letter(c) || (c >= 0x80 && c <= 0xBF);
}

// A lower-case letter starts at in[at]: a-z, or U+00DF-U+00FF (ß à-ÿ: C3 9F-C3 BF).
bool lower_case_letter_at(std::string_view in, std::size_t at) {
  if (at >= in.size()) return false;
  const auto c = static_cast<unsigned char>(in[at]);
  if (c >= 'a' && c <= 'z') return true;
  return c == 0xC3 && at + 1 < in.size() && static_cast<unsigned char>(in[at + 1]) >= 0x9F;
}

// The precomposed form of `base` + combining mark U+03xx (second byte `mark`), or nullptr.
const char* compose(char base, unsigned char mark) {
  switch (mark) {
    case 0x8A:  // U+030A ring above
      if (base == 'a') return "\xC3\xA5";
      if (base == 'A') return "\xC3\x85";
      return nullptr;
    case 0x88:  // U+0308 diaeresis
      if (base == 'a') return "\xC3\xA4";
      if (base == 'A') return "\xC3\x84";
      if (base == 'o') return "\xC3\xB6";
      if (base == 'O') return "\xC3\x96";
      if (base == 'u') return "\xC3\xBC";
      if (base == 'U') return "\xC3\x9C";
      return nullptr;
    case 0x81:  // U+0301 acute
      if (base == 'e') return "\xC3\xA9";
      if (base == 'E') return "\xC3\x89";
      return nullptr;
    default:
      return nullptr;
  }
}

}  // namespace

bool normalize_typography(std::string_view in, std::string& out) {
  const bool soft = in.find('\xAD') != std::string_view::npos;
  const bool combining = in.find('\xCC') != std::string_view::npos;
  const bool hyphen =
      in.find("-\n") != std::string_view::npos || in.find("-\r\n") != std::string_view::npos;
  if (!soft && !combining && !hyphen) return false;
  out.clear();
  out.reserve(in.size());
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == 0xC2 && i + 1 < n && static_cast<unsigned char>(in[i + 1]) == 0xAD) {
      ++i;  // soft hyphen
      continue;
    }
    if (c == 0xCC && i + 1 < n && !out.empty()) {
      if (const char* composed = compose(out.back(), static_cast<unsigned char>(in[i + 1]))) {
        out.pop_back();
        out += composed;
        ++i;
        continue;
      }
    }
    if (c == '-' && hyphen) {
      std::size_t j = i + 1;
      if (j < n && in[j] == '\r') ++j;
      if (j < n && in[j] == '\n') {
        std::size_t next = j + 1;
        while (next < n && next - j <= 16 && (in[next] == ' ' || in[next] == '\t')) ++next;
        if (!out.empty() && is_ascii_digit(static_cast<unsigned char>(out.back())) && next < n &&
            is_ascii_digit(static_cast<unsigned char>(in[next]))) {
          out += '-';  // 990604-\n2388: the number is whole again
          i = next - 1;
          continue;
        }
        if (ends_in_letter(out) && lower_case_letter_at(in, next)) {
          i = next - 1;  // sekretess-\nmarkerad
          continue;
        }
      }
    }
    out += static_cast<char>(c);
  }
  return true;
}

std::string collapse_spaces(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == ' ' && !out.empty() && out.back() == ' ') continue;
    out += in[i];
  }
  return out;
}

}  // namespace vakt::extract
