#include "actions/quarantine.h"

#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <random>
#include <system_error>

#include "actions/note.h"
#include "runtime/file_info.h"

namespace vakt::agent {
namespace {

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
  if (ec)
    return Error{"cannot create quarantine folder " + files_dir().string() + ": " + ec.message()};
  for (const auto& d : {options_.dir, files_dir()}) {
    if (::chmod(d.c_str(), 0700) != 0) {
      return Error{"cannot protect quarantine folder " + d.string() + " (chmod 0700)"};
    }
  }
  return Ok{};
}

std::string Quarantine::new_id() const {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char suffix[16];
  std::snprintf(suffix, sizeof(suffix), "%06llx",
                static_cast<unsigned long long>(rng() & 0xffffffULL));
  return std::string("Q") + stamp + "-" + suffix;
}

void Quarantine::write_note_for(const LedgerEntry& e) {
  NoteFacts facts;
  facts.file_name = std::filesystem::path(e.original_path).filename().string();
  facts.class_level = e.info_class;
  facts.class_name = e.class_name;
  facts.rule_names = split_list(e.rule_names);
  facts.reason = e.reason;
  facts.quarantine_id = e.id;
  facts.helpdesk = options_.helpdesk;
  (void)write_note(e.note_path, compose_quarantine_note(facts));
}

Expected<QuarantineOutcome> Quarantine::quarantine(const QuarantineRequest& req) {
  LedgerEntry e;
  e.id = new_id();
  e.original_path = req.path.string();
  e.stored_path = (files_dir() / e.id).string();
  e.note_path = note_path_for(req.path).string();
  e.sha256 = req.expected_sha256;
  auto info = stat_no_follow(req.path);
  if (!info) return info.error();
  if (info->kind != FileKind::kRegular) return Error{"not a regular file (or gone)"};
  e.size = static_cast<std::int64_t>(info->size);
  e.info_class = req.info_class;
  e.class_name = req.class_name;
  e.rule_ids = join(req.rule_ids, ",");
  e.rule_names = join(req.rule_names, ",");
  e.owner = req.owner;
  e.reason = req.reason;
  if (auto st = ledger_.create_pending(e); !st) return st.error();

  auto moved = safe_move(ops_, req.path, e.stored_path);
  if (!moved) {
    // The original is untouched (safe_move guarantees it); record why and leave it.
    if (is_regular(e.stored_path)) {
      // Whole copy exists but the original could not be deleted: keep the stored copy.
      (void)ledger_.transition(e.id, LedgerState::kPending, LedgerState::kQuarantined,
                               "copied; original not deleted: " + moved.error().message);
    } else {
      (void)ledger_.transition(e.id, LedgerState::kPending, LedgerState::kFailed,
                               moved.error().message);
    }
    return moved.error();
  }
  if (!req.expected_sha256.empty() && moved->sha256 != req.expected_sha256) {
    // The file changed between the scan and the move; what we hold is still one whole file.
    e.detail = "content changed after scan";
  }
  ::chmod(e.stored_path.c_str(), 0600);
  (void)ledger_.set_sha256(e.id, moved->sha256, static_cast<std::int64_t>(moved->size));
  e.sha256 = moved->sha256;
  write_note_for(e);
  std::string method = moved->method == MoveMethod::kRename ? "rename" : "copy-verify";
  if (auto st = ledger_.transition(e.id, LedgerState::kPending, LedgerState::kQuarantined, method);
      !st) {
    return st.error();
  }
  QuarantineOutcome out;
  out.id = e.id;
  out.stored_path = e.stored_path;
  out.note_path = e.note_path;
  out.sha256 = moved->sha256;
  out.size = moved->size;
  out.method = moved->method;
  return out;
}

std::optional<RecoveryAction> Quarantine::recover_pending(const LedgerEntry& e) {
  ops_.remove_file(partial_path_for(e.stored_path));  // a partial copy is never whole
  bool stored = is_regular(e.stored_path);
  bool original = is_regular(e.original_path);
  RecoveryAction act{e.id, LedgerState::kPending, LedgerState::kPending, ""};
  if (stored) {
    std::uint64_t size = 0;
    auto stored_hash = hash_with(ops_, e.stored_path, &size);
    if (!stored_hash) return std::nullopt;  // unreadable now; try again next start
    if (original) {
      auto original_hash = hash_with(ops_, e.original_path);
      if (original_hash && *original_hash == *stored_hash) {
        if (int err = ops_.remove_file(e.original_path); err != 0) return std::nullopt;
        ops_.sync_dir(std::filesystem::path(e.original_path).parent_path());
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
    write_note_for(done);
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
  ops_.remove_file(partial_path_for(e.restored_to));
  bool stored = is_regular(e.stored_path);
  bool target = is_regular(e.restored_to);
  RecoveryAction act{e.id, LedgerState::kRestoring, LedgerState::kRestoring, ""};
  if (stored && target) {
    auto target_hash = hash_with(ops_, e.restored_to);
    if (target_hash && *target_hash == e.sha256) {
      ops_.remove_file(e.stored_path);
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
    std::error_code ec;
    std::filesystem::remove(e.note_path, ec);
  }
  if (!ledger_.transition(e.id, act.from, act.to, act.detail)) return std::nullopt;
  return act;
}

std::vector<RecoveryAction> Quarantine::recover() {
  std::vector<RecoveryAction> done;
  for (const auto& e : ledger_.list(LedgerState::kPending)) {
    if (auto act = recover_pending(e)) done.push_back(*act);
  }
  for (const auto& e : ledger_.list(LedgerState::kRestoring)) {
    if (auto act = recover_restoring(e)) done.push_back(*act);
  }
  return done;
}

Expected<RestoreOutcome> Quarantine::restore(const std::string& id,
                                             const std::optional<std::filesystem::path>& to) {
  auto e = ledger_.get(id);
  if (!e) return Error{"no quarantine entry with id " + id};
  if (e->state != LedgerState::kQuarantined) {
    return Error{"entry " + id + " is " + std::string(to_string(e->state)) + ", not quarantined"};
  }
  std::filesystem::path target = to ? *to : std::filesystem::path(e->original_path);
  if (target.is_relative()) target = std::filesystem::absolute(target);
  auto existing = stat_no_follow(target);
  if (!existing) return existing.error();
  if (existing->kind != FileKind::kMissing) {
    return Error{"refusing to overwrite existing " + target.string() +
                 " (use --to PATH to restore elsewhere)"};
  }
  auto stored_hash = hash_with(ops_, e->stored_path);
  if (!stored_hash) return Error{"stored copy unreadable: " + stored_hash.error().message};
  if (!e->sha256.empty() && *stored_hash != e->sha256) {
    return Error{"stored copy of " + id + " does not match its recorded SHA-256; not restored"};
  }
  std::error_code ec;
  std::filesystem::create_directories(target.parent_path(), ec);
  if (auto st = ledger_.set_restored_to(id, target.string()); !st) return st.error();
  if (auto st = ledger_.transition(id, LedgerState::kQuarantined, LedgerState::kRestoring, "");
      !st) {
    return st.error();
  }
  auto moved = safe_move(ops_, e->stored_path, target);
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
  std::filesystem::remove(e->note_path, ec);
  if (auto st = ledger_.transition(id, LedgerState::kRestoring, LedgerState::kRestored,
                                   moved->method == MoveMethod::kRename ? "rename" : "copy-verify");
      !st) {
    return st.error();
  }
  return RestoreOutcome{id, target, moved->sha256};
}

}  // namespace vakt::agent
