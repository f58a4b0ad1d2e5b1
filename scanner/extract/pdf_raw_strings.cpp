// Byte-level reads of a PDF's uncompressed objects: annotation texts poppler-cpp does not expose,
// and the XFA marker. See pdf_parser.h.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "extract/mime_charset.h"
#include "extract/pdf_parser.h"
#include "extract/text_decoder.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kMaxString = 64 * 1024;
// A signature dictionary's /Contents is kilobytes of hex (the PKCS #7 blob): not text.
constexpr std::size_t kMaxHexDigits = 2048;
// Inflated object-stream bytes searched per file (object streams hold only object dictionaries,
// so a real file's are a few MB at most).
constexpr std::size_t kMaxObjectStreamBytes = 64u << 20;

bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A literal string "( … )" from b[i] == '(': escapes, octal codes, balanced parentheses.
std::string literal_string(std::string_view b, std::size_t& i) {
  std::string out;
  int depth = 1;
  ++i;
  while (i < b.size() && depth > 0 && out.size() < kMaxString) {
    const char c = b[i++];
    if (c == '\\') {
      if (i >= b.size()) break;
      const char e = b[i++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case '\r':
          if (i < b.size() && b[i] == '\n') ++i;  // a line continuation
          break;
        case '\n':
          break;
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i < b.size() && b[i] >= '0' && b[i] <= '7'; ++k) {
              v = v * 8 + (b[i++] - '0');
            }
            out += static_cast<char>(v & 0xFF);
          } else {
            out += e;  // \( \) \\ and any other escaped character
          }
      }
    } else if (c == '(') {
      ++depth;
      out += c;
    } else if (c == ')') {
      if (--depth > 0) out += c;
    } else {
      out += c;
    }
  }
  return out;
}

// A hex string "< … >" from b[i] == '<'; nullopt-like empty result when it is too long.
bool hex_string(std::string_view b, std::size_t& i, std::string& out) {
  ++i;
  std::size_t digits = 0;
  int high = -1;
  while (i < b.size() && b[i] != '>') {
    const int v = hex_value(b[i++]);
    if (v < 0) continue;  // white space
    if (++digits > kMaxHexDigits) return false;
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) out += static_cast<char>(high * 16);
  return true;
}

// PDF text strings: UTF-16BE after FE FF, UTF-8 after EF BB BF (PDF 2.0), else PDFDocEncoding
// (read as Windows-1252, which agrees on every letter Swedish uses).
std::string text_string(const std::string& raw) {
  if (raw.size() >= 2 && raw[0] == '\xFE' && raw[1] == '\xFF') {
    std::string le;
    for (std::size_t k = 2; k + 1 < raw.size(); k += 2) {
      le += raw[k + 1];
      le += raw[k];
    }
    return utf16le_to_utf8(le);
  }
  if (raw.starts_with("\xEF\xBB\xBF")) return decode_to_utf8(raw.substr(3), TextEncoding::kUtf8);
  return decode_to_utf8(raw, TextEncoding::kWindows1252);
}

// The text strings after `key` ("/Contents", "/V") in `bytes`, one per line. "/Contents 5 0 R"
// (a page's content stream) and longer names that start alike (/Version) are not text.
void append_strings_after(std::string_view bytes, std::string_view key, std::string& out) {
  std::size_t pos = 0;
  while ((pos = bytes.find(key, pos)) != std::string_view::npos) {
    std::size_t i = pos + key.size();
    pos = i;
    if (i >= bytes.size()) break;
    if (!is_space(bytes[i]) && bytes[i] != '(' && bytes[i] != '<') continue;
    while (i < bytes.size() && is_space(bytes[i])) ++i;
    if (i >= bytes.size()) break;
    std::string raw;
    if (bytes[i] == '(') {
      raw = literal_string(bytes, i);
    } else if (bytes[i] == '<' && i + 1 < bytes.size() && bytes[i + 1] != '<') {
      if (!hex_string(bytes, i, raw)) continue;
    } else {
      continue;
    }
    pos = i;
    const std::string text = text_string(raw);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    out += text;
    out += '\n';
  }
}

// Annotation texts (/Contents: sticky notes, comments) and form field values (/V: what was typed
// into a filled-in form, which has no page text when the viewer draws it from the value).
void append_object_texts(std::string_view bytes, std::string& out) {
  append_strings_after(bytes, "/Contents", out);
  append_strings_after(bytes, "/V", out);
}

// Inflates a zlib stream, at most `cap` bytes of output; what was inflated before an error.
std::string inflate_capped(std::string_view in, std::size_t cap) {
  std::string out;
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) return out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  char buf[64 * 1024];
  while (out.size() < cap) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (rc != Z_OK) break;  // the end, an error, or no progress possible
  }
  inflateEnd(&zs);
  if (out.size() > cap) out.resize(cap);
  return out;
}

}  // namespace

std::string pdf_annotation_texts(std::string_view bytes) {
  std::string out;
  append_object_texts(bytes, out);
  // Objects packed into compressed object streams (PDF 1.5+; most producers today): the same
  // search over each stream's inflated bytes, within a budget.
  std::size_t budget = kMaxObjectStreamBytes;
  std::size_t pos = 0;
  while (budget > 0 && (pos = bytes.find("/ObjStm", pos)) != std::string_view::npos) {
    pos += 7;
    const std::size_t dict_start = bytes.rfind("<<", pos);
    const std::size_t keyword = bytes.find("stream", pos);
    if (dict_start == std::string_view::npos || keyword == std::string_view::npos ||
        keyword - pos > 4096) {
      continue;
    }
    const std::string_view dict = bytes.substr(dict_start, keyword - dict_start);
    // Only plain Flate: a predictor or another filter is not worth decoding for this.
    if (dict.find("/FlateDecode") == std::string_view::npos ||
        dict.find("/DecodeParms") != std::string_view::npos ||
        dict.find("endobj") != std::string_view::npos) {
      continue;
    }
    std::size_t data = keyword + 6;
    if (data < bytes.size() && bytes[data] == '\r') ++data;
    if (data < bytes.size() && bytes[data] == '\n') ++data;
    std::size_t end = bytes.find("endstream", data);
    if (end == std::string_view::npos) end = bytes.size();
    const std::string inflated = inflate_capped(bytes.substr(data, end - data), budget);
    budget -= std::min(budget, inflated.size());
    append_object_texts(inflated, out);
    pos = end;
  }
  return out;
}

bool pdf_declares_xfa(std::string_view bytes) {
  constexpr std::string_view kKey = "/XFA";
  std::size_t pos = 0;
  while ((pos = bytes.find(kKey, pos)) != std::string_view::npos) {
    pos += kKey.size();
    std::size_t i = pos;
    while (i < bytes.size() && is_space(bytes[i])) ++i;
    if (i < bytes.size() && (bytes[i] == '[' || (bytes[i] >= '0' && bytes[i] <= '9'))) return true;
  }
  return false;
}

}  // namespace vakt::extract
