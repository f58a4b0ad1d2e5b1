#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cerrno>

#include "actions/note.h"
#include "actions/quarantine.h"
#include "actions/safe_move.h"
#include "runtime/sha256.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Real file operations, with faults injected at the OS boundary.
class FaultyFileOps final : public FileOps {
 public:
  bool cross_device = false;                // every rename between folders reports EXDEV
  std::size_t fail_write_after = SIZE_MAX;  // ENOSPC once this many bytes were written
  bool fail_delete = false;

  int rename_file(const std::filesystem::path& from, const std::filesystem::path& to,
                  bool replace) override {
    if (cross_device && from.parent_path() != to.parent_path()) return kCrossDevice;
    return real().rename_file(from, to, replace);
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
    if (written_ + size > fail_write_after) return ENOSPC;
    written_ += size;
    return real().write_all(h, data, size);
  }
  int sync_file(FileHandle h) override { return real().sync_file(h); }
  int close_file(FileHandle h) override { return real().close_file(h); }
  int sync_dir(const std::filesystem::path& d) override { return real().sync_dir(d); }
  int remove_file(const std::filesystem::path& p) override {
    if (fail_delete && p.extension() == ".txt") return EACCES;
    return real().remove_file(p);
  }

 private:
  static FileOps& real() { return default_file_ops(); }
  std::size_t written_ = 0;
};

const std::string kContent = "Namn: Test Testsson\nPersonnummer: 19990604-2388\n";

struct Fixture {
  TempDir dir;
  std::filesystem::path od = dir / "OneDrive";
  std::filesystem::path qdir = dir / "q";
  std::unique_ptr<QuarantineLedger> ledger;
  Fixture() {
    std::filesystem::create_directories(od);
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
    return r;
  }
  // The ledger as a restore to `target` leaves it when killed: target recorded, `restoring`.
  void interrupt_restore(const std::string& id, const std::filesystem::path& target) {
    ASSERT_TRUE(ledger->set_restored_to(id, target.string()));
    ASSERT_TRUE(ledger->transition(id, LedgerState::kQuarantined, LedgerState::kRestoring, ""));
  }
};

TEST(Quarantine, SameFileSystemRenameLeavesNoteAndLedger) {
  Fixture f;
  auto file = f.od / "lista över elever.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, "IT-servicedesk 0123-456"}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  struct stat st {};
  ASSERT_EQ(::stat(q.files_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->method, MoveMethod::kRename);
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_EQ(read_file(out->stored_path), kContent);  // byte-identical
  auto note = read_file(note_path_for(file));
  EXPECT_NE(note.find(out->id), std::string::npos);
  EXPECT_NE(note.find("Personnummer"), std::string::npos);
  EXPECT_NE(note.find("informationsklass 3"), std::string::npos);
  EXPECT_NE(note.find("IT-servicedesk 0123-456"), std::string::npos);
  EXPECT_EQ(note.find("2388"), std::string::npos);  // never a value
  auto e = f.ledger->get(out->id);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, LedgerState::kQuarantined);
  EXPECT_EQ(e->sha256, f.request(out->stored_path).expected_sha256);
}

// A user's own file at the note's name is never replaced or deleted: the note takes the id's name.
TEST(Quarantine, NoteNeverReplacesAUsersFileOfThatName) {
  Fixture f;
  auto file = f.od / "rapport.txt";
  write_file(file, kContent);
  const auto users = note_path_for(file);
  write_file(users, "MINA ANTECKNINGAR\n");
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->note_error.empty()) << out->note_error;
  EXPECT_EQ(read_file(users), "MINA ANTECKNINGAR\n");
  EXPECT_EQ(out->note_path, note_path_for(file, out->id));
  EXPECT_NE(read_file(out->note_path).find(out->id), std::string::npos);
  EXPECT_EQ(f.ledger->get(out->id)->note_path, out->note_path.string());  // restore finds it
  ASSERT_TRUE(q.restore(out->id, std::nullopt));
  EXPECT_FALSE(std::filesystem::exists(out->note_path));
  EXPECT_EQ(read_file(users), "MINA ANTECKNINGAR\n");
}

// Two files whose names mask alike (a name with a personnummer, and one a user wrote with X's)
// each keep a note with their own id, and restoring one removes only its own note.
TEST(Quarantine, FilesWhoseNamesMaskAlikeKeepOneNoteEach) {
  Fixture f;
  auto a = f.od / "Ansökan 19990604-2388.txt";
  auto b = f.od / "Ansökan 19990604-XXXX.txt";
  write_file(a, kContent);
  write_file(b, kContent + "annan\n");
  ASSERT_EQ(note_path_for(a), note_path_for(b));
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto qa = q.quarantine(f.request(a));
  auto qb = q.quarantine(f.request(b));
  ASSERT_TRUE(qa && qb);
  ASSERT_NE(qa->note_path, qb->note_path);
  EXPECT_NE(read_file(qa->note_path).find(qa->id), std::string::npos);
  EXPECT_NE(read_file(qb->note_path).find(qb->id), std::string::npos);
  ASSERT_TRUE(q.restore(qa->id, std::nullopt));
  EXPECT_FALSE(std::filesystem::exists(qa->note_path));
  EXPECT_NE(read_file(qb->note_path).find(qb->id), std::string::npos);
}

