// Windows FileOps, file identity and owner on real files under wine: MoveFileExW keeps bytes and
// identity on one volume, refuses to replace unless asked, reports another volume as
// kCrossDevice (two wine paths on different Linux file systems) so the verified copy runs; a
// file another program holds open is kInUse and is never lost; long and non-ASCII names work.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "actions/file_guard.h"
#include "actions/file_ops.h"
#include "actions/utf8_path.h"
#include "runtime/file_info.h"
#include "win_test_dir.h"

namespace vakt::agent {
namespace {

using testing::ext;
using testing::path_exists;
using testing::read_bytes;
using testing::WinTempDir;
using testing::write_bytes;

const std::string kContent = "Namn: Test Testsson\nPersonnummer: 19990604-2388\n";

FileOps& ops() {
  return default_file_ops();
}

FileId id_of(const std::filesystem::path& p) {
  auto info = stat_no_follow(p);
  EXPECT_TRUE(info) << p.string();
  return info ? info->id : FileId{};
}

// The copy half of safe_move, through FileOps: copy, metadata, flush, verify, delete.
int copy_flush_verify_delete(const std::filesystem::path& from, const std::filesystem::path& to) {
  FileHandle in = kNoHandle;
  FileHandle out = kNoHandle;
  if (int err = ops().open_read(from, in)) return err;
  if (int err = ops().create_exclusive(to, out)) {
    ops().close_file(in);
    return err;
  }
  std::string buf(7, '\0');  // small reads: the loop must stitch chunks together
  for (;;) {
    std::size_t got = 0;
    if (int err = ops().read_some(in, buf.data(), buf.size(), got)) return err;
    if (got == 0) break;
    if (int err = ops().write_all(out, buf.data(), got)) return err;
  }
  if (int err = copy_file_metadata(in, out)) return err;
  if (int err = ops().sync_file(out)) return err;
  ops().close_file(in);
  if (int err = ops().close_file(out)) return err;
  if (read_bytes(to) != read_bytes(from)) return EIO;
  if (int err = ops().sync_dir(to.parent_path())) return err;
  return ops().remove_file(from);
}

TEST(WindowsFileOps, SameVolumeMoveKeepsBytesAndIdentity) {
  WinTempDir dir;
  const auto from = dir / L"lista.txt";
  ASSERT_TRUE(write_bytes(from, kContent));
  const FileId before = id_of(from);
  std::filesystem::create_directories(dir / L"karantän");
  const auto to = dir / L"karantän" / L"Q1";
  ASSERT_EQ(ops().rename_file(from, to, false), 0);
  EXPECT_FALSE(path_exists(from));
  EXPECT_EQ(read_bytes(to), kContent);
  EXPECT_EQ(id_of(to), before) << "a rename must move the file itself (same volume + index)";
  EXPECT_EQ(ops().sync_dir(dir / L"karantän"), 0);
}

TEST(WindowsFileOps, RenameReplacesOnlyWhenAsked) {
  WinTempDir dir;
  ASSERT_TRUE(write_bytes(dir / L"a", "A"));
  ASSERT_TRUE(write_bytes(dir / L"b", "B"));
  EXPECT_EQ(ops().rename_file(dir / L"a", dir / L"b", false), EEXIST);
  EXPECT_EQ(read_bytes(dir / L"a"), "A");
  EXPECT_EQ(read_bytes(dir / L"b"), "B");
  EXPECT_EQ(ops().rename_file(dir / L"a", dir / L"b", true), 0);
  EXPECT_EQ(read_bytes(dir / L"b"), "A");
  EXPECT_EQ(ops().rename_file(dir / L"saknas", dir / L"c", false), ENOENT);
  EXPECT_EQ(file_error_text(ENOENT), std::strerror(ENOENT));
}

TEST(WindowsFileOps, CreateExclusiveRefusesAnExistingName) {
  WinTempDir dir;
  ASSERT_TRUE(write_bytes(dir / L"finns", "x"));
  FileHandle h = kNoHandle;
  EXPECT_EQ(ops().create_exclusive(dir / L"finns", h), EEXIST);
  EXPECT_EQ(read_bytes(dir / L"finns"), "x");
  FileHandle r = kNoHandle;
  EXPECT_EQ(ops().open_read(dir.path(), r), EISDIR);
}

// Z:\ maps the Linux root: the wine prefix's temp folder and /dev/shm are different Linux file
// systems, so MoveFileExW fails with ERROR_NOT_SAME_DEVICE there, like two NTFS volumes.
TEST(WindowsFileOps, AnotherVolumeIsCrossDeviceAndTheVerifiedCopyMovesTheFile) {
  if (GetFileAttributesW(L"Z:\\dev\\shm") == INVALID_FILE_ATTRIBUTES) {
    GTEST_SKIP() << "no Z:\\dev\\shm (not under wine)";
  }
  WinTempDir local;
  WinTempDir other(std::filesystem::path(L"Z:\\dev\\shm"));
  const auto from = local / L"Närvaro_elev_åäö.docx";
  ASSERT_TRUE(write_bytes(from, kContent));
  ASSERT_TRUE(SetFileAttributesW(from.c_str(), FILE_ATTRIBUTE_READONLY));
  FILETIME old_time{};
  old_time.dwHighDateTime = 30000000;  // 2021: a time the copy must keep
  {
    HANDLE h = CreateFileW(from.c_str(), FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ, nullptr,
                           OPEN_EXISTING, 0, nullptr);
    ASSERT_NE(h, INVALID_HANDLE_VALUE);
    ASSERT_TRUE(SetFileTime(h, nullptr, nullptr, &old_time));
    CloseHandle(h);
  }
  const auto to = other / L"Närvaro_elev_åäö.docx";
  ASSERT_EQ(ops().rename_file(from, to, false), FileOps::kCrossDevice);
  EXPECT_EQ(file_error_text(FileOps::kCrossDevice), "different file system");
  EXPECT_EQ(read_bytes(from), kContent) << "a refused move leaves the file where it was";

  ASSERT_EQ(copy_flush_verify_delete(from, to), 0);
  EXPECT_FALSE(path_exists(from)) << "a read-only original is still removed after the copy";
  EXPECT_EQ(read_bytes(to), kContent);
  auto info = stat_no_follow(to);
  ASSERT_TRUE(info);
  FILETIME ft{};
  HANDLE h = CreateFileW(to.c_str(), FILE_READ_ATTRIBUTES, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                         0, nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE);
  ASSERT_TRUE(GetFileTime(h, nullptr, nullptr, &ft));
  CloseHandle(h);
  EXPECT_EQ(ft.dwHighDateTime, old_time.dwHighDateTime) << "copy_file_metadata keeps the mtime";
  EXPECT_NE(GetFileAttributesW(to.c_str()) & FILE_ATTRIBUTE_READONLY, 0u);
}

// Word keeps a document open for writing, sharing only reading. Nothing may happen to it: the
// move is refused as kInUse (distinct, retryable), the writer check says so, and once the
// writer is gone the same move succeeds.
TEST(WindowsFileOps, AFileOpenInAnotherProgramIsInUseAndNeverLost) {
  WinTempDir dir;
  const auto doc = dir / L"Närvaro_elev_åäö.docx";
  ASSERT_TRUE(write_bytes(doc, kContent));
  const FileId id = id_of(doc);
  std::filesystem::create_directories(dir / L"q");
  HANDLE word = CreateFileW(doc.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                            OPEN_EXISTING, 0, nullptr);
  ASSERT_NE(word, INVALID_HANDLE_VALUE);
  {
    WriterGuard guard(doc, id);
    EXPECT_TRUE(guard.open_for_writing());
  }
  EXPECT_EQ(ops().rename_file(doc, dir / L"q" / L"x", false), FileOps::kInUse);
  EXPECT_NE(file_error_text(FileOps::kInUse).find("in use"), std::string::npos);
  EXPECT_EQ(ops().remove_file(doc), FileOps::kInUse);
  FileHandle h = kNoHandle;
  EXPECT_EQ(ops().open_read(doc, h), FileOps::kInUse) << "a copy would miss the writer's bytes";
  CloseHandle(word);
  EXPECT_EQ(read_bytes(doc), kContent);

  // A reader that does not share delete blocks the move just the same.
  HANDLE reader =
      CreateFileW(doc.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr);
  ASSERT_NE(reader, INVALID_HANDLE_VALUE);
  {
    WriterGuard guard(doc, id);
    EXPECT_TRUE(guard.open_for_writing());
  }
  CloseHandle(reader);

  WriterGuard guard(doc, id);
  EXPECT_FALSE(guard.open_for_writing());
  // While the guard is held, a writer is refused, and the move itself still goes through.
  HANDLE late = CreateFileW(doc.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE,
                            nullptr, OPEN_EXISTING, 0, nullptr);
  EXPECT_EQ(late, INVALID_HANDLE_VALUE);
  if (late != INVALID_HANDLE_VALUE) CloseHandle(late);
  ASSERT_EQ(ops().rename_file(doc, dir / L"q" / L"x", false), 0);
  EXPECT_EQ(read_bytes(dir / L"q" / L"x"), kContent);
}

TEST(WindowsFileOps, LongPathsWork) {
  WinTempDir dir;
  std::filesystem::path deep = dir.path();
  for (int i = 0; i < 12; ++i) deep /= std::wstring(30, static_cast<wchar_t>(L'a' + i));
  ASSERT_GT(deep.native().size(), 300u);
  ASSERT_TRUE(CreateDirectoryW(ext(dir.path()).c_str(), nullptr) ||
              GetLastError() == ERROR_ALREADY_EXISTS);
  std::filesystem::path step = dir.path();
  for (const auto& part : deep.lexically_relative(dir.path())) {
    step /= part;
    ASSERT_TRUE(CreateDirectoryW(ext(step).c_str(), nullptr)) << GetLastError();
  }
  const auto file = deep / L"Närvaro_elev_åäö.docx";
  FileHandle h = kNoHandle;
  ASSERT_EQ(ops().create_exclusive(file, h), 0);
  ASSERT_EQ(ops().write_all(h, kContent.data(), kContent.size()), 0);
  ASSERT_EQ(ops().sync_file(h), 0);
  ASSERT_EQ(ops().close_file(h), 0);
  auto info = stat_no_follow(file);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->kind, FileKind::kRegular);
  EXPECT_EQ(info->size, kContent.size());
  ASSERT_EQ(ops().rename_file(file, deep / L"flyttad.docx", false), 0);
  EXPECT_EQ(read_bytes(deep / L"flyttad.docx"), kContent);
  EXPECT_EQ(ops().remove_file(deep / L"flyttad.docx"), 0);
  EXPECT_FALSE(path_exists(deep / L"flyttad.docx"));
}

TEST(WindowsFileInfo, KindsIdentityAndOwner) {
  WinTempDir dir;
  const auto file = dir / L"Närvaro_elev_åäö.docx";
  ASSERT_TRUE(write_bytes(file, kContent));
  auto info = stat_no_follow(file);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->kind, FileKind::kRegular);
  EXPECT_EQ(info->size, kContent.size());
  EXPECT_GT(info->mtime_ns, 1600000000LL * 1000000000LL) << "a Unix-epoch time in ns";
  EXPECT_NE(info->id, FileId{});
  EXPECT_EQ(stat_no_follow(dir.path())->kind, FileKind::kDirectory);
  EXPECT_EQ(stat_no_follow(dir / L"saknas")->kind, FileKind::kMissing);
  EXPECT_EQ(stat_no_follow(dir / L"saknas" / L"djupare")->kind, FileKind::kMissing);

