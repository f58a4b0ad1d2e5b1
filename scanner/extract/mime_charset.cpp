// Charset decoding; see mime_charset.h.
#include "extract/mime_charset.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace vakt::extract {
namespace {

constexpr char16_t kCp1252High[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  // Trim spaces and quotes that sloppy mailers leave around charset names.
  auto bad = [](char c) { return c == ' ' || c == '"' || c == '\'' || c == '\t'; };
  while (!out.empty() && bad(out.back())) out.pop_back();
  std::size_t i = 0;
  while (i < out.size() && bad(out[i])) ++i;
  return out.substr(i);
}

std::string iconv_to_utf8(std::string_view bytes, const char* from, bool* ok) {
  iconv_t cd = ::iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    *ok = false;
    return {};
  }
  *ok = true;
  std::string out;
  out.reserve(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  char buf[8192];
  while (in_left > 0) {
    char* o = buf;
    std::size_t o_left = sizeof buf;
    std::size_t rc = ::iconv(cd, &in, &in_left, &o, &o_left);
    out.append(buf, static_cast<std::size_t>(o - buf));
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) continue;
    if (errno == EILSEQ) {
      append_code_point(out, 0xFFFD);
      ++in;
      --in_left;
      continue;
    }
    break;  // EINVAL: truncated sequence at the end
  }
  char* o = buf;
  std::size_t o_left = sizeof buf;
  ::iconv(cd, nullptr, nullptr, &o, &o_left);
  out.append(buf, static_cast<std::size_t>(o - buf));
  ::iconv_close(cd);
  return out;
}

// Length of the valid UTF-8 sequence at s[i], or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  char32_t cp = 0;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    cp = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

}  // namespace


char32_t cp1252_char(unsigned char b) {
  if (b >= 0x80 && b < 0xA0) return kCp1252High[b - 0x80];
  return b;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::size_t n = utf8_sequence(bytes, i);
    if (n == 0) {
      append_code_point(out, cp1252_char(static_cast<unsigned char>(bytes[i])));
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string cp1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) append_code_point(out, cp1252_char(static_cast<unsigned char>(c)));
  return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) append_code_point(out, static_cast<unsigned char>(c));
  return out;
}

std::string utf16le_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t n = bytes.size() / 2;
  for (std::size_t i = 0; i < n; ++i) {
    char32_t u = static_cast<unsigned char>(bytes[2 * i]) |
                 (static_cast<char32_t>(static_cast<unsigned char>(bytes[2 * i + 1])) << 8);
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
      char32_t lo = static_cast<unsigned char>(bytes[2 * i + 2]) |
                    (static_cast<char32_t>(static_cast<unsigned char>(bytes[2 * i + 3])) << 8);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_code_point(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    append_code_point(out, u);
  }
  return out;
}

std::string charset_to_utf8(std::string_view bytes, std::string_view charset) {
  std::string cs = lower(charset);
  if (cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii" ||
      cs == "unknown-8bit" || cs == "x-unknown") {
    return sanitize_utf8(bytes);
  }
  if (cs == "iso-8859-1" || cs == "latin1" || cs == "iso8859-1" || cs == "l1") {
    // Mail labelled Latin-1 is very often really Windows-1252 (curly quotes, euro).
    return cp1252_to_utf8(bytes);
  }
  if (cs == "windows-1252" || cs == "cp1252" || cs == "x-cp1252") return cp1252_to_utf8(bytes);
  if (cs == "ks_c_5601-1987" || cs == "ks_c_5601") cs = "cp949";
  if (cs == "utf-16") {
    if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF')
      cs = "utf-16be";
    else
      return utf16le_to_utf8(
          bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE' ? bytes.substr(2) : bytes);
  }
  if (cs == "utf-16le") return utf16le_to_utf8(bytes);
  bool ok = false;
  std::string out = iconv_to_utf8(bytes, cs.c_str(), &ok);
  if (!ok) return sanitize_utf8(bytes);
  return out;
}

std::string codepage_to_utf8(std::string_view bytes, int codepage) {
  switch (codepage) {
    case 0:
    case 1252:
      return cp1252_to_utf8(bytes);
    case 65001:
      return sanitize_utf8(bytes);
    case 1200:
      return utf16le_to_utf8(bytes);
    case 28591:
      return latin1_to_utf8(bytes);
    case 20127:
      return sanitize_utf8(bytes);
    case 932:
      return charset_to_utf8(bytes, "cp932");
    case 936:
      return charset_to_utf8(bytes, "gbk");
    case 949:
      return charset_to_utf8(bytes, "cp949");
    case 950:
      return charset_to_utf8(bytes, "big5");
    case 10000:
      return charset_to_utf8(bytes, "macintosh");
    default:
      if (codepage >= 28592 && codepage <= 28605) {
        return charset_to_utf8(bytes, "iso-8859-" + std::to_string(codepage - 28590));
      }
      return charset_to_utf8(bytes, "cp" + std::to_string(codepage));
  }
}

}  // namespace vakt::extract
