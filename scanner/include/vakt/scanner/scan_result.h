// ScanResult: what the scanner says about one file — status, information class and findings.
//
// status is the outcome of *reading* the file; class is the outcome of *classifying* what was read.
// A file that could not be fully read is never `scanned`: it is `partial` (some text was read, the
// reason says what was not) or `unscannable` (nothing could be read: encrypted, corrupt, too
// large).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vakt/scanner/finding.h"

namespace vakt {

enum class ScanStatus { kScanned, kPartial, kUnscannable, kError };

std::string_view to_string(ScanStatus s);

struct ScanResult {
  std::string path;
  ScanStatus status = ScanStatus::kScanned;
  std::string reason;  // empty when scanned; else specific ("encrypted", "limit: max_depth")
  std::string type;    // detected content type, e.g. "text/plain", "docx", "pdf"
  std::uint64_t size = 0;
  std::string sha256;                   // hex SHA-256 of the bytes scanned (scan_file only)
  int info_class = 0;                   // 0–3 (KLASSA consequence level)
  std::string class_name;               // configured name of info_class
  std::vector<std::string> conditions;  // ids of the policy conditions that set the class
  std::vector<Finding> findings;
  std::vector<Rejection> rejections;   // only filled when explain is on
  std::uint64_t findings_total = 0;    // may exceed findings.size() when max_matches cut the list
  std::vector<RuleCount> rule_counts;  // findings per rule, all counted (sums to findings_total)
  std::uint64_t text_bytes = 0;        // UTF-8 bytes of text that reached the matcher
  double seconds = 0.0;
};

}  // namespace vakt
