// What the policy may ask of a file's text beyond its findings: whether it is Swedish.
//
// The vocabulary is Swedish, but some of its words are English too ("patient", "Journal",
// "Depression"), and an English book or paper names people on every page. A condition with
// `min_swedish_letters` holds only when å, ä and ö make up that many per mille of the first
// kSampleBytes of the file's text: Swedish prose has 25-40, English none.
#pragma once

#include <cstdint>
#include <string_view>

namespace vakt::classify {

struct TextTraits {
  static constexpr std::uint64_t kSampleBytes = 8192;
  std::uint64_t sampled = 0;          // bytes of text looked at, at most kSampleBytes
  std::uint64_t swedish_letters = 0;  // å ä ö Å Ä Ö among them

  // Looks at the start of `text` while the sample is not full; later text is skipped unread.
  // A letter split across two calls is not counted: a rounding error, not a wrong answer.
  void sample(std::string_view text);
  // Swedish letters per 1000 bytes of the sample, rounded down; 0 for no text.
  std::uint64_t swedish_per_mille() const;
};

}  // namespace vakt::classify
