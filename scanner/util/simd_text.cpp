#include "util/simd_text.h"

#include <cstring>

#include "util/utf8_guard.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define VAKT_X86 1
#endif

namespace vakt {

bool utf8_valid_scalar(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (!(static_cast<unsigned char>(s[i]) & 0x80)) {
      ++i;
      continue;
    }
    const int n = utf8_sequence_length(s.substr(i));
    if (n <= 0) return false;
    i += static_cast<std::size_t>(n);
  }
  return true;
}

#ifdef VAKT_X86

namespace {

// Error bits of the lookup algorithm: each table marks what a nibble rules out.
constexpr char kTooShort = 1 << 0;
constexpr char kTooLong = 1 << 1;
constexpr char kOverlong3 = 1 << 2;
constexpr char kTooLarge = 1 << 3;
constexpr char kSurrogate = 1 << 4;
constexpr char kOverlong2 = 1 << 5;
constexpr char kTooLarge1000 = 1 << 6;
constexpr char kOverlong4 = 1 << 6;
constexpr char kTwoConts = static_cast<char>(1 << 7);
constexpr char kCarry = kTooShort | kTooLong | kTwoConts;

__attribute__((target("ssse3"))) bool utf8_valid_ssse3(const char* data, std::size_t len) {
  const __m128i byte1_high = _mm_setr_epi8(
      kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts,
      kTwoConts, kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort,
      kTooShort | kOverlong3 | kSurrogate, kTooShort | kTooLarge | kTooLarge1000 | kOverlong4);
  const __m128i byte1_low = _mm_setr_epi8(
      kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry, kCarry,
      kCarry | kTooLarge, kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000 | kSurrogate, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000);
  const __m128i byte2_high = _mm_setr_epi8(
      kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,
      kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,
      kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge, kTooShort, kTooShort, kTooShort,
      kTooShort);
  // A block may not end inside a sequence: bytes that would need more after the block.
  const __m128i max_value =
      _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xEF),
                    static_cast<char>(0xDF), static_cast<char>(0xBF));
  const __m128i low_nibble = _mm_set1_epi8(0x0F);
  __m128i prev_input = _mm_setzero_si128();
  __m128i prev_incomplete = _mm_setzero_si128();
  __m128i error = _mm_setzero_si128();

  for (std::size_t i = 0; i < len; i += 16) {
    __m128i input;
    if (i + 16 <= len) {
      input = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    } else {
      alignas(16) char tail[16] = {};  // zero padding is ASCII: a cut sequence is an error
      std::memcpy(tail, data + i, len - i);
      input = _mm_load_si128(reinterpret_cast<const __m128i*>(tail));
    }
    if (_mm_movemask_epi8(input) == 0) {
      error = _mm_or_si128(error, prev_incomplete);
    } else {
      const __m128i prev1 = _mm_alignr_epi8(input, prev_input, 15);
      const __m128i prev2 = _mm_alignr_epi8(input, prev_input, 14);
      const __m128i prev3 = _mm_alignr_epi8(input, prev_input, 13);
      const __m128i b1h =
          _mm_shuffle_epi8(byte1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
      const __m128i b1l = _mm_shuffle_epi8(byte1_low, _mm_and_si128(prev1, low_nibble));
      const __m128i b2h =
          _mm_shuffle_epi8(byte2_high, _mm_and_si128(_mm_srli_epi16(input, 4), low_nibble));
      const __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
      const __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8(static_cast<char>(0xE0 - 0x80)));
      const __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8(static_cast<char>(0xF0 - 0x80)));
      const __m128i must23 =
          _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(static_cast<char>(0x80)));
      error = _mm_or_si128(error, _mm_xor_si128(must23, special));
      prev_incomplete = _mm_subs_epu8(input, max_value);
    }
    prev_input = input;
  }
  error = _mm_or_si128(error, prev_incomplete);
  return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}

