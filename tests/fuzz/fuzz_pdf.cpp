// libFuzzer target: arbitrary bytes through the PDF parser in-process (poppler and our /Encrypt
// scan) — any crash here would only be contained by isolation in production; find it here first.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/pdf_parser.h"
#include "fuzz_null_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vakt::extract::fuzzing::NullOutput out;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)vakt::extract::pdf_has_encrypt_entry(bytes);
  vakt::extract::parse_pdf(bytes, "fuzz.pdf", out);
  return 0;
}
