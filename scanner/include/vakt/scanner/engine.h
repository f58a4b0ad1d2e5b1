// Engine: the compiled, immutable rule set — one Hyperscan database for every rule, the RE2
// confirmers, validators and the classification policy. Load once, share between workers.
//
//   EngineOptions opts;                    // empty rules_dir: the rule packs embedded in the binary
//   opts.rules_dir = "/etc/vakt/rules";
//   auto engine = Engine::load(opts);      // Expected<std::shared_ptr<const Engine>>
//   if (!engine) die(engine.error().message);   // names file, line and rule
//   TextScanner scanner(*engine);          // one per worker thread (see text_scanner.h)
//
// Reloading rules = loading a new Engine and swapping the shared_ptr; the old one stays valid for
// scans in flight.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "vakt/scanner/expected.h"
#include "vakt/scanner/limits.h"

namespace vakt {

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  static CivilDate today();
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

struct EngineOptions {
  std::filesystem::path rules_dir;       // *.yaml rule packs + policy; empty: embedded defaults
  std::filesystem::path cache_dir;       // serialized Hyperscan databases; empty: no cache
  std::string pseudonym_key;             // raw key bytes for HMAC pseudonyms; empty: none
  CivilDate reference_date = CivilDate::today();  // "today" for century inference of 10-digit ids
  Limits limits;
  std::vector<std::string> only_rules;   // ids or 'prefix*' globs; empty: every rule in the packs
};

struct RuleInfo {
  std::string id;
  std::string name;
  std::string description;
  std::string maturity;                  // stable | test | experimental | deprecated
  std::string category;                  // e.g. identity, osl.marking, domain.social
  int rule_class = 0;
  int weight = 0;                        // contribution to the domain score (policy)
  std::string validator;                 // empty: none
  std::vector<std::string> patterns;
  int min_count = 1;
  std::size_t examples = 0;
  std::string source;                    // file:line the rule came from
};

struct ClassLevel {
  int level = 0;
  std::string name;
  std::string description;
};

class Engine {
 public:
  static Expected<std::shared_ptr<const Engine>> load(const EngineOptions& options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const std::vector<RuleInfo>& rules() const;
  const std::vector<ClassLevel>& classes() const;
  std::string class_name(int level) const;
  const std::string& version() const;    // hex hash of rule packs + policy + engine version
  const EngineOptions& options() const;
  bool database_from_cache() const;
  std::size_t pattern_count() const;

  struct Impl;                            // the compiled state; used by TextScanner
  const Impl& impl() const { return *impl_; }

 private:
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Runs every rule's `examples` (must_match / must_not_match) through the real engine.
struct ExampleFailure {
  std::string rule_id;
  std::string example;                   // the example text (fixtures hold test numbers only)
  bool expected_match = true;
  std::string detail;
};
struct ExampleReport {
  std::size_t run = 0;
  std::vector<ExampleFailure> failures;
};
ExampleReport run_rule_examples(const std::shared_ptr<const Engine>& engine);

}  // namespace vakt
