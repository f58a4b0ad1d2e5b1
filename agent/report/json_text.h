// Writing JSON text by hand where building nlohmann objects costs too much: `vakt scan --format
// jsonl` prints one line per file with every finding, and a slide deck full of domain words has
// thousands (ordered_json spent ~16 000 instructions per finding). Strings come out exactly as
// nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes them — plain ASCII directly,
// anything else through nlohmann itself — so invalid UTF-8 still becomes U+FFFD, never dropped.
//
//   std::string line = "{";
//   append_json_key(line, "path"); append_json_string(line, r.path);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vakt::agent {

void append_json_string(std::string& out, std::string_view s);
// `"key":`, preceded by a comma unless `out` ends with '{'.
void append_json_key(std::string& out, std::string_view key);
// The same for a key written as a string literal in Vakt's own code (plain ASCII, nothing to
// escape): appended without the scan, which a finding's seven keys made ~5 % of a jsonl scan of a
// document dense in findings.
template <std::size_t N>
void append_json_key(std::string& out, const char (&key)[N]) {
  if (!out.empty() && out.back() != '{') out += ',';
  out += '"';
  out.append(key, N - 1);
  out += "\":";
}
void append_json_uint(std::string& out, std::uint64_t v);
void append_json_int(std::string& out, std::int64_t v);
// As nlohmann writes a double (shortest text that reads back the same).
void append_json_double(std::string& out, double v);

}  // namespace vakt::agent
