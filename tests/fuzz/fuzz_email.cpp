// libFuzzer target: arbitrary bytes as an e-mail and as an mbox (MIME structure, encodings,
// RFC 2047/2231, charsets, HTML stripping).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/email_parser.h"
#include "fuzz_null_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vakt::extract::fuzzing::NullOutput out;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  vakt::extract::parse_eml(bytes, "fuzz.eml", out);
  vakt::extract::parse_mbox(bytes, "fuzz.mbox", out);
  return 0;
}
