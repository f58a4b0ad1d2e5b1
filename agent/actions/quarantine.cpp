#include "actions/quarantine.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <random>
#include <system_error>

#include <nlohmann/json.hpp>

#include "actions/forward.h"
#include "actions/note.h"
#include "runtime/file_info.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

// flock(2) on <quarantine dir>/lock for the lifetime of the object (blocking).
class DirLock {
 public:
  explicit DirLock(const std::filesystem::path& dir) {
    fd_ = ::open((dir / "lock").c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      error_ = errno;
      return;
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        error_ = errno;
        return;
      }
    }
  }
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  std::optional<Error> failed(const std::filesystem::path& dir) const {
    if (error_ == 0) return std::nullopt;
    return Error{"cannot lock quarantine folder " + dir.string() + ": " + std::strerror(error_)};
  }

 private:
  int fd_ = -1;
  int error_ = 0;
};

// The file at `path` itself (never a symlink's target): its identity and owner, or why not.
struct Pinned {
  FileId id;
  NoteOwner owner;
};

Expected<Pinned> pin_regular(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Error{std::string("cannot open: ") + std::strerror(errno)};
  struct stat st {};
  int rc = ::fstat(fd, &st);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Error{std::string("cannot stat: ") + std::strerror(err)};
  if (!S_ISREG(st.st_mode)) return Error{"not a regular file (a symlink or special file)"};
  return Pinned{{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)},
                {st.st_uid, st.st_gid}};
}

// The identity of the stored file, seen without following a symlink; and makes it 0600 through
// that same fd (chmod of /proc/self/fd/N reaches exactly the pinned inode, never a link target).
// A failing chmod (an unprivileged agent, someone else's file) is not an error: the folder is
// 0700 already.
Expected<FileId> protect_stored(const std::filesystem::path& stored) {
  int fd = ::open(stored.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Error{std::string("cannot open stored copy: ") + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{"stored copy is not a regular file"};
  }
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  (void)::chmod(self.c_str(), 0600);
  ::close(fd);
  return FileId{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

// Writes `text` to a new file `path` (replacing an older one) and fsyncs it and its folder.
Status write_durable(const std::filesystem::path& path, const std::string& text) {
  auto tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return Error{std::string("cannot create: ") + std::strerror(errno)};
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  bool ok = left == 0 && ::fsync(fd) == 0;
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Error{std::string("cannot write: ") + std::strerror(ok ? errno : err)};
  }
  int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
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

// A read lease on the file for the length of the move: refused (EAGAIN) while any program has it
// open for writing — its later writes would go into the quarantined inode (same fs) or be lost
// (cross fs) — and, once held, a program opening it for writing waits until the move is done.
// Lease breaks are signalled with SIGURG, whose default action is to ignore it. Where leases
// are not available (no CAP_LEASE, a file system without them) the move goes ahead unchecked.
class WriterLease {
 public:
  WriterLease(const std::filesystem::path& path, FileId expected) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) return;
    struct stat st {};
    if (::fstat(fd_, &st) != 0 || FileId{static_cast<std::uint64_t>(st.st_dev),
                                         static_cast<std::uint64_t>(st.st_ino)} != expected) {
      close_fd();
      return;
    }
    if (::fcntl(fd_, F_SETSIG, SIGURG) != 0) {
      close_fd();
      return;
    }
    if (::fcntl(fd_, F_SETLEASE, F_RDLCK) == 0) {
      held_ = true;
    } else {
      busy_ = errno == EAGAIN;
      close_fd();
    }
  }
  ~WriterLease() {
    if (held_) ::fcntl(fd_, F_SETLEASE, F_UNLCK);
    close_fd();
  }
  WriterLease(const WriterLease&) = delete;
  WriterLease& operator=(const WriterLease&) = delete;
  bool open_for_writing() const { return busy_; }

 private:
  void close_fd() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
  bool held_ = false;
  bool busy_ = false;
};

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

Status Quarantine::write_note_for(const LedgerEntry& e, std::optional<NoteOwner> owner) {
  NoteFacts facts;
  facts.file_name = masked_file_name(std::filesystem::path(e.original_path).filename().string());
  facts.class_level = e.info_class;
  facts.class_name = e.class_name;
  facts.rule_names = split_list(e.rule_names);
  facts.reason = e.reason;
  facts.quarantine_id = e.id;
  facts.helpdesk = options_.helpdesk;
  return write_note(e.note_path, compose_quarantine_note(facts), owner);
}

Expected<QuarantineOutcome> Quarantine::quarantine(const QuarantineRequest& req) {
  DirLock lock(options_.dir);
  if (auto err = lock.failed(options_.dir)) return *err;
  LedgerEntry e;
  e.id = new_id();
  e.original_path = req.path.string();
  e.stored_path = (files_dir() / e.id).string();
  e.note_path = note_path_for(req.path).string();
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
  WriterLease lease(req.path, pinned->id);
  if (lease.open_for_writing()) {
    return Error{
        "file is open for writing by another program; not moved (retried when it is "
        "closed)"};
  }
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
  // What arrived must be the pinned file (a rename moves the inode itself) or, for a copy, a
  // regular file we created. Anything else was swapped in during the move: put it back.
  auto stored_id = protect_stored(e.stored_path);
  if (!stored_id || (moved->method == MoveMethod::kRename && *stored_id != pinned->id)) {
    std::string why = stored_id ? "file was replaced during the move (different file identity)"
                                : stored_id.error().message;
    int back = ops_.rename_file(e.stored_path, req.path, /*replace=*/false);
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
  out.stored_path = e.stored_path;
  out.note_path = e.note_path;
  out.sha256 = moved->sha256;
  out.size = moved->size;
  out.method = moved->method;
  if (auto st = write_note_for(e, pinned->owner); !st) out.note_error = st.error().message;
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
    if (auto st = write_note_for(done); !st)
      act.detail += "; note not written: " + st.error().message;
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
  DirLock lock(options_.dir);
  if (lock.failed(options_.dir)) return done;  // retried at next start
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
  DirLock lock(options_.dir);
  if (auto err = lock.failed(options_.dir)) return *err;
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
  // Root writes the user's file back into a folder the user controls: a symlinked folder
  // planted on the way (Documents -> /etc/cron.d) must not be followed.
  auto dir_fd = open_dir_no_user_symlinks(target.parent_path());
  if (!dir_fd) return Error{"cannot restore to " + target.string() + ": " + dir_fd.error().message};
  struct CloseFd {
    int fd;
    ~CloseFd() { ::close(fd); }
  } dir_guard{*dir_fd};
  const std::filesystem::path move_to =
      std::filesystem::path("/proc/self/fd/" + std::to_string(*dir_fd)) / target.filename();
  if (auto st = ledger_.set_restored_to(id, target.string()); !st) return st.error();
  if (auto st = ledger_.transition(id, LedgerState::kQuarantined, LedgerState::kRestoring, "");
      !st) {
    return st.error();
  }
  auto moved = safe_move(ops_, e->stored_path, move_to);
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
  std::filesystem::remove(meta_dir() / (id + ".json"), ec);
  if (auto st = ledger_.transition(id, LedgerState::kRestoring, LedgerState::kRestored,
                                   moved->method == MoveMethod::kRename ? "rename" : "copy-verify");
      !st) {
    return st.error();
  }
  return RestoreOutcome{id, target, moved->sha256};
}

}  // namespace vakt::agent
