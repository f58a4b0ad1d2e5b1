// Safety tests for the root agent acting inside users' folders: planted symlinks, files swapped
// during a move, a concurrent restore, a damaged ledger, personnummer in file names. Real files,
// real symlinks, real flock(2); the tests that need root (chown) run as root in CI.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "actions/forward.h"
#include "actions/note.h"
#include "actions/quarantine.h"
#include "report/ecs_event.h"
#include "runtime/sha256.h"
#include "state/verdict_cache.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

// The real file operations, with hooks that play the other party in a race.
class HookedFileOps final : public FileOps {
 public:
  bool cross_device = false;
  std::function<void(const std::filesystem::path&, const std::filesystem::path&)> before_rename;
  std::function<void(const std::filesystem::path&, const std::filesystem::path&)> after_rename;

  int rename_file(const std::filesystem::path& from, const std::filesystem::path& to,
                  bool replace) override {
    if (before_rename) before_rename(from, to);
    if (cross_device && from.parent_path() != to.parent_path()) return kCrossDevice;
    int rc = real().rename_file(from, to, replace);
    if (rc == 0 && after_rename) after_rename(from, to);
    return rc;
  }
  int open_read(const std::filesystem::path& p, FileHandle& out) override {
    return real().open_read(p, out);
  }
  int create_exclusive(const std::filesystem::path& p, FileHandle& out) override {
    return real().create_exclusive(p, out);
  }
  int read_some(FileHandle h, char* buf, std::size_t size, std::size_t& got) override {
    return real().read_some(h, buf, size, got);
  }
  int write_all(FileHandle h, const char* data, std::size_t size) override {
    return real().write_all(h, data, size);
  }
  int sync_file(FileHandle h) override { return real().sync_file(h); }
  int close_file(FileHandle h) override { return real().close_file(h); }
  int sync_dir(const std::filesystem::path& d) override {
    return fail_sync_dir ? EIO : real().sync_dir(d);
  }
  int remove_file(const std::filesystem::path& p) override { return real().remove_file(p); }
  bool fail_sync_dir = false;

 private:
  static FileOps& real() { return default_file_ops(); }
};

const std::string kContent = "Namn: Test Testsson\nPersonnummer: 19990604-2388\n";
const std::string kVictim = "someone else's file, must never change\n";

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

FileId id_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

