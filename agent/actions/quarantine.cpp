#include "actions/quarantine.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <system_error>

#include <nlohmann/json.hpp>

#include "actions/file_guard.h"
#include "actions/folder_lock.h"
#include "actions/forward.h"
#include "actions/note.h"
#include "actions/private_folder.h"
#include "actions/quarantine_id.h"
#include "actions/utf8_path.h"
#include "runtime/file_info.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

// Writes `text` to a new file `path` (replacing an older one) and fsyncs it and its folder.
// Through the platform's own file operations, not the injected ones: this copy is a side record.
Status write_durable(const std::filesystem::path& path, const std::string& text) {
  FileOps& ops = default_file_ops();
  auto tmp = path;
  tmp += ".tmp";
  (void)ops.remove_file(tmp);  // a leftover of an interrupted write is never whole
  FileHandle h = kNoHandle;
  if (int err = ops.create_exclusive(tmp, h))
    return Error{"cannot create: " + file_error_text(err)};
  int err = ops.write_all(h, text.data(), text.size());
  if (err == 0) err = ops.sync_file(h);
  int close_err = ops.close_file(h);
  if (err == 0) err = close_err;
  if (err == 0) err = ops.rename_file(tmp, path, /*replace=*/true);
  if (err != 0) {
    (void)ops.remove_file(tmp);
    return Error{"cannot write: " + file_error_text(err)};
  }
  (void)ops.sync_dir(path.parent_path());
  return Ok{};
}

