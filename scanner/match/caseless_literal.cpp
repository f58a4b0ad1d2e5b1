#include "match/caseless_literal.h"

#include <cstdint>

namespace vakt::match {
namespace {

// The loader's phrase gap (rules::term_to_expression).
constexpr std::string_view kGap = "(?:\\s|\\x{00A0})+";

// Hyperscan's \s under HS_FLAG_UTF8 | HS_FLAG_UCP, measured code point by code point: the Z
// categories, U+180E, U+0085 and \t \n \v \f \r. As bytes for Hyperscan, as a class for RE2.
constexpr std::string_view kHsSpace =
    "(?:[\\x09-\\x0d\\x20]|\\xc2[\\x85\\xa0]|\\xe1\\x9a\\x80|\\xe1\\xa0\\x8e"
    "|\\xe2\\x80[\\x80-\\x8a\\xa8\\xa9\\xaf]|\\xe2\\x81\\x9f|\\xe3\\x80\\x80)+";
constexpr std::string_view kRe2Space =
    "[\\t\\n\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
    "\\x{202F}\\x{205F}\\x{3000}]+";

constexpr std::string_view kEscapable = "\\^$.|?*+()[]{}/#-";
constexpr std::string_view kMeta = "\\^$.|?*+()[]{}";

void append_hex(std::string& out, unsigned byte) {
  constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[(byte >> 4) & 0xF];
  out += kHex[byte & 0xF];
}

void append_utf8(std::string& out, std::uint32_t cp) {  // cp < 0x800 here
  append_hex(out, 0xC0 | (cp >> 6));
  append_hex(out, 0x80 | (cp & 0x3F));
}

// Decodes one 2-byte UTF-8 character at s[i]; 0 when it is not one.
std::uint32_t decode2(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return 0;
  const auto a = static_cast<unsigned char>(s[i]);
  const auto b = static_cast<unsigned char>(s[i + 1]);
  if (a < 0xC2 || a > 0xDF || (b & 0xC0) != 0x80) return 0;
  return ((a & 0x1Fu) << 6) | (b & 0x3Fu);
}

// Appends the Hyperscan form of code point cp (U+0080..U+00FF); false when it has case forms
// beyond a plain Latin-1 upper/lower pair (µ, ß, ÿ) and the pattern must stay as written.
bool append_latin1(std::string& out, std::uint32_t cp) {
  if (cp == 0xB5 || cp == 0xDF || cp == 0xFF) return false;
  const bool upper = cp >= 0xC0 && cp <= 0xDE && cp != 0xD7;
  const bool lower = cp >= 0xE0 && cp <= 0xFE && cp != 0xF7;
  if (!upper && !lower) {
    append_utf8(out, cp);  // a symbol (§, °, NBSP ...): no case
    return true;
  }
  const std::uint32_t up = upper ? cp : cp - 0x20;
  out += "(?:";
  append_utf8(out, up);
  out += '|';
  append_utf8(out, up + 0x20);
  out += ')';
  return true;
}

}  // namespace

std::optional<CaselessLiteral> caseless_literal(std::string_view expression) {
  CaselessLiteral out;
  std::size_t i = 0;
  std::size_t letters = 0;
  while (i < expression.size()) {
    if (expression.substr(i, kGap.size()) == kGap) {
      if (letters == 0) return std::nullopt;  // a gap must sit between words
      out.hs_expression += kHsSpace;
      out.re2_expression += kRe2Space;
      out.has_gap = true;
      out.min_width += 1;  // one space of one byte at least
      i += kGap.size();
      continue;
    }
    const auto c = static_cast<unsigned char>(expression[i]);
    if (c == '\\') {
      if (i + 1 >= expression.size() ||
          kEscapable.find(expression[i + 1]) == std::string_view::npos) {
        return std::nullopt;  // \s, \d, \x{...}: not a plain literal
      }
      append_hex(out.hs_expression, static_cast<unsigned char>(expression[i + 1]));
      out.re2_expression.append(expression.substr(i, 2));
      i += 2;
      ++letters;
      out.min_width += 1;
      continue;
    }
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F || kMeta.find(static_cast<char>(c)) != std::string_view::npos) {
        return std::nullopt;
      }
      const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (alnum) {
        out.hs_expression += static_cast<char>(c);
      } else {
        append_hex(out.hs_expression, c);
      }
      out.re2_expression += static_cast<char>(c);
      ++i;
      ++letters;
      out.min_width += 1;
      continue;
    }
    const std::uint32_t cp = decode2(expression, i);
    if (cp < 0x80 || cp > 0xFF || !append_latin1(out.hs_expression, cp)) return std::nullopt;
    out.re2_expression.append(expression.substr(i, 2));
    i += 2;
    ++letters;
    out.min_width += 2;  // both case forms of a Latin-1 letter are two bytes in UTF-8
  }
  if (letters == 0 || expression.ends_with(kGap)) return std::nullopt;
  out.max_width = out.has_gap ? UINT_MAX : out.min_width;
  return out;
}

}  // namespace vakt::match
