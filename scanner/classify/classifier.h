// Classifier: findings -> information class, by the policy in rules/policy.yaml (data, not code).
//
// Each condition selects findings (by rule id or category), tests counts, distinct values, a
// weighted domain score, proximity to other findings, and presence/absence of others; the file's
// class is the highest class of any condition that holds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "classify/text_traits.h"
#include "rules/rule_spec.h"

namespace vakt::classify {

// What the classifier needs to know of one confirmed finding.
struct ClassInput {
  std::size_t rule = 0;  // index into the rule list the classifier was built for
  Confidence confidence = Confidence::kMedium;
  std::uint32_t part = 0;  // findings are near only within the same part
  std::uint64_t offset = 0;
  std::uint64_t value_key = 0;  // hash of the normalised value (distinct counting)
  // The part is a PDF page after the first: the top of page 2 holds running text, not a title
  // (unless_in_heading reads only the first page's top; a running header is on page 1 too).
  bool later_page = false;
};

struct Classification {
  int info_class = 0;
  std::vector<std::string> conditions;  // fired conditions, highest class first
};

class Classifier {
 public:
  Classifier() = default;
  Classifier(const rules::PolicySpec& policy, const std::vector<rules::RuleSpec>& rules);

  Classification classify(const std::vector<ClassInput>& findings,
                          const TextTraits& text = {}) const;

 private:
  struct Compiled {
    const rules::ConditionSpec* spec = nullptr;
    std::vector<bool> select, near, with, unless, unless_in_heading, unless_at;  // per rule
  };
  std::vector<Compiled> conditions_;
  std::vector<int> weights_;
  std::vector<std::string> categories_;
  rules::PolicySpec policy_;
};

// Selector matching: an exact id, or a pattern ending in '*' that matches by prefix.
bool glob_match(const std::string& pattern, const std::string& value);

}  // namespace vakt::classify
