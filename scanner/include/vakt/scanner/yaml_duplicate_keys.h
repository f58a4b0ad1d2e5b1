// find_duplicate_key: the first mapping key written twice in a YAML document, if any.
//
// yaml-cpp keeps both entries of `{policy: …, policy: …}` and a lookup returns the first, so a
// second block an administrator appends (or a second `patterns:` in a rule) would be dropped
// without a word. Both the agent's configuration and the rule packs refuse it instead.
//
//   if (auto dup = find_duplicate_key(root)) fail(dup->line, "duplicate key " + dup->key);
#pragma once

#include <optional>
#include <set>
#include <string>

#include <yaml-cpp/yaml.h>

namespace vakt {

struct DuplicateKey {
  std::string key;  // dotted path to it: "policy", "rules.3.patterns"
  int line = 0;     // 1-based line of the second occurrence
};

namespace yaml_detail {

// `budget` bounds the walk: YAML aliases share nodes, so a "billion laughs" document is small as
// a tree of shared nodes but exponential to walk. Real files have a few thousand nodes.
inline std::optional<DuplicateKey> find_duplicate_key(const YAML::Node& node,
                                                      const std::string& where, int depth,
                                                      long& budget) {
  if (depth > 64 || --budget < 0) return std::nullopt;
  const auto join = [&](const std::string& key) { return where.empty() ? key : where + "." + key; };
  if (node.IsMap()) {
    std::set<std::string> seen;
    for (const auto& kv : node) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
      if (kv.first.IsScalar() && !seen.insert(key).second) {
        return DuplicateKey{join(key), kv.first.Mark().line + 1};
      }
      if (auto inner = find_duplicate_key(kv.second, join(key), depth + 1, budget)) return inner;
    }
  } else if (node.IsSequence()) {
    std::size_t i = 0;
    for (const auto& item : node) {
      if (auto inner = find_duplicate_key(item, join(std::to_string(i++)), depth + 1, budget)) {
        return inner;
      }
    }
  }
  return std::nullopt;
}

}  // namespace yaml_detail

inline std::optional<DuplicateKey> find_duplicate_key(const YAML::Node& root) {
  long budget = 1'000'000;
  return yaml_detail::find_duplicate_key(root, "", 0, budget);
}

}  // namespace vakt
