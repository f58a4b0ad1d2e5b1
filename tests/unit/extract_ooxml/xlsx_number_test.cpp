// Spreadsheet numbers: every digit, no exponent; digit-pattern formats applied.
#include "extract/xlsx_number.h"

#include <gtest/gtest.h>

namespace vakt::extract {
namespace {

TEST(PlainNumber, WritesExponentFormOut) {
  EXPECT_EQ(plain_number("199906042388"), "199906042388");
  EXPECT_EQ(plain_number("1.99906042388E+11"), "199906042388");
  EXPECT_EQ(plain_number("1.99906042388e11"), "199906042388");
  EXPECT_EQ(plain_number("9.906042388E9"), "9906042388");
  EXPECT_EQ(plain_number("1.5E-3"), "0.0015");
  EXPECT_EQ(plain_number("-2.5"), "-2.5");
  EXPECT_EQ(plain_number("12.50"), "12.5");
  EXPECT_EQ(plain_number("0"), "0");
  EXPECT_EQ(plain_number("1E+20"), "100000000000000000000");
}

TEST(PlainNumber, LeavesNonNumbersAlone) {
  EXPECT_EQ(plain_number("#DIV/0!"), "#DIV/0!");
  EXPECT_EQ(plain_number("1E+999"), "1E+999");
  EXPECT_EQ(plain_number("12abc"), "12abc");
  EXPECT_EQ(plain_number(""), "");
}

TEST(FormatNumber, PersonnummerFormats) {
  EXPECT_EQ(format_number("9906042388", "000000-0000"), "990604-2388");
  EXPECT_EQ(format_number("199906042388", "00000000-0000"), "19990604-2388");
  EXPECT_EQ(format_number("1.99906042388E+11", "00000000-0000"), "19990604-2388");
  // A leading zero lost by storing as a number comes back through the format.
  EXPECT_EQ(format_number("104099030", "000000-0000"), "010409-9030");
  EXPECT_EQ(format_number("9906042388", R"(000000\-0000)"), "990604-2388");
  EXPECT_EQ(format_number("9906042388", R"(000000"-"0000)"), "990604-2388");
  EXPECT_EQ(format_number("9906042388", "[$-41D]000000-0000;@"), "990604-2388");
  // More digits than placeholders: the extra ones go in front, as Excel shows them.
  EXPECT_EQ(format_number("199906042388", "000000-0000"), "19990604-2388");
}

TEST(FormatNumber, NonDigitFormatsFallBackToPlain) {
  EXPECT_EQ(format_number("45000", "yyyy-mm-dd"), "45000");
  EXPECT_EQ(format_number("1.99906042388E+11", "0.00"), "199906042388");
  EXPECT_EQ(format_number("2.5", "000000-0000"), "2.5");
  EXPECT_EQ(format_number("12", "General"), "12");
  EXPECT_EQ(format_number("12", "[>=100]000;0"), "12");
}

}  // namespace
}  // namespace vakt::extract
