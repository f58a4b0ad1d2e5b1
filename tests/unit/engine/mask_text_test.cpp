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

}  // namespace
}  // namespace vakt
