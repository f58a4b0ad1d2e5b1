// TextScanner throughput: the engine's matcher (Hyperscan prefilter, RE2 confirm, validators,
// classification) over generated Swedish municipal text, full default rules, one thread.
//
//   build-release/benchmarks/matcher_bench --benchmark_min_time=2
//   VAKT_BENCH_TEXT=corpus/text/16M.txt build-release/benchmarks/matcher_bench
//   VAKT_BENCH_RULES=/path/to/rules build-release/benchmarks/matcher_bench   # default: embedded
//
// Without VAKT_BENCH_TEXT the text is generated in-process from a fixed seed: meeting notes and
// case notes with Skatteverket test personnummer (about one per 2 KB) and hard negatives, or the
// same prose with no numbers at all (the matcher's floor). Bytes/s is reported per core.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "swedish_text.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace {

std::string load_text(bool with_numbers) {
  const char* path = std::getenv("VAKT_BENCH_TEXT");
  if (with_numbers && path != nullptr && *path != '\0') {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in && !buf.str().empty()) return buf.str();
    std::cerr << "matcher_bench: cannot read VAKT_BENCH_TEXT=" << path << ", generating text\n";
  }
  return vakt::bench::generate_text(with_numbers);
}

std::shared_ptr<const vakt::Engine> default_engine() {
  static std::shared_ptr<const vakt::Engine> engine = [] {
    vakt::EngineOptions options;
    const char* rules = std::getenv("VAKT_BENCH_RULES");
    if (rules != nullptr && *rules != '\0') options.rules_dir = rules;
    auto loaded = vakt::Engine::load(options);
    if (!loaded) {
      std::cerr << "matcher_bench: engine did not load: " << loaded.error().message << "\n";
      return std::shared_ptr<const vakt::Engine>{};
    }
    return loaded.value();
  }();
  return engine;
}

void scan_text(benchmark::State& state, bool with_numbers) {
  static const std::string with = load_text(true);
  static const std::string without = load_text(false);
  const std::string& text = with_numbers ? with : without;
  auto engine = default_engine();
  if (!engine) {
    state.SkipWithError("engine did not load");
    return;
  }
  vakt::TextScanner scanner(engine);
  const auto chunk = static_cast<std::size_t>(state.range(0));
  std::uint64_t findings = 0;
  for (auto _ : state) {
    scanner.begin_part("");
    for (std::size_t at = 0; at < text.size(); at += chunk) {
      scanner.text(std::string_view(text).substr(at, chunk));
    }
    scanner.end_part();
    vakt::DocumentVerdict verdict = scanner.finish();
    findings = verdict.findings_total;
    benchmark::DoNotOptimize(verdict.info_class);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["text_MB"] = static_cast<double>(text.size()) / 1e6;
  state.counters["patterns"] = static_cast<double>(engine->pattern_count());
}

void BM_TextScanner_SwedishWithIdentities(benchmark::State& state) {
  scan_text(state, true);
}
void BM_TextScanner_SwedishProseOnly(benchmark::State& state) {
  scan_text(state, false);
}

}  // namespace

// Chunk sizes: 64 KiB (an extractor's typical piece) and 1 MiB.
BENCHMARK(BM_TextScanner_SwedishWithIdentities)
    ->Arg(64 << 10)
    ->Arg(1 << 20)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TextScanner_SwedishProseOnly)
    ->Arg(64 << 10)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
