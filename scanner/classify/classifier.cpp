#include "classify/classifier.h"

#include <algorithm>
#include <map>
#include <set>

namespace vakt::classify {

bool glob_match(const std::string& pattern, const std::string& value) {
  if (!pattern.empty() && pattern.back() == '*') {
    return value.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  }
  return pattern == value;
}

namespace {

std::vector<bool> compile_selector(const rules::Selector& s,
                                   const std::vector<rules::RuleSpec>& rules) {
  std::vector<bool> out(rules.size(), false);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (const auto& r : s.rules) out[i] = out[i] || glob_match(r, rules[i].id);
    for (const auto& c : s.categories) out[i] = out[i] || glob_match(c, rules[i].category);
  }
  return out;
}

using Anchors = std::vector<std::pair<std::uint32_t, std::uint64_t>>;  // (part, offset), sorted

Anchors anchors_of(const std::vector<ClassInput>& findings, const std::vector<bool>& sel) {
  Anchors anchors;
  for (const auto& f : findings) {
    if (sel[f.rule]) anchors.emplace_back(f.part, f.offset);
  }
  std::sort(anchors.begin(), anchors.end());
  return anchors;
}

// Whether an anchor lies within `within` bytes before finding `f` or `after` bytes after it, in
// its part. A finding is not near itself (`self_selected`: f's own rule is among the anchors'
// rules); a different finding at the same offset still counts. One binary search per finding:
// O(n log n) for big files.
bool anchor_within(const Anchors& anchors, const ClassInput& f, std::uint64_t within,
                   std::uint64_t after, bool self_selected) {
  const std::uint64_t lo = f.offset > within ? f.offset - within : 0;
  auto it = std::lower_bound(anchors.begin(), anchors.end(), std::make_pair(f.part, lo));
  for (; it != anchors.end() && it->first == f.part && it->second <= f.offset + after; ++it) {
    if (it->second != f.offset || !self_selected) return true;
  }
  return false;
}

}  // namespace

Classifier::Classifier(const rules::PolicySpec& policy, const std::vector<rules::RuleSpec>& rules)
    : policy_(policy) {
  for (const auto& r : rules) {
    weights_.push_back(r.weight);
    categories_.push_back(r.category);
  }
  for (const auto& c : policy_.conditions) {
    Compiled compiled;
    compiled.spec = &c;
    compiled.select = compile_selector(c.select, rules);
    compiled.near = compile_selector(c.near, rules);
    compiled.with = compile_selector(c.with, rules);
    compiled.unless = compile_selector(c.unless, rules);
    compiled.unless_in_heading = compile_selector(c.unless_in_heading, rules);
    compiled.unless_at = compile_selector(c.unless_at, rules);
    conditions_.push_back(std::move(compiled));
  }
}

Classification Classifier::classify(const std::vector<ClassInput>& findings,
                                    const TextTraits& text) const {
  std::vector<bool> present(weights_.size(), false);
  for (const auto& f : findings) present[f.rule] = true;
  auto any_present = [&](const std::vector<bool>& sel) {
    for (std::size_t i = 0; i < sel.size(); ++i) {
      if (sel[i] && present[i]) return true;
    }
    return false;
  };

  std::vector<std::pair<int, std::string>> fired;
  std::vector<const ClassInput*> selected;
  for (const auto& c : conditions_) {
    const auto& spec = *c.spec;
    selected.clear();
    for (const auto& f : findings) {
      if (c.select[f.rule] && f.confidence >= spec.min_confidence) selected.push_back(&f);
    }
    if (!spec.unless_at.empty() && !selected.empty()) {
      const Anchors at = anchors_of(findings, c.unless_at);
      std::erase_if(selected, [&](const ClassInput* f) {
        return std::binary_search(at.begin(), at.end(), std::make_pair(f->part, f->offset));
      });
    }
    if (selected.empty() || static_cast<int>(selected.size()) < spec.min_count) continue;
    if (spec.min_distinct > 0) {
      std::set<std::uint64_t> values;
      for (const auto* f : selected) values.insert(f->value_key);
      if (static_cast<int>(values.size()) < spec.min_distinct) continue;
    }
    if (spec.min_score > 0 || spec.min_categories > 0) {
      std::set<std::size_t> rules_seen;
      std::set<std::string> cats;
      for (const auto* f : selected) {
        rules_seen.insert(f->rule);
        cats.insert(categories_[f->rule]);
      }
      int score = 0;
      for (auto r : rules_seen) score += weights_[r];
      if (score < spec.min_score) continue;
      if (static_cast<int>(cats.size()) < spec.min_categories) continue;
    }
    if (spec.min_swedish_letters > 0 &&
        (text.sampled == 0 ||
         text.swedish_per_mille() < static_cast<std::uint64_t>(spec.min_swedish_letters)))
      continue;
    if (!spec.with.empty() && !any_present(c.with)) continue;
    if (!spec.unless_in_heading.empty()) {
      const auto bytes = static_cast<std::uint64_t>(spec.unless_heading_bytes);
      const bool in_heading =
          std::any_of(findings.begin(), findings.end(), [&](const ClassInput& f) {
            return c.unless_in_heading[f.rule] && f.offset < bytes && !f.later_page;
          });
      if (in_heading) continue;
    }
    if (!spec.unless.empty() && spec.unless_within == 0 && any_present(c.unless)) continue;
    if (!spec.unless.empty() && spec.unless_within > 0) {
      // Only the selected findings with an unless finding close by are cancelled.
      const Anchors anchors = anchors_of(findings, c.unless);
      const auto within = static_cast<std::uint64_t>(spec.unless_within);
      const auto after = static_cast<std::uint64_t>(spec.unless_after);
      std::erase_if(selected, [&](const ClassInput* f) {
        return anchor_within(anchors, *f, within, after, c.unless[f->rule]);
      });
      if (selected.empty()) continue;
    }
    if (spec.near_within > 0) {
      const Anchors anchors = anchors_of(findings, c.near);
      const auto within = static_cast<std::uint64_t>(spec.near_within);
      const bool close = std::any_of(selected.begin(), selected.end(), [&](const ClassInput* f) {
        return anchor_within(anchors, *f, within, within, c.near[f->rule]);
      });
      if (!close) continue;
    }
    fired.emplace_back(spec.result_class, spec.id);
  }
  std::stable_sort(fired.begin(), fired.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  Classification out;
  for (const auto& [cls, id] : fired) {
    out.info_class = std::max(out.info_class, cls);
    out.conditions.push_back(id);
  }
  return out;
}

}  // namespace vakt::classify
