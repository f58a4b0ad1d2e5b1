// Plain text (and csv): decoded in 256 KiB chunks, so memory stays bounded whatever the size.
#include <algorithm>

#include "extract/formats.h"
#include "extract/text_decoder.h"

namespace vakt::extract {

namespace {
constexpr std::size_t kChunk = 256 * 1024;
}

void extract_plain_text(const Input& input, Context& ctx) {
  ctx.begin_part("");
  TextDecoder decoder([&](std::string_view utf8) { ctx.valid_text(utf8); });
  std::string_view rest = input.bytes;
  while (!rest.empty()) {
    if (ctx.stopped() || ctx.deadline_passed()) break;
    const std::size_t n = std::min(rest.size(), kChunk);
    decoder.feed(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  decoder.finish();
  ctx.end_part();
  if (decoder.holds_binary_data()) ctx.mark_partial(TextDecoder::kBinaryDataReason);
}

}  // namespace vakt::extract
