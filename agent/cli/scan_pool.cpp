#include "cli/scan_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>

namespace vakt::cli {
namespace {

ScanResult internal_error(const WalkItem& item, const std::string& what) {
  ScanResult r;
  r.path = item.path.string();
  r.status = ScanStatus::kError;
  r.reason = "internal error: " + what;
  r.size = item.size;
  return r;
}

}  // namespace

void run_scan_pool(const std::shared_ptr<const Engine>& engine, const FileScanOptions& options,
                   unsigned threads, std::vector<WalkItem>& items, const ResultCallback& on_result,
                   const TickCallback& on_tick) {
  const std::size_t n = items.size();
  std::vector<std::optional<ScanResult>> slots(n);
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<std::size_t> next{0};
  std::uint64_t files_done = 0;  // guarded by mutex
  std::uint64_t bytes_done = 0;  // guarded by mutex

  auto publish = [&](std::size_t index, ScanResult&& result) {
    std::lock_guard lock(mutex);
    bytes_done += items[index].size;
    ++files_done;
    slots[index] = std::move(result);
    ready.notify_one();
  };

  auto worker = [&]() {
    std::unique_ptr<FileScanner> scanner;
    std::string setup_error;
    try {
      scanner = std::make_unique<FileScanner>(engine, options);
    } catch (const std::exception& e) {
      setup_error = e.what();
    } catch (...) {
      setup_error = "cannot create a scanner";
    }
    for (std::size_t i = next++; i < n; i = next++) {
      const WalkItem& item = items[i];
      if (item.outcome) {
        publish(i, ScanResult(*item.outcome));
        continue;
      }
      ScanResult result;
      if (!scanner) {
        result = internal_error(item, setup_error);
      } else {
        try {
          result = scanner->scan_file(item.path);
        } catch (const std::exception& e) {
          result = internal_error(item, e.what());
        } catch (...) {
          result = internal_error(item, "unknown exception");
        }
      }
      result.path = item.path.string();  // the path as the user wrote it, not a resolved one
      publish(i, std::move(result));
    }
  };

  const std::size_t worker_count = std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(n, 1));
  std::vector<std::thread> workers;
  workers.reserve(worker_count);
  for (std::size_t w = 0; w < worker_count && n > 0; ++w) {
    try {
      workers.emplace_back(worker);
    } catch (const std::system_error&) {
      break;  // the system refused another thread: go on with the ones we have
    }
  }
  if (workers.empty()) worker();  // not even one thread: scan on this one

  auto join_all = [&] {
    for (auto& t : workers) t.join();
  };
  try {
    std::size_t emitted = 0;
    while (emitted < n) {
      std::vector<ScanResult> batch;
      std::uint64_t files = 0;
      std::uint64_t bytes = 0;
      {
        std::unique_lock lock(mutex);
        ready.wait_for(lock, std::chrono::milliseconds(100),
                       [&] { return slots[emitted].has_value(); });
        while (emitted < n && slots[emitted]) {
          batch.push_back(std::move(*slots[emitted]));
          slots[emitted].reset();
          ++emitted;
        }
        files = files_done;
        bytes = bytes_done;
      }
      for (auto& r : batch) on_result(std::move(r));
      on_tick(files, bytes);
    }
  } catch (...) {
    next.store(n);  // workers finish the file in hand and stop
    join_all();
    throw;
  }
  join_all();
}

}  // namespace vakt::cli
