#include "cli/terminal_text.h"

#include <cstdio>

namespace vakt::cli {
namespace {

void escape(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
      escape(out, c);
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      escape(out, static_cast<unsigned char>(text[++i]));  // C1 control U+0080-U+009F
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace vakt::cli
