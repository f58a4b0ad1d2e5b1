// Shared by the extraction fuzz targets: a sink that checks the TextSink contract (parts never
// nest, text only inside a part, every piece valid UTF-8 of bounded size) and traps otherwise.
#pragma once

#include <cstddef>
#include <string_view>

#include "vakt/scanner/text_sink.h"

namespace vakt::fuzz {

// True when s is well-formed UTF-8 (pieces may not split a character in the fuzzed paths).
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

class CheckingSink : public TextSink {
 public:
  void begin_part(std::string_view) override {
    if (open_) __builtin_trap();
    open_ = true;
  }
  void text(std::string_view utf8) override {
    if (!open_) __builtin_trap();
    bytes_ += utf8.size();
  }
  void end_part() override {
    if (!open_) __builtin_trap();
    open_ = false;
  }
  std::size_t bytes() const { return bytes_; }

 private:
  bool open_ = false;
  std::size_t bytes_ = 0;
};

}  // namespace vakt::fuzz
