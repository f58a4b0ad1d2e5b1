// ScanOptions: the flags of `vakt scan`, first as parsed (ScanFlags, plain values bound to CLI11)
// and then resolved into what the scan needs (ScanOptions: engine options, limits, output choice).
//
//   ScanFlags flags;                        // bound to CLI11 options in scan_command.cpp
//   auto options = resolve_scan_options(flags);
//   if (!options) { std::cerr << "vakt: " << options.error().message << "\n"; return kExitUsage; }
//
// Resolving reads the pseudonym key file and checks every value, so a bad flag fails before any
// file is opened. The small parsers are exposed for reuse and tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vakt/scanner/engine.h"
#include "vakt/scanner/expected.h"

namespace vakt::cli {

enum class OutputFormat { kText, kJsonl, kCsv };

struct ScanFlags {
  std::vector<std::string> paths;
  unsigned threads = 0;  // 0: one per core
  std::string rules_dir;
  std::string cache_dir;
  std::string pseudonym_key_file;
  int fail_class = 2;
  std::string format = "text";
  std::string output;
  bool explain = false;
  bool quiet = false;
  bool no_progress = false;
  std::string reference_date;   // YYYY-MM-DD; empty: today
  std::string max_file_size;    // bytes with optional K/M/G suffix; empty: engine default
  int max_depth = -1;           // container nesting; -1: engine default
  double timeout_seconds = -1;  // per file; -1: engine default
};

struct ScanOptions {
  std::vector<std::filesystem::path> paths;
  unsigned threads = 1;
  EngineOptions engine;
  int fail_class = 2;
  OutputFormat format = OutputFormat::kText;
  std::filesystem::path output;  // empty: stdout
  bool explain = false;
  bool quiet = false;
  bool progress = false;  // only when stderr is a terminal
};

Expected<ScanOptions> resolve_scan_options(const ScanFlags& flags);

// "4096", "100K", "250M", "4G" (binary multiples; a trailing B or iB is accepted).
Expected<std::uint64_t> parse_size(std::string_view text);
// Strict YYYY-MM-DD with a real calendar date.
Expected<CivilDate> parse_date(std::string_view text);

}  // namespace vakt::cli
