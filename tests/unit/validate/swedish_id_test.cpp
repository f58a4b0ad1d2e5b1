// Personnummer, samordningsnummer, organisationsnummer and interim-number validators against the
// rules of personnummer.md, with a FIXED reference date (2026-11-27) so century inference and the
// future-date check are reproducible. Valid inputs are Skatteverket test numbers; invalid ones are
// constructed here (a wrong check digit, serial 000, impossible dates …).
#include <gtest/gtest.h>

#include <string>

#include "validate/swedish_id.h"
#include "validate/validator.h"

namespace vakt::validate {
namespace {

const ValidatorContext kCtx{CivilDate{2026, 11, 27}};

Validation pnr(std::string_view s) {
  return validate_personnummer(s, kCtx);
}
Validation snr(std::string_view s) {
  return validate_samordningsnummer(s, kCtx);
}
Validation org(std::string_view s) {
  return validate_organisationsnummer(s, kCtx);
}

TEST(Personnummer, AcceptsEveryDocumentedSurfaceForm) {
  for (const char* s : {"990604-2388", "9906042388", "199906042388", "19990604-2388",
                        "19121212-1212", "640823-3234", "090101+9810", "19090101+9810"}) {
    const Validation v = pnr(s);
    EXPECT_TRUE(v.valid) << s << ": " << v.reason;
  }
}

TEST(Personnummer, NormalizesToTwelveDigitsWithCentury) {
  EXPECT_EQ(pnr("990604-2388").normalized, "19990604-2388");
  EXPECT_EQ(pnr("9906042388").normalized, "19990604-2388");
  EXPECT_EQ(pnr("199906042388").normalized, "19990604-2388");
  EXPECT_EQ(pnr("090101+9810").normalized, "19090101-9810");
  EXPECT_EQ(pnr("640823-3234").normalized, "19640823-3234");
}

TEST(Personnummer, MasksKeepDateAndSeparatorAsWritten) {
  EXPECT_EQ(pnr("19990604-2388").masked, "19990604-****");
  EXPECT_EQ(pnr("990604-2388").masked, "990604-****");
  EXPECT_EQ(pnr("090101+9810").masked, "090101+****");
  EXPECT_EQ(pnr("9906042388").masked, "990604****");
  EXPECT_EQ(pnr("990604\u20132388").masked, "990604-****");
  EXPECT_EQ(pnr("990604\u00a02388").masked, "990604-****");
}

TEST(Personnummer, UnicodeDashesAndNoBreakSpacesCountAsHyphen) {
  for (const char* sep : {"\u2010", "\u2011", "\u2013", "\u2212", "\u00a0", "\u202f"}) {
    const std::string s = std::string("990604") + sep + "2388";
    const Validation v = pnr(s);
    EXPECT_TRUE(v.valid) << v.reason;
    EXPECT_EQ(v.normalized, "19990604-2388");
    // A Unicode dash behaves like '-' for century inference, not like '+'.
    EXPECT_EQ(pnr(std::string("090101") + sep + "9810").normalized, "20090101-9810");
  }
  EXPECT_TRUE(pnr("19990604\u20132388").valid);
}

TEST(Personnummer, RejectsOtherSeparatorsAndShapes) {
  for (const char* s :
       {"990604 2388", "990604--2388", "8803-20-0016", "990604_2388", "99060423880", "99060-42388",
        "990604-238", "", "990604-", "990604", "990604\u20142388" /* EM DASH */, "990604-2388 ",
        " 990604-2388", "99O604-2388"}) {
    const Validation v = pnr(s);
    EXPECT_FALSE(v.valid) << s;
    EXPECT_EQ(v.reason, "malformed") << s;
  }
}

TEST(Personnummer, RejectsBadChecksum) {
  EXPECT_EQ(pnr("990604-2389").reason, "bad checksum");
  EXPECT_EQ(pnr("19990604-2380").reason, "bad checksum");
  EXPECT_EQ(pnr("990640-2388").reason, "bad checksum");  // transposition
}

TEST(Personnummer, LeapDayDependsOnSeparatorCentury) {
  // '-' on 2026-11-27 resolves 00 to 2000 (leap year); '+' resolves it to 1900 (not leap).
  const Validation minus = pnr("000229-2399");
  EXPECT_TRUE(minus.valid) << minus.reason;
  EXPECT_EQ(minus.normalized, "20000229-2399");
  EXPECT_EQ(pnr("000229+2399").reason, "impossible date");
  EXPECT_TRUE(pnr("20000229-2399").valid);
  EXPECT_EQ(pnr("19000229-2399").reason, "impossible date");
  EXPECT_EQ(pnr("18000229-2399").reason, "impossible date");
  EXPECT_EQ(pnr("820229-2382").reason, "impossible date");  // 1982 is not a leap year
}

TEST(Personnummer, RejectsImpossibleDates) {
  EXPECT_EQ(pnr("990230-2380").reason, "impossible date");  // 30 February
  EXPECT_EQ(pnr("990631-2385").reason, "impossible date");  // 31 June
  EXPECT_EQ(pnr("991301-2382").reason, "impossible date");  // month 13
  EXPECT_EQ(pnr("990600-2382").reason, "impossible date");  // day 00
  EXPECT_EQ(pnr("000000-2386").reason, "impossible date");  // month 00
  EXPECT_EQ(pnr("990132-2389").reason, "impossible date");  // day 32
  EXPECT_EQ(pnr("990632-2384").reason, "impossible date");  // day field 32..59 is nothing
}

TEST(Personnummer, PlusMeansHundredYearsOlderByYear) {
  EXPECT_EQ(pnr("090101+9810").normalized, "19090101-9810");
  EXPECT_EQ(pnr("090101-9810").normalized, "20090101-9810");
  // Year-based rule: '+' ⇒ year <= R.year - 100 = 1926, whatever the birthday.
  EXPECT_EQ(pnr("261231+2385").normalized, "19261231-2385");
  EXPECT_EQ(pnr("270101+2383").normalized, "18270101-2383");
}

TEST(Personnummer, CenturyInferenceForTenDigitForms) {
  // 260104-9030 is a 1926 test person, but with '-' on 2026-11-27 it resolves to 2026.
  EXPECT_EQ(pnr("260104-9030").normalized, "20260104-9030");
  EXPECT_EQ(pnr("2601049030").normalized, "20260104-9030");
  EXPECT_EQ(pnr("270101-2383").normalized, "19270101-2383");
  // On 2025-12-31 the same text resolves to 1926.
  const ValidatorContext earlier{CivilDate{2025, 12, 31}};
  EXPECT_EQ(validate_personnummer("260104-9030", earlier).normalized, "19260104-9030");
}

TEST(Personnummer, RejectsFutureBirthDates) {
  EXPECT_TRUE(pnr("261127-2382").valid);  // born on the reference date
  EXPECT_EQ(pnr("261128-2381").reason, "future date");
  EXPECT_EQ(pnr("261231-2385").reason, "future date");
  EXPECT_EQ(pnr("20990604-2388").reason, "future date");
  const ValidatorContext early_2026{CivilDate{2026, 1, 3}};
  EXPECT_EQ(validate_personnummer("260104-9030", early_2026).reason, "future date");
}

TEST(Personnummer, RejectsSerial000) {
  EXPECT_EQ(pnr("700101-0003").reason, "serial 000");
  EXPECT_EQ(pnr("19700101-0003").reason, "serial 000");
  EXPECT_EQ(pnr("070101-0001").reason, "serial 000");
}

TEST(Personnummer, TwelveDigitCenturiesAre18To20Only) {
  const Validation v = pnr("18990604-2388");
  EXPECT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.normalized, "18990604-2388");
  EXPECT_EQ(pnr("17990604-2388").reason, "invalid century");
  EXPECT_EQ(pnr("21990604-2388").reason, "invalid century");
  EXPECT_EQ(pnr("16990604-2388").reason, "invalid century");  // 16 + person-shaped tail
  EXPECT_EQ(pnr("009906042388").reason, "invalid century");
}

TEST(Personnummer, RejectsSamordningsnummerAndOrganisationsnummerByName) {
  EXPECT_EQ(pnr("701063-2391").reason, "samordningsnummer");
  EXPECT_EQ(pnr("212000-0142").reason, "organisationsnummer");
  EXPECT_EQ(pnr("16212000-0142").reason, "organisationsnummer");
  EXPECT_EQ(pnr("556000-0001").reason, "organisationsnummer");
}

TEST(Samordningsnummer, AcceptsDayPlusSixty) {
  const Validation v = snr("701063-2391");
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.normalized, "19701063-2391");
  EXPECT_EQ(v.masked, "701063-****");
  EXPECT_TRUE(snr("19701063-2391").valid);
  EXPECT_TRUE(snr("7010632391").valid);
  EXPECT_TRUE(snr("701063\u20132391").valid);
  EXPECT_EQ(snr("19701063-2391").masked, "19701063-****");
}