// Another process holding `path` open for writing (Word with the document open) until this goes
// out of scope: forked, so the agent's lease check sees a writer that is not itself.
class WriterProcess {
 public:
  explicit WriterProcess(const std::filesystem::path& path) {
    if (::pipe(to_parent_) != 0 || ::pipe(to_child_) != 0) return;
    child_ = ::fork();
    if (child_ == 0) {
      int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
      if (fd < 0) ::_exit(1);
      char ready = 'r';
      if (::write(to_parent_[1], &ready, 1) != 1) ::_exit(1);
      char stop = 0;
      if (::read(to_child_[0], &stop, 1) < 0) ::_exit(1);  // until the parent says so
      ::_exit(0);
    }
    char ready = 0;
    ready_ = child_ > 0 && ::read(to_parent_[0], &ready, 1) == 1;
  }
  ~WriterProcess() { stop(); }
  WriterProcess(const WriterProcess&) = delete;
  WriterProcess& operator=(const WriterProcess&) = delete;
  bool ready() const { return ready_; }
  void stop() {
    if (child_ > 0) {
      char stop = 's';
      (void)!::write(to_child_[1], &stop, 1);
      int status = 0;
      ::waitpid(child_, &status, 0);
      child_ = -1;
    }
    for (int* fd : {&to_parent_[0], &to_parent_[1], &to_child_[0], &to_child_[1]}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
  }

 private:
  int to_parent_[2] = {-1, -1};
  int to_child_[2] = {-1, -1};
  pid_t child_ = -1;
  bool ready_ = false;
};

struct Fixture {
  TempDir dir;
  std::filesystem::path od = dir / "OneDrive";
  std::filesystem::path qdir = dir / "q";
  std::filesystem::path victim = dir / "victim" / "ledger.sqlite";
  std::unique_ptr<QuarantineLedger> ledger;
  Fixture() {
    std::filesystem::create_directories(od);
    write_file(victim, kVictim);
    ::chmod(victim.c_str(), 0644);
    ledger = std::move(QuarantineLedger::open(dir / "ledger.sqlite", nullptr).value());
  }
  QuarantineRequest request(const std::filesystem::path& p) {
    QuarantineRequest r;
    r.path = p;
    r.info_class = 3;
    r.class_name = "Känslig";
    r.rule_ids = {"se.personnummer"};
    r.rule_names = {"Personnummer"};
    r.owner = "anna";
    r.expected_sha256 = sha256_file(p).value();
    r.expected_id = id_of(p);
    return r;
  }
};

// C1: the old writer opened "<note>.tmp" with O_TRUNC and followed a planted symlink.
TEST(AgentSafety, NoteWriteNeverFollowsAPlantedSymlink) {
  Fixture f;
  auto file = f.od / "a.docx";
  auto note = note_path_for(file);
  auto old_tmp = note;
  old_tmp += ".tmp";
  std::filesystem::create_symlink(f.victim, old_tmp);
  ASSERT_TRUE(write_note(note, "Vakt har flyttat filen.\n"));
  EXPECT_EQ(read_file(f.victim), kVictim);
  EXPECT_EQ(mode_of(f.victim), 0644u);
  EXPECT_EQ(read_file(note), "Vakt har flyttat filen.\n");
  EXPECT_EQ(mode_of(note), 0644u);  // the user and the OneDrive client can read it

  // The note name itself as a symlink: neither it nor its target is touched.
  std::filesystem::remove(note);
  std::filesystem::create_symlink(f.victim, note);
  auto again = write_note(note, "Vakt har flyttat filen.\n", std::nullopt, "Vakt har");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, NoteInstall::kNameTaken);
  EXPECT_TRUE(std::filesystem::is_symlink(note));
  EXPECT_EQ(read_file(f.victim), kVictim);

  // A symlinked folder is refused, not followed.
  auto linked_dir = f.od / "linked";
  std::filesystem::create_directory_symlink(f.victim.parent_path(), linked_dir);
  EXPECT_FALSE(write_note(linked_dir / "x.vakt.txt", "nej\n"));
  EXPECT_FALSE(std::filesystem::exists(f.victim.parent_path() / "x.vakt.txt"));
}

// A user's own file at a note's name stays byte for byte: only Vakt's own older note (its text
// starts with the given prefix) is replaced, and no temporary file is left behind.
TEST(AgentSafety, NoteReplacesOnlyVaktsOwnOlderNote) {
  Fixture f;
  auto note = f.od / "rapport.txt.vakt.txt";
  write_file(note, "MINA ANTECKNINGAR\n");
  auto taken = write_note(note, "Vakt har hållit kvar filen \"rapport.txt\" här.\n", std::nullopt,
                          "Vakt har hållit kvar filen \"rapport.txt\"");
  ASSERT_TRUE(taken);
  EXPECT_EQ(*taken, NoteInstall::kNameTaken);
  EXPECT_EQ(read_file(note), "MINA ANTECKNINGAR\n");
  EXPECT_FALSE(remove_vakt_note(note, "Vakt har hållit kvar filen \"rapport.txt\""));
  EXPECT_TRUE(std::filesystem::exists(note));

  std::filesystem::remove(note);
  const std::string prefix = "Vakt har hållit kvar filen \"rapport.txt\"";
  ASSERT_EQ(write_note(note, prefix + " här.\n").value(), NoteInstall::kWritten);
  ASSERT_EQ(write_note(note, prefix + " här, igen.\n", std::nullopt, prefix).value(),
            NoteInstall::kWritten);
  EXPECT_EQ(read_file(note), prefix + " här, igen.\n");
  // Not replaceable without the prefix: the default never replaces.
  ASSERT_EQ(write_note(note, "annat\n").value(), NoteInstall::kNameTaken);
  EXPECT_FALSE(remove_vakt_note(note, prefix, "karantän-id Q1"));  // marker missing
  EXPECT_TRUE(remove_vakt_note(note, prefix));
  EXPECT_FALSE(std::filesystem::exists(note));
  for (const auto& e : std::filesystem::directory_iterator(f.od)) {
    ADD_FAILURE() << "left behind: " << e.path().filename();
  }
}

