// Streaming text decoding: UTF-8 (with a Windows-1252 fallback per invalid byte), UTF-16LE/BE.
#include "extract/text_decoder.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "extract/type_detect.h"
#include "util/simd_text.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kSniffBytes = 4096;
constexpr char32_t kReplacement = 0xFFFD;

// FF FE 00 00 (little-endian) or 00 00 FE FF (big-endian), byte by byte.
bool utf32_bom(std::string_view b, bool little) {
  if (b.size() < 4) return false;
  const auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  return little ? u(0) == 0xFF && u(1) == 0xFE && u(2) == 0 && u(3) == 0
                : u(0) == 0 && u(1) == 0 && u(2) == 0xFE && u(3) == 0xFF;
}

// 0x80–0x9F of Windows-1252; the rest of 0xA0–0xFF is Latin-1.
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

enum class Utf8Step { kValid, kInvalid, kIncomplete };
struct Utf8Result {
  Utf8Step step;
  std::size_t length;  // bytes of the valid sequence
  char32_t cp;
};

// Decodes one UTF-8 sequence at p[0..n) (n >= 1, p[0] >= 0x80).
Utf8Result decode_one(const unsigned char* p, std::size_t n) {
  const unsigned char b0 = p[0];
  std::size_t need = 0;
  char32_t cp = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {Utf8Step::kInvalid, 0, 0};
  }
  for (std::size_t i = 1; i <= need; ++i) {
    if (i >= n) return {Utf8Step::kIncomplete, 0, 0};
    const unsigned char b = p[i];
    const unsigned char min = i == 1 ? lo : 0x80;
    const unsigned char max = i == 1 ? hi : 0xBF;
    if (b < min || b > max) return {Utf8Step::kInvalid, 0, 0};
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return {Utf8Step::kValid, need + 1, cp};
}

// End of the next fast-path block from i: at most kFastBlock bytes, cut before a character's
// lead byte; at the end of the input, before a last multi-byte character that may be incomplete
// (the scalar loop holds such a tail back for the next feed).
constexpr std::size_t kFastBlock = 16 * 1024;
std::size_t fast_block_end(const unsigned char* p, std::size_t i, std::size_t n) {
  std::size_t end = std::min(n, i + kFastBlock);
  std::size_t back = 0;
  if (end < n) {
    while (end > i && back < 3 && (p[end] & 0xC0) == 0x80) {
      --end;
      ++back;
    }
  } else {
    std::size_t k = end;
    while (k > i && back < 3 && (p[k - 1] & 0xC0) == 0x80) {
      --k;
      ++back;
    }
    if (k > i && p[k - 1] >= 0xC0) end = k - 1;
  }
  return end;
}

}  // namespace

char32_t windows1252_to_unicode(unsigned char b) {
  if (b < 0x80 || b >= 0xA0) return b;
  return kCp1252High[b - 0x80];
}

void append_code_point(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

TextDecoder::TextDecoder(Emit emit, TextEncoding encoding)
    : emit_(std::move(emit)), encoding_(encoding) {
  if (encoding_ == TextEncoding::kUtf8) lenient_ = false;
  out_.reserve(kMaxPiece);
}

void TextDecoder::feed(std::string_view bytes) {
  if (bytes.empty()) return;
  count_nul_runs(bytes);
  if (!bom_checked_) {
    sniff_.append(bytes);
    if (sniff_.size() < kSniffBytes) return;
    decide(false);
    return;
  }
  decode(bytes, false);
}

// memchr first: text has no NUL at all, so this is one fast pass that finds nothing.
void TextDecoder::count_nul_runs(std::string_view bytes) {
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    if (nul_run_ == 0) {
      p = static_cast<const char*>(std::memchr(p, 0, static_cast<std::size_t>(end - p)));
      if (p == nullptr) return;
    }
    while (p < end && *p == '\0') ++p, ++nul_run_;
    if (p < end) end_nul_run();
  }
}

void TextDecoder::end_nul_run() {
  if (nul_run_ > 0 && nul_run_ < kPaddingNulBytes) ++short_nul_runs_;
  nul_run_ = 0;
}

bool TextDecoder::holds_binary_data() const {
  const bool single_byte_units = encoding_ == TextEncoding::kUtf8 ||
                                 encoding_ == TextEncoding::kWindows1252 ||
                                 encoding_ == TextEncoding::kAuto;
  return single_byte_units && short_nul_runs_ >= kBinaryNulRuns;
}

void TextDecoder::finish() {
  end_nul_run();
  if (!bom_checked_) {
    decide(true);
  } else {
    decode({}, true);
  }
  flush();
}

