#include "state/quarantine_ledger.h"

#include <array>
#include <chrono>

namespace vakt::agent {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS quarantine (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  original_path TEXT NOT NULL,
  stored_path TEXT NOT NULL,
  note_path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  info_class INTEGER NOT NULL,
  class_name TEXT NOT NULL,
  rule_ids TEXT NOT NULL,
  rule_names TEXT NOT NULL,
  owner TEXT NOT NULL,
  reason TEXT NOT NULL,
  restored_to TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_by_state ON quarantine(state);
CREATE INDEX IF NOT EXISTS quarantine_by_path ON quarantine(original_path);
)sql";

constexpr const char* kColumns =
    "id, state, original_path, stored_path, note_path, sha256, size, info_class, class_name, "
    "rule_ids, rule_names, owner, reason, restored_to, detail, created_at, updated_at";

constexpr std::array<std::pair<LedgerState, std::string_view>, 6> kNames{{
    {LedgerState::kPending, "pending"},
    {LedgerState::kQuarantined, "quarantined"},
    {LedgerState::kFailed, "failed"},
    {LedgerState::kRolledBack, "rolled_back"},
    {LedgerState::kRestoring, "restoring"},
    {LedgerState::kRestored, "restored"},
}};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

LedgerEntry read_row(const Statement& st) {
  LedgerEntry e;
  e.id = st.text(0);
  e.state = ledger_state_from(st.text(1)).value_or(LedgerState::kFailed);
  e.original_path = st.text(2);
  e.stored_path = st.text(3);
  e.note_path = st.text(4);
  e.sha256 = st.text(5);
  e.size = st.integer(6);
  e.info_class = static_cast<int>(st.integer(7));
  e.class_name = st.text(8);
  e.rule_ids = st.text(9);
  e.rule_names = st.text(10);
  e.owner = st.text(11);
  e.reason = st.text(12);
  e.restored_to = st.text(13);
  e.detail = st.text(14);
  e.created_at = st.integer(15);
  e.updated_at = st.integer(16);
  return e;
}

}  // namespace

std::string_view to_string(LedgerState s) {
  for (const auto& [state, name] : kNames) {
    if (state == s) return name;
  }
  return "failed";
}

std::optional<LedgerState> ledger_state_from(std::string_view text) {
  for (const auto& [state, name] : kNames) {
    if (name == text) return state;
  }
  return std::nullopt;
}

bool ledger_transition_allowed(LedgerState from, LedgerState to) {
  switch (from) {
    case LedgerState::kPending:
      return to == LedgerState::kQuarantined || to == LedgerState::kFailed ||
             to == LedgerState::kRolledBack;
    case LedgerState::kQuarantined:
      return to == LedgerState::kRestoring;
    case LedgerState::kRestoring:
      return to == LedgerState::kRestored || to == LedgerState::kQuarantined ||
             to == LedgerState::kFailed;
    case LedgerState::kFailed:
    case LedgerState::kRolledBack:
    case LedgerState::kRestored:
      return false;
  }
  return false;
}

Expected<std::unique_ptr<QuarantineLedger>> QuarantineLedger::open(
    const std::filesystem::path& db_path, std::string* aside, LedgerAccess access) {
  // Never rebuilt or moved aside: without its entries the stored files cannot be restored. A
  // ledger that cannot be opened is an error the caller must fail closed on.
  if (aside != nullptr) aside->clear();
  auto db = access == LedgerAccess::kReadOnly ? SqliteDb::open_read_only(db_path)
                                              : SqliteDb::open(db_path);
  if (!db) return Error{"quarantine ledger: " + db.error().message};
  if (auto st = (*db)->check_integrity(); !st) {
    return Error{"quarantine ledger " + db_path.string() + ": " + st.error().message};
  }
  if (access == LedgerAccess::kReadWrite) {
    if (auto st = (*db)->exec(kSchema); !st) {
      return Error{"quarantine ledger: " + st.error().message};
    }
  }
  return std::unique_ptr<QuarantineLedger>(new QuarantineLedger(std::move(db.value())));
}