// C1: as root (the agent under systemd, and CI) the note belongs to the folder's user.
TEST(AgentSafety, NoteBelongsToTheUserWhenWrittenAsRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown (CI runs as root)";
  Fixture f;
  auto user_dir = f.od / "anna";
  std::filesystem::create_directories(user_dir);
  ASSERT_EQ(::chown(user_dir.c_str(), 4242, 4343), 0);
  auto note = user_dir / "a.txt.vakt.txt";
  ASSERT_TRUE(write_note(note, "hej\n"));
  struct stat st {};
  ASSERT_EQ(::lstat(note.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 4242u);
  EXPECT_EQ(st.st_gid, 4343u);
  ASSERT_EQ(write_note(note, "hej igen\n", NoteOwner{5151, 5252}, "hej").value(),
            NoteInstall::kWritten);
  ASSERT_EQ(::lstat(note.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 5151u);
  EXPECT_EQ(st.st_gid, 5252u);
}

// C3: the name is swapped for a symlink to a victim file between the checks and the rename.
TEST(AgentSafety, QuarantineRefusesASymlinkSwappedInBeforeTheRename) {
  Fixture f;
  auto file = f.od / "x.docx";
  write_file(file, kContent);
  auto req = f.request(file);
  HookedFileOps ops;
  bool swapped = false;
  ops.before_rename = [&](const std::filesystem::path& from, const std::filesystem::path&) {
    if (swapped || from != file) return;
    swapped = true;
    std::filesystem::rename(file, f.od / "x-moved-away.docx");
    std::filesystem::create_symlink(f.victim, file);
  };
  Quarantine q({f.qdir, ""}, *f.ledger, ops);
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(req);
  ASSERT_TRUE(swapped);
  ASSERT_FALSE(out);
  EXPECT_EQ(mode_of(f.victim), 0644u);  // the old ::chmod(stored, 0600) followed the symlink
  EXPECT_EQ(read_file(f.victim), kVictim);
  EXPECT_TRUE(std::filesystem::is_symlink(file));  // put back where it was
  EXPECT_TRUE(std::filesystem::is_empty(q.files_dir()));
  auto all = f.ledger->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, LedgerState::kRolledBack);
}

// C3: a different file under the scanned name is not the file that was scanned.
TEST(AgentSafety, QuarantineRefusesAFileThatIsNotTheScannedOne) {
  Fixture f;
  auto file = f.od / "x.docx";
  write_file(file, kContent);
  auto req = f.request(file);
  write_file(f.od / "other.docx", "ordinary text\n");  // made while the original holds its inode
  std::filesystem::rename(f.od / "other.docx", file);
  ASSERT_NE(id_of(file), *req.expected_id);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(req);
  ASSERT_FALSE(out);
  EXPECT_EQ(read_file(file), "ordinary text\n");
  EXPECT_TRUE(f.ledger->list().empty());

  std::filesystem::remove(file);
  std::filesystem::create_symlink(f.victim, file);
  req.expected_id.reset();
  EXPECT_FALSE(q.quarantine(req));
  EXPECT_EQ(mode_of(f.victim), 0644u);
}

// C4: the original vanished after the copy was renamed into place (a concurrent restore or
// recovery finished the move): the copy is now the only whole file and must stay.
TEST(AgentSafety, CrossDeviceMoveKeepsTheCopyWhenTheOriginalVanishes) {
  Fixture f;
  auto from = f.od / "a.txt";
  auto to = f.dir / "elsewhere" / "a.txt";
  std::filesystem::create_directories(to.parent_path());
  write_file(from, kContent);
  HookedFileOps ops;
  ops.cross_device = true;
  ops.after_rename = [&](const std::filesystem::path& a, const std::filesystem::path& b) {
    if (a == partial_path_for(to) && b == to) std::filesystem::remove(from);
  };
  auto moved = safe_move(ops, from, to);
  EXPECT_TRUE(std::filesystem::exists(to));
  EXPECT_EQ(read_file(to), kContent);
  ASSERT_TRUE(moved) << moved.error().message;
}

// H2: a cross-device copy keeps the original's owner, mode and mtime (it was root:root 0600).
TEST(AgentSafety, CrossDeviceCopyKeepsOwnerModeAndTime) {
  Fixture f;
  auto from = f.od / "a.txt";
  auto to = f.dir / "elsewhere" / "a.txt";
  std::filesystem::create_directories(to.parent_path());
  write_file(from, kContent);
  ASSERT_EQ(::chmod(from.c_str(), 0640), 0);
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(from.c_str(), 4242, 4343), 0);
  }
  struct timespec times[2] = {{1000000000, 0}, {1200000000, 5}};
  ASSERT_EQ(::utimensat(AT_FDCWD, from.c_str(), times, 0), 0);
  HookedFileOps ops;
  ops.cross_device = true;
  auto moved = safe_move(ops, from, to);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->method, MoveMethod::kCopyVerify);
  struct stat st {};
  ASSERT_EQ(::lstat(to.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(st.st_mtim.tv_sec, 1200000000);
  if (::geteuid() == 0) {
    EXPECT_EQ(st.st_uid, 4242u);
    EXPECT_EQ(st.st_gid, 4343u);
  }
}

// L: a failed folder fsync after a rename is reported, not ignored.
TEST(AgentSafety, FailedFolderFsyncIsReported) {
  Fixture f;
  auto from = f.od / "a.txt";
  write_file(from, kContent);
  HookedFileOps ops;
  ops.fail_sync_dir = true;
  auto moved = safe_move(ops, from, f.dir / "b.txt");
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_NE(moved->sync_warning.find("fsync"), std::string::npos);
}

// H1: a program still writing the file would keep writing into the quarantined inode (or lose
// its writes across file systems): the move waits until it has closed the file.
TEST(AgentSafety, QuarantineWaitsWhileAnotherProcessHasTheFileOpenForWriting) {
  Fixture f;
  auto file = f.od / "a.txt";
  write_file(file, kContent);
  auto req = f.request(file);
  WriterProcess writer(file);
  ASSERT_TRUE(writer.ready());
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(req);
  writer.stop();
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("open for writing"), std::string::npos);
  EXPECT_EQ(read_file(file), kContent);
  out = q.quarantine(req);  // the writer is gone
  ASSERT_TRUE(out) << out.error().message;
}

