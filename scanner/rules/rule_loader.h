// Rule-pack loader: YAML text -> RuleSet. Strict: an unknown key, a wrong type, a duplicate id or
// an unknown validator is an error that names the file, the line and the rule.
//
//   auto set = rules::load_rule_dir("/etc/vakt/rules");   // every *.yaml; policy.yaml is the
//   policy auto set = rules::load_embedded_rules();              // the packs compiled into vakt
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/rule_spec.h"
#include "vakt/scanner/expected.h"

namespace vakt::rules {

struct PackSource {
  std::string name;  // file name, used in error messages
  std::string text;
};

Expected<RuleSet> load_rule_packs(const std::vector<PackSource>& packs);
Expected<RuleSet> load_rule_dir(const std::filesystem::path& dir);
Expected<RuleSet> load_embedded_rules();

// Turns a vocabulary term into a Hyperscan/RE2 expression: regex metacharacters escaped, spaces
// match any run of white space. A leading '=' (word boundaries) is dropped here; see word_bounded.
std::string term_to_expression(std::string_view term);

}  // namespace vakt::rules
