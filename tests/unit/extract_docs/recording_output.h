// RecordingOutput: a DocOutput that keeps everything a parser emits, for assertions in tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "extract/isolation.h"

namespace vakt::extract::testing {

struct RecordedPart {
  std::string name;
  std::string text;
};

class RecordingOutput final : public DocOutput {
 public:
  void begin_part(std::string_view name) override {
    parts.push_back({std::string(name), {}});
    open = true;
  }
  void text(std::string_view utf8) override {
    if (!open) begin_part("(no part)");
    parts.back().text.append(utf8);
  }
  void end_part() override { open = false; }
  void child(std::string_view bytes, std::string_view name) override {
    children.emplace_back(std::string(name), std::string(bytes));
  }
  void partial(std::string_view reason) override { partials.emplace_back(reason); }
  void unscannable(std::string_view reason) override { unscannables.emplace_back(reason); }

  // All text of all parts, joined by newlines.
  std::string all_text() const {
    std::string s;
    for (const auto& p : parts) s.append(p.text).append("\n");
    return s;
  }
  const RecordedPart* part(std::string_view name) const {
    for (const auto& p : parts) {
      if (p.name == name) return &p;
    }
    return nullptr;
  }

  std::vector<RecordedPart> parts;
  std::vector<std::pair<std::string, std::string>> children;  // name, bytes
  std::vector<std::string> partials;
  std::vector<std::string> unscannables;
  bool open = false;
};

}  // namespace vakt::extract::testing