// The airlock too: an editor still writing to the outbox file would, after a forward across file
// systems deleted the original, write on into an unlinked inode and lose it. The forward waits.
TEST(AgentSafety, ForwardWaitsWhileAnotherProcessHasTheFileOpenForWriting) {
  TempDir dir;
  auto file = dir / "outbox" / "brev.txt";
  auto sync = dir / "OneDrive";
  write_file(file, "första stycket\n");
  std::filesystem::create_directories(sync);
  WriterProcess writer(file);
  ASSERT_TRUE(writer.ready());
  auto moved = forward_into(file, sync, "brev.txt", std::nullopt);
  writer.stop();
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.error().message.find(kFileInUse), std::string::npos) << moved.error().message;
  EXPECT_EQ(read_file(file), "första stycket\n");
  EXPECT_FALSE(std::filesystem::exists(sync / "brev.txt"));
  moved = forward_into(file, sync, "brev.txt", std::nullopt);  // the writer is gone
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(read_file(sync / "brev.txt"), "första stycket\n");
}

// C4: quarantine, restore and recover hold <qdir>/lock, the same lock another process (the CLI
// while the agent runs) takes; a restore waits for it.
TEST(AgentSafety, RestoreWaitsForTheQuarantineLockHeldByAnotherProcess) {
  Fixture f;
  auto file = f.od / "a.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    int fd = ::open((f.qdir / "lock").c_str(), O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ::flock(fd, LOCK_EX) != 0) ::_exit(1);
    char ready = 'r';
    if (::write(pipe_fds[1], &ready, 1) != 1) ::_exit(1);
    ::usleep(400 * 1000);
    ::_exit(0);  // the lock goes with the process
  }
  char ready = 0;
  ASSERT_EQ(::read(pipe_fds[0], &ready, 1), 1);
  auto start = std::chrono::steady_clock::now();
  auto back = q.restore(out->id, std::nullopt);
  auto waited = std::chrono::steady_clock::now() - start;
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_EQ(read_file(file), kContent);
}

