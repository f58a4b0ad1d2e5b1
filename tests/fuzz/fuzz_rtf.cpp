// libFuzzer target: arbitrary bytes as RTF (control words, groups, \bin, \objdata, code pages).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/rtf_parser.h"
#include "fuzz_null_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vakt::extract::fuzzing::NullOutput out;
  vakt::extract::parse_rtf(std::string_view(reinterpret_cast<const char*>(data), size), out,
                           "document");
  return 0;
}
