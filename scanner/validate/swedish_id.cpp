#include "validate/swedish_id.h"

#include <tuple>

#include "validate/check_digits.h"

namespace vakt::validate {
namespace {

enum class Separator { kNone, kDash, kPlus };

// The token split into its parts; `date` is the 6 or 8 date digits as written.
struct Parsed {
  std::string_view date;
  std::string tail;  // the four digits (or letter + three digits) after the date
  Separator sep = Separator::kNone;
};

// Reads `digits{6|8}` + separator + 4 characters, or 10/12 digits with no separator.
// `letter_ok` lets the first tail character be an ASCII letter (interim numbers).
bool parse_token(std::string_view s, bool letter_ok, Parsed& out) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == s.size() && (i == 10 || i == 12)) {
    out.date = s.substr(0, i - 4);
    out.tail = std::string(s.substr(i - 4));
    out.sep = Separator::kNone;
    return true;
  }
  if ((i != 6 && i != 8) || i == s.size()) return false;
  out.date = s.substr(0, i);
  std::size_t rest = i;
  if (s[rest] == '+') {
    out.sep = Separator::kPlus;
    rest += 1;
  } else if (const std::size_t n = dash_length(s, rest); n > 0) {
    out.sep = Separator::kDash;
    rest += n;
  } else if (letter_ok &&
             ((s[rest] >= 'A' && s[rest] <= 'Z') || (s[rest] >= 'a' && s[rest] <= 'z'))) {
    out.sep = Separator::kNone;
  } else {
    return false;
  }
  const std::string_view tail = s.substr(rest);
  if (tail.size() != 4) return false;
  for (std::size_t k = 0; k < 4; ++k) {
    const char c = tail[k];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (!is_digit(c) && !(k == 0 && letter_ok && letter)) return false;
  }
  out.tail = std::string(tail);
  return true;
}

std::string_view separator_text(Separator sep) {
  switch (sep) {
    case Separator::kNone:
      return "";
    case Separator::kDash:
      return "-";
    case Separator::kPlus:
      return "+";
  }
  return "";
}

std::string mask_of(const Parsed& p) {
  std::string m(p.date);
  m += separator_text(p.sep);
  m += "****";
  return m;
}

// Year-based century inference (FOL 18 §): '-' or none ⇒ (R.year-100, R.year]; '+' ⇒ <= R.year-100.
int infer_year(int yy, Separator sep, const CivilDate& ref) {
  const int base = ref.year - (sep == Separator::kPlus ? 100 : 0);
  const int back = ((base - yy) % 100 + 100) % 100;
  return base - back;
}

bool after(int year, int month, int day, const CivilDate& ref) {
  return std::tie(year, month, day) > std::tie(ref.year, ref.month, ref.day);
}

SwedishId reject(std::string reason) {
  SwedishId id;
  id.reason = std::move(reason);
  return id;
}

}  // namespace

SwedishId classify_swedish_id(std::string_view match, const ValidatorContext& ctx) {
  Parsed p;
  if (!parse_token(match, false, p)) return reject("malformed");
  const bool twelve = p.date.size() == 8;
  const std::string_view date10 = twelve ? p.date.substr(2) : p.date;
  const std::string ten = std::string(date10) + p.tail;
  const int month = two_digits(ten, 2);
  const int day_field = two_digits(ten, 4);
  const bool org_shaped = month >= 20;

  int century = -1;
  if (twelve) {
    century = two_digits(p.date, 0);
    if (century == 16) {
      if (!org_shaped) return reject("invalid century");
    } else if (century < 18 || century > 20) {
      return reject("invalid century");
    }
  }
  if (!luhn_valid(ten)) return reject("bad checksum");

  if (org_shaped) {
    if (twelve && century != 16) return reject("impossible date");
    if (p.sep == Separator::kPlus) return reject("malformed");
    SwedishId id;
    id.kind = SwedishIdKind::kOrganisation;
    id.normalized = ten.substr(0, 6) + "-" + ten.substr(6);
    id.masked = mask_of(p);
    return id;
  }
  if (ten.compare(6, 3, "000") == 0) return reject("serial 000");
  if (month > 12) return reject("impossible date");

  const int yy = two_digits(ten, 0);
  const int year = twelve ? century * 100 + yy : infer_year(yy, p.sep, ctx.reference_date);
  SwedishId id;
  if (day_field >= 60) {
    // Samordningsnummer, lenient: month 00-12, day field 60-91, no calendar check.
    if (day_field > 91) return reject("impossible date");
    if (after(year, month, day_field - 60, ctx.reference_date)) return reject("future date");
    id.kind = SwedishIdKind::kCoordination;
  } else {
    if (month < 1 || day_field < 1 || day_field > days_in_month(year, month)) {
      return reject("impossible date");
    }
    if (after(year, month, day_field, ctx.reference_date)) return reject("future date");
    id.kind = SwedishIdKind::kPerson;
  }
  id.normalized = std::to_string(year) + ten.substr(2, 4) + "-" + ten.substr(6);
  id.masked = mask_of(p);
  return id;
}