// H3: a damaged ledger is an error; it is never moved aside and replaced by an empty one.
TEST(AgentSafety, DamagedLedgerIsNeverRebuilt) {
  TempDir dir;
  auto path = dir / "ledger.sqlite";
  write_file(path, std::string(8192, 'x'));
  std::string aside;
  auto ledger = QuarantineLedger::open(path, &aside);
  EXPECT_FALSE(ledger);
  EXPECT_TRUE(aside.empty());
  EXPECT_EQ(read_file(path), std::string(8192, 'x'));
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(e.path().filename().string().find("corrupt"), std::string::npos) << e.path();
  }
  // Read-only open (`vakt quarantine list`) never creates a ledger.
  EXPECT_FALSE(QuarantineLedger::open(dir / "none.sqlite", nullptr, LedgerAccess::kReadOnly));
  EXPECT_FALSE(std::filesystem::exists(dir / "none.sqlite"));
}

// H3: the verdict cache (disposable) is still rebuilt when it is damaged.
TEST(AgentSafety, DamagedVerdictCacheIsStillRebuilt) {
  TempDir dir;
  auto path = dir / "state.sqlite";
  write_file(path, std::string(8192, 'x'));
  std::string aside;
  auto cache = VerdictCache::open(path, &aside);
  ASSERT_TRUE(cache) << cache.error().message;
  EXPECT_FALSE(aside.empty());
}

// H4: while a restore is in flight the file already sits at the target; the watcher must not
// quarantine it again.
TEST(AgentSafety, FindRestoredMatchesARestoreInFlight) {
  TempDir dir;
  auto ledger = QuarantineLedger::open(dir / "ledger.sqlite", nullptr).value();
  LedgerEntry e;
  e.id = "Q1";
  e.original_path = "/od/a.txt";
  e.stored_path = "/q/files/Q1";
  e.note_path = "/od/a.txt.vakt.txt";
  e.sha256 = "abc";
  ASSERT_TRUE(ledger->create_pending(e));
  ASSERT_TRUE(ledger->transition("Q1", LedgerState::kPending, LedgerState::kQuarantined, ""));
  ASSERT_TRUE(ledger->set_restored_to("Q1", "/od/b.txt"));
  EXPECT_FALSE(ledger->find_restored("/od/b.txt", "abc"));  // not restoring yet
  ASSERT_TRUE(ledger->transition("Q1", LedgerState::kQuarantined, LedgerState::kRestoring, ""));
  auto found = ledger->find_restored("/od/b.txt", "abc");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "Q1");
  EXPECT_FALSE(ledger->find_restored("/od/b.txt", "other-content"));
  EXPECT_FALSE(ledger->find_restored("/od/a.txt", "abc"));  // restoring elsewhere
}

// H5: a personnummer in the file name never reaches the note's name, its text or the log.
TEST(AgentSafety, PersonnummerInAFileNameIsMaskedInNoteAndEvent) {
  Fixture f;
  auto file = f.od / "19990604-2388 utredning.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, "IT"}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->note_path.filename().string(), "19990604-XXXX utredning.txt.vakt.txt");
  auto note = read_file(out->note_path);
  EXPECT_EQ(note.find("2388"), std::string::npos) << note;
  EXPECT_NE(note.find("19990604-XXXX utredning.txt"), std::string::npos) << note;
  EXPECT_TRUE(out->note_error.empty()) << out->note_error;

  auto ev = ecs_event("file-quarantined", "success");
  add_file(ev, {file.string(), 1, "", "", "anna"});
  set_field(ev, "vakt.quarantine.note", out->note_path.string());
  set_field(ev, "vakt.reason", "cannot move " + file.string());
  EXPECT_EQ(ev.dump().find("2388"), std::string::npos) << ev.dump();
  EXPECT_NE(ev.dump().find("19990604-****"), std::string::npos) << ev.dump();
}