TEST(Quarantine, CrossDeviceCopiesVerifiesAndDeletes) {
  Fixture f;
  auto file = f.od / "a.txt";
  write_file(file, kContent);
  FaultyFileOps ops;
  ops.cross_device = true;
  Quarantine q({f.qdir, ""}, *f.ledger, ops);
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->method, MoveMethod::kCopyVerify);
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_EQ(read_file(out->stored_path), kContent);
  EXPECT_FALSE(std::filesystem::exists(partial_path_for(out->stored_path)));
}

TEST(Quarantine, DiskFullDuringCopyLeavesOriginalWholeAndLedgerFailed) {
  Fixture f;
  auto file = f.od / "big.txt";
  write_file(file, std::string(300000, 'x') + kContent);
  FaultyFileOps ops;
  ops.cross_device = true;
  ops.fail_write_after = 100000;
  Quarantine q({f.qdir, ""}, *f.ledger, ops);
  ASSERT_TRUE(q.prepare());
  auto before = sha256_file(file).value();
  auto out = q.quarantine(f.request(file));
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("No space"), std::string::npos) << out.error().message;
  EXPECT_EQ(sha256_file(file).value(), before);
  EXPECT_TRUE(std::filesystem::is_empty(q.files_dir()));  // no partial copy left behind
  EXPECT_FALSE(std::filesystem::exists(note_path_for(file)));
  auto all = f.ledger->list();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, LedgerState::kFailed);
}

TEST(Quarantine, RecoveryFinishesOrRollsBackEveryInterruptedMove) {
  Fixture f;
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto sha = [](const std::string& s) {
    Sha256 h;
    h.update(s);
    return h.hex_digest();
  };
  auto pending = [&](const std::string& id, const std::string& name) {
    LedgerEntry e;
    e.id = id;
    e.original_path = (f.od / name).string();
    e.stored_path = (q.files_dir() / id).string();
    e.note_path = note_path_for(f.od / name).string();
    e.sha256 = sha(kContent);
    e.info_class = 3;
    EXPECT_TRUE(f.ledger->create_pending(e));
    return e;
  };
  // 1: killed before the move: original only -> rolled back, file stays.
  auto e1 = pending("Q1", "one.txt");
  write_file(e1.original_path, kContent);
  // 2: killed after rename: stored only -> quarantined, note written.
  auto e2 = pending("Q2", "two.txt");
  write_file(e2.stored_path, kContent);
  // 3: killed after the copy was renamed into place, before the delete: both -> original deleted.
  auto e3 = pending("Q3", "three.txt");
  write_file(e3.original_path, kContent);
  write_file(e3.stored_path, kContent);
  // 4: killed mid-copy: original + partial -> partial removed, rolled back.
  auto e4 = pending("Q4", "four.txt");
  write_file(e4.original_path, kContent);
  write_file(partial_path_for(e4.stored_path), kContent.substr(0, 10));

  auto actions = q.recover();
  EXPECT_EQ(actions.size(), 4u);
  EXPECT_EQ(f.ledger->get("Q1")->state, LedgerState::kRolledBack);
  EXPECT_EQ(read_file(e1.original_path), kContent);
  EXPECT_EQ(f.ledger->get("Q2")->state, LedgerState::kQuarantined);
  EXPECT_TRUE(std::filesystem::exists(e2.note_path));
  // Recovered entries get the side record a completed quarantine writes; rolled-back ones do not.
  EXPECT_NE(read_file(q.meta_dir() / "Q2.json").find("\"sha256\": \"" + sha(kContent)),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(q.meta_dir() / "Q3.json"));
  EXPECT_FALSE(std::filesystem::exists(q.meta_dir() / "Q1.json"));
  EXPECT_EQ(f.ledger->get("Q3")->state, LedgerState::kQuarantined);
  EXPECT_FALSE(std::filesystem::exists(e3.original_path));
  EXPECT_EQ(read_file(e3.stored_path), kContent);
  EXPECT_EQ(f.ledger->get("Q4")->state, LedgerState::kRolledBack);
  EXPECT_FALSE(std::filesystem::exists(partial_path_for(e4.stored_path)));
  EXPECT_EQ(read_file(e4.original_path), kContent);
  EXPECT_TRUE(q.recover().empty());  // idempotent
}

