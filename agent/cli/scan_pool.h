// ScanPool: scans the walked files on N std::thread workers — one FileScanner each, all sharing
// the one immutable Engine — and hands the results back on the calling thread in list order.
//
//   run_scan_pool(engine, file_options, threads, walk.items,
//                 [&](ScanResult&& r) { printer.result(r); },          // in walk order
//                 [&](std::uint64_t files, std::uint64_t bytes) { bar.update(files, bytes); });
//
// Results are delivered as soon as every earlier item is done, so output streams while the scan
// runs and is identical for any thread count. Items the walk already decided (errors) pass
// through unchanged. A worker that fails in an unexpected way turns that file into an `error`
// result; it never takes the process down or leaves an item unanswered.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "cli/file_walker.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/file_scanner.h"

namespace vakt::cli {

using ResultCallback = std::function<void(ScanResult&&)>;
// Called on the calling thread about every 100 ms and after each result.
using TickCallback = std::function<void(std::uint64_t files_done, std::uint64_t bytes_done)>;

void run_scan_pool(const std::shared_ptr<const Engine>& engine, const FileScanOptions& options,
                   unsigned threads, std::vector<WalkItem>& items, const ResultCallback& on_result,
                   const TickCallback& on_tick);

}  // namespace vakt::cli