TEST(Samordningsnummer, AcceptsLenientForms) {
  // Skatteverket's own test list has month 00, day field 60 and calendar-impossible dates.
  EXPECT_TRUE(snr("700063-2385").valid) << snr("700063-2385").reason;  // month 00
  EXPECT_TRUE(snr("700060-2388").valid) << snr("700060-2388").reason;  // month 00, day 00
  EXPECT_TRUE(snr("701060-2386").valid) << snr("701060-2386").reason;  // day 00
  EXPECT_TRUE(snr("300290-2389").valid) << snr("300290-2389").reason;  // "30 February"
}

TEST(Samordningsnummer, StillChecksLuhnSerialAndRange) {
  EXPECT_EQ(snr("701063-2392").reason, "bad checksum");
  EXPECT_EQ(snr("701063-0007").reason, "serial 000");
  EXPECT_EQ(snr("990692-2381").reason, "impossible date");  // day field 92
  EXPECT_EQ(snr("261291-2382").reason, "future date");      // 2026-12-31
  EXPECT_EQ(snr("17701063-2391").reason, "invalid century");
}

TEST(Samordningsnummer, RejectsPersonnummerAndOrganisationsnummerByName) {
  EXPECT_EQ(snr("990604-2388").reason, "personnummer");
  EXPECT_EQ(snr("19121212-1212").reason, "personnummer");
  EXPECT_EQ(snr("212000-0142").reason, "organisationsnummer");
}

