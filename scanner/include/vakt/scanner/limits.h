// Limits: the budgets that travel down a scan's recursion (ClamAV's cli_ctx limits, made explicit).
//
// Hitting one never makes a file "clean": the result becomes `partial` (or `unscannable`) and the
// reason names the limit, e.g. "limit: max_depth".
#pragma once

#include <chrono>
#include <cstdint>

namespace vakt {

struct Limits {
  int max_depth = 8;                                   // container nesting (zip in docx in eml …)
  std::uint64_t max_file_bytes = 4ull << 30;           // larger input files are not opened
  std::uint64_t max_expanded_bytes = 1ull << 30;       // total text/bytes produced from one file
  std::uint64_t max_entries = 20000;                   // members of all containers in one file
  double max_compression_ratio = 250.0;                // per member, uncompressed / compressed
  std::chrono::milliseconds max_time{120000};          // wall time per top-level file
  std::uint64_t max_matches = 20000;                   // findings kept per file (counting goes on)
  std::uint64_t isolated_memory_bytes = 1536ull << 20; // address-space cap for isolated parsers
};

}  // namespace vakt