// Looks at the held-back bytes once: BOM, UTF-16 NUL pattern, else UTF-8 (lenient).
void TextDecoder::decide(bool final) {
  bom_checked_ = true;
  // A copy, not a move: mingw's GCC 12 at -O3 takes a moved-from short string for uninitialized
  // (-Wmaybe-uninitialized); the sniff is at most a few KB, once per file.
  const std::string held = sniff_;
  sniff_.clear();
  std::string_view v(held);
  auto starts = [&](std::string_view p) { return v.starts_with(p); };
  const bool autodetect = encoding_ == TextEncoding::kAuto;
  if (starts("\xEF\xBB\xBF") && (autodetect || encoding_ == TextEncoding::kUtf8)) {
    v.remove_prefix(3);
    encoding_ = TextEncoding::kUtf8;
    lenient_ = false;
  } else if (utf32_bom(v, true) && (autodetect || encoding_ == TextEncoding::kUtf32Le)) {
    // Before the UTF-16 BOM it begins with (PowerShell's Out-File -Encoding UTF32 writes this).
    v.remove_prefix(4);
    encoding_ = TextEncoding::kUtf32Le;
  } else if (utf32_bom(v, false) && (autodetect || encoding_ == TextEncoding::kUtf32Be)) {
    v.remove_prefix(4);
    encoding_ = TextEncoding::kUtf32Be;
  } else if (starts("\xFF\xFE") && (autodetect || encoding_ == TextEncoding::kUtf16Le)) {
    v.remove_prefix(2);
    encoding_ = TextEncoding::kUtf16Le;
  } else if (starts("\xFE\xFF") && (autodetect || encoding_ == TextEncoding::kUtf16Be)) {
    v.remove_prefix(2);
    encoding_ = TextEncoding::kUtf16Be;
  } else if (autodetect) {
    auto order = sniff_utf16(v);
    if (order) {
      encoding_ = *order == Utf16Order::kLittle ? TextEncoding::kUtf16Le : TextEncoding::kUtf16Be;
    } else {
      encoding_ = TextEncoding::kUtf8;
      lenient_ = true;
    }
  }
  decode(v, final);
}

void TextDecoder::decode(std::string_view bytes, bool final) {
  switch (encoding_) {
    case TextEncoding::kAuto:
    case TextEncoding::kUtf8:
      decode_utf8(bytes, final);
      break;
    case TextEncoding::kUtf16Le:
    case TextEncoding::kUtf16Be:
      decode_utf16(bytes, final);
      break;
    case TextEncoding::kUtf32Le:
    case TextEncoding::kUtf32Be:
      decode_utf32(bytes, final);
      break;
    case TextEncoding::kWindows1252:
      decode_1252(bytes);
      break;
  }
}

