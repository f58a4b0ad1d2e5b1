// Payment cards, IBAN, Swedish bank accounts, Bankgiro and PlusGiro. Card numbers are the
// networks' published test numbers; IBANs and bank accounts are the banks' published examples or
// numbers constructed here.
#include <gtest/gtest.h>

#include "validate/check_digits.h"
#include "validate/financial.h"

namespace vakt::validate {
namespace {

const ValidatorContext kCtx{CivilDate{2026, 11, 27}};

TEST(CheckDigits, LuhnMod11AndMod97) {
  EXPECT_TRUE(luhn_valid("6408233234"));
  EXPECT_FALSE(luhn_valid("6408233235"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("64O8233234"));
  EXPECT_TRUE(mod11_valid("1041234562"));
  EXPECT_TRUE(mod11_valid("2763608957"));
  EXPECT_FALSE(mod11_valid("2763608958"));
  EXPECT_FALSE(mod11_valid("0000"));  // a zero sum is not valid
  EXPECT_EQ(mod97_iban("SE4550000000058398257466"), 1);
  EXPECT_EQ(mod97_iban("SE45500000000583982574!6"), -1);
}

TEST(CheckDigits, CalendarAndMaskHelpers) {
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2100));
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_EQ(days_in_month(2023, 2), 28);
  EXPECT_EQ(days_in_month(2024, 2), 29);
  EXPECT_EQ(days_in_month(2024, 13), 0);
  EXPECT_EQ(mask_grouped_tail("4111111111111111", 4), "**** **** **** 1111");
  EXPECT_EQ(mask_grouped_tail("378282246310005", 4), "*** **** **** 0005");
}

TEST(PaymentCard, AcceptsTestCardsInAllGroupings) {
  for (const char* s : {"4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111",
                        "5555 5555 5555 4444", "2223 0000 4841 0010", "3782 822463 10005",
                        "6011 1111 1111 1117", "3530 1113 3330 0000", "3622 720627 1667"}) {
    const Validation v = validate_payment_card(s, kCtx);
    EXPECT_TRUE(v.valid) << s << ": " << v.reason;
  }
}

TEST(PaymentCard, SkipsTheCardWordBeforeTheNumber) {
  EXPECT_TRUE(validate_payment_card("Kortnummer: 4111 1111 1111 1111", kCtx).valid);
  EXPECT_EQ(validate_payment_card("Visa 4111-1111-1111-1111", kCtx).masked, "**** **** **** 1111");
  EXPECT_EQ(validate_payment_card("Kortnummer: ", kCtx).reason, "malformed");
}

TEST(PaymentCard, MasksAllButTheLastFour) {
  const Validation v = validate_payment_card("4111-1111-1111-1111", kCtx);
  EXPECT_EQ(v.masked, "**** **** **** 1111");
  EXPECT_EQ(v.normalized, "4111111111111111");
  EXPECT_EQ(validate_payment_card("3782 822463 10005", kCtx).masked, "*** **** **** 0005");
}

TEST(PaymentCard, RejectsBadGroupingChecksumIssuerAndLength) {
  EXPECT_EQ(validate_payment_card("4111 1111 1111 1112", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_payment_card("4111 1111-1111 1111", kCtx).reason, "malformed");
  EXPECT_EQ(validate_payment_card("4111  1111 1111 1111", kCtx).reason, "malformed");
  EXPECT_EQ(validate_payment_card("4111 1111 1111 1111 ", kCtx).reason, "malformed");
  EXPECT_EQ(validate_payment_card("4111 1111 1111 1111-", kCtx).reason, "malformed");
  EXPECT_EQ(validate_payment_card("1234 5678 9012 3452", kCtx).reason, "unknown issuer");
  EXPECT_EQ(validate_payment_card("9000 0000 0000 0001", kCtx).reason, "unknown issuer");
  EXPECT_EQ(validate_payment_card("5555 5555 5555 444", kCtx).reason, "unknown issuer");
  EXPECT_EQ(validate_payment_card("4111 1111 11", kCtx).reason, "bad length");
  // A personnummer is Luhn-valid but no card.
  EXPECT_FALSE(validate_payment_card("199906042388", kCtx).valid);
}

TEST(Luhn, GenericDigitRuns) {
  EXPECT_TRUE(validate_luhn("12345674", kCtx).valid);
  EXPECT_EQ(validate_luhn("12345674", kCtx).masked, "**** 5674");
  EXPECT_EQ(validate_luhn("12345675", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_luhn("1", kCtx).reason, "malformed");
  EXPECT_EQ(validate_luhn("18", kCtx).masked, "**");  // short runs show nothing
  EXPECT_EQ(validate_luhn("12a45674", kCtx).reason, "malformed");
}

TEST(Iban, AcceptsRegistryExamples) {
  for (const char* s : {"SE45 5000 0000 0583 9825 7466", "SE4550000000058398257466",
                        "se45 5000 0000 0583 9825 7466", "GB82 WEST 1234 5698 7654 32",
                        "DE89 3704 0044 0532 0130 00", "SE35 5000 0000 0549 1000 0003"}) {
    const Validation v = validate_iban(s, kCtx);
    EXPECT_TRUE(v.valid) << s << ": " << v.reason;
  }
}

TEST(Iban, SkipsALeadingIbanLabel) {
  EXPECT_TRUE(validate_iban("IBAN: SE45 5000 0000 0583 9825 7466", kCtx).valid);
  EXPECT_TRUE(validate_iban("iban GB82 WEST 1234 5698 7654 32", kCtx).valid);
  EXPECT_EQ(validate_iban("IBAN: SE45 5000 0000 0583 9825 7466", kCtx).masked,
            "SE** **** **** **** **** 7466");
  EXPECT_EQ(validate_iban("IBAN", kCtx).reason, "malformed");
  EXPECT_EQ(validate_iban("Konto SE45 5000 0000 0583 9825 7466", kCtx).reason, "malformed");
}

TEST(Iban, MasksAllButCountryAndLastFour) {
  const Validation v = validate_iban("SE45 5000 0000 0583 9825 7466", kCtx);
  EXPECT_EQ(v.masked, "SE** **** **** **** **** 7466");
  EXPECT_EQ(v.normalized, "SE4550000000058398257466");
}

TEST(Iban, RejectsChecksumLengthCountryAndShape) {
  EXPECT_EQ(validate_iban("SE45 5000 0000 0583 9825 7467", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_iban("SE54 5000 0000 0583 9825 7466", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_iban("SE45 5000 0000 0583 9825 746", kCtx).reason, "bad length");
  EXPECT_EQ(validate_iban("XX45 5000 0000 0583 9825 7466", kCtx).reason, "unknown country");
  EXPECT_EQ(validate_iban("SE45  5000 0000 0583 9825 7466", kCtx).reason, "malformed");
  EXPECT_EQ(validate_iban("SE45-5000-0000-0583-9825-7466", kCtx).reason, "malformed");
  EXPECT_EQ(validate_iban("S", kCtx).reason, "malformed");
}

TEST(SeBankAccount, AcceptsEveryAccountType) {
  for (const char* s : {
           "8327-9, 014 725 892-5",  // Swedbank, type 2 comment 3, 5-digit clearing
           "8327-9 014 725 892-5",   //
           "6114, 5171 82351",       // Handelsbanken, type 2 comment 2
           "1274, 0235 305",         // Danske Bank, type 1 comment 1
           "5140, 0010004",          // SEB, type 1 comment 1
           "9022, 11 14884",         // Länsförsäkringar, type 1 comment 2
           "9570, 12344",            // Sparbanken Syd, type 2 comment 1, zero-padded
           "3300, 990604-2388",      // Nordea personkonto (a Skatteverket test number)
           "3300-9906042388",        //
       }) {
    const Validation v = validate_se_bank_account(s, kCtx);
    EXPECT_TRUE(v.valid) << s << ": " << v.reason;
  }
}

TEST(SeBankAccount, SkipsTheLabelBeforeTheClearingNumber) {
  EXPECT_TRUE(validate_se_bank_account("Kontonummer: 8327-9, 014 725 892-5", kCtx).valid);
  EXPECT_TRUE(validate_se_bank_account("clearingnummer och konto 1274-0235305", kCtx).valid);
  EXPECT_EQ(validate_se_bank_account("Konto: ", kCtx).reason, "malformed");
  EXPECT_EQ(validate_bankgiro("Bankgiro: 5050-1055", kCtx).masked, "****1055");
  EXPECT_TRUE(validate_plusgiro("PG 4 56 78-0", kCtx).valid);
}

TEST(SeBankAccount, NormalizesAndMasksTailOnly) {
  const Validation v = validate_se_bank_account("8327-9, 014 725 892-5", kCtx);
  EXPECT_EQ(v.normalized, "83279-0147258925");
  EXPECT_EQ(v.masked, "****8925");
  EXPECT_EQ(validate_se_bank_account("9570, 12344", kCtx).normalized, "9570-0000012344");
}

TEST(SeBankAccount, RejectsWhatItCannotCheck) {
  EXPECT_EQ(validate_se_bank_account("8424-1, 014 725 892-6", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_se_bank_account("8327-0, 014 725 892-5", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_se_bank_account("8327, 123456782", kCtx).reason, "bad clearing number");
  EXPECT_EQ(validate_se_bank_account("9272, 1829751", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_se_bank_account("9272, 182975", kCtx).reason, "bad length");
  EXPECT_EQ(validate_se_bank_account("5140, 10004", kCtx).reason, "bad length");
  EXPECT_EQ(validate_se_bank_account("3300, 12344", kCtx).reason, "bad length");
  EXPECT_EQ(validate_se_bank_account("9999, 0123454", kCtx).reason, "unknown clearing number");
  EXPECT_EQ(validate_se_bank_account("0999, 0123454", kCtx).reason, "unknown clearing number");
  EXPECT_EQ(validate_se_bank_account("6789, 123456788", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_se_bank_account("51400010004", kCtx).reason, "malformed");
  EXPECT_EQ(validate_se_bank_account("5140,  0010004", kCtx).reason, "malformed");
  EXPECT_EQ(validate_se_bank_account("5140: 0010004", kCtx).reason, "malformed");
}

TEST(Bankgiro, LuhnOverSevenOrEightDigits) {
  const Validation v = validate_bankgiro("5050-1055", kCtx);
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.normalized, "5050-1055");
  EXPECT_EQ(v.masked, "****1055");
  EXPECT_TRUE(validate_bankgiro("50501055", kCtx).valid);
  EXPECT_TRUE(validate_bankgiro("991-2312", kCtx).valid);
  EXPECT_EQ(validate_bankgiro("991-2312", kCtx).masked, "****312");  // never more than half
  EXPECT_EQ(validate_bankgiro("5050-1056", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_bankgiro("505-01055", kCtx).reason, "malformed");
  EXPECT_EQ(validate_bankgiro("12-3456", kCtx).reason, "bad length");
  EXPECT_EQ(validate_bankgiro("123456", kCtx).reason, "bad length");
}

TEST(Plusgiro, CheckDigitAfterDash) {
  const Validation v = validate_plusgiro("4 56 78-0", kCtx);
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.normalized, "45678-0");
  EXPECT_EQ(v.masked, "****780");
  EXPECT_TRUE(validate_plusgiro("4567-4", kCtx).valid);
  EXPECT_EQ(validate_plusgiro("4 56 78-1", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_plusgiro("4 56 780", kCtx).reason, "malformed");
  EXPECT_EQ(validate_plusgiro("4  56 78-0", kCtx).reason, "malformed");
  EXPECT_EQ(validate_plusgiro("1234 5678 9-0", kCtx).reason, "bad length");
}

}  // namespace
}  // namespace vakt::validate
