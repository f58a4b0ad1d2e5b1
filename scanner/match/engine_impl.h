// Engine::Impl: the compiled form of a RuleSet, shared read-only by every TextScanner.
//
// Every Hyperscan pattern id indexes `patterns`: either a rule pattern (a candidate to confirm)
// or a context keyword of a rule. Confirmation (RE2 on a window ending at the hit, boundaries,
// validator) and classification read only this structure.
#pragma once

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "classify/classifier.h"
#include "match/hs_database.h"
#include "rules/rule_spec.h"
#include "vakt/scanner/engine.h"
#include "validate/validator.h"

namespace vakt {

// Highest capture-group number a confirm's (?P<value>...) may have: the scanner asks RE2 for that
// many submatches on the stack.
constexpr int kMaxValueGroup = 15;

struct CompiledPattern {
  enum class Kind { kRule, kContext };
  Kind kind = Kind::kRule;
  std::size_t rule = 0;                    // index into Engine::Impl::rules
  std::vector<std::size_t> context_rules;  // kContext: every rule that lists this keyword
  unsigned min_width = 0;
  unsigned max_width = UINT_MAX;  // UINT_MAX: unbounded
  unsigned window = 0;            // bytes of text the confirm step looks back
  std::unique_ptr<RE2> confirm;   // null: the hit's span is exact (fixed-width literal)
  int value_group = 0;            // a rule's confirm names (?P<value>...): where the finding starts
  bool som = false;               // Hyperscan reports the leftmost start: no RE2 needed
  std::string label;              // context keyword as written, for --explain
  bool word_bounded = false;      // no letter or digit may touch the match
};

struct CompiledRule {
  rules::RuleSpec spec;
  validate::ValidatorFn validator = nullptr;
  bool has_context = false;
};

struct Engine::Impl {
  EngineOptions options;
  rules::RuleSet rule_set;
  std::vector<CompiledRule> rules;
  std::vector<CompiledPattern> patterns;
  std::shared_ptr<match::HsDatabase> database;
  classify::Classifier classifier;
  std::vector<RuleInfo> infos;
  std::vector<ClassLevel> classes;
  std::string version;
  std::size_t history_bytes = 64;  // text kept from earlier chunks for confirmation
};

}  // namespace vakt
