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
    const int len = static_cast<int>(rng() % 140);  // past two 32-byte AVX2 blocks
    for (int i = 0; i < len; ++i) {
      auto p = pick(rng);
      if (clean && p >= 8) p = p % 8;
      s += pieces[p];
    }
    const bool want = utf8_valid_scalar(s);
    ASSERT_EQ(utf8_valid(s), want) << "round " << round;
    ASSERT_EQ(utf8_valid_sse(s), want) << "round " << round;
    ASSERT_EQ(utf8_valid_avx2(s), want) << "round " << round;
    std::uint64_t nl = 0;
    for (char c : s) nl += c == '\n';
    ASSERT_EQ(count_newlines(s), nl);
  }
}

// Long runs overflow a byte lane after 255 blocks: the counters must fold in time.
TEST(SimdText, CountsNewlinesInLongText) {
  std::string s;
  std::uint64_t want = 0;
  for (int i = 0; i < 40000; ++i) {
    const bool nl = i % 3 != 0 || i % 7 == 0;
    s += nl ? '\n' : 'x';
    want += nl;
  }
  EXPECT_EQ(count_newlines(s), want);
  EXPECT_EQ(count_newlines(std::string(100000, '\n')), 100000u);
}

// Every error kind at every offset around the 16- and 32-byte block edges of the SIMD paths.
TEST(SimdText, ErrorsAtEveryBlockOffset) {
  const std::vector<std::string> bad = {
      "\xc3", "\xff",     "\xc0\xaf",    "\xed\xa0\x80", "\xf4\x90\x80\x80",
      "\x80", "\xe2\x80", "\xf0\x9f\x98"};
  for (std::size_t at = 0; at < 70; ++at) {
    for (const auto& b : bad) {
      for (const std::string& fill : {std::string("a"), std::string("\xc3\xb6")}) {
        std::string s;
        while (s.size() < at) s += fill;
        s += b;
        for (int k = 0; k < 40; ++k) s += 'x';
        ASSERT_FALSE(utf8_valid_avx2(s)) << at;
        ASSERT_FALSE(utf8_valid_sse(s)) << at;
        std::string ok = s.substr(0, s.size() - 40 - b.size()) + "\xe2\x80\x93\xf0\x9f\x98\x80";
        ASSERT_EQ(utf8_valid_avx2(ok), utf8_valid_scalar(ok)) << at;
        ASSERT_EQ(utf8_valid_sse(ok), utf8_valid_scalar(ok)) << at;
      }
    }
  }
}

std::string feed(Utf8Guard& g, std::string_view in) {
  std::string scratch;
  std::string out;
  while (!in.empty()) out += std::string(g.clean(in, scratch));
  return out;
}

TEST(Utf8Guard, RepairsInvalidBytesAndCarriesCutSequences) {
  Utf8Guard g;
  std::string scratch;
  EXPECT_EQ(feed(g, "ab\xffz"), "ab?z");
  EXPECT_EQ(feed(g, "x\xc3"), "x");
  EXPECT_EQ(feed(g, "\xb6y"), "öy");
  EXPECT_EQ(feed(g, "\xe2\x80"), "");
  EXPECT_EQ(std::string(g.flush(scratch)), "??");
  EXPECT_EQ(feed(g, "a\xe2"), "a");
  EXPECT_EQ(feed(g, "b"), "?b");  // the cut character never completed
}

TEST(Utf8Guard, EverySplitOfValidTextComesBackWhole) {
  const std::string text = "Malmö – Åsa 😀 é";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    Utf8Guard g;
    std::string out = feed(g, std::string_view(text).substr(0, cut));
    out += feed(g, std::string_view(text).substr(cut));
    EXPECT_EQ(out, text) << cut;
  }
}

}  // namespace
}  // namespace vakt
