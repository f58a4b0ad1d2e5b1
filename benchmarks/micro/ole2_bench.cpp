// OLE2 compound file reading: Vakt's own [MS-CFB] reader against libgsf (the reader it replaced),
// each opening every compound file of the real-world corpus from memory and reading every stream
// in full. Both run over the same files: those libgsf opens. Bytes processed are file bytes; the
// "stream_MB/s" counter is stream bytes read.
//
//   ole2_bench --benchmark_filter=Ole2
#include <benchmark/benchmark.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "extract/ole2_reader.h"

#if VAKT_HAVE_LIBGSF
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>
#endif

namespace vakt::extract {
namespace {

#ifndef VAKT_SHARED_DIR
#define VAKT_SHARED_DIR "/work/shared"
#endif

std::vector<std::string> load_corpus() {
  const std::string base = std::string(VAKT_SHARED_DIR) + "/corpus/realworld/";
  std::ifstream manifest(base + "MANIFEST.tsv");
  std::vector<std::string> out;
  std::string line;
  std::getline(manifest, line);
  while (std::getline(manifest, line)) {
    std::ifstream f(base + line.substr(0, line.find('\t')), std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    std::string b = s.str();
    if (b.size() >= 8 && b.compare(0, 4, "\xD0\xCF\x11\xE0") == 0) out.push_back(std::move(b));
  }
  return out;
}

std::uint64_t read_ours(const Ole2Reader& r, const Ole2Node& n) {
  std::uint64_t total = 0;
  for (const auto& c : n.children) {
    if (c.storage) {
      total += read_ours(r, c);
    } else {
      total += r.read(c, 64u << 20).size();
    }
  }
  return total;
}

#if VAKT_HAVE_LIBGSF
std::uint64_t read_gsf(GsfInfile* dir) {
  std::uint64_t total = 0;
  int n = gsf_infile_num_children(dir);
  for (int i = 0; i < n; ++i) {
    GsfInput* c = gsf_infile_child_by_index(dir, i);
    if (c == nullptr) continue;
    if (GSF_IS_INFILE(c) && gsf_infile_num_children(GSF_INFILE(c)) > 0) {
      total += read_gsf(GSF_INFILE(c));
    } else {
      gsf_off_t size = std::min<gsf_off_t>(gsf_input_size(c), 64 << 20);
      std::string buf;
      buf.resize(65536);
      gsf_off_t done = 0;
      while (done < size) {
        auto k = static_cast<std::size_t>(std::min<gsf_off_t>(65536, size - done));
        if (gsf_input_read(c, k, reinterpret_cast<guint8*>(buf.data())) == nullptr) break;
        done += static_cast<gsf_off_t>(k);
      }
      total += static_cast<std::uint64_t>(done);
    }
    g_object_unref(c);
  }
  return total;
}

GsfInfile* open_gsf(const std::string& b, GsfInput** src) {
  *src = gsf_input_memory_new(reinterpret_cast<const guint8*>(b.data()),
                              static_cast<gsf_off_t>(b.size()), FALSE);
  GError* err = nullptr;
  GsfInfile* f = gsf_infile_msole_new(*src, &err);
  if (err != nullptr) g_error_free(err);
  return f;
}
#endif

// The files both readers are measured on: every corpus compound file libgsf opens (all of them
// when libgsf is not built in).
const std::vector<std::string>& files() {
  static const std::vector<std::string> kFiles = [] {
    std::vector<std::string> all = load_corpus();
#if VAKT_HAVE_LIBGSF
    gsf_init();
    std::vector<std::string> ok;
    for (auto& b : all) {
      GsfInput* src = nullptr;
      GsfInfile* f = open_gsf(b, &src);
      if (f != nullptr) {
        ok.push_back(b);
        g_object_unref(f);
      }
      g_object_unref(src);
    }
    return ok;
#else
    return all;
#endif
  }();
  return kFiles;
}

void report(benchmark::State& state, std::uint64_t file_bytes, std::uint64_t stream_bytes) {
  state.SetBytesProcessed(static_cast<std::int64_t>(file_bytes));
  state.counters["files"] = static_cast<double>(files().size());
  state.counters["stream_MB/s"] =
      benchmark::Counter(static_cast<double>(stream_bytes) / 1e6, benchmark::Counter::kIsRate);
}

void BM_Ole2OpenReadAll_Vakt(benchmark::State& state) {
  if (files().empty()) {
    state.SkipWithError("corpus not available");
    return;
  }
  std::uint64_t file_bytes = 0, stream_bytes = 0;
  for (auto _ : state) {
    for (const auto& b : files()) {
      auto r = Ole2Reader::open(b);
      if (r) stream_bytes += read_ours(*r, r->root());
      file_bytes += b.size();
    }
  }
  report(state, file_bytes, stream_bytes);
}
BENCHMARK(BM_Ole2OpenReadAll_Vakt)->Unit(benchmark::kMillisecond);

#if VAKT_HAVE_LIBGSF
void BM_Ole2OpenReadAll_Libgsf(benchmark::State& state) {
  if (files().empty()) {
    state.SkipWithError("corpus not available");
    return;
  }
  std::uint64_t file_bytes = 0, stream_bytes = 0;
  for (auto _ : state) {
    for (const auto& b : files()) {
      GsfInput* src = nullptr;
      GsfInfile* f = open_gsf(b, &src);
      if (f != nullptr) {
        stream_bytes += read_gsf(f);
        g_object_unref(f);
      }
      g_object_unref(src);
      file_bytes += b.size();
    }
  }
  report(state, file_bytes, stream_bytes);
}
BENCHMARK(BM_Ole2OpenReadAll_Libgsf)->Unit(benchmark::kMillisecond);
#endif

// Opening only (header, FAT, directory tree), no stream reads.
void BM_Ole2OpenOnly_Vakt(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& b : files()) benchmark::DoNotOptimize(Ole2Reader::open(b));
  }
  state.counters["files"] = static_cast<double>(files().size());
}
BENCHMARK(BM_Ole2OpenOnly_Vakt)->Unit(benchmark::kMillisecond);

#if VAKT_HAVE_LIBGSF
void BM_Ole2OpenOnly_Libgsf(benchmark::State& state) {
  for (auto _ : state) {
    for (const auto& b : files()) {
      GsfInput* src = nullptr;
      GsfInfile* f = open_gsf(b, &src);
      if (f != nullptr) g_object_unref(f);
      g_object_unref(src);
    }
  }
  state.counters["files"] = static_cast<double>(files().size());
}
BENCHMARK(BM_Ole2OpenOnly_Libgsf)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace vakt::extract

BENCHMARK_MAIN();
