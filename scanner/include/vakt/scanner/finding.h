// Finding: one confirmed match of a rule, and Rejection: a candidate the confirm step turned down.
//
// A Finding never holds the matched value in clear text: `masked` keeps only what a helpdesk needs
// to recognise it (e.g. "19990604-****"), and `pseudonym` is a keyed HMAC-SHA256 that lets the same
// value be correlated across files and PCs when the municipality configures a key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vakt {

enum class Confidence { kLow = 0, kMedium = 1, kHigh = 2 };

std::string_view to_string(Confidence c);

struct Finding {
  std::string rule_id;
  std::string rule_name;
  int rule_class = 0;  // the rule's own information class
  Confidence confidence = Confidence::kMedium;
  std::string masked;        // safe to print, log and store
  std::string pseudonym;     // hex HMAC-SHA256 of the normalised value; empty without key
  std::string part;          // "" for the file itself, else the member path in a container
  std::uint64_t line = 0;    // 1-based line of the match in the part's text
  std::uint64_t offset = 0;  // byte offset of the match start in the part's UTF-8 text
  std::string explanation;   // why it matched: validator, context word and distance
};

// How many findings one rule made in a document: all of them, also those past the stored list's
// limits (Finding lists keep at most 1000 per rule and Limits::max_matches values).
struct RuleCount {
  std::string rule_id;
  std::uint64_t count = 0;
};

struct Rejection {
  std::string rule_id;
  std::string masked;
  std::string part;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;
  std::string reason;  // "bad checksum", "impossible date", "organisationsnummer", …
};

}  // namespace vakt
