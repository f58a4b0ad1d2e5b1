// Charset decoding for the document extractors (e-mail, RTF, OLE2): bytes in a named charset or a
// Windows code page → UTF-8.
//
//   std::string s = charset_to_utf8(body, "iso-8859-1");
//   std::string t = codepage_to_utf8(bytes, 1252);
//
// UTF-8, US-ASCII, ISO-8859-1/15 and Windows-1252 are decoded here; other charsets go through
// iconv. Invalid input never fails: bytes that are not valid UTF-8 are read as Windows-1252
// (the usual mislabelling), bytes iconv rejects become U+FFFD. Unknown charsets fall back to that
// same lenient UTF-8 reading.
#pragma once

#include <string>
#include <string_view>

#include "extract/text_decoder.h"  // append_code_point, windows1252_to_unicode

namespace vakt::extract {

// Valid UTF-8 is copied; any byte that does not start a valid sequence is read as Windows-1252.
std::string sanitize_utf8(std::string_view bytes);
std::string cp1252_to_utf8(std::string_view bytes);
std::string latin1_to_utf8(std::string_view bytes);
// UTF-16LE code units (odd trailing byte ignored), surrogate pairs joined, lone ones → U+FFFD.
std::string utf16le_to_utf8(std::string_view bytes);

std::string charset_to_utf8(std::string_view bytes, std::string_view charset);
std::string codepage_to_utf8(std::string_view bytes, int codepage);

// Windows-1252 byte → Unicode code point (0x80–0x9F mapped as Windows does).
char32_t cp1252_char(unsigned char b);

}  // namespace vakt::extract
