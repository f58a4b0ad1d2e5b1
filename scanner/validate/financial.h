// Financial identifiers: generic Luhn, payment cards, IBAN, Swedish bank accounts, Bankgiro and
// PlusGiro numbers. Every validator strips the grouping the matched text may carry (single spaces
// or dashes between digit groups), checks lengths and check digits, and masks all but the last
// four characters.
//
//   validate_payment_card("4111 1111 1111 1111", ctx)  -> valid, masked "**** **** **** 1111"
//   validate_iban("SE45 5000 0000 0583 9825 7466", ctx) -> valid, masked "SE** **** … 7466"
//   validate_se_bank_account("8327-9, 014 725 892-5", ctx) -> valid (Swedbank, type 2 comment 3)
#pragma once

#include <string_view>

#include "validate/validator.h"

namespace vakt::validate {

Validation validate_luhn(std::string_view match, const ValidatorContext& ctx);
// Text before the first digit (a card word the rule's pattern starts at) is skipped.
Validation validate_payment_card(std::string_view match, const ValidatorContext& ctx);
// A leading "IBAN" label, then ':' or spaces, is skipped.
Validation validate_iban(std::string_view match, const ValidatorContext& ctx);
// The three Swedish validators below skip any text before the first digit: their rule patterns
// begin with the label ("Kontonummer: ", "Bankgiro ", "PG:") so that Hyperscan has a literal.
//
// Clearing number (4 digits; Swedbank 8xxx with its fifth check digit, "8327-9") then ", ", ",",
// "-" or " " then the account number (digits, optionally grouped by single spaces or dashes).
// Only clearing ranges in Bankgirot's "Bankernas kontonummeruppbyggnad" table are accepted.
Validation validate_se_bank_account(std::string_view match, const ValidatorContext& ctx);
// Bankgiro: 7 or 8 digits written NNN-NNNN / NNNN-NNNN (or compact), Luhn over all digits.
Validation validate_bankgiro(std::string_view match, const ValidatorContext& ctx);
// PlusGiro: 2-8 digits, check digit after a dash ("4 56 78-9", "1234-5"), Luhn over all digits.
Validation validate_plusgiro(std::string_view match, const ValidatorContext& ctx);

}  // namespace vakt::validate
