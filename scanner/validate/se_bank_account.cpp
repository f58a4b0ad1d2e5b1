// Swedish bank accounts (clearing number + account number), Bankgiro and PlusGiro numbers.
//
// Clearing ranges, account types and check methods follow Bankgirot's "Bankernas
// kontonummeruppbyggnad" as tabulated by Bankinfrastruktur (Svenska Bankföreningen):
//   type 1 comment 1: mod 11 over clearing digits 2-4 + 7-digit account
//   type 1 comment 2: mod 11 over all 4 clearing digits + 7-digit account
//   type 2 comment 1: mod 10 over the 10-digit account (zero-padded)
//   type 2 comment 2: mod 11 over the 9-digit account (Handelsbanken)
//   type 2 comment 3: mod 10 over the account; Swedbank 8xxx also mod 10 over the 5-digit clearing
// Ranges not in the table (unknown or new banks) are rejected: we only accept what we can check.
#include <algorithm>
#include <string>

#include "validate/check_digits.h"
#include "validate/financial.h"

namespace vakt::validate {
namespace {

enum class Check { kType1Comment1, kType1Comment2, kType2Comment1, kType2Comment2, kType2Comment3 };

struct ClearingRange {
  int from;
  int to;
  Check check;
  int min_length;  // account digits as written may be zero-padded up to `length`
  int length;
};

constexpr ClearingRange kClearingRanges[] = {
    {1100, 1199, Check::kType1Comment1, 7, 7},    // Nordea
    {1200, 1399, Check::kType1Comment1, 7, 7},    // Danske Bank
    {1400, 2099, Check::kType1Comment1, 7, 7},    // Nordea
    {2300, 2399, Check::kType1Comment2, 7, 7},    // Ålandsbanken
    {2400, 2499, Check::kType1Comment1, 7, 7},    // Danske Bank
    {3000, 3299, Check::kType1Comment1, 7, 7},    // Nordea
    {3300, 3300, Check::kType2Comment1, 10, 10},  // Nordea personkonto
    {3301, 3399, Check::kType1Comment1, 7, 7},    // Nordea
    {3400, 3409, Check::kType1Comment1, 7, 7},    // Länsförsäkringar Bank
    {3410, 3781, Check::kType1Comment1, 7, 7},    // Nordea
    {3782, 3782, Check::kType2Comment1, 7, 10},   // Nordea personkonto
    {3783, 3999, Check::kType1Comment1, 7, 7},    // Nordea
    {4000, 4999, Check::kType1Comment2, 7, 7},    // Nordea
    {5000, 5999, Check::kType1Comment1, 7, 7},    // SEB
    {6000, 6999, Check::kType2Comment2, 7, 9},    // Handelsbanken
    {7000, 7999, Check::kType1Comment1, 7, 7},    // Swedbank
    {8000, 8999, Check::kType2Comment3, 7, 10},   // Swedbank (5-digit clearing)
    {9020, 9029, Check::kType1Comment2, 7, 7},    // Länsförsäkringar Bank
    {9040, 9049, Check::kType1Comment2, 7, 7},    // Citibank
    {9060, 9069, Check::kType1Comment1, 7, 7},    // Länsförsäkringar Bank
    {9070, 9079, Check::kType1Comment1, 7, 7},    // Multitude (Ferratum) Bank
    {9100, 9109, Check::kType1Comment2, 7, 7},    // Nordnet Bank
    {9120, 9124, Check::kType1Comment1, 7, 7},    // SEB
    {9130, 9149, Check::kType1Comment1, 7, 7},    // SEB
    {9150, 9169, Check::kType1Comment2, 7, 7},    // Skandiabanken
    {9170, 9179, Check::kType1Comment1, 7, 7},    // Ikano Bank
    {9180, 9189, Check::kType2Comment1, 7, 10},   // Danske Bank
    {9190, 9199, Check::kType1Comment2, 7, 7},    // DNB Bank
    {9230, 9239, Check::kType1Comment1, 7, 7},    // Marginalen Bank
    {9250, 9259, Check::kType1Comment1, 7, 7},    // SBAB Bank
    {9260, 9269, Check::kType1Comment2, 7, 7},    // DNB Bank
    {9270, 9279, Check::kType1Comment1, 7, 7},    // ICA Banken
    {9280, 9289, Check::kType1Comment1, 7, 7},    // Resurs Bank
    {9300, 9349, Check::kType2Comment1, 7, 10},   // Swedbank (fd Sparbanken Öresund)
    {9390, 9399, Check::kType1Comment2, 7, 7},    // Landshypotek
    {9400, 9449, Check::kType1Comment1, 7, 7},    // Forex Bank
    {9460, 9469, Check::kType1Comment1, 7, 7},    // Santander Consumer Bank
    {9470, 9479, Check::kType1Comment2, 7, 7},    // BNP Paribas
    {9500, 9549, Check::kType2Comment3, 7, 10},   // Nordea (Plusgirot)
    {9550, 9569, Check::kType1Comment2, 7, 7},    // Avanza Bank
    {9570, 9579, Check::kType2Comment1, 5, 10},   // Sparbanken Syd
    {9590, 9599, Check::kType1Comment2, 7, 7},    // Erik Penser Bank
    {9630, 9639, Check::kType1Comment1, 7, 7},    // Lån & Spar Bank
    {9640, 9649, Check::kType1Comment2, 7, 7},    // Nordax Bank
    {9660, 9669, Check::kType1Comment2, 7, 7},    // Svea Bank
    {9670, 9679, Check::kType1Comment2, 7, 7},    // JAK Medlemsbank
    {9680, 9689, Check::kType1Comment1, 7, 7},    // Bluestep Finans
    {9700, 9709, Check::kType1Comment2, 7, 7},    // Ekobanken
    {9750, 9759, Check::kType1Comment2, 7, 7},    // Northmill Bank
    {9780, 9789, Check::kType1Comment2, 7, 7},    // Klarna Bank
    {9960, 9969, Check::kType2Comment3, 7, 10},   // Nordea (Plusgirot)
};

const ClearingRange* find_range(int clearing) {
  for (const ClearingRange& r : kClearingRanges) {
    if (clearing >= r.from && clearing <= r.to) return &r;
  }
  return nullptr;
}

// Digits of an account number grouped by single spaces or dashes (mixed allowed, as in
// "014 725 892-5"); empty when anything else occurs.
std::string account_digits(std::string_view s) {
  std::string digits;
  bool last_sep = true;
  for (char c : s) {
    if (is_digit(c)) {
      digits.push_back(c);
      last_sep = false;
    } else if ((c == ' ' || c == '-') && !last_sep) {
      last_sep = true;
    } else {
      return {};
    }
  }
  return last_sep ? std::string() : digits;
}

// The rule patterns for these numbers start at their label ("Kontonummer: ", "Bankgiro ", "PG:"),
// which keeps Hyperscan on a literal; the validators skip everything before the first digit.
std::string_view skip_label(std::string_view match) {
  std::size_t i = 0;
  while (i < match.size() && !is_digit(match[i])) ++i;
  return match.substr(i);
}

// "****" and the last four digits, but never more than half of them ("****234" for 7 digits).
std::string tail_mask(std::string_view digits) {
  const std::size_t visible = std::min<std::size_t>(4, digits.size() / 2);
  return "****" + std::string(digits.substr(digits.size() - visible));
}

}  // namespace

Validation validate_se_bank_account(std::string_view match, const ValidatorContext& /*ctx*/) {
  match = skip_label(match);
  std::size_t i = 0;
  while (i < match.size() && is_digit(match[i])) ++i;
  std::string clearing(match.substr(0, i));
  if (clearing.size() == 4 && clearing[0] == '8' && i + 1 < match.size() && match[i] == '-' &&
      is_digit(match[i + 1]) && (i + 2 == match.size() || !is_digit(match[i + 2]))) {
    clearing.push_back(match[i + 1]);  // Swedbank "8327-9": the fifth clearing digit
    i += 2;
  }
  if (clearing.size() != 4 && !(clearing.size() == 5 && clearing[0] == '8')) {
    return Validation::reject("malformed");
  }
  // Separator between clearing and account: ", " "," "-" or " ".
  if (i < match.size() && match[i] == ',') {
    ++i;
    if (i < match.size() && match[i] == ' ') ++i;
  } else if (i < match.size() && (match[i] == '-' || match[i] == ' ')) {
    ++i;
  } else {
    return Validation::reject("malformed");
  }
  const std::string account = account_digits(match.substr(i));
  if (account.empty()) return Validation::reject("malformed");

  const ClearingRange* range = find_range(two_digits(clearing, 0) * 100 + two_digits(clearing, 2));
  if (range == nullptr) return Validation::reject("unknown clearing number");
  const bool five_digit_clearing = range->from == 8000;
  if (five_digit_clearing != (clearing.size() == 5))
    return Validation::reject("bad clearing number");
  const int len = static_cast<int>(account.size());
  if (len < range->min_length || len > range->length) return Validation::reject("bad length");
  const std::string padded =
      std::string(static_cast<std::size_t>(range->length - len), '0') + account;

  bool ok = false;
  switch (range->check) {
    case Check::kType1Comment1:
      ok = mod11_valid(clearing.substr(1) + padded);
      break;
    case Check::kType1Comment2:
      ok = mod11_valid(clearing + padded);
      break;
    case Check::kType2Comment1:
    case Check::kType2Comment3:
      ok = luhn_valid(padded) && (!five_digit_clearing || luhn_valid(clearing));
      break;
    case Check::kType2Comment2:
      ok = mod11_valid(padded);
      break;
  }
  if (!ok) return Validation::reject("bad checksum");
  return Validation::ok(clearing + "-" + padded, tail_mask(padded));
}

Validation validate_bankgiro(std::string_view match, const ValidatorContext& /*ctx*/) {
  match = skip_label(match);
  std::string digits;
  for (std::size_t i = 0; i < match.size(); ++i) {
    const char c = match[i];
    if (is_digit(c)) {
      digits.push_back(c);
    } else if (c == '-' && match.size() - i == 5) {
      continue;  // the dash before the last four digits
    } else {
      return Validation::reject("malformed");
    }
  }
  if (digits.size() < 7 || digits.size() > 8) return Validation::reject("bad length");
  if (!luhn_valid(digits)) return Validation::reject("bad checksum");
  return Validation::ok(
      digits.substr(0, digits.size() - 4) + "-" + digits.substr(digits.size() - 4),
      tail_mask(digits));
}

Validation validate_plusgiro(std::string_view match, const ValidatorContext& /*ctx*/) {
  match = skip_label(match);
  // Groups of digits separated by single spaces, then '-' and the check digit.
  if (match.size() < 3 || match[match.size() - 2] != '-' || !is_digit(match.back())) {
    return Validation::reject("malformed");
  }
  std::string digits;
  bool last_space = true;
  for (char c : match.substr(0, match.size() - 2)) {
    if (is_digit(c)) {
      digits.push_back(c);
      last_space = false;
    } else if (c == ' ' && !last_space) {
      last_space = true;
    } else {
      return Validation::reject("malformed");
    }
  }
  if (last_space) return Validation::reject("malformed");
  digits.push_back(match.back());
  if (digits.size() < 2 || digits.size() > 8) return Validation::reject("bad length");
  if (!luhn_valid(digits)) return Validation::reject("bad checksum");
  return Validation::ok(digits.substr(0, digits.size() - 1) + "-" + digits.back(),
                        tail_mask(digits));
}

}  // namespace vakt::validate
