// MIME decoding helpers for the e-mail extractor: transfer encodings, RFC 2047 encoded words,
// header parameters (with RFC 2231 continuations and charsets), header unfolding.
//
//   std::string body = decode_base64(raw);                 // lenient: skips non-alphabet bytes
//   std::string subj = decode_rfc2047("=?utf-8?B?w6Rw?="); // → UTF-8 "äp"
//   ContentType ct = parse_content_type("text/plain; charset=\"iso-8859-1\"");
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vakt::extract {

std::string decode_base64(std::string_view in);
std::string decode_quoted_printable(std::string_view in);
// uuencoded data ("begin 644 name" … "end"); lines outside begin/end are ignored.
std::string decode_uuencode(std::string_view in);
// Encoded words → UTF-8; text outside them is read as UTF-8 (raw 8-bit read as Windows-1252).
std::string decode_rfc2047(std::string_view in);

struct ContentType {
  std::string type = "text/plain";            // lowercase "type/subtype"
  std::map<std::string, std::string> params;  // lowercase names, values decoded (RFC 2231)
  std::string param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  }
};
// Parses "type/subtype; a=b; c*=utf-8''%C3%A4; d*0=x; d*1=y" (also Content-Disposition, where
// `type` is the disposition).
ContentType parse_content_type(std::string_view value);

struct Header {
  std::string name;   // lowercase
  std::string value;  // unfolded, raw (not yet RFC 2047 decoded)
};
// Splits a message into unfolded headers and the body that follows the first empty line.
std::vector<Header> parse_headers(std::string_view message, std::string_view* body);
// The first header with that (lowercase) name, or empty.
std::string header_value(const std::vector<Header>& headers, std::string_view name);

}  // namespace vakt::extract