TEST(Quarantine, RestoreRefusesToOverwriteAndVerifiesHash) {
  Fixture f;
  auto file = f.od / "Rapporter/åäö.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out);
  write_file(file, "someone saved a new file here");
  auto refused = q.restore(out->id, std::nullopt);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("refusing to overwrite"), std::string::npos);
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kQuarantined);
  auto elsewhere = f.od / "restored.txt";
  auto ok = q.restore(out->id, elsewhere);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(read_file(elsewhere), kContent);
  EXPECT_FALSE(std::filesystem::exists(out->stored_path));
  EXPECT_FALSE(std::filesystem::exists(out->note_path));
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kRestored);
  EXPECT_TRUE(f.ledger->find_restored(elsewhere.string(), out->sha256));
  EXPECT_FALSE(q.restore(out->id, std::nullopt));  // only once
}

// `--to` into the quarantine's own store (any spelling) would put a user-named file beside the
// stored copies, outside the ledger.
TEST(Quarantine, RestoreRefusesATargetInsideTheQuarantineFolder) {
  Fixture f;
  auto file = f.od / "brev.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out);
  for (const auto& target : {f.qdir / "files" / "evil.png", f.qdir / "x" / ".." / "evil.png",
                             f.od / ".." / f.qdir.filename() / "evil.png"}) {
    auto refused = q.restore(out->id, target);
    ASSERT_FALSE(refused) << target;
    EXPECT_NE(refused.error().message.find("refusing to restore into the quarantine folder"),
              std::string::npos)
        << refused.error().message;
    EXPECT_FALSE(std::filesystem::exists(target));
  }
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kQuarantined);
  // An existing target given with --to is refused without advice to use --to.
  write_file(f.od / "finns.txt", "x");
  auto taken = q.restore(out->id, f.od / "finns.txt");
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().message.find("use --to"), std::string::npos) << taken.error().message;
}

TEST(Quarantine, RestoreDetectsADamagedStoredCopy) {
  Fixture f;
  auto file = f.od / "x.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out);
  write_file(out->stored_path, "tampered");
  auto r = q.restore(out->id, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("SHA-256"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST(Quarantine, RecoveryOfAnInterruptedRestore) {
  Fixture f;
  auto file = f.od / "r.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out);
  // Simulate kill -9 after the restore's copy landed but before the stored copy was removed.
  f.interrupt_restore(out->id, file);
  write_file(file, kContent);
  q.recover();
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kRestored);
  EXPECT_FALSE(std::filesystem::exists(out->stored_path));
  EXPECT_EQ(read_file(file), kContent);
}

// A restore gives the file back as it was: its mode (0664 for a group to share) too, on the
// rename path and the copy path; the stored copy was once forced to 0600 and came back so.
TEST(Quarantine, RestoreGivesBackTheFilesMode) {
  for (bool cross : {false, true}) {
    Fixture f;
    auto file = f.od / (cross ? "delad-kopia.txt" : "delad.txt");
    write_file(file, kContent);
    ASSERT_EQ(::chmod(file.c_str(), 0664), 0);
    FaultyFileOps ops;
    ops.cross_device = cross;
    Quarantine q({f.qdir, ""}, *f.ledger, ops);
    ASSERT_TRUE(q.prepare());
    auto out = q.quarantine(f.request(file));
    ASSERT_TRUE(out) << out.error().message;
    ASSERT_TRUE(q.restore(out->id, std::nullopt));
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0664u) << (cross ? "copy-verify" : "rename");
    EXPECT_EQ(read_file(file), kContent);
  }
}

// A file with a second hard link outside OneDrive is copied into quarantine, not renamed: the
// other name keeps its own file and mode, an edit there does not touch the stored copy, and the
// restore still verifies.
TEST(Quarantine, AHardLinkedFileIsCopiedSoTheStoredCopyStaysItsOwn) {
  Fixture f;
  auto file = f.od / "länkad.txt";
  auto outside = f.dir / "utanför.txt";
  write_file(file, kContent);
  ASSERT_EQ(::chmod(file.c_str(), 0644), 0);
  std::filesystem::create_hard_link(file, outside);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->method, MoveMethod::kCopyVerify);
  EXPECT_FALSE(std::filesystem::exists(file));
  struct stat st {};
  ASSERT_EQ(::stat(outside.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(st.st_nlink, 1u);
  write_file(outside, "ändrad utanför\n");
  EXPECT_EQ(read_file(out->stored_path), kContent);
  ASSERT_TRUE(q.restore(out->id, std::nullopt));
  EXPECT_EQ(read_file(file), kContent);
}

// Names near the 255-byte limit: the note's name is cut to fit, and a restore (its partial copy
// gets a short name) works. Before, no note was written and every restore failed.
TEST(Quarantine, NamesNearTheLengthLimitGetANoteAndRestore) {
  Fixture f;
  // 250 bytes: no room left for ".vakt.txt" or ".vakt-partial".
  const std::string name = std::string(200, 'a') + "åäö" + std::string(40, 'b') + ".txt";
  ASSERT_EQ(name.size(), 250u);
  auto file = f.od / name;
  write_file(file, kContent);
  FaultyFileOps ops;
  ops.cross_device = true;  // the restore copies through a partial file
  Quarantine q({f.qdir, ""}, *f.ledger, ops);
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->note_error.empty()) << out->note_error;
  EXPECT_LE(out->note_path.filename().string().size(), 255u);
  EXPECT_NE(read_file(out->note_path).find(out->id), std::string::npos);
  auto back = q.restore(out->id, std::nullopt);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(read_file(file), kContent);
  EXPECT_FALSE(std::filesystem::exists(out->note_path));
}

// A restore killed halfway (a partial copy in the user's folder, the entry still `restoring`) is
// finished by the next restore of that id, without waiting for the agent to restart.
TEST(Quarantine, ARestoreAfterAnInterruptedOneFinishesIt) {
  Fixture f;
  auto file = f.od / "stor.txt";
  write_file(file, kContent);
  Quarantine q({f.qdir, ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out);
  f.interrupt_restore(out->id, file);
  write_file(partial_path_for(file), kContent.substr(0, 10));  // the copy that was cut off
  auto again = q.restore(out->id, std::nullopt);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(read_file(file), kContent);
  EXPECT_FALSE(std::filesystem::exists(partial_path_for(file)));
  EXPECT_FALSE(std::filesystem::exists(out->stored_path));
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kRestored);

  // Cut off after the copy was whole: the retry completes it and says where the file is.
  write_file(f.od / "b.txt", kContent);
  auto second = q.quarantine(f.request(f.od / "b.txt"));
  ASSERT_TRUE(second);
  f.interrupt_restore(second->id, (f.od / "b.txt"));
  write_file(f.od / "b.txt", kContent);
  auto done = q.restore(second->id, std::nullopt);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->restored_to, f.od / "b.txt");
  EXPECT_FALSE(std::filesystem::exists(second->stored_path));
  EXPECT_EQ(f.ledger->get(second->id)->state, LedgerState::kRestored);
}

}  // namespace
}  // namespace vakt::agent