std::string sidecar_text(const LedgerEntry& e) {
  nlohmann::json j = {{"id", e.id},
                      {"original_path", e.original_path},
                      {"stored_path", e.stored_path},
                      {"note_path", e.note_path},
                      {"sha256", e.sha256},
                      {"size", e.size},
                      {"class", e.info_class},
                      {"class_name", e.class_name},
                      {"rule_ids", e.rule_ids},
                      {"owner", e.owner},
                      {"reason", e.reason}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool is_regular(const std::filesystem::path& p) {
  auto info = stat_no_follow(p);
  return info && info->kind == FileKind::kRegular;
}

}  // namespace

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::vector<std::string> split_list(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    auto comma = joined.find(',', start);
    if (comma == std::string::npos) comma = joined.size();
    if (comma > start) out.push_back(joined.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Status Quarantine::prepare() {
  std::error_code ec;
  std::filesystem::create_directories(files_dir(), ec);
  if (!ec) std::filesystem::create_directories(meta_dir(), ec);
  if (ec)
    return Error{"cannot create quarantine folder " + files_dir().string() + ": " + ec.message()};
  for (const auto& d : {options_.dir, files_dir(), meta_dir()}) {
    if (auto st = make_private_folder(d); !st) return st;
  }
  return Ok{};
}

std::string Quarantine::new_id() const {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return make_quarantine_id(
      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), rng());
}

// The entry's note goes with a restore — only if it is still that note: a user's file or another
// entry's note at that name stays.
void Quarantine::remove_note_of(const LedgerEntry& e) {
  const auto original = path_from_utf8(e.original_path);
  remove_vakt_note(path_from_utf8(e.note_path),
                   quarantine_note_prefix(masked_file_name(path_to_utf8(original.filename()))),
                   "karantän-id " + e.id);
}

Expected<std::string> Quarantine::write_note_for(const LedgerEntry& e,
                                                 std::optional<NoteOwner> owner) {
  NoteFacts facts;
  const auto original = path_from_utf8(e.original_path);
  facts.file_name = masked_file_name(path_to_utf8(original.filename()));
  facts.class_level = e.info_class;
  facts.class_name = e.class_name;
  facts.rule_names = split_list(e.rule_names);
  facts.reason = e.reason;
  facts.quarantine_id = e.id;
  facts.helpdesk = options_.helpdesk;
  const std::string text = compose_quarantine_note(facts);
  // Never replaces a file: another file's note of the same masked name, or a user's own file,
  // keeps its place and this note takes the id's name. Recovery finds a note already written.
  const std::string prefix = quarantine_note_prefix(facts.file_name);
  const std::string mine = "karantän-id " + e.id;
  const auto by_id = note_path_for(original, e.id);
  if (is_vakt_note(path_from_utf8(e.note_path), prefix, mine)) return e.note_path;
  auto first = is_vakt_note(by_id, prefix, mine)
                   ? Expected<NoteInstall>(NoteInstall::kNameTaken)
                   : write_note(path_from_utf8(e.note_path), text, owner);
  if (!first) return first.error();
  if (*first == NoteInstall::kWritten) return e.note_path;
  if (!is_vakt_note(by_id, prefix, mine)) {
    auto second = write_note(by_id, text, owner);
    if (!second) return second.error();
    if (*second == NoteInstall::kNameTaken) {
      return Error{"note name taken: " + masked_file_name(path_to_utf8(by_id.filename()))};
    }
  }
  if (auto st = ledger_.set_note_path(e.id, path_to_utf8(by_id)); !st) return st.error();
  return path_to_utf8(by_id);
}

Expected<QuarantineOutcome> Quarantine::quarantine(const QuarantineRequest& req) {
  FolderLock lock(options_.dir);
  if (auto err = lock.failed()) return *err;
  LedgerEntry e;
  e.id = new_id();
  e.original_path = path_to_utf8(req.path);
  e.stored_path = path_to_utf8(files_dir() / e.id);
  e.note_path = path_to_utf8(note_path_for(req.path));
  e.sha256 = req.expected_sha256;
  auto info = stat_no_follow(req.path);
  if (!info) return info.error();
  if (info->kind != FileKind::kRegular) return Error{"not a regular file (or gone)"};
  // Pin the very file that was scanned: the user owns the folder and can swap the name for a
  // symlink or another file at any moment; a different identity is refused.
  auto pinned = pin_regular(req.path);
  if (!pinned) return pinned.error();
  if (pinned->id != info->id || (req.expected_id && *req.expected_id != pinned->id)) {
    return Error{"file was replaced after the scan (different file identity); not moved"};
  }
  WriterGuard guard(req.path, pinned->id);
  if (guard.open_for_writing()) {
    return Error{std::string(kFileInUse) + " (open for writing); not moved, retried later"};
  }
  e.size = static_cast<std::int64_t>(info->size);
  e.info_class = req.info_class;
  e.class_name = req.class_name;
  e.rule_ids = join(req.rule_ids, ",");
  e.rule_names = join(req.rule_names, ",");
  e.owner = req.owner;
  e.reason = req.reason;
  if (auto st = ledger_.create_pending(e); !st) return st.error();

  // A file with other hard links (one outside OneDrive, say) is copied: renamed, the stored file
  // would stay writable through the other name and no longer match its hash at restore.
  auto moved = safe_move(ops_, req.path, path_from_utf8(e.stored_path), /*replace=*/false, {},
                         /*copy=*/pinned->links > 1);
  if (!moved) {
    // The original is untouched (safe_move guarantees it); record why and leave it.
    if (is_regular(path_from_utf8(e.stored_path))) {
      // Whole copy exists but the original could not be deleted: keep the stored copy.
      (void)ledger_.transition(e.id, LedgerState::kPending, LedgerState::kQuarantined,
                               "copied; original not deleted: " + moved.error().message);
    } else {
      (void)ledger_.transition(e.id, LedgerState::kPending, LedgerState::kFailed,
                               moved.error().message);
    }
    return moved.error();
  }
  // What arrived must be the pinned file (a rename moves the inode itself) or, for a copy, a
  // regular file we created. Anything else was swapped in during the move: put it back.
  auto stored_id = protect_stored(path_from_utf8(e.stored_path));
  if (!stored_id || (moved->method == MoveMethod::kRename && *stored_id != pinned->id)) {
    std::string why = stored_id ? "file was replaced during the move (different file identity)"
                                : stored_id.error().message;
    int back = ops_.rename_file(path_from_utf8(e.stored_path), req.path, /*replace=*/false);
    (void)ledger_.transition(
        e.id, LedgerState::kPending, back == 0 ? LedgerState::kRolledBack : LedgerState::kFailed,
        why + (back == 0 ? "; moved back" : "; could not move back: " + file_error_text(back)));
    return Error{why + "; not quarantined"};
  }
  if (!req.expected_sha256.empty() && moved->sha256 != req.expected_sha256) {
    // The file changed between the scan and the move; what we hold is still one whole file.
    e.detail = "content changed after scan";
  }
  (void)ledger_.set_sha256(e.id, moved->sha256, static_cast<std::int64_t>(moved->size));
  e.sha256 = moved->sha256;
  QuarantineOutcome out;
  out.id = e.id;
  out.stored_path = path_from_utf8(e.stored_path);
  out.note_path = path_from_utf8(e.note_path);
  out.sha256 = moved->sha256;
  out.size = moved->size;
  out.method = moved->method;
  if (auto written = write_note_for(e, pinned->owner); !written) {
    out.note_error = written.error().message;
  } else {
    e.note_path = *written;
    out.note_path = path_from_utf8(e.note_path);
  }
  // A copy of the entry beside the stored files: the ledger is the record, but should it ever be
  // lost, this still says where each stored file came from.
  e.size = static_cast<std::int64_t>(moved->size);
  if (auto st = write_durable(meta_dir() / (e.id + ".json"), sidecar_text(e)); !st) {
    e.detail += (e.detail.empty() ? "" : "; ") + std::string("metadata copy not written: ") +
                st.error().message;
  }
  std::string method = moved->method == MoveMethod::kRename ? "rename" : "copy-verify";
  if (!e.detail.empty()) method += "; " + e.detail;
  if (!moved->sync_warning.empty()) method += "; " + moved->sync_warning;
  if (auto st = ledger_.transition(e.id, LedgerState::kPending, LedgerState::kQuarantined, method);
      !st) {
    // The file IS in quarantine (recovery at next start finds it and completes the entry).
    out.ledger_error = st.error().message;
  }
  return out;
}

std::optional<RecoveryAction> Quarantine::recover_pending(const LedgerEntry& e) {
  // A partial copy is never whole.
  ops_.remove_file(partial_path_for(path_from_utf8(e.stored_path)));
  bool stored = is_regular(path_from_utf8(e.stored_path));
  bool original = is_regular(path_from_utf8(e.original_path));
  RecoveryAction act{e.id, LedgerState::kPending, LedgerState::kPending, ""};
  if (stored) {
    std::uint64_t size = 0;
    auto stored_hash = hash_with(ops_, path_from_utf8(e.stored_path), &size);
    if (!stored_hash) return std::nullopt;  // unreadable now; try again next start
    if (original) {
      auto original_hash = hash_with(ops_, path_from_utf8(e.original_path));
      if (original_hash && *original_hash == *stored_hash) {
        if (int err = ops_.remove_file(path_from_utf8(e.original_path)); err != 0)
          return std::nullopt;
        ops_.sync_dir(path_from_utf8(e.original_path).parent_path());
        act.detail = "recovered: copy was whole, original deleted";
      } else {
        act.detail = "recovered: copy was whole; a different file now has the original name";
      }
    } else {
      act.detail = "recovered: move had completed";
    }
    (void)ledger_.set_sha256(e.id, *stored_hash, static_cast<std::int64_t>(size));
    LedgerEntry done = e;
    done.sha256 = *stored_hash;
    done.size = static_cast<std::int64_t>(size);
    if (auto written = write_note_for(done); !written) {
      act.detail += "; note not written: " + written.error().message;
    } else {
      done.note_path = *written;
    }
    // The side record a completed quarantine writes, so a recovered entry has one too.
    if (auto st = write_durable(meta_dir() / (e.id + ".json"), sidecar_text(done)); !st)
      act.detail += "; metadata copy not written: " + st.error().message;
    act.to = LedgerState::kQuarantined;
  } else if (original) {
    act.to = LedgerState::kRolledBack;
    act.detail = "recovered: move had not happened; file left in place";
  } else {
    act.to = LedgerState::kFailed;
    act.detail = "recovered: file was gone before it could be moved";
  }
  if (!ledger_.transition(e.id, act.from, act.to, act.detail)) return std::nullopt;
  return act;
}

std::optional<RecoveryAction> Quarantine::recover_restoring(const LedgerEntry& e) {
  if (e.restored_to.empty()) {
    RecoveryAction act{e.id, LedgerState::kRestoring, LedgerState::kQuarantined,
                       "recovered: restore had not started"};
    if (!ledger_.transition(e.id, act.from, act.to, act.detail)) return std::nullopt;
    return act;
  }
  ops_.remove_file(partial_path_for(path_from_utf8(e.restored_to)));
  bool stored = is_regular(path_from_utf8(e.stored_path));
  bool target = is_regular(path_from_utf8(e.restored_to));
  RecoveryAction act{e.id, LedgerState::kRestoring, LedgerState::kRestoring, ""};
  if (stored && target) {
    auto target_hash = hash_with(ops_, path_from_utf8(e.restored_to));
    if (target_hash && *target_hash == e.sha256) {
      ops_.remove_file(path_from_utf8(e.stored_path));
      act.to = LedgerState::kRestored;
      act.detail = "recovered: restore had copied the file; stored copy removed";
    } else {
      act.to = LedgerState::kQuarantined;
      act.detail = "recovered: restore abandoned; another file has the target name";
    }
  } else if (stored) {
    act.to = LedgerState::kQuarantined;
    act.detail = "recovered: restore had not moved the file";
  } else if (target) {
    act.to = LedgerState::kRestored;
    act.detail = "recovered: restore had completed";
  } else {
    act.to = LedgerState::kFailed;
    act.detail = "recovered: stored file missing";
  }
  if (act.to == LedgerState::kRestored) {
    (void)release_restored(path_from_utf8(e.restored_to));
    remove_note_of(e);
  }
  if (!ledger_.transition(e.id, act.from, act.to, act.detail)) return std::nullopt;
  return act;
}

std::vector<RecoveryAction> Quarantine::recover() {
  std::vector<RecoveryAction> done;
  FolderLock lock(options_.dir);
  if (lock.failed()) return done;  // retried at next start
  for (const auto& e : ledger_.list(LedgerState::kPending)) {
    if (auto act = recover_pending(e)) done.push_back(*act);
  }
  for (const auto& e : ledger_.list(LedgerState::kRestoring)) {
    if (auto act = recover_restoring(e)) done.push_back(*act);
  }
  return done;
}

namespace {

// Whether `path` is `folder` or lies below it, comparing the paths as the file system resolves
// them (links and ".." included) so that no spelling gets past.
bool is_inside(const std::filesystem::path& path, const std::filesystem::path& folder) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  if (ec) return false;
  const std::filesystem::path f = std::filesystem::weakly_canonical(folder, ec);
  if (ec) return false;
  auto pi = p.begin();
  for (auto fi = f.begin(); fi != f.end(); ++fi, ++pi) {
    if (fi->empty()) continue;  // a trailing separator
    if (pi == p.end() || *pi != *fi) return false;
  }
  return true;
}

}  // namespace

Expected<RestoreOutcome> Quarantine::restore(const std::string& id,
                                             const std::optional<std::filesystem::path>& to) {
  FolderLock lock(options_.dir);
  if (auto err = lock.failed()) return *err;
  auto e = ledger_.get(id);
  if (!e) return Error{"no quarantine entry with id " + id};
  if (e->state == LedgerState::kRestoring) {
    // An earlier restore was cut off (killed, power lost). The lock we hold proves nobody works on
    // the entry now, so finish or undo it here instead of waiting for the agent's next start.
    (void)recover_restoring(*e);
    e = ledger_.get(id);
    if (!e) return Error{"no quarantine entry with id " + id};
    if (e->state == LedgerState::kRestored && !e->restored_to.empty()) {
      return RestoreOutcome{id, path_from_utf8(e->restored_to), e->sha256};
    }
  }
  if (e->state != LedgerState::kQuarantined) {
    return Error{"entry " + id + " is " + std::string(to_string(e->state)) + ", not quarantined"};
  }
  std::filesystem::path target = to ? *to : path_from_utf8(e->original_path);
  if (target.is_relative()) target = std::filesystem::absolute(target);
  if (is_inside(target, options_.dir)) {
    // The store is the quarantine's own: a file restored into it would sit beside the copies
    // under a name of the user's choosing, outside the ledger.
    return Error{"refusing to restore into the quarantine folder " + options_.dir.string()};
  }
  auto existing = stat_no_follow(target);
  if (!existing) return existing.error();
  if (existing->kind != FileKind::kMissing) {
    return Error{"refusing to overwrite existing " + target.string() +
                 (to ? std::string() : std::string(" (use --to PATH to restore elsewhere)"))};
  }
  auto stored_hash = hash_with(ops_, path_from_utf8(e->stored_path));
  if (!stored_hash) return Error{"stored copy unreadable: " + stored_hash.error().message};
  if (!e->sha256.empty() && *stored_hash != e->sha256) {
    return Error{"stored copy of " + id + " does not match its recorded SHA-256; not restored"};
  }
  std::error_code ec;
  // Root writes the user's file back into a folder the user controls: a symlinked folder
  // planted on the way (Documents -> /etc/cron.d) must not be followed.
  auto held = open_dir_no_user_symlinks(target.parent_path());
  if (!held) return Error{"cannot restore to " + target.string() + ": " + held.error().message};
  const std::filesystem::path move_to = held->path() / target.filename();
  if (auto st = ledger_.set_restored_to(id, path_to_utf8(target)); !st) return st.error();
  if (auto st = ledger_.transition(id, LedgerState::kQuarantined, LedgerState::kRestoring, "");
      !st) {
    return st.error();
  }
  auto moved = safe_move(ops_, path_from_utf8(e->stored_path), move_to);
  if (!moved) {
    (void)ledger_.transition(id, LedgerState::kRestoring, LedgerState::kQuarantined,
                             "restore failed: " + moved.error().message);
    return moved.error();
  }
  if (!e->sha256.empty() && moved->sha256 != e->sha256) {
    // Cannot happen unless the disk lies; the file is whole at the target either way.
    (void)ledger_.transition(id, LedgerState::kRestoring, LedgerState::kRestored,
                             "restored, but SHA-256 differs from the ledger");
    return Error{"restored file's SHA-256 differs from the ledger"};
  }
  std::string detail = moved->method == MoveMethod::kRename ? "rename" : "copy-verify";
  if (auto st = release_restored(target); !st) detail += "; " + st.error().message;
  remove_note_of(*e);
  std::filesystem::remove(meta_dir() / (id + ".json"), ec);
  if (auto st = ledger_.transition(id, LedgerState::kRestoring, LedgerState::kRestored, detail);
      !st) {
    return st.error();
  }
  return RestoreOutcome{id, target, moved->sha256};
}

}  // namespace vakt::agent
