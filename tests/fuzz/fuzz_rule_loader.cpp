// libFuzzer target: arbitrary bytes as a rule pack (with the shipped policy beside it) must give
// a RuleSet or an Error naming the file — never a crash, hang or exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/rule_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<vakt::rules::PackSource> packs;
  packs.push_back({"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)});
  packs.push_back({"policy.yaml",
                   "classes:\n  - {level: 0, name: A}\nconditions:\n"
                   "  - {id: c, class: 1, categories: ['*']}\n"});
  auto set = vakt::rules::load_rule_packs(packs);
  if (!set.ok() && set.error().message.empty()) __builtin_trap();
  return 0;
}
