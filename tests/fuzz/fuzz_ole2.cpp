// libFuzzer target: arbitrary bytes as an OLE2 compound file (libgsf + our Word/Excel/PowerPoint/
// Outlook readers), plus the raw record readers fed directly so they see bytes libgsf would reject.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/ole2_formats.h"
#include "fuzz_null_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vakt::extract;
  fuzzing::NullOutput out;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse_ole2(bytes, "fuzz.doc", out);
  // The stream readers on their own: the first byte picks one, the rest is the stream.
  if (size > 1) {
    std::string_view s = bytes.substr(1);
    switch (data[0] % 5) {
      case 0:
        parse_word(s, s, s, out, "");
        break;
      case 1:
        parse_biff(s, out, "");
        break;
      case 2:
        parse_ppt(s, s.substr(0, 16), out, "");
        break;
      case 3:
        (void)decompress_rtf(s, 1 << 20);
        break;
      default: {
        std::string text;
        append_property_set(s, data[0] & 0x80, text);
        break;
      }
    }
  }
  return 0;
}
