// mask_identity_numbers: identity numbers in names and reasons lose their last four digits.
#include <gtest/gtest.h>

#include "vakt/scanner/mask_text.h"

namespace vakt {
namespace {

TEST(MaskText, HidesTheSerialOfEveryFormAndLeavesTheRest) {
  EXPECT_EQ(mask_identity_numbers("Akter/19990604-2388 Anna.docx"),
            "Akter/19990604-**** Anna.docx");
  EXPECT_EQ(mask_identity_numbers("990604-2388.pdf"), "990604-****.pdf");
  EXPECT_EQ(mask_identity_numbers("x 199906042388 y"), "x 19990604**** y");
  EXPECT_EQ(mask_identity_numbers("701063-2391"), "701063-****");  // samordningsnummer
  EXPECT_EQ(mask_identity_numbers("faktura 2024-01-15 nr 12345"), "faktura 2024-01-15 nr 12345");
  EXPECT_EQ(mask_identity_numbers("990604-2389"), "990604-2389");  // fails Luhn: not one
}

// Every separator the personnummer rule reads as '-' (rules/identity.yaml) is masked too: a file
// named with an en dash from Word was found by the matcher and then printed in clear in its path.
TEST(MaskText, HidesNumbersWrittenWithEverySeparatorTheMatcherReads) {
  for (const std::string sep :
       {"-", "+", "\u2010", "\u2011", "\u2013", "\u2212", "\u00A0", "\u202F"}) {
    EXPECT_EQ(mask_identity_numbers("Patient 19121212" + sep + "1212.txt"),
              "Patient 19121212" + sep + "****.txt");
    EXPECT_EQ(mask_identity_numbers("a/990604" + sep + "2388"), "a/990604" + sep + "****");
  }
  // A dash the matcher does not read (U+2014 EM DASH) leaves no number to mask.
  EXPECT_EQ(mask_identity_numbers("990604\u20142388"), "990604\u20142388");
}

// A reservnummer (T-number) is an identity the matcher finds and masks; in a file or member name it
// was printed in clear.
TEST(MaskText, HidesReservnummer) {
  EXPECT_EQ(mask_identity_numbers("Reservnr 990604-T232.txt"), "Reservnr 990604-****.txt");
  EXPECT_EQ(mask_identity_numbers("a/19990604\u2013T232/b"), "a/19990604\u2013****/b");
  EXPECT_EQ(mask_identity_numbers("990604-T233"), "990604-T233");    // fails the check digit
  EXPECT_EQ(mask_identity_numbers("990604-A232"), "990604-A232");    // not a reserve letter
  EXPECT_EQ(mask_identity_numbers("990604-T2321"), "990604-T2321");  // a longer serial: not one
}

}  // namespace
}  // namespace vakt
