// ScanSummary: the tallies of one `vakt scan` run — files by status and class, findings per rule,
// bytes and time — and the exit code they add up to (see command_registry.h):
//   1 if any file (or folder name) is at or above --fail-class, else 3 if any file was not fully
//   read (partial, unscannable, error), else 0.
//
//   ScanSummary summary(fail_class);
//   for (auto& r : results) summary.add(r);
//   return summary.exit_code();
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "vakt/scanner/scan_result.h"

namespace vakt::cli {

// Findings of one file counted per rule id, most frequent first (ties by id).
std::vector<std::pair<std::string, std::uint64_t>> findings_per_rule(const ScanResult& r);

bool is_flagged(const ScanResult& r, int fail_class);
bool is_incomplete(const ScanResult& r);
// Whether the result has a class to show: a file that was (partly) read, or one whose name alone
// was flagged. An unread file without findings has none (text "-", jsonl null, csv empty): it is
// not class 0 "Öppen".
bool has_class(const ScanResult& r);  // partial, unscannable or error

struct RuleTally {
  std::uint64_t findings = 0;
  std::uint64_t files = 0;
};

class ScanSummary {
 public:
  explicit ScanSummary(int fail_class) : fail_class_(fail_class) {}

  void add(const ScanResult& r);
  int exit_code() const;

  int fail_class() const { return fail_class_; }
  std::uint64_t files() const { return files_; }
  std::uint64_t count(ScanStatus s) const { return by_status_[static_cast<std::size_t>(s)]; }
  std::uint64_t flagged() const { return flagged_; }
  // Folders whose names were reported (type "folder"), and those at or above the fail class.
  std::uint64_t folders() const { return folders_; }
  std::uint64_t flagged_folders() const { return flagged_folders_; }
  std::uint64_t incomplete() const { return incomplete_; }
  std::uint64_t bytes() const { return bytes_; }
  // class level -> (class name, files); only files that were read (scanned or partial).
  const std::map<int, std::pair<std::string, std::uint64_t>>& by_class() const { return by_class_; }
  const std::map<std::string, RuleTally>& rules() const { return rules_; }
  // The rules with the most findings, at most `n`.
  std::vector<std::pair<std::string, RuleTally>> top_rules(std::size_t n) const;

  double elapsed_seconds = 0.0;
  unsigned threads = 1;
  std::uint64_t skipped = 0;

 private:
  int fail_class_;
  std::uint64_t files_ = 0;
  std::array<std::uint64_t, 4> by_status_{};
  std::uint64_t flagged_ = 0;
  std::uint64_t folders_ = 0;
  std::uint64_t flagged_folders_ = 0;
  std::uint64_t incomplete_ = 0;
  std::uint64_t bytes_ = 0;
  std::map<int, std::pair<std::string, std::uint64_t>> by_class_;
  std::map<std::string, RuleTally> rules_;
};

}  // namespace vakt::cli
