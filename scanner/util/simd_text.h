// Fast whole-buffer checks on the matcher's hot path (every byte of every document passes here).
//
//   utf8_valid(s)      true when s is complete, valid UTF-8 ("lookup" algorithm of Keiser &
//                      Lemire, as in simdjson/simdutf: AVX2 or SSSE3 chosen at run time,
//                      scalar elsewhere); utf8_valid_sse/_avx2 force one path (tests), falling
//                      back to the next one down when the CPU lacks it
//   count_newlines(s)  number of '\n' bytes (SSE2)
#pragma once

#include <cstdint>
#include <string_view>

namespace vakt {

bool utf8_valid(std::string_view s);
bool utf8_valid_scalar(std::string_view s);
bool utf8_valid_sse(std::string_view s);
bool utf8_valid_avx2(std::string_view s);
std::uint64_t count_newlines(std::string_view s);

}  // namespace vakt
