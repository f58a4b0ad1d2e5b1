// Worker: takes one path from the queue and carries it through the flow — filter, stat, verdict
// cache, SHA-256, scan (its own FileScanner over the shared engine), log, action. One per thread.
//
//   Worker w(context);
//   while (auto item = queue.pop()) { w.process(*item); queue.done(item->path); }
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "runtime/agent_context.h"
#include "runtime/file_info.h"
#include "vakt/scanner/file_scanner.h"

namespace vakt::agent {

class Worker {
 public:
  explicit Worker(AgentContext& context) : ctx_(context) {}
  void process(const WorkItem& item);

 private:
  struct Verdict {
    ScanResult result;
    std::string sha256;
    bool reused = false;  // from the cache (by content), not scanned now
  };
  FileScanner& scanner_for(const EngineSnapshot& snap);
  // Reports the folders between the root and the file whose own names are flagged, once each.
  // The names of the folders on the way to `root.relative`; with `including_last`, its last
  // component too (the path is itself a folder: one created empty, or found by a rescan).
  void check_folder_names(const ConfigSnapshot& snap, const RootMatch& root,
                          const EngineSnapshot& engine, bool including_last = false);
  void act(const ConfigSnapshot& snap, const RootMatch& root, const std::filesystem::path& path,
           const FileInfo& info, const Verdict& verdict, const std::string& owner, int attempts);
  void quarantine_file(const AgentConfig& cfg, const std::filesystem::path& path,
                       const FileInfo& info, const Verdict& verdict, const std::string& owner,
                       int attempts);
  void hold_file(const AgentConfig& cfg, const std::filesystem::path& path, const Verdict& verdict);
  void forward_file(const RootMatch& root, const std::filesystem::path& path, const FileInfo& info,
                    const Verdict& verdict, const std::string& owner, int attempts);
  // A file another program holds open could not be moved: try again after a growing delay
  // (or as soon as a watcher event says it was saved or closed). Returns the delay.
  std::chrono::seconds retry_when_free(const std::filesystem::path& path, int attempts);

  AgentContext& ctx_;
  std::unique_ptr<FileScanner> scanner_;
  std::uint64_t scanner_generation_ = 0;
};

std::string_view origin_name(WorkOrigin origin);

// Finishes or rolls back quarantine moves and restores that were cut off (the ledger says
// pending/restoring and nobody holds the quarantine lock), logging quarantine-recovered per entry.
// At start, and when a killed `vakt quarantine restore` leaves its partial copy in a sync folder.
void recover_interrupted_moves(AgentContext& ctx);

}  // namespace vakt::agent
