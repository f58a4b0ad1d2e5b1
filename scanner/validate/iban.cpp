// IBAN validator: ISO 13616 mod 97 and the per-country lengths of the SWIFT IBAN registry.
#include <algorithm>
#include <iterator>
#include <string>

#include "validate/check_digits.h"
#include "validate/financial.h"

namespace vakt::validate {
namespace {

struct IbanCountry {
  char code[3];
  int length;
};

// SWIFT IBAN registry (countries with an official IBAN format), sorted by code.
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
};

int iban_length(std::string_view country) {
  const auto it = std::lower_bound(
      std::begin(kIbanCountries), std::end(kIbanCountries), country,
      [](const IbanCountry& c, std::string_view key) { return std::string_view(c.code, 2) < key; });
  if (it == std::end(kIbanCountries) || std::string_view(it->code, 2) != country) return 0;
  return it->length;
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

Validation validate_iban(std::string_view match, const ValidatorContext& /*ctx*/) {
  // A leading "IBAN" label (the rule's pattern may start at it) and ':' or spaces are skipped.
  if (match.size() > 4 && upper(match[0]) == 'I' && upper(match[1]) == 'B' &&
      upper(match[2]) == 'A' && upper(match[3]) == 'N') {
    match.remove_prefix(4);
    while (!match.empty() && (match.front() == ':' || match.front() == ' ')) match.remove_prefix(1);
  }
  // Compact form: single spaces between groups are allowed, nothing else.
  std::string compact;
  bool last_space = true;
  for (char c : match) {
    if (c == ' ') {
      if (last_space) return Validation::reject("malformed");
      last_space = true;
      continue;
    }
    const char u = upper(c);
    if (!is_digit(u) && !(u >= 'A' && u <= 'Z')) return Validation::reject("malformed");
    compact.push_back(u);
    last_space = false;
  }
  if (last_space || compact.size() < 5) return Validation::reject("malformed");
  const std::string_view country(compact.data(), 2);
  if (country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z' ||
      !is_digit(compact[2]) || !is_digit(compact[3])) {
    return Validation::reject("malformed");
  }
  const int length = iban_length(country);
  if (length == 0) return Validation::reject("unknown country");
  if (static_cast<int>(compact.size()) != length) return Validation::reject("bad length");
  if (mod97_iban(compact) != 1) return Validation::reject("bad checksum");

  // "SE** **** **** **** **** 7466": country code, then every character but the last four hidden.
  std::string masked(country);
  for (std::size_t i = 2; i < compact.size(); ++i) {
    if (i % 4 == 0) masked.push_back(' ');
    masked.push_back(i + 4 >= compact.size() ? compact[i] : '*');
  }
  return Validation::ok(std::move(compact), std::move(masked));
}

}  // namespace vakt::validate
