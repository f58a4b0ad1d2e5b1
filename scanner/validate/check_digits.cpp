#include "validate/check_digits.h"

namespace vakt::validate {

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!is_digit(*it)) return false;
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool mod11_valid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  int weight = 1;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (!is_digit(*it)) return false;
    sum += (*it - '0') * weight;
    weight = weight == 10 ? 1 : weight + 1;
  }
  return sum != 0 && sum % 11 == 0;
}

int mod97_iban(std::string_view compact) {
  if (compact.size() < 5) return -1;
  int rest = 0;
  auto feed = [&rest](char c) {
    if (is_digit(c)) {
      rest = (rest * 10 + (c - '0')) % 97;
      return true;
    }
    if (c >= 'A' && c <= 'Z') {
      rest = (rest * 100 + (c - 'A' + 10)) % 97;
      return true;
    }
    return false;
  };
  for (std::size_t i = 4; i < compact.size(); ++i) {
    if (!feed(compact[i])) return -1;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (!feed(compact[i])) return -1;
  }
  return rest;
}

std::size_t dash_length(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  if (text[pos] == '-') return 1;
  if (byte(0) == 0xC2 && pos + 1 < text.size() && byte(1) == 0xA0) return 2;  // U+00A0
  if (byte(0) == 0xE2 && pos + 2 < text.size()) {
    const unsigned b1 = byte(1);
    const unsigned b2 = byte(2);
    if (b1 == 0x80 && (b2 == 0x90 || b2 == 0x91 || b2 == 0x93 || b2 == 0xAF)) return 3;
    if (b1 == 0x88 && b2 == 0x92) return 3;  // U+2212 MINUS SIGN
  }
  return 0;
}

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && is_leap_year(year)) return 29;
  return kDays[month - 1];
}

std::string mask_grouped_tail(std::string_view digits, std::size_t keep) {
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 4 == 0) out.push_back(' ');
    out.push_back(i + keep >= n ? digits[i] : '*');
  }
  return out;
}

}  // namespace vakt::validate