// The same algorithm 32 bytes at a time; prev1..3 take their bytes across the 128-bit lanes.
__attribute__((target("avx2"))) bool utf8_valid_avx2_impl(const char* data, std::size_t len) {
  const __m256i byte1_high = _mm256_setr_epi8(
      kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts,
      kTwoConts, kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort,
      kTooShort | kOverlong3 | kSurrogate, kTooShort | kTooLarge | kTooLarge1000 | kOverlong4,
      kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTooLong, kTwoConts,
      kTwoConts, kTwoConts, kTwoConts, kTooShort | kOverlong2, kTooShort,
      kTooShort | kOverlong3 | kSurrogate, kTooShort | kTooLarge | kTooLarge1000 | kOverlong4);
  const __m128i low_table = _mm_setr_epi8(
      kCarry | kOverlong3 | kOverlong2 | kOverlong4, kCarry | kOverlong2, kCarry, kCarry,
      kCarry | kTooLarge, kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000 | kSurrogate, kCarry | kTooLarge | kTooLarge1000,
      kCarry | kTooLarge | kTooLarge1000);
  const __m256i byte1_low = _mm256_broadcastsi128_si256(low_table);
  const __m128i high2_table = _mm_setr_epi8(
      kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort, kTooShort,
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge1000 | kOverlong4,
      kTooLong | kOverlong2 | kTwoConts | kOverlong3 | kTooLarge,
      kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge,
      kTooLong | kOverlong2 | kTwoConts | kSurrogate | kTooLarge, kTooShort, kTooShort, kTooShort,
      kTooShort);
  const __m256i byte2_high = _mm256_broadcastsi128_si256(high2_table);
  const __m256i max_value =
      _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, static_cast<char>(0xEF),
                       static_cast<char>(0xDF), static_cast<char>(0xBF));
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);
  __m256i prev_input = _mm256_setzero_si256();
  __m256i prev_incomplete = _mm256_setzero_si256();
  __m256i error = _mm256_setzero_si256();

  for (std::size_t i = 0; i < len; i += 32) {
    __m256i input;
    if (i + 32 <= len) {
      input = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
    } else {
      alignas(32) char tail[32] = {};  // zero padding is ASCII: a cut sequence is an error
      std::memcpy(tail, data + i, len - i);
      input = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
    }
    if (_mm256_movemask_epi8(input) == 0) {  // ASCII: only a sequence left open is an error
      error = _mm256_or_si256(error, prev_incomplete);
      prev_incomplete = _mm256_setzero_si256();
    } else {
      const __m256i shifted = _mm256_permute2x128_si256(prev_input, input, 0x21);
      const __m256i prev1 = _mm256_alignr_epi8(input, shifted, 15);
      const __m256i prev2 = _mm256_alignr_epi8(input, shifted, 14);
      const __m256i prev3 = _mm256_alignr_epi8(input, shifted, 13);
      const __m256i b1h = _mm256_shuffle_epi8(
          byte1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble));
      const __m256i b1l = _mm256_shuffle_epi8(byte1_low, _mm256_and_si256(prev1, low_nibble));
      const __m256i b2h = _mm256_shuffle_epi8(
          byte2_high, _mm256_and_si256(_mm256_srli_epi16(input, 4), low_nibble));
      const __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
      const __m256i third =
          _mm256_subs_epu8(prev2, _mm256_set1_epi8(static_cast<char>(0xE0 - 0x80)));
      const __m256i fourth =
          _mm256_subs_epu8(prev3, _mm256_set1_epi8(static_cast<char>(0xF0 - 0x80)));
      const __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth),
                                              _mm256_set1_epi8(static_cast<char>(0x80)));
      error = _mm256_or_si256(error, _mm256_xor_si256(must23, special));
      prev_incomplete = _mm256_subs_epu8(input, max_value);
    }
    prev_input = input;
  }
  error = _mm256_or_si256(error, prev_incomplete);
  return _mm256_testz_si256(error, error) != 0;
}

bool have_ssse3() {
  static const bool yes = __builtin_cpu_supports("ssse3");
  return yes;
}
bool have_avx2() {
  static const bool yes = __builtin_cpu_supports("avx2");
  return yes;
}

}  // namespace

bool utf8_valid_sse(std::string_view s) {
  return have_ssse3() ? utf8_valid_ssse3(s.data(), s.size()) : utf8_valid_scalar(s);
}

bool utf8_valid_avx2(std::string_view s) {
  return have_avx2() ? utf8_valid_avx2_impl(s.data(), s.size()) : utf8_valid_sse(s);
}

bool utf8_valid(std::string_view s) {
  return have_avx2() ? utf8_valid_avx2_impl(s.data(), s.size()) : utf8_valid_sse(s);
}

namespace {

__attribute__((target("avx2"))) std::uint64_t count_newlines_avx2(const char* data,
                                                                  std::size_t len) {
  std::uint64_t n = 0;
  std::size_t i = 0;
  const __m256i nl = _mm256_set1_epi8('\n');
  while (i + 32 <= len) {
    __m256i lanes = _mm256_setzero_si256();
    for (int k = 0; k < 255 && i + 32 <= len; ++k, i += 32) {
      const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
      lanes = _mm256_sub_epi8(lanes, _mm256_cmpeq_epi8(v, nl));
    }
    const __m256i sums = _mm256_sad_epu8(lanes, _mm256_setzero_si256());
    n += static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 0)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 1)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 2)) +
         static_cast<std::uint64_t>(_mm256_extract_epi64(sums, 3));
  }
  for (; i < len; ++i) n += data[i] == '\n';
  return n;
}

}  // namespace

std::uint64_t count_newlines(std::string_view s) {
  if (have_avx2()) return count_newlines_avx2(s.data(), s.size());
  // Byte lanes count matches (cmpeq gives -1, subtracted) for up to 255 blocks, then
  // _mm_sad_epu8 folds them into two 64-bit sums: no popcount instruction needed.
  std::uint64_t n = 0;
  std::size_t i = 0;
  const __m128i nl = _mm_set1_epi8('\n');
  while (i + 16 <= s.size()) {
    __m128i lanes = _mm_setzero_si128();
    for (int k = 0; k < 255 && i + 16 <= s.size(); ++k, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(v, nl));
    }
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    n += static_cast<std::uint64_t>(_mm_cvtsi128_si64(sums)) +
         static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
  for (; i < s.size(); ++i) n += s[i] == '\n';
  return n;
}

#else

bool utf8_valid(std::string_view s) {
  return utf8_valid_scalar(s);
}
bool utf8_valid_sse(std::string_view s) {
  return utf8_valid_scalar(s);
}
bool utf8_valid_avx2(std::string_view s) {
  return utf8_valid_scalar(s);
}

std::uint64_t count_newlines(std::string_view s) {
  std::uint64_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

#endif

}  // namespace vakt
