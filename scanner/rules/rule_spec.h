// RuleSpec and PolicySpec: the rule packs and the classification policy as plain data, exactly as
// the YAML said (after validation). The loader (rule_loader.h) produces them; the engine compiles
// them. Nothing here knows Hyperscan.
#pragma once

#include <string>
#include <vector>

#include "vakt/scanner/finding.h"

namespace vakt::rules {

// kSecret: a fixed mask that tells nothing of the value, not even its length (passwords, codes).
enum class MaskStyle { kIdentity, kTail4, kFull, kSecret, kNone };

struct PatternSpec {
  std::string expression;  // Hyperscan syntax (also valid RE2 for confirmation)
  bool caseless = false;
  bool utf8 = false;
  bool ucp = false;
  bool dotall = false;
  bool multiline = false;
  bool word_bounded = false;  // a term written '=TERM': no letter or digit may touch it
  int line = 0;               // 1-based line in the pack, for error messages
};

struct ContextSpec {
  std::vector<std::string> keywords;  // literal, case-insensitive, match inside compounds
  int window = 300;                   // bytes either side of the match
  bool required = false;              // no finding without a keyword in the window
};

struct RuleSpec {
  std::string id;
  std::string name;
  std::string description;
  std::string maturity = "stable";
  std::string category;
  int rule_class = 0;
  int weight = 0;
  std::vector<PatternSpec> patterns;  // terms are turned into patterns by the loader
  std::string confirm;                // RE2; empty: derived from the pattern when needed
  std::string validator;
  bool digit_boundaries = false;
  bool word_boundaries = false;
  bool longest_match = false;  // hits from one start are one value: only the longest is kept
  // false: the policy reads the findings, but reports and logs show them only with --explain,
  // and they never use up Limits::max_matches (a book names people on every page)
  bool report = true;
  ContextSpec context;
  Confidence confidence = Confidence::kMedium;
  bool bare_digits_low = false;
  int min_count = 1;
  MaskStyle mask = MaskStyle::kFull;
  std::vector<std::string> examples_match;
  std::vector<std::string> examples_no_match;
  std::string source;  // "identity.yaml:12"
};

// A selection of findings: by rule id (exact or trailing '*') or category glob.
struct Selector {
  std::vector<std::string> rules;
  std::vector<std::string> categories;
  bool empty() const { return rules.empty() && categories.empty(); }
};

struct ConditionSpec {
  std::string id;
  std::string description;
  int result_class = 0;
  Selector select;
  int min_distinct = 0;
  int min_count = 1;
  int min_score = 0;
  int min_categories = 0;
  // Per mille of the file's first 8 KiB of text that must be å, ä or ö (classify/text_traits.h);
  // 0 = no test. Keeps English books and papers out of conditions read on Swedish words.
  int min_swedish_letters = 0;
  Confidence min_confidence = Confidence::kLow;
  Selector near;
  int near_within = 0;  // bytes; 0 = no proximity requirement
  Selector with;
  Selector unless;
  int unless_within = 0;  // bytes; 0 = an `unless` finding anywhere in the file cancels
  // Bytes after a selected finding within which an `unless` finding still cancels it (`after:`);
  // defaults to unless_within. A guidance title stands before what it discusses, while a case
  // document's stamp heads it and the routine it follows is cited further down.
  int unless_after = 0;
  // `unless_in_heading`: these cancel the condition only when one starts within the first
  // `unless_heading_bytes` of its part — the title of a guidance text or a report (or the file
  // name), not a routine that a case note cites further down.
  Selector unless_in_heading;
  // `unless_at`: a selected finding that starts where one of these starts does not count. A
  // greeting or a signature marks the name after it as the mail's reader or writer, not its
  // subject (context.salutation starts at the name).
  Selector unless_at;
  int unless_heading_bytes = 0;
  std::string source;
};

struct ClassSpec {
  int level = 0;
  std::string name;
  std::string description;
};

struct PolicySpec {
  std::vector<ClassSpec> classes;
  std::vector<ConditionSpec> conditions;
};

struct RuleSet {
  std::vector<RuleSpec> rules;
  PolicySpec policy;
  std::string digest;  // hex SHA-256 over every pack's name and bytes
};

}  // namespace vakt::rules