// L: every event has an ECS event.type, and lifecycle events are not categorised as file.
TEST(AgentSafety, EventsCarryCategoryAndType) {
  auto ev = ecs_event("file-quarantined", "success");
  EXPECT_EQ(ev["event"]["category"], nlohmann::json::array({"file"}));
  EXPECT_EQ(ev["event"]["type"], nlohmann::json::array({"change"}));
  ev = ecs_event("agent-started", "success");
  EXPECT_EQ(ev["event"]["category"], nlohmann::json::array({"process"}));
  EXPECT_EQ(ev["event"]["type"], nlohmann::json::array({"start"}));
  ev = ecs_event("ledger-unavailable", "failure");
  EXPECT_EQ(ev["event"]["category"], nlohmann::json::array({"database"}));
  EXPECT_EQ(ev["event"]["type"], nlohmann::json::array({"error"}));
  ev = ecs_event("file-scanned", "success");
  EXPECT_EQ(ev["event"]["type"], nlohmann::json::array({"info"}));
}

// H3: each stored file has an fsynced metadata copy beside it, removed on restore.
TEST(AgentSafety, StoredFileHasAMetadataSidecar) {
  Fixture f;
  auto file = f.od / "a.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  auto meta = q.meta_dir() / (out->id + ".json");
  auto j = nlohmann::json::parse(read_file(meta));
  EXPECT_EQ(j["original_path"], file.string());
  EXPECT_EQ(j["sha256"], out->sha256);
  EXPECT_EQ(mode_of(q.meta_dir()), 0700u);
  ASSERT_TRUE(q.restore(out->id, std::nullopt));
  EXPECT_FALSE(std::filesystem::exists(meta));
}

// M4: a note that cannot be written is reported, not silently dropped.
TEST(AgentSafety, FailedNoteWriteIsReported) {
  Fixture f;
  // The file sits in a symlinked folder: the move works on the file itself, but a note is never
  // written through a link (the folder is opened with O_NOFOLLOW), and that must be reported.
  std::filesystem::create_directories(f.dir / "real");
  std::filesystem::create_directory_symlink(f.dir / "real", f.od / "link");
  auto file = f.od / "link" / "a.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_FALSE(out->note_error.empty());
  EXPECT_EQ(read_file(out->stored_path), kContent);
}

// A folder where the note goes is left alone; the note takes the id's name beside it.
TEST(AgentSafety, NoteBesideAFolderOfItsName) {
  Fixture f;
  auto file = f.od / "a.txt";
  write_file(file, kContent);
  std::filesystem::create_directories(note_path_for(file));
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->note_error.empty()) << out->note_error;
  EXPECT_TRUE(std::filesystem::is_directory(note_path_for(file)));
  EXPECT_NE(read_file(note_path_for(file, out->id)).find(out->id), std::string::npos);
}

// C2: the airlock forward never follows a symlinked folder in the sync folder and never replaces
// a file there; folders it creates belong to the owner of the folder they are made in.
TEST(AgentSafety, ForwardRefusesSymlinkedFoldersAndNeverReplaces) {
  TempDir dir;
  auto outbox = dir / "outbox";
  auto sync = dir / "OneDrive";
  auto victim_home = dir / "victim-home";
  write_file(victim_home / ".bashrc", kVictim);
  std::filesystem::create_directories(sync);
  std::filesystem::create_directory_symlink(victim_home, sync / "sub");
  write_file(outbox / "sub" / ".bashrc", "evil\n");
  auto moved = forward_into(outbox / "sub" / ".bashrc", sync, "sub/.bashrc", std::nullopt);
  EXPECT_FALSE(moved);
  EXPECT_EQ(read_file(victim_home / ".bashrc"), kVictim);
  EXPECT_EQ(read_file(outbox / "sub" / ".bashrc"), "evil\n");

  // A newer same-name file in the sync folder is kept; the outbox file stays.
  write_file(sync / "a.txt", "newer\n");
  write_file(outbox / "a.txt", "older\n");
  moved = forward_into(outbox / "a.txt", sync, "a.txt", std::nullopt);
  ASSERT_FALSE(moved);
  EXPECT_TRUE(moved.error().message.starts_with(kForwardConflict)) << moved.error().message;
  EXPECT_EQ(read_file(sync / "a.txt"), "newer\n");
  EXPECT_EQ(read_file(outbox / "a.txt"), "older\n");

  // A normal forward creates the folder and moves the file.
  write_file(outbox / "ny" / "mapp" / "b.txt", "b\n");
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(sync.c_str(), 4242, 4343), 0);
  }
  moved = forward_into(outbox / "ny" / "mapp" / "b.txt", sync, "ny/mapp/b.txt", std::nullopt);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(read_file(sync / "ny" / "mapp" / "b.txt"), "b\n");
  EXPECT_FALSE(std::filesystem::exists(outbox / "ny" / "mapp" / "b.txt"));
  if (::geteuid() == 0) {
    struct stat st {};
    ASSERT_EQ(::lstat((sync / "ny" / "mapp").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 4242u);
    EXPECT_EQ(st.st_gid, 4343u);
  }
}

