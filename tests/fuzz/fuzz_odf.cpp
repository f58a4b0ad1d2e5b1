// libFuzzer target: arbitrary bytes as a packaged (odt/ods/odp) or flat (fodt) OpenDocument,
// chosen by the first byte — never a crash, a hang or runaway memory.
#include <cstddef>
#include <cstdint>

#include "extract/extractor.h"
#include "extract/formats.h"
#include "vakt/scanner/text_sink.h"

namespace {

class NullSink final : public vakt::TextSink {
 public:
  void begin_part(std::string_view) override {}
  void text(std::string_view) override {}
  void end_part() override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  vakt::Limits limits;
  limits.max_expanded_bytes = 8u << 20;
  limits.max_entries = 200;
  limits.max_depth = 3;
  limits.max_time = std::chrono::milliseconds(2000);
  NullSink sink;
  vakt::extract::Context ctx(sink, limits, false);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const vakt::extract::Input input{
      bytes, (data[0] & 1) != 0 ? "fuzz.fodt" : "fuzz.odt", nullptr, {}};
  if ((data[0] & 1) != 0) {
    vakt::extract::extract_flat_odf(input, ctx);
  } else {
    vakt::extract::extract_odf(input, ctx);
  }
  if (ctx.status() != vakt::ScanStatus::kScanned && ctx.reason().empty()) __builtin_trap();
  return 0;
}
