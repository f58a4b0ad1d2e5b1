// Check-digit arithmetic and small text helpers shared by the validators.
//
// All functions take ASCII digit strings (the validators strip separators first) and are pure:
//   luhn_valid("6408233234")        -> true   (mod-10, weights 1,2,1,2… from the right)
//   mod11_valid("71041234562")      -> true   (Bankgirot mod-11, weights 1..10 from the right)
//   mod97_iban("SE4550000000058398257466") -> 1
//   utf8_dash_length(text, pos)     -> bytes of a dash-like separator at pos, or 0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vakt::validate {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}
// Two ASCII digits at s[pos], s[pos+1] as a number.
inline int two_digits(std::string_view s, std::size_t pos) {
  return (s[pos] - '0') * 10 + (s[pos + 1] - '0');
}

// Luhn (mod 10) over a string of ASCII digits; false when empty or not all digits.
bool luhn_valid(std::string_view digits);
// Bankgirot's mod-11 check: weights 1,2,…,10,1,2,… from the right; sum ≡ 0 (mod 11), sum > 0.
bool mod11_valid(std::string_view digits);
// ISO 13616 check value of a compact upper-case IBAN (rearranged, letters as 10..35); -1 when a
// character is not [0-9A-Z].
int mod97_iban(std::string_view compact);

// Length in bytes of a separator at `pos` that Vakt treats as a hyphen: ASCII '-', or the UTF-8
// encodings of U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN, U+2013 EN DASH, U+2212 MINUS SIGN,
// U+00A0 NO-BREAK SPACE and U+202F NARROW NO-BREAK SPACE. 0 when there is none.
std::size_t dash_length(std::string_view text, std::size_t pos);

// Leap years of the proleptic Gregorian calendar; days in a month (0 for month outside 1..12).
bool is_leap_year(int year);
int days_in_month(int year, int month);

// `keep` visible trailing characters of `digits`, the rest replaced by '*', grouped in fours
// counted from the right ("**** **** **** 1234").
std::string mask_grouped_tail(std::string_view digits, std::size_t keep);

}  // namespace vakt::validate