// Restore is root writing the user's bytes back into the user's tree: a symlinked folder the
// user planted on the way (Documents -> /etc/cron.d) is refused; missing folders are created
// with their parent's owner.
TEST(AgentSafety, RestoreNeverFollowsAUserSymlinkedFolder) {
  Fixture f;
  auto file = f.od / "Documents" / "a.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  std::filesystem::remove_all(f.od / "Documents");  // the folder and the note
  auto cron = f.dir / "cron.d";
  std::filesystem::create_directories(cron);
  std::filesystem::create_directory_symlink(cron, f.od / "Documents");
  if (::geteuid() == 0) {
    ASSERT_EQ(::lchown((f.od / "Documents").c_str(), 4242, 4242), 0);  // the user's link
  }
  auto back = q.restore(out->id, std::nullopt);
  EXPECT_FALSE(back);
  EXPECT_TRUE(std::filesystem::is_empty(cron));
  EXPECT_EQ(read_file(out->stored_path), kContent);  // still safely in quarantine
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kQuarantined);

  // Elsewhere, into folders that do not exist yet: created like the user's own.
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(f.od.c_str(), 4242, 4343), 0);
  }
  auto target = f.od / "ny" / "a.txt";
  back = q.restore(out->id, target);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(read_file(target), kContent);
  if (::geteuid() == 0) {
    struct stat st {};
    ASSERT_EQ(::lstat((f.od / "ny").c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, 4242u);
    EXPECT_EQ(st.st_gid, 4343u);
  }
}

// M2: edited in place, then `touch -r` puts size and mtime back; only ctime tells.
TEST(AgentSafety, VerdictCacheSeesAnEditHiddenByTouchR) {
  TempDir dir;
  auto cache = VerdictCache::open(dir / "state.sqlite", nullptr).value();
  auto file = dir / "a.txt";
  write_file(file, "harmless text 0000000000000\n");
  auto before = stat_no_follow(file).value();
  CachedVerdict v;
  v.sha256 = sha256_file(file).value();
  v.rules_version = "r1";
  v.status = "scanned";
  ASSERT_TRUE(cache->store(file, before, v));
  ASSERT_TRUE(cache->find_unchanged(file, before, "r1"));
  ::usleep(20 * 1000);
  {
    int fd = ::open(file.c_str(), O_WRONLY);
    ASSERT_GE(fd, 0);
    const std::string pn = "Pnr 19990604-2388 xxxxx\n";
    ASSERT_EQ(::pwrite(fd, pn.data(), pn.size(), 0), static_cast<ssize_t>(pn.size()));
    ::close(fd);
  }
  struct timespec times[2] = {{0, UTIME_OMIT},
                              {static_cast<time_t>(before.mtime_ns / 1000000000LL),
                               static_cast<long>(before.mtime_ns % 1000000000LL)}};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  auto after = stat_no_follow(file).value();
  ASSERT_EQ(after.size, before.size);
  ASSERT_EQ(after.mtime_ns, before.mtime_ns);
  EXPECT_FALSE(cache->find_unchanged(file, after, "r1"));
  EXPECT_FALSE(after.same_version(before));
}

}  // namespace
}  // namespace vakt::agent
