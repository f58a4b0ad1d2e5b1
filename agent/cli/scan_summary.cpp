#include "cli/scan_summary.h"

#include <algorithm>

#include "cli/command_registry.h"

namespace vakt::cli {

std::vector<std::pair<std::string, std::uint64_t>> findings_per_rule(const ScanResult& r) {
  // The scanner's own counts include findings past the listed ones (1000 per rule, 20 000
  // values); a result made without them (an error) counts its list.
  std::map<std::string, std::uint64_t> counts;
  if (!r.rule_counts.empty()) {
    for (const auto& c : r.rule_counts) counts[c.rule_id] += c.count;
  } else {
    for (const auto& f : r.findings) ++counts[f.rule_id];
  }
  std::vector<std::pair<std::string, std::uint64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

bool is_flagged(const ScanResult& r, int fail_class) {
  // A file that was not read has no class: with --fail-class 0 it is "not fully scanned" (3),
  // not "flagged" (1).
  return has_class(r) && r.info_class >= fail_class;
}

bool is_incomplete(const ScanResult& r) {
  return r.status != ScanStatus::kScanned;
}

bool has_class(const ScanResult& r) {
  return r.status == ScanStatus::kScanned || r.status == ScanStatus::kPartial ||
         !r.findings.empty() || r.info_class > 0;
}

void ScanSummary::add(const ScanResult& r) {
  if (r.type == "folder") {  // a flagged folder name: counted apart from the files
    ++folders_;
    if (is_flagged(r, fail_class_)) ++flagged_folders_;
    for (const auto& [rule, n] : findings_per_rule(r)) rules_[rule].findings += n;
    return;
  }
  ++files_;
  ++by_status_[static_cast<std::size_t>(r.status)];
  bytes_ += r.size;
  if (is_flagged(r, fail_class_)) ++flagged_;
  if (is_incomplete(r)) ++incomplete_;
  if (has_class(r)) {
    auto& entry = by_class_[r.info_class];
    entry.first = r.class_name;
    ++entry.second;
  }
  for (const auto& [rule, n] : findings_per_rule(r)) {
    auto& tally = rules_[rule];
    tally.findings += n;
    ++tally.files;
  }
}

int ScanSummary::exit_code() const {
  if (flagged_ > 0 || flagged_folders_ > 0) return kExitFlagged;
  if (incomplete_ > 0) return kExitIncomplete;
  return kExitClean;
}

std::vector<std::pair<std::string, RuleTally>> ScanSummary::top_rules(std::size_t n) const {
  std::vector<std::pair<std::string, RuleTally>> out(rules_.begin(), rules_.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second.findings > b.second.findings;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace vakt::cli
