// The validator registry: rule files name validators; find_validator() maps the name to the
// pure function.
#include "validate/validator.h"

#include "validate/financial.h"
#include "validate/person_statement.h"
#include "validate/swedish_id.h"

namespace vakt::validate {
namespace {

struct NamedValidator {
  std::string_view name;
  ValidatorFn fn;
};

constexpr NamedValidator kValidators[] = {
    {"personnummer", &validate_personnummer},
    {"samordningsnummer", &validate_samordningsnummer},
    {"organisationsnummer", &validate_organisationsnummer},
    {"reservnummer", &validate_reservnummer},
    {"luhn", &validate_luhn},
    {"payment_card", &validate_payment_card},
    {"iban", &validate_iban},
    {"se_bank_account", &validate_se_bank_account},
    {"bankgiro", &validate_bankgiro},
    {"plusgiro", &validate_plusgiro},
    {"protected_identity_statement", &validate_protected_identity_statement},
    {"health_statement", &validate_health_statement},
};

}  // namespace

ValidatorFn find_validator(std::string_view name) {
  for (const NamedValidator& v : kValidators) {
    if (v.name == name) return v.fn;
  }
  return nullptr;
}

std::string validator_names() {
  std::string out;
  for (const NamedValidator& v : kValidators) {
    if (!out.empty()) out += ", ";
    out += v.name;
  }
  return out;
}

}  // namespace vakt::validate
