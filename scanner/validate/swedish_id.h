// Swedish identity numbers: personnummer, samordningsnummer, organisationsnummer and the interim
// (T-)number form of reservnummer, per /work/shared/docs/personnummer.md.
//
// classify_swedish_id() parses one matched token (10 or 12 digits, separator '-', '+', a Unicode
// dash/no-break space, or none) and decides what it is. The validators registered by name are thin
// views of it: the personnummer validator accepts only kPerson and rejects a samordningsnummer
// with reason "samordningsnummer", an organisationsnummer with "organisationsnummer", and so on.
//
//   ValidatorContext ctx{CivilDate{2026, 11, 27}};
//   Validation v = validate_personnummer("990604-2388", ctx);   // valid, masked "990604-****"
#pragma once

#include <string>
#include <string_view>

#include "validate/validator.h"

namespace vakt::validate {

enum class SwedishIdKind { kNone, kPerson, kCoordination, kOrganisation };

struct SwedishId {
  SwedishIdKind kind = SwedishIdKind::kNone;
  std::string reason;      // why kNone: "malformed", "bad checksum", "impossible date", …
  std::string normalized;  // "YYYYMMDD-NNNC" for persons and coordination numbers, "NNNNNN-NNNN"
  std::string masked;      // date part as written, serial and check digit hidden
};

SwedishId classify_swedish_id(std::string_view match, const ValidatorContext& ctx);

Validation validate_personnummer(std::string_view match, const ValidatorContext& ctx);
Validation validate_samordningsnummer(std::string_view match, const ValidatorContext& ctx);
Validation validate_organisationsnummer(std::string_view match, const ValidatorContext& ctx);
// Interim number `YYMMDD-Xnnn` / `YYYYMMDD-Xnnn`, X one of T R S U W X J K L M N (counts as 1 in
// the Luhn sum); the date must be a real date, not in the future.
Validation validate_reservnummer(std::string_view match, const ValidatorContext& ctx);

}  // namespace vakt::validate
