// run_rule_examples: every rule's own examples through the real engine, as `vakt rules test` and
// CI run them. An example "matches" when the document it forms has a finding of that rule.
#include <algorithm>

#include "match/engine_impl.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace vakt {

ExampleReport run_rule_examples(const std::shared_ptr<const Engine>& engine) {
  ExampleReport report;
  TextScanner scanner(engine, /*explain=*/true);
  const auto& impl = engine->impl();
  for (const auto& info : engine->rules()) {
    const auto it = std::find_if(impl.rule_set.rules.begin(), impl.rule_set.rules.end(),
                                 [&](const auto& r) { return r.id == info.id; });
    if (it == impl.rule_set.rules.end()) continue;
    auto run = [&](const std::string& example, bool expect) {
      scanner.begin_part("");
      scanner.text(example);
      scanner.end_part();
      auto verdict = scanner.finish();
      const bool matched = std::any_of(verdict.findings.begin(), verdict.findings.end(),
                                       [&](const Finding& f) { return f.rule_id == info.id; });
      ++report.run;
      if (matched == expect) return;
      ExampleFailure failure{info.id, example, expect, {}};
      if (!expect) {
        failure.detail = "matched although it must not";
      } else {
        failure.detail = "no finding";
        for (const auto& r : verdict.rejections) {
          if (r.rule_id == info.id) failure.detail = "rejected: " + r.reason;
        }
      }
      report.failures.push_back(std::move(failure));
    };
    for (const auto& e : it->examples_match) run(e, true);
    for (const auto& e : it->examples_no_match) run(e, false);
  }
  return report;
}

}  // namespace vakt
