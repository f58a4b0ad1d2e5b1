// QuarantineLedger: the durable record of every quarantine move, in SQLite next to the
// quarantined files (<quarantine dir>/ledger.sqlite).
//
// Each entry walks a small state machine. A move is written as `pending` BEFORE any byte moves
// and completed after, so after a crash (kill -9, power loss) recovery can tell, for each entry,
// where its file is and finish or roll back the move:
//
//   pending ──► quarantined ──► restoring ──► restored
//      │                           │
//      ├──► rolled_back            └──► quarantined   (restore abandoned; file still stored)
//      └──► failed
//
//   auto ledger = QuarantineLedger::open(dir / "ledger.sqlite", &aside);
//   ledger->create_pending(entry);
//   ledger->transition(id, LedgerState::kPending, LedgerState::kQuarantined, "rename");
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state/sqlite_db.h"

namespace vakt::agent {

enum class LedgerState { kPending, kQuarantined, kFailed, kRolledBack, kRestoring, kRestored };

std::string_view to_string(LedgerState s);
std::optional<LedgerState> ledger_state_from(std::string_view text);
bool ledger_transition_allowed(LedgerState from, LedgerState to);

struct LedgerEntry {
  std::string id;
  LedgerState state = LedgerState::kPending;
  std::string original_path;
  std::string stored_path;
  std::string note_path;
  std::string sha256;
  std::int64_t size = 0;
  int info_class = 0;
  std::string class_name;
  std::string rule_ids;    // comma-separated
  std::string rule_names;  // comma-separated
  std::string owner;
  std::string reason;  // why it was quarantined ("class 3", "unscannable: encrypted")
  std::string restored_to;
  std::string detail;  // last transition's note (method, error)
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

enum class LedgerAccess { kReadWrite, kReadOnly };

class QuarantineLedger {
 public:
  // Opens (read-write: creating it if new). A damaged or unreadable ledger is an error, never
  // moved aside or rebuilt (`aside` is always left empty; kept for callers' symmetry).
  static Expected<std::unique_ptr<QuarantineLedger>> open(
      const std::filesystem::path& db_path, std::string* aside,
      LedgerAccess access = LedgerAccess::kReadWrite);

  Status create_pending(const LedgerEntry& entry);
  // Moves `id` from `from` to `to` (refused when not allowed or when the entry is not in `from`).
  Status transition(const std::string& id, LedgerState from, LedgerState to,
                    std::string_view detail);
  Status set_sha256(const std::string& id, const std::string& sha256, std::int64_t size);
  Status set_restored_to(const std::string& id, const std::string& target);
  Status set_note_path(const std::string& id, const std::string& note_path);

  std::optional<LedgerEntry> get(const std::string& id);
  std::vector<LedgerEntry> list(std::optional<LedgerState> only = std::nullopt);
  // A restored entry for this exact path and content: the helpdesk let it back in. An entry
  // still `restoring` to this path counts too (the file arrives before the ledger says done).
  std::optional<LedgerEntry> find_restored(const std::string& path, const std::string& sha256);

 private:
  explicit QuarantineLedger(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  std::mutex mutex_;
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace vakt::agent
