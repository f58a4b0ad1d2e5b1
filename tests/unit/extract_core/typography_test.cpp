// normalize_typography / collapse_spaces: word-processor and PDF typography a reviewer found
// hiding secrecy stamps, vocabulary and numbers from the rules.
#include "extract/typography.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace vakt::extract {
namespace {

std::string normalized(std::string_view in) {
  std::string out;
  return normalize_typography(in, out) ? out : std::string(in);
}

TEST(Typography, SoftHyphensAreDropped) {
  EXPECT_EQ(normalized("Sekretess\u00admarkerad"), "Sekretessmarkerad");
  EXPECT_EQ(normalized("Får ej läm\u00adnas ut"), "Får ej lämnas ut");
  // 0xAD inside another character (í is C3 AD) is not a soft hyphen.
  EXPECT_EQ(normalized("Mar\u00eda"), "Mar\u00eda");
}

TEST(Typography, LineEndHyphensJoinWordsAndKeepNumbersWhole) {
  EXPECT_EQ(normalized("sekretess-\nmarkerad"), "sekretessmarkerad");
  EXPECT_EQ(normalized("barnavårds-\r\nutredning"), "barnavårdsutredning");
  EXPECT_EQ(normalized("skyddad folk-\n    bokföring"), "skyddad folkbokföring");  // PDF indent
  EXPECT_EQ(normalized("oros-\nanmälan"), "orosanmälan");
  EXPECT_EQ(normalized("Personnummer: 990604-\n2388"), "Personnummer: 990604-2388");
  // Not a broken word: a capital after the break, a list dash, a hyphen before a number.
  EXPECT_EQ(normalized("Sverige-\nNorge"), "Sverige-\nNorge");
  EXPECT_EQ(normalized("punkter:\n-\nnästa"), "punkter:\n-\nnästa");
  EXPECT_EQ(normalized("Östergötland-\n2024"), "Östergötland-\n2024");
}

TEST(Typography, DecomposedLettersAreComposed) {
  EXPECT_EQ(normalized("Fa\u030ar ej la\u0308mnas ut"), "Får ej lämnas ut");
  EXPECT_EQ(normalized("skyddad folkbo\u0308kfo\u0308ring"), "skyddad folkbökföring");
  EXPECT_EQ(normalized("A\u030aA\u0308O\u0308 e\u0301"), "ÅÄÖ é");
  // A mark on a letter Swedish does not compose is left as written.
  EXPECT_EQ(normalized("x\u0308"), "x\u0308");
}

TEST(Typography, NothingToChangeIsReportedSo) {
  std::string out = "untouched";
  EXPECT_FALSE(normalize_typography("Vanlig text utan något särskilt - 12", out));
  EXPECT_EQ(out, "untouched");
}

TEST(Typography, SpaceRunsCollapse) {
  EXPECT_EQ(collapse_spaces("omfattas        av        sekretess."), "omfattas av sekretess.");
  EXPECT_EQ(collapse_spaces("  a\n  b"), " a\n b");
}

// Through the extraction path: what the scanner receives is normalised.
TEST(Typography, ExtractedTextIsNormalisedBeforeMatching) {
  auto out = testing::extract_bytes("Sekretess\u00admarkerad. Elev 990604-\n2388. Fa\u030a ut.",
                                    "anteckning.txt");
  const std::string t = out.sink.all();
  EXPECT_NE(t.find("Sekretessmarkerad. Elev 990604-2388. Få ut."), std::string::npos) << t;
}

}  // namespace
}  // namespace vakt::extract
