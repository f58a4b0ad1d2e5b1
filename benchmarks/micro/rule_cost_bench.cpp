// What each rule costs: the embedded rule set (or VAKT_RULES=DIR) compiled one rule at a time and
// scanned over the same Swedish municipal text, so IT security can see which rule slows the
// engine before it ships (Hyperscan cost is very uneven: phrases on common words dominate).
//
//   build-release/benchmarks/rule_cost_bench --benchmark_filter=all    # the whole set
//   build-release/benchmarks/rule_cost_bench                            # every rule alone
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <string>

#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace {

// ~8 MiB of running Swedish prose with a realistic density of identity numbers and vocabulary.
const std::string& corpus() {
  static const std::string text = [] {
    const char* words[] = {
        "kommunen", "beslutade", "att", "ärendet", "skickas", "till", "nämnden", "och", "det",
        "som", "för", "med", "på", "av", "är", "en", "ett", "inte", "har", "de", "till", "vid",
        "mötet", "protokoll", "paragraf", "budget", "förvaltningen", "verksamheten", "elever",
        "skolan", "socialtjänsten", "personal", "handläggare", "beslut", "utredning", "enligt",
        "ansvarig", "datum", "kl.", "08-123 456 78", "2024-01-15", "212000-0142", "faktura",
        "1234567890123", "Malmö", "Göteborg", "Älvsjö", "åtgärd", "översyn", "sekretess"};
    const char* numbers[] = {"19990604-2388", "990604-2388", "191212121212", "640823-3234",
                             "701063-2391"};
    std::mt19937 rng(42);
    std::string out;
    out.reserve(8u << 20);
    while (out.size() < (8u << 20)) {
      const auto r = rng() % 1000;
      if (r < 2) {
        out += numbers[rng() % 5];
      } else {
        out += words[rng() % (sizeof(words) / sizeof(words[0]))];
      }
      out += (rng() % 12 == 0) ? ".\n" : " ";
    }
    return out;
  }();
  return text;
}

vakt::EngineOptions options() {
  vakt::EngineOptions o;
  if (const char* dir = std::getenv("VAKT_RULES")) o.rules_dir = dir;
  return o;
}

void scan(benchmark::State& state, std::vector<std::string> only) {
  auto o = options();
  o.only_rules = std::move(only);
  auto engine = vakt::Engine::load(o);
  if (!engine) {
    state.SkipWithError(engine.error().message.c_str());
    return;
  }
  vakt::TextScanner scanner(engine.value());
  const auto& text = corpus();
  for (auto _ : state) {
    scanner.begin_part("");
    for (std::size_t i = 0; i < text.size(); i += 256 << 10) {
      scanner.text(std::string_view(text).substr(i, 256 << 10));
    }
    scanner.end_part();
    benchmark::DoNotOptimize(scanner.finish());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RegisterBenchmark("all", scan, std::vector<std::string>{})->Unit(benchmark::kMillisecond);
  if (auto engine = vakt::Engine::load(options())) {
    for (const auto& rule : (*engine)->rules()) {
      benchmark::RegisterBenchmark(("rule/" + rule.id).c_str(), scan,
                                   std::vector<std::string>{rule.id})
          ->Unit(benchmark::kMillisecond);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
