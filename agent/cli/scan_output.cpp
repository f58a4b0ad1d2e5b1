#include "cli/scan_output.h"

#include <cstdio>

#include "cli/path_mask.h"
#include "cli/terminal_text.h"

namespace vakt::cli {

std::unique_ptr<ScanPrinter> make_scan_printer(OutputFormat format, std::ostream& out,
                                               const PrintOptions& options) {
  switch (format) {
    case OutputFormat::kJsonl:
      return make_jsonl_printer(out, options);
    case OutputFormat::kCsv:
      return make_csv_printer(out, options);
    case OutputFormat::kText:
      break;
  }
  return make_text_printer(out, options);
}

std::size_t display_width(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) ++n;  // count lead bytes only
  }
  return n;
}

namespace {

std::string format_bytes(std::uint64_t bytes) {
  char buf[64];
  if (bytes >= 1000ull * 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(bytes) / 1e9);
  } else if (bytes >= 1000ull * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else if (bytes >= 1000) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void print_summary(std::ostream& out, const ScanSummary& s,
                   const std::vector<SkippedEntry>& skipped, bool list_skipped) {
  out << "\nSummary\n";
  out << "  Files:    " << plural(s.files(), "file", "files") << " ("
      << s.count(ScanStatus::kScanned) << " scanned, " << s.count(ScanStatus::kPartial)
      << " partial, " << s.count(ScanStatus::kUnscannable) << " unscannable, "
      << s.count(ScanStatus::kError) << " error)";
  if (!skipped.empty()) {
    out << ", " << skipped.size() << " skipped" << (list_skipped ? "" : " (--explain lists them)");
  }
  out << "\n";

  out << "  Classes:  ";
  if (s.by_class().empty()) out << "-";
  bool first = true;
  for (auto it = s.by_class().rbegin(); it != s.by_class().rend(); ++it) {
    out << (first ? "" : ", ") << it->first << " " << it->second.first << ": " << it->second.second;
    first = false;
  }
  out << "\n";

  out << "  Flagged:  " << plural(s.flagged(), "file", "files") << " at or above class "
      << s.fail_class();
  if (s.flagged_folders() > 0) {
    out << ", and " << plural(s.flagged_folders(), "folder name", "folder names");
  }
  if (s.incomplete() > 0) out << "; " << s.incomplete() << " not fully scanned";
  out << "\n";

  out << "  Rules:    ";
  auto top = s.top_rules(5);
  if (top.empty()) out << "no findings";
  first = true;
  for (const auto& [rule, tally] : top) {
    out << (first ? "" : ", ") << rule << " " << tally.findings << " in "
        << (tally.files == 0 ? std::string("folder names") : plural(tally.files, "file", "files"));
    first = false;
  }
  if (s.rules().size() > top.size()) out << ", +" << (s.rules().size() - top.size()) << " more";
  out << "\n";

  double mbps =
      s.elapsed_seconds > 0 ? static_cast<double>(s.bytes()) / 1e6 / s.elapsed_seconds : 0.0;
  char speed[128];
  std::snprintf(speed, sizeof speed, "%s in %.2f s, %.1f MB/s, %u %s",
                format_bytes(s.bytes()).c_str(), s.elapsed_seconds, mbps, s.threads,
                s.threads == 1 ? "thread" : "threads");
  out << "  Speed:    " << speed << "\n";

  if (list_skipped) {
    for (const auto& entry : skipped) {
      out << "  skipped:  " << printable(mask_path(entry.path.string())) << " ("
          << printable(entry.reason) << ")\n";
    }
  }
}

}  // namespace vakt::cli
