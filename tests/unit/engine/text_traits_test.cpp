// The Swedish-letter sample the policy's min_swedish_letters reads.
#include <gtest/gtest.h>

#include <string>

#include "classify/text_traits.h"

namespace vakt::classify {
namespace {

TEST(TextTraits, CountsTheSixSwedishLettersAndNothingElse) {
  TextTraits t;
  t.sample("Åsa, Ärla och Öjvind åt äpplen på ön; café, naïve, Müller");
  EXPECT_EQ(t.swedish_letters, 7u);  // Å Ä Ö å ä å ö: not é, ï or ü
}

TEST(TextTraits, SwedishProseAndEnglishProseAreFarApart) {
  TextTraits sv;
  sv.sample(
      "Var hemma hos familjen i eftermiddags. Lägenheten var stökig och det luktade rök. "
      "Hon sa att hon inte orkat städa sedan hon blev av med jobbet.");
  EXPECT_GE(sv.swedish_per_mille(), 25u);
  TextTraits en;
  en.sample("Journal of Law and Economics. Thomas argued that the Great Depression changed it.");
  EXPECT_EQ(en.swedish_per_mille(), 0u);
  EXPECT_EQ(TextTraits{}.swedish_per_mille(), 0u);  // no text: not Swedish
}

TEST(TextTraits, ReadsOnlyTheFirstEightKibibytesOverAnyNumberOfCalls) {
  TextTraits t;
  const std::string english(TextTraits::kSampleBytes - 10, 'x');
  t.sample(english);
  t.sample("åäöåäöåäöåäö");  // 10 bytes left: five letters fit
  t.sample("åäöåäö");        // past the sample: not read
  EXPECT_EQ(t.sampled, TextTraits::kSampleBytes);
  EXPECT_EQ(t.swedish_letters, 5u);
}

}  // namespace
}  // namespace vakt::classify