namespace {

Validation accept_only(SwedishIdKind wanted, std::string_view match, const ValidatorContext& ctx) {
  SwedishId id = classify_swedish_id(match, ctx);
  if (id.kind == wanted) return Validation::ok(std::move(id.normalized), std::move(id.masked));
  switch (id.kind) {
    case SwedishIdKind::kPerson:
      return Validation::reject("personnummer");
    case SwedishIdKind::kCoordination:
      return Validation::reject("samordningsnummer");
    case SwedishIdKind::kOrganisation:
      return Validation::reject("organisationsnummer");
    case SwedishIdKind::kNone:
      break;
  }
  return Validation::reject(std::move(id.reason));
}

}  // namespace

Validation validate_personnummer(std::string_view match, const ValidatorContext& ctx) {
  return accept_only(SwedishIdKind::kPerson, match, ctx);
}

Validation validate_samordningsnummer(std::string_view match, const ValidatorContext& ctx) {
  return accept_only(SwedishIdKind::kCoordination, match, ctx);
}

Validation validate_organisationsnummer(std::string_view match, const ValidatorContext& ctx) {
  return accept_only(SwedishIdKind::kOrganisation, match, ctx);
}

Validation validate_reservnummer(std::string_view match, const ValidatorContext& ctx) {
  Parsed p;
  if (!parse_token(match, true, p) || is_digit(p.tail[0]) || p.sep == Separator::kPlus) {
    return Validation::reject("malformed");
  }
  constexpr std::string_view kLetters = "TRSUWXJKLMN";
  const char letter = static_cast<char>(p.tail[0] & ~0x20);  // ASCII upper case
  if (kLetters.find(letter) == std::string_view::npos) return Validation::reject("malformed");
  const bool twelve = p.date.size() == 8;
  const std::string_view date10 = twelve ? p.date.substr(2) : p.date;
  std::string ten = std::string(date10) + "1" + p.tail.substr(1);
  if (!luhn_valid(ten)) return Validation::reject("bad checksum");
  const int yy = two_digits(ten, 0);
  const int month = two_digits(ten, 2);
  const int day = two_digits(ten, 4);
  int year = infer_year(yy, Separator::kDash, ctx.reference_date);
  if (twelve) {
    const int century = two_digits(p.date, 0);
    if (century < 18 || century > 20) return Validation::reject("invalid century");
    year = century * 100 + yy;
  }
  if (day < 1 || day > days_in_month(year, month)) return Validation::reject("impossible date");
  if (after(year, month, day, ctx.reference_date)) return Validation::reject("future date");
  std::string normalized =
      std::to_string(year) + std::string(date10.substr(2)) + "-" + letter + p.tail.substr(1);
  std::string masked(p.date);
  masked += p.sep == Separator::kNone ? "" : "-";
  masked += "****";
  return Validation::ok(std::move(normalized), std::move(masked));
}

}  // namespace vakt::validate
