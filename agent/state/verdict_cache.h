// VerdictCache: the agent's memory of what it has already scanned, in SQLite (state.sqlite, WAL).
//
// A verdict is keyed by path, size, mtime, file id (device + inode), content SHA-256 and the
// engine's rules version. find_unchanged() answers "same file, same rules — skip it" without
// reading the file; find_by_content() lets a copy or a touched file reuse a verdict after hashing.
// A rules change makes every verdict stale, so everything is scanned again.
//
//   auto cache = VerdictCache::open(state_dir / "state.sqlite", &aside);
//   if (auto v = cache->find_unchanged(path, info, rules_version)) skip();
//   cache->store(path, info, verdict);
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/file_info.h"
#include "state/sqlite_db.h"

namespace vakt::agent {

struct CachedVerdict {
  std::string sha256;
  std::string rules_version;
  std::string status;  // scanned | partial | unscannable
  std::string reason;
  int info_class = 0;
  std::string class_name;
  std::string rule_ids;    // comma-separated, for the log of a reused verdict
  std::string rule_names;  // comma-separated, same order
  std::string mime_type;
  std::int64_t scanned_at = 0;  // unix seconds
};

class VerdictCache {
 public:
  // `aside`, if not null, receives the name a damaged database was moved to ("" when healthy).
  static Expected<std::unique_ptr<VerdictCache>> open(const std::filesystem::path& db_path,
                                                      std::string* aside);

  std::optional<CachedVerdict> find_unchanged(const std::filesystem::path& path,
                                              const FileInfo& info,
                                              const std::string& rules_version);
  std::optional<CachedVerdict> find_by_content(const std::string& sha256,
                                               const std::string& rules_version);
  Status store(const std::filesystem::path& path, const FileInfo& info, const CachedVerdict& v);
  Status forget(const std::filesystem::path& path);
  std::int64_t count();

 private:
  explicit VerdictCache(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  std::mutex mutex_;
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace vakt::agent
