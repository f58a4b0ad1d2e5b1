#include "state/verdict_cache.h"

#include <chrono>

namespace vakt::agent {
namespace {

// v2 adds ctime_ns: an edit in place followed by `touch -r` restores size and mtime but not the
// change time, so a verdict keyed without it could be reused for new content. The v1 table is
// dropped (a cache: the cost is one rescan).
constexpr const char* kSchema = R"sql(
DROP TABLE IF EXISTS verdicts;
CREATE TABLE IF NOT EXISTS verdicts_v2 (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL,
  device INTEGER NOT NULL,
  inode INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL,
  info_class INTEGER NOT NULL,
  class_name TEXT NOT NULL,
  rule_ids TEXT NOT NULL,
  rule_names TEXT NOT NULL,
  mime_type TEXT NOT NULL,
  scanned_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS verdicts_v2_by_content ON verdicts_v2(sha256, rules_version);
)sql";

constexpr const char* kColumns =
    "sha256, rules_version, status, reason, info_class, class_name, rule_ids, rule_names, "
    "mime_type, scanned_at";

CachedVerdict read_row(const Statement& st) {
  CachedVerdict v;
  v.sha256 = st.text(0);
  v.rules_version = st.text(1);
  v.status = st.text(2);
  v.reason = st.text(3);
  v.info_class = static_cast<int>(st.integer(4));
  v.class_name = st.text(5);
  v.rule_ids = st.text(6);
  v.rule_names = st.text(7);
  v.mime_type = st.text(8);
  v.scanned_at = st.integer(9);
  return v;
}

}  // namespace

Expected<std::unique_ptr<VerdictCache>> VerdictCache::open(const std::filesystem::path& db_path,
                                                           std::string* aside) {
  auto db = SqliteDb::open_or_rebuild(db_path, aside, SqliteDb::Durability::kNormal);
  if (!db) return db.error();
  auto schema = (*db)->exec(kSchema);
  if (!schema) {
    // Readable as SQLite but not as our schema: treat like corruption.
    db.value().reset();
    std::string second_aside;
    std::filesystem::path moved = db_path;
    moved += ".corrupt-schema";
    std::error_code ec;
    std::filesystem::rename(db_path, moved, ec);
    if (ec) return Error{"state database unusable: " + schema.error().message};
    if (aside != nullptr) *aside = moved.string();
    db = SqliteDb::open(db_path, SqliteDb::Durability::kNormal);
    if (!db) return db.error();
    if (auto again = (*db)->exec(kSchema); !again) return again.error();
  }
  return std::unique_ptr<VerdictCache>(new VerdictCache(std::move(db.value())));
}

std::optional<CachedVerdict> VerdictCache::find_unchanged(const std::filesystem::path& path,
                                                          const FileInfo& info,
                                                          const std::string& rules_version) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(std::string("SELECT ") + kColumns +
                         " FROM verdicts_v2 WHERE path = ? AND size = ? AND mtime_ns = ? AND "
                         "ctime_ns = ? AND device = ? AND inode = ? AND rules_version = ?");
  st.bind(1, path.string())
      .bind(2, static_cast<std::int64_t>(info.size))
      .bind(3, info.mtime_ns)
      .bind(4, info.ctime_ns)
      .bind(5, static_cast<std::int64_t>(info.id.device))
      .bind(6, static_cast<std::int64_t>(info.id.inode))
      .bind(7, rules_version);
  if (st.step() != StepResult::kRow) return std::nullopt;
  return read_row(st);
}

std::optional<CachedVerdict> VerdictCache::find_by_content(const std::string& sha256,
                                                           const std::string& rules_version) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(std::string("SELECT ") + kColumns +
                         " FROM verdicts_v2 WHERE sha256 = ? AND rules_version = ? AND status = "
                         "'scanned' LIMIT 1");
  st.bind(1, sha256).bind(2, rules_version);
  if (st.step() != StepResult::kRow) return std::nullopt;
  return read_row(st);
}

Status VerdictCache::store(const std::filesystem::path& path, const FileInfo& info,
                           const CachedVerdict& v) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(
      "INSERT OR REPLACE INTO verdicts_v2 (path, size, mtime_ns, device, inode, sha256, "
      "rules_version, status, reason, info_class, class_name, rule_ids, rule_names, mime_type, "
      "scanned_at, ctime_ns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  st.bind(1, path.string())
      .bind(2, static_cast<std::int64_t>(info.size))
      .bind(3, info.mtime_ns)
      .bind(4, static_cast<std::int64_t>(info.id.device))
      .bind(5, static_cast<std::int64_t>(info.id.inode))
      .bind(6, v.sha256)
      .bind(7, v.rules_version)
      .bind(8, v.status)
      .bind(9, v.reason)
      .bind(10, static_cast<std::int64_t>(v.info_class))
      .bind(11, v.class_name)
      .bind(12, v.rule_ids)
      .bind(13, v.rule_names)
      .bind(14, v.mime_type)
      .bind(15, static_cast<std::int64_t>(now))
      .bind(16, info.ctime_ns);
  if (st.step() != StepResult::kDone) return Error{"cannot store verdict: " + db_->last_error()};
  return Ok{};
}

Status VerdictCache::forget(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("DELETE FROM verdicts_v2 WHERE path = ?");
  st.bind(1, path.string());
  if (st.step() != StepResult::kDone) return Error{"cannot forget verdict: " + db_->last_error()};
  return Ok{};
}

std::int64_t VerdictCache::count() {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("SELECT COUNT(*) FROM verdicts_v2");
  if (st.step() != StepResult::kRow) return 0;
  return st.integer(0);
}

}  // namespace vakt::agent
