// A DocOutput for the document-parser fuzz targets: consumes everything and traps when a parser
// breaks its contract — text that is not valid UTF-8, or an outcome without a reason.
#pragma once

#include <string_view>

#include "extract/isolation.h"
#include "fuzz_support.h"

namespace vakt::extract::fuzzing {

class NullOutput final : public DocOutput {
 public:
  void begin_part(std::string_view) override {}
  void text(std::string_view utf8) override {
    if (!vakt::fuzz::valid_utf8(utf8)) __builtin_trap();
    bytes_ += utf8.size();
  }
  void end_part() override {}
  void child(std::string_view bytes, std::string_view) override { bytes_ += bytes.size(); }
  void partial(std::string_view reason) override {
    if (reason.empty()) __builtin_trap();
  }
  void unscannable(std::string_view reason) override {
    if (reason.empty()) __builtin_trap();
  }

 private:
  std::size_t bytes_ = 0;
};

}  // namespace vakt::extract::fuzzing
