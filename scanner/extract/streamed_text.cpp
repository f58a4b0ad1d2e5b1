#include "extract/streamed_text.h"

#include <algorithm>
#include <vector>

#include "extract/text_decoder.h"
#include "util/sha256.h"

namespace vakt::extract {

StreamedText extract_streamed_text(const StreamedFile& file, Context& ctx) {
  constexpr std::size_t kPiece = 1u << 20;
  StreamedText out;
  std::vector<char> buf(static_cast<std::size_t>(std::min<std::uint64_t>(file.size(), kPiece)));
  Sha256 hash;
  ctx.begin_part("");
  TextDecoder decoder([&](std::string_view utf8) { ctx.valid_text(utf8); });
  std::uint64_t done = 0;
  bool complete = true;
  while (done < file.size()) {
    if (ctx.stopped() || ctx.deadline_passed()) {  // a limit was hit (recorded) or a stop request
      complete = false;
      break;
    }
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(file.size() - done, kPiece));
    auto got = file.read_at(done, std::span<char>(buf.data(), want));
    if (!got) {
      out.error = got.error().message;
      complete = false;
      break;
    }
    if (got.value() == 0) {  // the same wording as a truncated snapshot
      out.error = "file changed during scan: truncated to " + std::to_string(done) + " of " +
                  std::to_string(file.size()) + " bytes";
      complete = false;
      break;
    }
    const std::string_view piece(buf.data(), got.value());
    hash.update(piece);
    decoder.feed(piece);
    done += got.value();
  }
  decoder.finish();
  ctx.end_part();
  if (decoder.holds_binary_data()) ctx.mark_partial(TextDecoder::kBinaryDataReason);
  if (complete && file.changed()) {
    out.error = std::string(kChangedWhileRead);
    complete = false;
  }
  if (complete) out.sha256 = hash.hex();
  return out;
}

}  // namespace vakt::extract
