// Validators: pure functions that decide whether a candidate the matcher found is real.
//
// Each takes the exact matched text (already cut to the match by the confirm step) and returns
// whether it is valid, a short reason when it is not ("bad checksum", "impossible date",
// "organisationsnummer", …) for `vakt scan --explain`, and the normalised value used for
// masking, counting distinct values and pseudonyms. No I/O, no global state: cheap to test.
#pragma once

#include <string>
#include <string_view>

#include "vakt/scanner/engine.h"  // CivilDate

namespace vakt::validate {

struct ValidatorContext {
  CivilDate reference_date;  // "today" for century inference
};

struct Validation {
  bool valid = false;
  std::string reason;      // why not valid (empty when valid)
  std::string normalized;  // canonical form, e.g. "19990604-2388"; never printed
  std::string masked;      // printable form, e.g. "19990604-****"

  static Validation ok(std::string normalized, std::string masked) {
    return {true, {}, std::move(normalized), std::move(masked)};
  }
  static Validation reject(std::string reason) { return {false, std::move(reason), {}, {}}; }
};

using ValidatorFn = Validation (*)(std::string_view match, const ValidatorContext& ctx);

// Looks a validator up by the name used in rule files; nullptr when unknown.
ValidatorFn find_validator(std::string_view name);
// Names accepted by find_validator, for error messages and `vakt rules list`.
std::string validator_names();

}  // namespace vakt::validate
