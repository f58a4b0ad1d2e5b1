// The SIMD UTF-8 validator and newline counter against their scalar definitions.
#include <gtest/gtest.h>

#include <random>

#include "util/simd_text.h"
#include "util/utf8_guard.h"

namespace vakt {
namespace {

TEST(SimdText, KnownValidAndInvalidSequences) {
  EXPECT_TRUE(utf8_valid(""));
  EXPECT_TRUE(utf8_valid("Malmö stad, Ärende 1 – åäö ÅÄÖ é 😀"));
  EXPECT_FALSE(utf8_valid("\xc3"));  // cut off
  EXPECT_FALSE(utf8_valid("abc\xff"));
  EXPECT_FALSE(utf8_valid("\xc0\xaf"));                         // overlong
  EXPECT_FALSE(utf8_valid("\xed\xa0\x80"));                     // surrogate
  EXPECT_FALSE(utf8_valid("\xf4\x90\x80\x80"));                 // above U+10FFFF
  EXPECT_FALSE(utf8_valid("\x80"));                             // lone continuation
  EXPECT_FALSE(utf8_valid(std::string(15, 'a') + "\xe2\x80"));  // cut at a block edge
}

TEST(SimdText, AgreesWithScalarOnRandomMostlyValidText) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "a",   "ö", "Å", "–", "😀", "\n", " ", "abcdefgh", "\xc3", "\x80", "\xe2\x80", "\xf0\x9f\x98",
      "\xff"};
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> valid_only(0, 3);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const bool clean = valid_only(rng) != 0;
    const int len = static_cast<int>(rng() % 70);
    for (int i = 0; i < len; ++i) {
      auto p = pick(rng);
      if (clean && p >= 8) p = p % 8;
      s += pieces[p];
    }
    ASSERT_EQ(utf8_valid(s), utf8_valid_scalar(s)) << "round " << round;
    std::uint64_t nl = 0;
    for (char c : s) nl += c == '\n';
    ASSERT_EQ(count_newlines(s), nl);
  }
}

TEST(Utf8Guard, RepairsInvalidBytesAndCarriesCutSequences) {
  Utf8Guard g;
  std::string scratch;
  EXPECT_EQ(std::string(g.clean("ab\xffz", scratch)), "ab?z");
  EXPECT_EQ(std::string(g.clean("x\xc3", scratch)), "x");
  EXPECT_EQ(std::string(g.clean("\xb6y", scratch)), "öy");
  EXPECT_EQ(std::string(g.clean("\xe2\x80", scratch)), "");
  EXPECT_EQ(std::string(g.flush(scratch)), "??");
}

}  // namespace
}  // namespace vakt
