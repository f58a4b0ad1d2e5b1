// TextScanner: one worker's streaming matcher over the text of one document.
//
// Not thread-safe; create one per worker (it owns a Hyperscan scratch and stream). Feed it as a
// TextSink — parts, UTF-8 pieces of any size — then finish() to get confirmed findings and the
// document's information class. A match or a context window that spans two pieces is found.
//
//   TextScanner ts(engine);
//   ts.begin_part(""); ts.text(chunk1); ts.text(chunk2); ts.end_part();
//   DocumentVerdict v = ts.finish();       // also resets for the next document
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vakt/scanner/finding.h"
#include "vakt/scanner/text_sink.h"

namespace vakt {

class Engine;

struct DocumentVerdict {
  int info_class = 0;
  std::string class_name;
  std::vector<std::string> conditions;  // policy conditions that fired, highest class first
  std::vector<Finding> findings;
  std::vector<Rejection> rejections;  // filled only with explain
  std::uint64_t findings_total = 0;
  std::vector<RuleCount> rule_counts;  // per rule that reported, in rule order; sums to the total
  std::uint64_t text_bytes = 0;
  bool matches_truncated = false;  // Limits::max_matches cut the list
};

class TextScanner final : public TextSink {
 public:
  explicit TextScanner(std::shared_ptr<const Engine> engine, bool explain = false);
  ~TextScanner() override;
  TextScanner(const TextScanner&) = delete;
  TextScanner& operator=(const TextScanner&) = delete;

  void begin_part(std::string_view part_name) override;
  void text(std::string_view utf8) override;
  void valid_text(std::string_view utf8) override;
  void end_part() override;
  bool saturated() const override;

  DocumentVerdict finish();
  const Engine& engine() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vakt