  ASSERT_TRUE(write_bytes(dir / L"annan.txt", "x"));
  EXPECT_NE(id_of(dir / L"annan.txt"), info->id);
  auto pinned = pin_regular(file);
  ASSERT_TRUE(pinned);
  EXPECT_EQ(pinned->id, info->id);
  EXPECT_FALSE(pin_regular(dir.path()));
  EXPECT_FALSE(pin_regular(dir / L"saknas"));

  // A rewrite keeps the identity but not the version.
  ASSERT_TRUE(write_bytes(file, kContent + "mer\n"));
  auto again = stat_no_follow(file);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, info->id);
  EXPECT_FALSE(again->same_version(*info));

  const std::string owner = file_owner_name(file);
  EXPECT_FALSE(owner.empty());
  EXPECT_NE(owner.find('\\'), std::string::npos) << owner << ": DOMAIN\\user expected";
  EXPECT_EQ(file_owner_name(dir / L"saknas"), "");
  EXPECT_FALSE(host_name().empty());

  // Names travel as UTF-8 in the agent (logs, ledger): the path round-trips through
  // actions/utf8_path.h (std::filesystem::path(std::string) would not: it reads the ANSI code
  // page).
  const std::string utf8 = path_to_utf8(std::filesystem::path(L"Närvaro_elev_åäö.docx"));
  EXPECT_EQ(utf8, "N\xC3\xA4rvaro_elev_\xC3\xA5\xC3\xA4\xC3\xB6.docx");
  EXPECT_EQ(path_from_utf8(utf8).native(), L"Närvaro_elev_åäö.docx");
}

TEST(WindowsFileInfo, ALinkIsSeenNotFollowed) {
  WinTempDir dir;
  ASSERT_TRUE(write_bytes(dir / L"mål.txt", "target"));
  if (!CreateSymbolicLinkW((dir / L"länk.txt").c_str(), (dir / L"mål.txt").c_str(), 0) ||
      !testing::is_reparse_point(dir / L"länk.txt")) {
    GTEST_SKIP() << "no symlinks that show as reparse points here (wine 8 has none)";
  }
  auto info = stat_no_follow(dir / L"länk.txt");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->kind, FileKind::kSymlink);
  EXPECT_FALSE(pin_regular(dir / L"länk.txt"));
  FileHandle h = kNoHandle;
  EXPECT_EQ(ops().open_read(dir / L"länk.txt", h), ELOOP);
}

}  // namespace
}  // namespace vakt::agent
