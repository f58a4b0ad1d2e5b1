// libFuzzer target: zip (libzip + local-header salvage), libarchive formats and the dispatcher
// with small budgets. The first byte picks the entry point; memory and time stay bounded.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/dispatcher.h"
#include "extract/formats.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  vakt::fuzz::CheckingSink sink;
  vakt::Limits limits;
  limits.max_expanded_bytes = 16u << 20;
  limits.max_entries = 200;
  limits.max_time = std::chrono::seconds(5);
  vakt::extract::Context ctx(sink, limits, false);
  vakt::extract::Input input{
      std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), "fuzz.bin", nullptr, {}};
  switch (data[0] % 3) {
    case 0:
      vakt::extract::extract_zip(input, ctx);
      break;
    case 1:
      vakt::extract::extract_archive(input, ctx);
      break;
    default:
      vakt::extract::dispatch(input, ctx);
      break;
  }
  ctx.end_part();
  if (sink.bytes() > limits.max_expanded_bytes) __builtin_trap();
  return 0;
}
