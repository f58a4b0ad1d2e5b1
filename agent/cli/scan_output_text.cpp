// The `text` format: one table row per file, --explain details under it, the summary at the end.
#include <string>

#include "cli/scan_output.h"
#include "cli/terminal_text.h"
#include "vakt/scanner/finding.h"

namespace vakt::cli {
namespace {

void pad_to(std::ostream& out, std::string_view text, std::size_t width) {
  out << text;
  std::size_t w = display_width(text);
  out << std::string(w < width ? width - w : 0, ' ') << "  ";
}

class TextPrinter final : public ScanPrinter {
 public:
  TextPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}

  void begin() override {
    pad_to(out_, "CLASS", options_.class_width);
    pad_to(out_, "STATUS", kStatusWidth);
    pad_to(out_, "PATH", options_.path_width);
    out_ << "FINDINGS / REASON\n";
  }

  void result(const ScanResult& r) override {
    pad_to(out_, class_label(r), options_.class_width);
    pad_to(out_, to_string(r.status), kStatusWidth);
    pad_to(out_, printable(r.path), options_.path_width);
    out_ << findings_text(r);
    if (!r.reason.empty())
      out_ << (r.findings.empty() ? "" : "  ") << "reason: " << printable(r.reason);
    out_ << "\n";
    if (options_.explain) explain(r);
    out_.flush();
  }

  void end(const ScanSummary& summary, const std::vector<SkippedEntry>& skipped) override {
    print_summary(out_, summary, skipped, options_.explain);
    out_.flush();
  }

 private:
  static constexpr std::size_t kStatusWidth = 11;      // "unscannable"
  static constexpr std::size_t kRejectionsShown = 50;  // per file, in text
  static constexpr std::size_t kRulesPerRow = 4;       // the most frequent; --explain shows all

  static std::string class_label(const ScanResult& r) {
    if (!has_class(r)) return "-";
    std::string label = std::to_string(r.info_class);
    if (!r.class_name.empty()) label += " " + r.class_name;
    return label;
  }

  static std::string findings_text(const ScanResult& r) {
    if (r.findings.empty()) return r.reason.empty() ? "-" : "";
    std::string text;
    auto per_rule = findings_per_rule(r);
    for (std::size_t i = 0; i < per_rule.size() && i < kRulesPerRow; ++i) {
      if (!text.empty()) text += ", ";
      text += per_rule[i].first + " " + std::to_string(per_rule[i].second);
    }
    if (per_rule.size() > kRulesPerRow) {
      text += ", +" + std::to_string(per_rule.size() - kRulesPerRow) + " more rules";
    }
    if (r.findings_total > r.findings.size()) {
      text += " (+" + std::to_string(r.findings_total - r.findings.size()) + " not listed)";
    }
    return text;
  }

  void explain(const ScanResult& r) {
    for (const auto& f : r.findings) {
      out_ << "    + " << f.rule_id << "  " << to_string(f.confidence) << "  "
           << printable(f.masked);
      if (!f.pseudonym.empty()) out_ << "  pseudonym " << f.pseudonym.substr(0, 16);
      location(f.part, f.line);
      if (!f.explanation.empty()) out_ << ": " << f.explanation;
      out_ << "\n";
    }
    std::size_t shown = 0;
    for (const auto& x : r.rejections) {
      if (shown++ == kRejectionsShown) {
        out_ << "    - ... " << (r.rejections.size() - kRejectionsShown)
             << " more rejected candidates (--format jsonl --explain lists all)\n";
        break;
      }
      out_ << "    - rejected " << x.rule_id << "  " << printable(x.masked);
      location(x.part, x.line);
      out_ << ": " << printable(x.reason) << "\n";
    }
    if (!r.conditions.empty()) {
      out_ << "    = class " << r.info_class << " from";
      for (const auto& c : r.conditions) out_ << " " << c;
      out_ << "\n";
    }
  }

  void location(const std::string& part, std::uint64_t line) {
    out_ << "  at ";
    if (!part.empty()) out_ << printable(part) << " ";
    out_ << "line " << line;
  }

  std::ostream& out_;
  PrintOptions options_;
};

}  // namespace

std::unique_ptr<ScanPrinter> make_text_printer(std::ostream& out, const PrintOptions& options) {
  return std::make_unique<TextPrinter>(out, options);
}

}  // namespace vakt::cli
