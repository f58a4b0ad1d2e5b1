// libFuzzer target: arbitrary bytes as a docx, xlsx, pptx or xlsb (chosen by the first byte)
// through the real extractors with small limits — never a crash, a hang or runaway memory, and a
// document that could not be read is never reported as scanned with no reason.
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
  static constexpr vakt::extract::ExtractFn kFns[] = {
      vakt::extract::extract_docx, vakt::extract::extract_xlsx, vakt::extract::extract_pptx,
      vakt::extract::extract_xlsb};
  vakt::Limits limits;
  limits.max_expanded_bytes = 8u << 20;
  limits.max_entries = 200;
  limits.max_depth = 3;
  limits.max_time = std::chrono::milliseconds(2000);
  NullSink sink;
  vakt::extract::Context ctx(sink, limits, false);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  kFns[data[0] % 4](vakt::extract::Input{bytes, "fuzz", nullptr, {}}, ctx);
  if (ctx.status() != vakt::ScanStatus::kScanned && ctx.reason().empty()) __builtin_trap();
  return 0;
}
