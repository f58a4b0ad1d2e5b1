// ScanPrinter: where `vakt scan` results go — one sink per output format, fed in path order.
//
//   auto printer = make_scan_printer(OutputFormat::kJsonl, out, print_options);
//   printer->begin();
//   printer->result(r);                     // for each file, in order
//   printer->end(summary, walk.skipped);    // text: the summary; csv/jsonl: nothing
//
// Formats (documented in the README):
//   text   a table (class, status, path, findings per rule, reason) and a summary; --explain adds
//          every finding (rule, confidence, masked value, part, line, explanation) and every
//          rejected candidate with its reason.
//   jsonl  one JSON object per file (scan_output_jsonl.cpp lists the keys).
//   csv    one row per finding, one row for a file without findings; RFC 4180 quoting, CRLF,
//          UTF-8 with BOM and ';' as separator, which is what Excel with Swedish settings expects.
// No printer ever sees a matched value in clear: only Finding::masked and Finding::pseudonym.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/file_walker.h"
#include "cli/scan_options.h"
#include "cli/scan_summary.h"
#include "vakt/scanner/scan_result.h"

namespace vakt::cli {

struct PrintOptions {
  bool explain = false;
  int fail_class = 2;
  std::size_t path_width = 40;   // text: width of the PATH column
  std::size_t class_width = 12;  // text: width of the CLASS column ("2 Känslig")
};

class ScanPrinter {
 public:
  virtual ~ScanPrinter() = default;
  virtual void begin() {}
  virtual void result(const ScanResult& r) = 0;
  virtual void end(const ScanSummary& summary, const std::vector<SkippedEntry>& skipped) {
    (void)summary;
    (void)skipped;
  }
};

std::unique_ptr<ScanPrinter> make_scan_printer(OutputFormat format, std::ostream& out,
                                               const PrintOptions& options);
// One per format, each in its own scan_output_<format>.cpp.
std::unique_ptr<ScanPrinter> make_text_printer(std::ostream& out, const PrintOptions& options);
std::unique_ptr<ScanPrinter> make_jsonl_printer(std::ostream& out, const PrintOptions& options);
std::unique_ptr<ScanPrinter> make_csv_printer(std::ostream& out, const PrintOptions& options);

// The human summary (also used on stderr/stdout beside the jsonl and csv formats).
void print_summary(std::ostream& out, const ScanSummary& summary,
                   const std::vector<SkippedEntry>& skipped, bool list_skipped);

// Columns counted in code points, so "Känslig" pads like "Kanslig".
std::size_t display_width(std::string_view utf8);

}  // namespace vakt::cli
