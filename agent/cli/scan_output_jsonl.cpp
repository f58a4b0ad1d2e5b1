// The `jsonl` format: one JSON object per file and line, keys in this order:
//   path, status, reason, type, size, class, class_name, conditions, findings_total,
//   findings: [{rule, class, confidence, masked, pseudonym (only with a key), part, line, offset,
//               explanation (only with --explain)}],
//   rejections: [{rule, masked, part, line, offset, reason}] (only with --explain),
//   seconds
// Strings that are not valid UTF-8 (odd file names) are written with U+FFFD, never dropped.
#include <nlohmann/json.hpp>

#include "cli/scan_output.h"

namespace vakt::cli {
namespace {

using Json = nlohmann::ordered_json;

class JsonlPrinter final : public ScanPrinter {
 public:
  JsonlPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}

  void result(const ScanResult& r) override {
    Json j;
    j["path"] = r.path;
    j["status"] = std::string(to_string(r.status));
    j["reason"] = r.reason;
    j["type"] = r.type;
    j["size"] = r.size;
    j["class"] = r.info_class;
    j["class_name"] = r.class_name;
    j["conditions"] = r.conditions;
    j["findings_total"] = std::max<std::uint64_t>(r.findings_total, r.findings.size());
    Json findings = Json::array();
    for (const auto& f : r.findings) {
      Json jf;
      jf["rule"] = f.rule_id;
      jf["class"] = f.rule_class;
      jf["confidence"] = std::string(to_string(f.confidence));
      jf["masked"] = f.masked;
      if (!f.pseudonym.empty()) jf["pseudonym"] = f.pseudonym;
      jf["part"] = f.part;
      jf["line"] = f.line;
      jf["offset"] = f.offset;
      if (options_.explain) jf["explanation"] = f.explanation;
      findings.push_back(std::move(jf));
    }
    j["findings"] = std::move(findings);
    if (options_.explain) {
      Json rejections = Json::array();
      for (const auto& x : r.rejections) {
        rejections.push_back({{"rule", x.rule_id},
                              {"masked", x.masked},
                              {"part", x.part},
                              {"line", x.line},
                              {"offset", x.offset},
                              {"reason", x.reason}});
      }
      j["rejections"] = std::move(rejections);
    }
    j["seconds"] = r.seconds;
    out_ << j.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  PrintOptions options_;
};

}  // namespace

std::unique_ptr<ScanPrinter> make_jsonl_printer(std::ostream& out, const PrintOptions& options) {
  return std::make_unique<JsonlPrinter>(out, options);
}

}  // namespace vakt::cli
