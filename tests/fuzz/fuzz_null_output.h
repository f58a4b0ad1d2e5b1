// A DocOutput for fuzz targets: consumes everything and checks the part protocol (no text after
// a part was closed without a new one being opened is fine; reasons must not be empty).
#pragma once

#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract::fuzzing {

class NullOutput final : public DocOutput {
 public:
  void begin_part(std::string_view) override {}
  void text(std::string_view utf8) override { bytes_ += utf8.size(); }
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
