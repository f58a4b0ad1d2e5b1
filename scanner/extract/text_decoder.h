// TextDecoder: streaming bytes → UTF-8 in pieces of bounded size, for text in any common encoding.
//
//   TextDecoder dec([&](std::string_view utf8) { ctx.text(utf8); });
//   for (chunk : chunks) dec.feed(chunk);   // chunks may split a character anywhere
//   dec.finish();
//
// kAuto (the default) looks at the first bytes: a BOM (UTF-8, UTF-16LE/BE, UTF-32LE/BE) decides;
// NUL bytes at every other position mean UTF-16 without a BOM; otherwise the text is read as UTF-8
// and every byte that is not valid UTF-8 is read as Windows-1252 (what a Swedish "Å" in an old file
// almost always is). With an explicit UTF-8 BOM or kUtf8, invalid bytes become U+FFFD instead.
// Every emitted piece is at most kMaxPiece bytes and ends on a character boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace vakt::extract {

enum class TextEncoding { kAuto, kUtf8, kUtf16Le, kUtf16Be, kUtf32Le, kUtf32Be, kWindows1252 };

class TextDecoder {
 public:
  static constexpr std::size_t kMaxPiece = 64 * 1024;
  using Emit = std::function<void(std::string_view)>;

  explicit TextDecoder(Emit emit, TextEncoding encoding = TextEncoding::kAuto);

  void feed(std::string_view bytes);
  void finish();  // flushes pending bytes (an incomplete character becomes U+FFFD)

  // The encoding in use; kAuto until enough bytes were seen to decide.
  TextEncoding encoding() const { return encoding_; }

  // True when a text read as UTF-8 or Windows-1252 held kBinaryNulRuns or more short runs of NUL
  // bytes: no text has them, binary data does (a zip or gzip header alone has four), so something
  // binary — an archive or a blob appended after a text start — was read as noise. Long runs are
  // padding (a log after a crash, a preallocated file) and do not count.
  static constexpr std::uint64_t kBinaryNulRuns = 3;
  static constexpr std::uint64_t kPaddingNulBytes = 512;
  bool holds_binary_data() const;
  static constexpr std::string_view kBinaryDataReason =
      "binary data in a text file (read as text, not unpacked)";

 private:
  void decide(bool final);
  void decode(std::string_view bytes, bool final);
  void decode_utf8(std::string_view bytes, bool final);
  void decode_utf16(std::string_view bytes, bool final);
  void decode_utf32(std::string_view bytes, bool final);
  void decode_1252(std::string_view bytes);
  void put(char32_t cp);
  void put_valid(std::string_view utf8);  // already valid UTF-8
  void put_invalid_byte(unsigned char b);
  void flush();
  void count_nul_runs(std::string_view bytes);
  void end_nul_run();

  Emit emit_;
  TextEncoding encoding_;
  bool lenient_ = true;  // UTF-8 without BOM: invalid bytes are read as Windows-1252
  bool bom_checked_ = false;
  std::string sniff_;    // bytes held back until the encoding is decided
  std::string pending_;  // an incomplete UTF-8 sequence or UTF-16/32 unit across feeds
  char32_t high_surrogate_ = 0;
  std::uint64_t nul_run_ = 0;  // NUL bytes of a run still open at the end of the last feed
  std::uint64_t short_nul_runs_ = 0;
  std::string out_;
};

// One-shot convenience: the whole input decoded to a UTF-8 string.
std::string decode_to_utf8(std::string_view bytes, TextEncoding encoding = TextEncoding::kAuto);

// A UTF-32 byte-order mark (FF FE 00 00 or 00 00 FE FF) at the start of `bytes`.
bool starts_with_utf32_bom(std::string_view bytes);

// Windows-1252 byte → Unicode code point (undefined bytes → U+FFFD).
char32_t windows1252_to_unicode(unsigned char b);

// Appends the UTF-8 encoding of cp (surrogates and out-of-range values become U+FFFD).
void append_code_point(std::string& out, char32_t cp);

}  // namespace vakt::extract