Status QuarantineLedger::create_pending(const LedgerEntry& e) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(std::string("INSERT INTO quarantine (") + kColumns +
                         ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  auto now = now_seconds();
  st.bind(1, e.id)
      .bind(2, to_string(LedgerState::kPending))
      .bind(3, e.original_path)
      .bind(4, e.stored_path)
      .bind(5, e.note_path)
      .bind(6, e.sha256)
      .bind(7, e.size)
      .bind(8, static_cast<std::int64_t>(e.info_class))
      .bind(9, e.class_name)
      .bind(10, e.rule_ids)
      .bind(11, e.rule_names)
      .bind(12, e.owner)
      .bind(13, e.reason)
      .bind(14, e.restored_to)
      .bind(15, e.detail)
      .bind(16, now)
      .bind(17, now);
  if (st.step() != StepResult::kDone)
    return Error{"ledger: cannot record " + e.id + ": " + db_->last_error()};
  return Ok{};
}

Status QuarantineLedger::transition(const std::string& id, LedgerState from, LedgerState to,
                                    std::string_view detail) {
  if (!ledger_transition_allowed(from, to)) {
    return Error{"ledger: transition " + std::string(to_string(from)) + " -> " +
                 std::string(to_string(to)) + " is not allowed"};
  }
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(
      "UPDATE quarantine SET state = ?, detail = ?, updated_at = ? WHERE id = ? AND state = ?");
  st.bind(1, to_string(to))
      .bind(2, detail)
      .bind(3, now_seconds())
      .bind(4, id)
      .bind(5, to_string(from));
  if (st.step() != StepResult::kDone) return Error{"ledger: " + db_->last_error()};
  if (db_->changes() != 1) {
    return Error{"ledger: entry " + id + " is not " + std::string(to_string(from))};
  }
  return Ok{};
}

Status QuarantineLedger::set_sha256(const std::string& id, const std::string& sha256,
                                    std::int64_t size) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("UPDATE quarantine SET sha256 = ?, size = ? WHERE id = ?");
  st.bind(1, sha256).bind(2, size).bind(3, id);
  if (st.step() != StepResult::kDone) return Error{"ledger: " + db_->last_error()};
  return Ok{};
}

Status QuarantineLedger::set_restored_to(const std::string& id, const std::string& target) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("UPDATE quarantine SET restored_to = ? WHERE id = ?");
  st.bind(1, target).bind(2, id);
  if (st.step() != StepResult::kDone) return Error{"ledger: " + db_->last_error()};
  return Ok{};
}

Status QuarantineLedger::set_note_path(const std::string& id, const std::string& note_path) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare("UPDATE quarantine SET note_path = ? WHERE id = ?");
  st.bind(1, note_path).bind(2, id);
  if (st.step() != StepResult::kDone) return Error{"ledger: " + db_->last_error()};
  return Ok{};
}

std::optional<LedgerEntry> QuarantineLedger::get(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(std::string("SELECT ") + kColumns + " FROM quarantine WHERE id = ?");
  st.bind(1, id);
  if (st.step() != StepResult::kRow) return std::nullopt;
  return read_row(st);
}

std::vector<LedgerEntry> QuarantineLedger::list(std::optional<LedgerState> only) {
  std::lock_guard lock(mutex_);
  std::string sql = std::string("SELECT ") + kColumns + " FROM quarantine";
  if (only) sql += " WHERE state = ?";
  sql += " ORDER BY created_at, id";
  auto st = db_->prepare(sql);
  if (only) st.bind(1, to_string(*only));
  std::vector<LedgerEntry> out;
  while (st.step() == StepResult::kRow) out.push_back(read_row(st));
  return out;
}

std::optional<LedgerEntry> QuarantineLedger::find_restored(const std::string& path,
                                                           const std::string& sha256) {
  std::lock_guard lock(mutex_);
  auto st = db_->prepare(std::string("SELECT ") + kColumns +
                         " FROM quarantine WHERE sha256 = ? AND ((state = 'restored' AND "
                         "(restored_to = ? OR original_path = ?)) OR (state = 'restoring' AND "
                         "restored_to = ?)) ORDER BY updated_at DESC LIMIT 1");
  st.bind(1, sha256).bind(2, path).bind(3, path).bind(4, path);
  if (st.step() != StepResult::kRow) return std::nullopt;
  return read_row(st);
}

}  // namespace vakt::agent