TEST(Organisationsnummer, RecognisesMonthDigitsTwentyOrMore) {
  const Validation v = org("212000-0142");
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.normalized, "212000-0142");
  EXPECT_EQ(v.masked, "212000-****");
  EXPECT_TRUE(org("2120000142").valid);
  EXPECT_TRUE(org("556000-0001").valid);
  EXPECT_TRUE(org("212000\u20130142").valid);
}

TEST(Organisationsnummer, SixteenPrefixIsTheSameNumber) {
  EXPECT_EQ(org("16212000-0142").normalized, "212000-0142");
  EXPECT_EQ(org("162120000142").normalized, "212000-0142");
}

TEST(Organisationsnummer, RejectsWhatIsNotAnOrganisationsnummer) {
  EXPECT_EQ(org("212000-0143").reason, "bad checksum");
  EXPECT_EQ(org("212000+0142").reason, "malformed");
  EXPECT_EQ(org("19212000-0142").reason, "impossible date");  // 18/19/20 + orgnr tail
  EXPECT_EQ(org("990604-2388").reason, "personnummer");
  EXPECT_EQ(org("701063-2391").reason, "samordningsnummer");
}

TEST(Reservnummer, AcceptsInterimTNumbers) {
  const Validation v = validate_reservnummer("990604-T232", kCtx);
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.normalized, "19990604-T232");
  EXPECT_EQ(v.masked, "990604-****");
  EXPECT_TRUE(validate_reservnummer("19990604-T232", kCtx).valid);
  EXPECT_TRUE(validate_reservnummer("990604T232", kCtx).valid);
}

TEST(Reservnummer, RejectsWrongLetterChecksumDateAndDigitsOnly) {
  EXPECT_EQ(validate_reservnummer("990604-T233", kCtx).reason, "bad checksum");
  EXPECT_EQ(validate_reservnummer("990604-A232", kCtx).reason, "malformed");
  EXPECT_EQ(validate_reservnummer("990604-2388", kCtx).reason, "malformed");
  EXPECT_EQ(validate_reservnummer("990604+T232", kCtx).reason, "malformed");
}

TEST(Masking, NeverContainsTheSerialOrCheckDigits) {
  // Valid inputs of every kind: the masked form is the date part, a separator and "****".
  struct Case {
    const char* text;
    ValidatorFn fn;
  };
  const Case cases[] = {
      {"990604-2388", &validate_personnummer},
      {"19990604-2388", &validate_personnummer},
      {"9906042388", &validate_personnummer},
      {"199906042388", &validate_personnummer},
      {"090101+9810", &validate_personnummer},
      {"990604\u20132388", &validate_personnummer},
      {"640823-3234", &validate_personnummer},
      {"701063-2391", &validate_samordningsnummer},
      {"19701063-2391", &validate_samordningsnummer},
      {"212000-0142", &validate_organisationsnummer},
  };
  for (const Case& c : cases) {
    const std::string text = c.text;
    const Validation v = c.fn(text, kCtx);
    ASSERT_TRUE(v.valid) << v.reason;
    const std::string tail = text.substr(text.size() - 4);
    ASSERT_GE(v.masked.size(), 4u);
    EXPECT_EQ(v.masked.substr(v.masked.size() - 4), "****");
    // Nothing of the last four digits survives after the date part.
    const std::string date_part = v.masked.substr(0, v.masked.size() - 4);
    EXPECT_TRUE(date_part.size() <= 9) << v.masked;
    EXPECT_EQ(v.masked.find(tail, date_part.size()), std::string::npos);
    EXPECT_EQ(text.rfind(date_part.substr(0, 6), 0), 0u) << "date kept as written";
  }
}

TEST(Registry, FindsEveryValidatorByName) {
  for (const char* name :
       {"personnummer", "samordningsnummer", "organisationsnummer", "luhn", "iban", "payment_card",
        "se_bank_account", "bankgiro", "plusgiro", "reservnummer"}) {
    EXPECT_NE(find_validator(name), nullptr) << name;
    EXPECT_NE(validator_names().find(name), std::string::npos) << name;
  }
  EXPECT_EQ(find_validator("Personnummer"), nullptr);
  EXPECT_EQ(find_validator(""), nullptr);
  EXPECT_EQ(find_validator("personnummer")("990604-2388", kCtx).masked, "990604-****");
}

}  // namespace
}  // namespace vakt::validate
