// Quarantine: moves a flagged file out of the sync folder into a local protected folder (0700; on
// Windows a DACL for SYSTEM and Administrators only), leaves a Swedish note in its place, and
// records every step in the ledger so a crash at any moment leaves the file whole in exactly one
// place (see state/quarantine_ledger.h).
//
//   Quarantine q({dir, helpdesk}, ledger, default_file_ops());
//   q.prepare();                          // creates <dir>/files with mode 0700
//   q.recover();                          // on start: finish or roll back interrupted moves
//   auto out = q.quarantine(request);     // Expected<QuarantineOutcome>
//   auto back = q.restore(id, std::nullopt);
//
// quarantine(), recover() and restore() each hold an exclusive FolderLock on <dir>/lock (flock(2)
// on Linux, LockFileEx on Windows), so the agent and a helpdesk `vakt quarantine restore` in
// another process never work on the same entry at once. The platform parts (locks, pinning,
// private folders) sit behind actions/{folder_lock,file_guard,private_folder}.h.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "actions/file_ops.h"
#include "actions/note.h"
#include "actions/safe_move.h"
#include "runtime/file_info.h"
#include "state/quarantine_ledger.h"

namespace vakt::agent {

struct QuarantineOptions {
  std::filesystem::path dir;
  std::string helpdesk;
};

struct QuarantineRequest {
  std::filesystem::path path;
  int info_class = 0;
  std::string class_name;
  std::vector<std::string> rule_ids;
  std::vector<std::string> rule_names;
  std::string reason;  // "" for a classified file; else why it could not be scanned
  std::string owner;
  // What was scanned. If the moved content differs (rewritten between scan and move) it is
  // still quarantined — fail closed, one whole file — and the ledger detail says
  // "content changed after scan".
  std::string expected_sha256;
  // Identity (device + inode) of the file that was scanned. When set, a path that now names
  // anything else (a symlink, another file swapped in) is refused, before and after the move.
  std::optional<FileId> expected_id;
};

struct QuarantineOutcome {
  std::string id;
  std::filesystem::path stored_path;
  std::filesystem::path note_path;
  std::string sha256;
  std::uint64_t size = 0;
  MoveMethod method = MoveMethod::kRename;
  std::string note_error;    // the file is quarantined but the note could not be written
  std::string ledger_error;  // the file is quarantined but its final ledger state was not saved
};

struct RecoveryAction {
  std::string id;
  LedgerState from = LedgerState::kPending;
  LedgerState to = LedgerState::kPending;
  std::string detail;
};

struct RestoreOutcome {
  std::string id;
  std::filesystem::path restored_to;
  std::string sha256;
};

class Quarantine {
 public:
  Quarantine(QuarantineOptions options, QuarantineLedger& ledger, FileOps& ops)
      : options_(std::move(options)), ledger_(ledger), ops_(ops) {}

  Status prepare();
  Expected<QuarantineOutcome> quarantine(const QuarantineRequest& request);
  std::vector<RecoveryAction> recover();
  // Restores to the original path, or `to`; never overwrites an existing file.
  Expected<RestoreOutcome> restore(const std::string& id,
                                   const std::optional<std::filesystem::path>& to);
  const QuarantineOptions& options() const { return options_; }
  std::filesystem::path files_dir() const { return options_.dir / "files"; }
  // <dir>/meta/<id>.json: an fsynced copy of each entry (original path, SHA-256, class), so the
  // stored files stay attributable even if the ledger is lost. Removed on restore.
  std::filesystem::path meta_dir() const { return options_.dir / "meta"; }

 private:
  std::string new_id() const;
  std::optional<RecoveryAction> recover_pending(const LedgerEntry& e);
  std::optional<RecoveryAction> recover_restoring(const LedgerEntry& e);
  // Writes the entry's note at e.note_path, or — when that name is taken by anything but this
  // entry's own note — at "<name>.<id>.vakt.txt", recorded in the ledger. The path written.
  Expected<std::string> write_note_for(const LedgerEntry& e,
                                       std::optional<NoteOwner> owner = std::nullopt);
  void remove_note_of(const LedgerEntry& e);

  QuarantineOptions options_;
  QuarantineLedger& ledger_;
  FileOps& ops_;
};

std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::vector<std::string> split_list(const std::string& joined);

}  // namespace vakt::agent
