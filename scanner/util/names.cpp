// Printable names of the public enums (finding.h, scan_result.h).
#include "vakt/scanner/finding.h"
#include "vakt/scanner/scan_result.h"

namespace vakt {

std::string_view to_string(Confidence c) {
  switch (c) {
    case Confidence::kLow:
      return "low";
    case Confidence::kMedium:
      return "medium";
    case Confidence::kHigh:
      return "high";
  }
  return "medium";
}

std::string_view to_string(ScanStatus s) {
  switch (s) {
    case ScanStatus::kScanned:
      return "scanned";
    case ScanStatus::kPartial:
      return "partial";
    case ScanStatus::kUnscannable:
      return "unscannable";
    case ScanStatus::kError:
      return "error";
  }
  return "error";
}

}  // namespace vakt