namespace vakt::agent {
namespace {

// The airlock hands safe_move the hash the scan saw: an edit made after the scan must not reach
// the target, on either path (rename or cross-device copy).
TEST(SafeMove, RefusesContentThatChangedSinceTheScan) {
  for (bool cross : {false, true}) {
    TempDir dir;
    auto from = dir / "outbox" / "brev.txt";
    auto to = dir / "OneDrive" / "brev.txt";
    write_file(from, "Hej!\n");
    std::filesystem::create_directories(to.parent_path());
    const std::string scanned = sha256_file(from).value();
    write_file(from, "Hej!\nPersonnummer: 19990604-2388\n");  // edited after the scan
    FaultyFileOps ops;
    ops.cross_device = cross;
    auto moved = safe_move(ops, from, to, false, scanned);
    ASSERT_FALSE(moved) << "cross=" << cross;
    EXPECT_TRUE(moved.error().message.starts_with(kContentChanged)) << moved.error().message;
    EXPECT_FALSE(std::filesystem::exists(to));
    EXPECT_FALSE(std::filesystem::exists(partial_path_for(to)));
    EXPECT_EQ(read_file(from), "Hej!\nPersonnummer: 19990604-2388\n");  // untouched
  }
}

TEST(SafeMove, MovesContentThatStillHasTheScannedHash) {
  for (bool cross : {false, true}) {
    TempDir dir;
    auto from = dir / "outbox" / "brev.txt";
    auto to = dir / "OneDrive" / "brev.txt";
    write_file(from, "Hej!\n");
    std::filesystem::create_directories(to.parent_path());
    const std::string scanned = sha256_file(from).value();
    FaultyFileOps ops;
    ops.cross_device = cross;
    auto moved = safe_move(ops, from, to, false, scanned);
    ASSERT_TRUE(moved) << moved.error().message;
    EXPECT_EQ(moved->method, cross ? MoveMethod::kCopyVerify : MoveMethod::kRename);
    EXPECT_EQ(moved->sha256, scanned);
    EXPECT_EQ(read_file(to), "Hej!\n");
    EXPECT_FALSE(std::filesystem::exists(from));
  }
}

}  // namespace
}  // namespace vakt::agent
