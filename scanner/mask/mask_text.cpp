#include "vakt/scanner/mask_text.h"

#include <cstddef>
#include <string_view>

#include "validate/check_digits.h"

namespace vakt {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int two(std::string_view d, std::size_t at) {
  return (d[at] - '0') * 10 + (d[at + 1] - '0');
}

// `digits` holds 10 or 12 digits: [CC]YYMMDDNNNC.
bool plausible_identity_number(std::string_view digits) {
  if (digits.size() == 12) {
    int century = two(digits, 0);
    if (century < 18 || century > 20) return false;
    digits.remove_prefix(2);
  }
  int month = two(digits, 2);
  int day = two(digits, 4);
  bool person = month >= 1 && month <= 12 && day >= 1 && day <= 31;
  bool coordination = month <= 12 && day >= 60 && day <= 91;
  if (!person && !coordination) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 10; ++i) {
    int v = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  }
  return sum % 10 == 0;
}

// The letters a reservnummer (interim number) takes where a personnummer has its first serial
// digit, as the se.reservnummer rule matches them.
bool is_reserve_letter(char c) {
  return std::string_view("TRSUWXJKLMN").find(c) != std::string_view::npos;
}

std::size_t digit_run(std::string_view s, std::size_t at) {
  std::size_t end = at;
  while (end < s.size() && is_digit(s[end])) ++end;
  return end - at;
}

}  // namespace

std::string mask_identity_numbers(std::string_view path) {
  std::string out(path);
  std::size_t i = 0;
  while (i < path.size()) {
    if (!is_digit(path[i])) {
      ++i;
      continue;
    }
    std::size_t first = digit_run(path, i);
    // YYMMDDNNNC / CCYYMMDDNNNC written together.
    if (first == 10 || first == 12) {
      if (plausible_identity_number(path.substr(i, first))) {
        out.replace(i + first - 4, 4, "****");
      }
      i += first;
      continue;
    }
    // YYMMDD-NNNC / CCYYMMDD+NNNC, and every separator the matcher reads as '-' (an en dash from
    // Word, a minus sign from a PDF, a no-break space): what it finds, this masks.
    const std::size_t sep = i + first;
    const std::size_t sep_len =
        sep < path.size() && path[sep] == '+' ? 1 : validate::dash_length(path, sep);
    if ((first == 6 || first == 8) && sep_len > 0 && digit_run(path, sep + sep_len) == 4) {
      std::string digits(path.substr(i, first));
      digits += path.substr(sep + sep_len, 4);
      if (plausible_identity_number(digits)) out.replace(sep + sep_len, 4, "****");
      i = sep + sep_len + 4;
      continue;
    }
    // A reservnummer (T-number): YYMMDD-T123, the letter counted as 1 in the check digit.
    const std::size_t letter = sep + sep_len;
    if ((first == 6 || first == 8) && sep_len > 0 && sep_len == validate::dash_length(path, sep) &&
        letter < path.size() && is_reserve_letter(path[letter]) &&
        digit_run(path, letter + 1) == 3) {
      std::string digits(path.substr(i, first));
      digits += '1';
      digits += path.substr(letter + 1, 3);
      if (plausible_identity_number(digits)) out.replace(letter, 4, "****");
      i = letter + 4;
      continue;
    }
    i += first;
  }
  return out;
}

}  // namespace vakt
