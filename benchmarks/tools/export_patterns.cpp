// vakt_bench_patterns: prints every Hyperscan pattern of the loaded rules as JSON, with its flags,
// so benchmarks/run can give ripgrep and ugrep exactly the patterns Vakt compiles.
//
//   vakt_bench_patterns             the rule packs embedded in vakt
//   vakt_bench_patterns RULES_DIR   a rules directory (as `vakt --rules DIR`)
//
// Output: {"rules": [{"id", "validator", "category", "digit_boundaries", "word_boundaries",
//           "patterns": [{"expression", "caseless", "utf8", "ucp", "dotall", "multiline",
//                         "word_bounded"}]}]}
// Rule patterns are rule data (regular expressions), never matched values. Exit 2 when the rules
// do not load (the loader's message names file, line and rule).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>

#include "rules/rule_loader.h"

int main(int argc, char** argv) {
  if (argc > 2) {
    std::cerr << "usage: vakt_bench_patterns [RULES_DIR]\n";
    return 2;
  }
  auto set = argc == 2 ? vakt::rules::load_rule_dir(std::filesystem::path(argv[1]))
                       : vakt::rules::load_embedded_rules();
  if (!set) {
    std::cerr << "vakt_bench_patterns: rules do not load: " << set.error().message << "\n";
    return 2;
  }
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  for (const auto& rule : set.value().rules) {
    nlohmann::ordered_json patterns = nlohmann::ordered_json::array();
    for (const auto& p : rule.patterns) {
      patterns.push_back({{"expression", p.expression},
                          {"caseless", p.caseless},
                          {"utf8", p.utf8},
                          {"ucp", p.ucp},
                          {"dotall", p.dotall},
                          {"multiline", p.multiline},
                          {"word_bounded", p.word_bounded}});
    }
    rules.push_back({{"id", rule.id},
                     {"validator", rule.validator},
                     {"category", rule.category},
                     {"maturity", rule.maturity},
                     {"digit_boundaries", rule.digit_boundaries},
                     {"word_boundaries", rule.word_boundaries},
                     {"patterns", std::move(patterns)}});
  }
  nlohmann::ordered_json out;
  out["rules"] = std::move(rules);
  std::cout << out.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  return 0;
}