void TextDecoder::decode_utf8(std::string_view bytes, bool final) {
  // First complete a sequence split by the previous feed, using at most 3 new bytes.
  std::size_t start = 0;
  if (!pending_.empty()) {
    const std::size_t held = pending_.size();
    std::string joined = pending_ + std::string(bytes.substr(0, 3));
    pending_.clear();
    const auto* p = reinterpret_cast<const unsigned char*>(joined.data());
    std::size_t i = 0;
    while (i < held) {
      if (p[i] < 0x80) {
        put(p[i]);
        ++i;
        continue;
      }
      auto r = decode_one(p + i, joined.size() - i);
      if (r.step == Utf8Step::kValid) {
        put(r.cp);
        i += r.length;
      } else if (r.step == Utf8Step::kIncomplete && !final) {
        pending_.assign(joined, i, std::string::npos);  // still not enough bytes (tiny feeds)
        return;
      } else {
        put_invalid_byte(p[i]);
        ++i;
      }
    }
    start = i - held;  // new bytes already consumed
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t i = start;
  std::size_t scalar_until = 0;  // a block that failed the fast check is decoded byte by byte
  while (i < n) {
    // Fast path: a block of whole characters that is valid UTF-8 — nearly every block of text that
    // is UTF-8 at all — goes out as it is, checked 32 bytes at a time (util/simd_text.h). Swedish
    // text has a non-ASCII letter every few words, which kept the scalar loop below at ~1 byte
    // per step: 14 % of a large text file's scan (perf).
    // Consecutive valid blocks, up to a piece, are emitted in place: no copy (4 % of a large
    // text file's scan went to copying them into the output buffer).
    if (i >= scalar_until) {
      std::size_t run_end = i;
      while (run_end < n && run_end - i + kFastBlock <= kMaxPiece) {
        const std::size_t end = fast_block_end(p, run_end, n);
        if (end <= run_end || !utf8_valid(bytes.substr(run_end, end - run_end))) {
          scalar_until = std::max(end, run_end + 1);
          break;
        }
        run_end = end;
      }
      if (run_end > i) {
        flush();
        emit_(bytes.substr(i, run_end - i));
        i = run_end;
        continue;
      }
    }
    // The longest run of valid UTF-8 from i is copied as it is (eight ASCII bytes at a time).
    std::size_t j = i;
    while (j < n) {
      while (j + 8 <= n) {
        std::uint64_t word;
        std::memcpy(&word, p + j, sizeof word);
        if ((word & 0x8080808080808080ull) != 0) break;
        j += 8;
      }
      if (j >= n) break;
      if (p[j] < 0x80) {
        ++j;
        continue;
      }
      const auto r = decode_one(p + j, n - j);
      if (r.step != Utf8Step::kValid) break;
      j += r.length;
    }
    if (j > i) put_valid(bytes.substr(i, j - i));
    i = j;
    if (i >= n) break;
    auto r = decode_one(p + i, n - i);
    if (r.step == Utf8Step::kIncomplete && !final) {
      pending_.assign(bytes.substr(i));
      return;
    } else {
      put_invalid_byte(p[i]);
      ++i;
    }
  }
}

void TextDecoder::decode_utf16(std::string_view bytes, bool final) {
  const bool little = encoding_ == TextEncoding::kUtf16Le;
  std::size_t i = 0;
  auto unit_at = [&](unsigned char a, unsigned char b) -> char32_t {
    return little ? static_cast<char32_t>(a | (b << 8)) : static_cast<char32_t>((a << 8) | b);
  };
  auto take = [&](char32_t u) {
    if (high_surrogate_ != 0) {
      if (u >= 0xDC00 && u <= 0xDFFF) {
        put(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (u - 0xDC00));
        high_surrogate_ = 0;
        return;
      }
      put(kReplacement);
      high_surrogate_ = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      high_surrogate_ = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      put(kReplacement);
    } else {
      put(u);
    }
  };
  if (!pending_.empty() && !bytes.empty()) {
    take(unit_at(static_cast<unsigned char>(pending_[0]), static_cast<unsigned char>(bytes[0])));
    pending_.clear();
    i = 1;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 1 < bytes.size(); i += 2) take(unit_at(p[i], p[i + 1]));
  if (i < bytes.size()) pending_.assign(1, bytes[i]);
  if (final) {
    if (high_surrogate_ != 0) put(kReplacement);
    high_surrogate_ = 0;
    if (!pending_.empty()) put(kReplacement);
    pending_.clear();
  }
}

void TextDecoder::decode_utf32(std::string_view bytes, bool final) {
  const bool little = encoding_ == TextEncoding::kUtf32Le;
  auto take = [&](const unsigned char* b) {
    const char32_t u = little ? static_cast<char32_t>(b[0] | (b[1] << 8) | (b[2] << 16)) |
                                    (static_cast<char32_t>(b[3]) << 24)
                              : (static_cast<char32_t>(b[0]) << 24) |
                                    static_cast<char32_t>((b[1] << 16) | (b[2] << 8) | b[3]);
    put(u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF) ? kReplacement : u);
  };
  std::size_t i = 0;
  if (!pending_.empty()) {  // a unit split by the previous feed
    while (pending_.size() < 4 && i < bytes.size()) pending_.push_back(bytes[i++]);
    if (pending_.size() == 4) {
      take(reinterpret_cast<const unsigned char*>(pending_.data()));
      pending_.clear();
    }
  }
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 3 < bytes.size(); i += 4) take(p + i);
  if (i < bytes.size()) pending_.append(bytes.substr(i));
  if (final) {
    if (!pending_.empty()) put(kReplacement);
    pending_.clear();
  }
}

bool starts_with_utf32_bom(std::string_view bytes) {
  return utf32_bom(bytes, true) || utf32_bom(bytes, false);
}

void TextDecoder::decode_1252(std::string_view bytes) {
  for (char c : bytes) put(windows1252_to_unicode(static_cast<unsigned char>(c)));
}

void TextDecoder::put_invalid_byte(unsigned char b) {
  put(lenient_ ? windows1252_to_unicode(b) : kReplacement);
}

void TextDecoder::put(char32_t cp) {
  if (out_.size() + 4 > kMaxPiece) flush();
  append_code_point(out_, cp);
}

void TextDecoder::put_valid(std::string_view utf8) {
  while (!utf8.empty()) {
    if (out_.size() >= kMaxPiece) flush();
    std::size_t n = std::min(utf8.size(), kMaxPiece - out_.size());
    // Never split a character between two pieces.
    while (n < utf8.size() && n > 0 && (static_cast<unsigned char>(utf8[n]) & 0xC0) == 0x80) --n;
    if (n == 0) {
      flush();
      continue;
    }
    out_.append(utf8.substr(0, n));
    utf8.remove_prefix(n);
  }
}

void TextDecoder::flush() {
  if (out_.empty()) return;
  emit_(out_);
  out_.clear();
}

std::string decode_to_utf8(std::string_view bytes, TextEncoding encoding) {
  std::string result;
  TextDecoder dec([&](std::string_view s) { result.append(s); }, encoding);
  dec.feed(bytes);
  dec.finish();
  return result;
}

}  // namespace vakt::extract
