// Properties every validator must keep on any input, and an exhaustive check of century
// inference against a direct reading of FOL 18 § (the separator says whether the person has
// reached the year of their 100th birthday).
#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <set>
#include <string>

#include "validate/check_digits.h"
#include "validate/swedish_id.h"
#include "validate/validator.h"

namespace vakt::validate {
namespace {

const ValidatorContext kCtx{CivilDate{2026, 11, 27}};

// The check digit that makes the nine digits Luhn-valid.
char luhn_digit(const std::string& nine) {
  for (char c = '0'; c <= '9'; ++c) {
    if (luhn_valid(nine + c)) return c;
  }
  return '?';
}

std::size_t count_digits(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += is_digit(c) ? 1 : 0;
  return n;
}

TEST(ValidatorProperties, RandomInputNeverLeaksOrCrashes) {
  const std::set<std::string> kReasons{"malformed",
                                       "bad checksum",
                                       "impossible date",
                                       "future date",
                                       "serial 000",
                                       "invalid century",
                                       "organisationsnummer",
                                       "samordningsnummer",
                                       "personnummer",
                                       "bad length",
                                       "unknown issuer",
                                       "unknown country",
                                       "unknown clearing number",
                                       "bad clearing number"};
  const char* names[] = {"personnummer",
                         "samordningsnummer",
                         "organisationsnummer",
                         "reservnummer",
                         "luhn",
                         "payment_card",
                         "iban",
                         "se_bank_account",
                         "bankgiro",
                         "plusgiro"};
  const std::string alphabet = "0123456789-+ ,SETX\xE2\x80\x93\xC2\xA0";
  std::mt19937 rng(20261127);
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    const int len = static_cast<int>(rng() % 30);
    for (int k = 0; k < len; ++k) {
      // Mostly digits, so that many candidates get past the shape checks.
      s += (rng() % 4 != 0) ? static_cast<char>('0' + rng() % 10)
                            : alphabet[rng() % alphabet.size()];
    }
    for (const char* name : names) {
      const Validation v = find_validator(name)(s, kCtx);
      if (v.valid) {
        EXPECT_TRUE(v.reason.empty());
        EXPECT_FALSE(v.normalized.empty());
        ASSERT_FALSE(v.masked.empty());
        if (std::string(name) == "personnummer" || std::string(name) == "samordningsnummer" ||
            std::string(name) == "organisationsnummer" || std::string(name) == "reservnummer") {
          EXPECT_EQ(v.masked.substr(v.masked.size() - 4), "****") << name;
          EXPECT_LE(count_digits(v.masked), 8u) << name;
        } else {
          EXPECT_LE(count_digits(v.masked), 4u) << name;
          EXPECT_LE(count_digits(v.masked) * 2, count_digits(v.normalized)) << name;
        }
      } else {
        EXPECT_TRUE(kReasons.count(v.reason)) << name << ": '" << v.reason << "'";
        EXPECT_TRUE(v.masked.empty());
      }
    }
  }
}

// Every calendar day 1880-01-01 .. 2026-11-27, serial 238: the 12-digit form is valid, and the
// 10-digit form is valid with exactly the separator FOL 18 § prescribes for the reference year.
TEST(ValidatorProperties, CenturyInferenceMatchesFol18ForEveryDay) {
  int checked = 0;
  for (int year = 1880; year <= 2026; ++year) {
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= days_in_month(year, month); ++day) {
        if (year == 2026 && (month > 11 || (month == 11 && day > 27))) continue;
        char date[40];
        std::snprintf(date, sizeof(date), "%04d%02d%02d", year, month, day);
        const std::string ten9 = std::string(date + 2) + "238";
        const std::string tail = std::string("238") + luhn_digit(ten9);
        const std::string yymmdd(date + 2);
        const std::string twelve = std::string(date) + "-" + tail;
        const std::string normalized = twelve;

        const Validation v12 = validate_personnummer(twelve, kCtx);
        ASSERT_TRUE(v12.valid) << twelve << ": " << v12.reason;
        ASSERT_EQ(v12.normalized, normalized);

        // '+' from 1 January of the year the person turns 100.
        const bool hundred = 2026 - year >= 100;
        const Validation minus = validate_personnummer(yymmdd + "-" + tail, kCtx);
        const Validation plus = validate_personnummer(yymmdd + "+" + tail, kCtx);
        if (hundred) {
          ASSERT_TRUE(plus.valid) << yymmdd << "+: " << plus.reason;
          ASSERT_EQ(plus.normalized, normalized);
          // With '-' the same digits mean a person born a century later (or nothing).
          if (minus.valid) {
            ASSERT_NE(minus.normalized, normalized);
          }
        } else {
          ASSERT_TRUE(minus.valid) << yymmdd << "-: " << minus.reason;
          ASSERT_EQ(minus.normalized, normalized);
          if (plus.valid) {
            ASSERT_NE(plus.normalized, normalized);
          }
        }
        // Samordningsnummer: the same date with day + 60.
        char coord[40];
        std::snprintf(coord, sizeof(coord), "%02d%02d%02d", year % 100, month, day + 60);
        const std::string c9 = std::string(coord) + "238";
        const std::string coord_text =
            std::string(date, 2) + coord + "-238" + std::string(1, luhn_digit(c9));
        ASSERT_TRUE(validate_samordningsnummer(coord_text, kCtx).valid) << coord_text;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 53000);
}

}  // namespace
}  // namespace vakt::validate
