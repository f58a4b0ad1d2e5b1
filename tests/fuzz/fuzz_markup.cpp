// libFuzzer target: the HTML and XML tokenizers (first byte: which one). No crash, no runaway
// output: text never exceeds a small multiple of the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/formats.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  vakt::fuzz::CheckingSink sink;
  vakt::Limits limits;
  vakt::extract::Context ctx(sink, limits, false);
  vakt::extract::Input input{std::string_view(reinterpret_cast<const char*>(data + 1), size - 1),
                             "fuzz.html",
                             nullptr,
                             {}};
  if (data[0] & 1) {
    vakt::extract::extract_xml(input, ctx);
  } else {
    vakt::extract::extract_html(input, ctx);
  }
  ctx.end_part();
  if (sink.bytes() > 4 * size + 16) __builtin_trap();
  return 0;
}
