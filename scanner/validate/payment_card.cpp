// Generic Luhn and payment-card validators (issuer ranges and lengths per ISO/IEC 7812 BINs).
#include <string>

#include "validate/check_digits.h"
#include "validate/financial.h"

namespace vakt::validate {
namespace {

// Digits of `s` when they are grouped only by single separators from `seps` (no leading,
// trailing or doubled separator, one separator character throughout); empty string otherwise.
std::string grouped_digits(std::string_view s, std::string_view seps) {
  std::string digits;
  char used = 0;
  bool last_sep = true;  // a leading separator is not allowed
  for (char c : s) {
    if (is_digit(c)) {
      digits.push_back(c);
      last_sep = false;
    } else if (seps.find(c) != std::string_view::npos && !last_sep && (used == 0 || used == c)) {
      used = c;
      last_sep = true;
    } else {
      return {};
    }
  }
  if (last_sep) return {};
  return digits;
}

struct CardRange {
  int prefix_from;
  int prefix_to;
  int prefix_digits;
  int min_length;
  int max_length;
};

// Visa, Mastercard, American Express, Discover, Diners Club, JCB and Maestro.
constexpr CardRange kCardRanges[] = {
    {4, 4, 1, 13, 19},        // Visa (13, 16, 19; 14-15 and 17-18 rejected below)
    {51, 55, 2, 16, 16},      // Mastercard
    {2221, 2720, 4, 16, 16},  // Mastercard 2-series
    {34, 34, 2, 15, 15},      // American Express
    {37, 37, 2, 15, 15},      // American Express
    {6011, 6011, 4, 16, 19},  // Discover
    {644, 649, 3, 16, 19},    // Discover
    {65, 65, 2, 16, 19},      // Discover
    {300, 305, 3, 14, 19},    // Diners Club International
    {36, 36, 2, 14, 19},      // Diners Club International
    {38, 39, 2, 16, 19},      // Diners Club (Discover network)
    {3528, 3589, 4, 16, 19},  // JCB
    {5018, 5018, 4, 16, 19},  // Maestro
    {5020, 5020, 4, 16, 19},  // Maestro
    {5038, 5038, 4, 16, 19},  // Maestro
    {6304, 6304, 4, 16, 19},  // Maestro
    {6759, 6763, 4, 16, 19},  // Maestro
};

bool known_issuer(std::string_view digits) {
  const int len = static_cast<int>(digits.size());
  for (const CardRange& r : kCardRanges) {
    int prefix = 0;
    for (int i = 0; i < r.prefix_digits; ++i) prefix = prefix * 10 + (digits[i] - '0');
    if (prefix < r.prefix_from || prefix > r.prefix_to) continue;
    if (len < r.min_length || len > r.max_length) continue;
    if (r.prefix_from == 4 && len != 13 && len != 16 && len != 19) continue;
    return true;
  }
  return false;
}

}  // namespace

Validation validate_luhn(std::string_view match, const ValidatorContext& /*ctx*/) {
  const std::string digits = grouped_digits(match, " -");
  if (digits.size() < 2) return Validation::reject("malformed");
  if (!luhn_valid(digits)) return Validation::reject("bad checksum");
  // Short runs show nothing: four visible digits of a five-digit number would be most of it.
  return Validation::ok(digits, mask_grouped_tail(digits, digits.size() >= 8 ? 4 : 0));
}

Validation validate_payment_card(std::string_view match, const ValidatorContext& /*ctx*/) {
  // The rule's pattern starts at a card word ("Kortnummer: ", "Visa "): skip it.
  std::size_t first = 0;
  while (first < match.size() && !is_digit(match[first])) ++first;
  const std::string digits = grouped_digits(match.substr(first), " -");
  if (digits.empty()) return Validation::reject("malformed");
  if (digits.size() < 13 || digits.size() > 19) return Validation::reject("bad length");
  if (!known_issuer(digits)) return Validation::reject("unknown issuer");
  if (!luhn_valid(digits)) return Validation::reject("bad checksum");
  return Validation::ok(digits, mask_grouped_tail(digits, 4));
}

}  // namespace vakt::validate
