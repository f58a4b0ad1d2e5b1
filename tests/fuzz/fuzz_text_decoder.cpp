// libFuzzer target: the streaming text decoder. The first byte picks the encoding and the feed
// size; every emitted piece must be valid UTF-8 no larger than kMaxPiece, and feeding in small
// pieces must give exactly what one feed of the whole input gives.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "extract/text_decoder.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using vakt::extract::TextDecoder;
  using vakt::extract::TextEncoding;
  if (size == 0) return 0;
  const TextEncoding encodings[] = {TextEncoding::kAuto, TextEncoding::kUtf8,
                                    TextEncoding::kUtf16Le, TextEncoding::kUtf16Be,
                                    TextEncoding::kWindows1252};
  const TextEncoding enc = encodings[data[0] % 5];
  const std::size_t feed = 1 + (data[0] >> 3);
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  std::size_t total = 0;
  std::string joined;
  TextDecoder dec(
      [&](std::string_view piece) {
        if (piece.size() > TextDecoder::kMaxPiece || !vakt::fuzz::valid_utf8(piece)) {
          __builtin_trap();
        }
        total += piece.size();
        joined.append(piece);
      },
      enc);
  for (std::size_t i = 0; i < in.size(); i += feed) dec.feed(in.substr(i, feed));
  dec.finish();
  // Every input byte yields at most one character of at most 3 UTF-8 bytes (U+FFFD, cp1252).
  if (total > 3 * in.size() + 3) __builtin_trap();
  if (joined != vakt::extract::decode_to_utf8(in, enc)) __builtin_trap();
  return 0;
}
