// matcher_ir: the TextScanner hot path alone, for instruction counts under callgrind and for CPU
// time (not wall time) on a shared machine. Loads the engine from a database cache (so valgrind
// does not spend minutes in the Hyperscan compiler), warms up, then scans the text once with
// callgrind collection switched on around the scan only.
//
//   matcher_ir [--text prose|ids|FILE] [--mb N] [--chunk BYTES] [--reps N] [--rules DIR]
//              [--hyperscan-only 1] [--only ID,ID,...]
//   benchmarks/micro/ir_per_mb build --text prose --mb 8   # callgrind Ir of one scan, and per MB
//
// Prints text size, findings and the median CPU-time throughput over --reps scans (MB = 10^6).
// --hyperscan-only 1 streams the same chunks through the engine's own Hyperscan database with a
// callback that only counts: the ceiling for anything Vakt does per match ("findings" are then
// Hyperscan's raw reports, context keywords included). --only compiles just the listed rules, so
// benchmarks/micro/rule_marginal_cost can time the full set without one rule at a time.
#include <time.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define CALLGRIND_TOGGLE_COLLECT
#endif

#include "match/engine_impl.h"
#include "swedish_text.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::uint64_t scan(vakt::TextScanner& scanner, std::string_view text, std::size_t chunk) {
  scanner.begin_part("");
  for (std::size_t at = 0; at < text.size(); at += chunk) scanner.text(text.substr(at, chunk));
  scanner.end_part();
  return scanner.finish().findings_total;
}

int count_report(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<std::uint64_t*>(ctx);
  return 0;
}

// The engine's database alone, fed the same chunks TextScanner gets.
std::uint64_t scan_hyperscan_only(const vakt::Engine& engine, hs_scratch_t* scratch,
                                  std::string_view text, std::size_t chunk) {
  std::uint64_t reports = 0;
  hs_stream_t* stream = nullptr;
  hs_open_stream(engine.impl().database->db(), 0, &stream);
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    const auto piece = text.substr(at, chunk);
    hs_scan_stream(stream, piece.data(), static_cast<unsigned>(piece.size()), 0, scratch,
                   count_report, &reports);
  }
  hs_close_stream(stream, scratch, count_report, &reports);
  return reports;
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "prose";
  std::string rules;
  std::size_t mb = 16;
  std::size_t chunk = 64 << 10;
  int reps = 5;
  bool hyperscan_only = false;
  std::vector<std::string> only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--text") {
      which = value;
    } else if (flag == "--mb") {
      mb = std::strtoull(value, nullptr, 10);
    } else if (flag == "--chunk") {
      chunk = std::strtoull(value, nullptr, 10);
    } else if (flag == "--reps") {
      reps = std::atoi(value);
    } else if (flag == "--rules") {
      rules = value;
    } else if (flag == "--hyperscan-only") {
      hyperscan_only = std::string(value) == "1";
    } else if (flag == "--only") {
      std::istringstream ids(value);
      for (std::string id; std::getline(ids, id, ',');) {
        if (!id.empty()) only.push_back(id);
      }
    } else {
      std::cerr << "matcher_ir: unknown option " << flag << "\n";
      return 2;
    }
  }
  if (chunk == 0 || reps < 1) {
    std::cerr << "matcher_ir: --chunk and --reps must be positive\n";
    return 2;
  }
  std::string text;
  if (which == "prose" || which == "ids") {
    text = vakt::bench::generate_text(which == "ids", mb << 20);
  } else {
    std::ifstream in(which, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    if (!in) {
      std::cerr << "matcher_ir: cannot read " << which << "\n";
      return 2;
    }
    text = buf.str();
  }

  vakt::EngineOptions options;
  if (!rules.empty()) options.rules_dir = rules;
  options.only_rules = only;
  const char* cache = std::getenv("VAKT_BENCH_CACHE");
  options.cache_dir = cache != nullptr && *cache != '\0' ? cache : "/tmp/vakt-matcher-ir-cache";
  auto engine = vakt::Engine::load(options);
  if (!engine) {
    std::cerr << "matcher_ir: engine did not load: " << engine.error().message << "\n";
    return 2;
  }
  vakt::TextScanner scanner(engine.value());
  hs_scratch_t* scratch = engine.value()->impl().database->clone_scratch();
  auto run_once = [&](std::string_view t) {
    return hyperscan_only ? scan_hyperscan_only(*engine.value(), scratch, t, chunk)
                          : scan(scanner, t, chunk);
  };
  run_once(std::string_view(text).substr(0, 1 << 20));  // warm up

  std::vector<double> seconds;
  std::uint64_t findings = 0;
  for (int r = 0; r < reps; ++r) {
    const double t0 = thread_cpu_seconds();
    if (r == 0) CALLGRIND_TOGGLE_COLLECT;
    findings = run_once(text);
    if (r == 0) CALLGRIND_TOGGLE_COLLECT;
    seconds.push_back(thread_cpu_seconds() - t0);
  }
  hs_free_scratch(scratch);
  std::sort(seconds.begin(), seconds.end());
  const double median = seconds[seconds.size() / 2];
  const double mbytes = static_cast<double>(text.size()) / 1e6;
  std::cout << (hyperscan_only ? "hyperscan_only " : "") << "text_MB " << mbytes << " findings "
            << findings << " patterns " << engine.value()->pattern_count() << " cpu_MB/s_median "
            << (median > 0 ? mbytes / median : 0.0) << " (min " << mbytes / seconds.back()
            << ", max " << mbytes / seconds.front() << ", " << reps << " reps)\n";
  return 0;
}
