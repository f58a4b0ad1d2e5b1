// The `jsonl` format: one JSON object per file and line, keys in this order:
//   path, status, reason, type, size, sha256 (when read), class, class_name, conditions,
//   findings_total, findings_by_rule: {rule id: count, …} (every finding counted, listed or not),
//   findings: [{rule, class, confidence, masked, pseudonym (only with a key), part, line, offset,
//               explanation (only with --explain)}],
//   rejections: [{rule, masked, part, line, offset, reason}] (only with --explain),
//   seconds
// Strings that are not valid UTF-8 (odd file names) are written with U+FFFD, never dropped.
#include <algorithm>
#include <string>

#include "cli/scan_output.h"
#include "report/json_text.h"

namespace vakt::cli {
namespace {

class JsonlPrinter final : public ScanPrinter {
 public:
  JsonlPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}

  void result(const ScanResult& r) override {
    // Written by hand (report/json_text.h): the same compact text nlohmann would dump, at a
    // fraction of the cost for files with thousands of findings.
    line_.clear();
    line_ += '{';
    agent::append_json_key(line_, "path");
    agent::append_json_string(line_, r.path);
    agent::append_json_key(line_, "status");
    agent::append_json_string(line_, to_string(r.status));
    agent::append_json_key(line_, "reason");
    agent::append_json_string(line_, r.reason);
    agent::append_json_key(line_, "type");
    agent::append_json_string(line_, r.type);
    agent::append_json_key(line_, "size");
    agent::append_json_uint(line_, r.size);
    if (!r.sha256.empty()) {  // the bytes scanned; the agent logs the same as file.hash.sha256
      agent::append_json_key(line_, "sha256");
      agent::append_json_string(line_, r.sha256);
    }
    agent::append_json_key(line_, "class");
    if (has_class(r)) {
      agent::append_json_int(line_, r.info_class);
    } else {
      line_ += "null";  // not read: no class, and certainly not 0 "Öppen"
    }
    agent::append_json_key(line_, "class_name");
    if (has_class(r)) {
      agent::append_json_string(line_, r.class_name);
    } else {
      line_ += "null";
    }
    agent::append_json_key(line_, "conditions");
    line_ += '[';
    for (std::size_t i = 0; i < r.conditions.size(); ++i) {
      if (i > 0) line_ += ',';
      agent::append_json_string(line_, r.conditions[i]);
    }
    line_ += ']';
    agent::append_json_key(line_, "findings_total");
    agent::append_json_uint(line_, std::max<std::uint64_t>(r.findings_total, r.findings.size()));
    agent::append_json_key(line_, "findings_by_rule");
    line_ += '{';
    for (const auto& [rule, n] : findings_per_rule(r)) {
      agent::append_json_key(line_, rule);
      agent::append_json_uint(line_, n);
    }
    line_ += '}';
    agent::append_json_key(line_, "findings");
    line_ += '[';
    for (std::size_t i = 0; i < r.findings.size(); ++i) {
      const auto& f = r.findings[i];
      line_ += i > 0 ? ",{" : "{";
      agent::append_json_key(line_, "rule");
      agent::append_json_string(line_, f.rule_id);
      agent::append_json_key(line_, "class");
      agent::append_json_int(line_, f.rule_class);
      agent::append_json_key(line_, "confidence");
      agent::append_json_string(line_, to_string(f.confidence));
      agent::append_json_key(line_, "masked");
      agent::append_json_string(line_, f.masked);
      if (!f.pseudonym.empty()) {
        agent::append_json_key(line_, "pseudonym");
        agent::append_json_string(line_, f.pseudonym);
      }
      agent::append_json_key(line_, "part");
      agent::append_json_string(line_, f.part);
      agent::append_json_key(line_, "line");
      agent::append_json_uint(line_, f.line);
      agent::append_json_key(line_, "offset");
      agent::append_json_uint(line_, f.offset);
      if (options_.explain) {
        agent::append_json_key(line_, "explanation");
        agent::append_json_string(line_, f.explanation);
      }
      line_ += '}';
    }
    line_ += ']';
    if (options_.explain) {
      agent::append_json_key(line_, "rejections");
      line_ += '[';
      for (std::size_t i = 0; i < r.rejections.size(); ++i) {
        const auto& x = r.rejections[i];
        line_ += i > 0 ? ",{" : "{";
        agent::append_json_key(line_, "rule");
        agent::append_json_string(line_, x.rule_id);
        agent::append_json_key(line_, "masked");
        agent::append_json_string(line_, x.masked);
        agent::append_json_key(line_, "part");
        agent::append_json_string(line_, x.part);
        agent::append_json_key(line_, "line");
        agent::append_json_uint(line_, x.line);
        agent::append_json_key(line_, "offset");
        agent::append_json_uint(line_, x.offset);
        agent::append_json_key(line_, "reason");
        agent::append_json_string(line_, x.reason);
        line_ += '}';
      }
      line_ += ']';
    }
    agent::append_json_key(line_, "seconds");
    agent::append_json_double(line_, r.seconds);
    line_ += "}\n";
    out_ << line_;
    out_.flush();
  }

 private:
  std::ostream& out_;
  PrintOptions options_;
  std::string line_;  // reused: one line per file
};

}  // namespace

std::unique_ptr<ScanPrinter> make_jsonl_printer(std::ostream& out, const PrintOptions& options) {
  return std::make_unique<JsonlPrinter>(out, options);
}

}  // namespace vakt::cli
