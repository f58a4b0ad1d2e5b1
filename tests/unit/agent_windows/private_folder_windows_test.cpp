// The Windows quarantine folder and its helpers on real files under wine: the folder's DACL
// reads back as SYSTEM + Administrators only (protected, inherited by files made inside), an
// existing folder is locked down again, a stored file loses the user's ACEs, the folder lock
// excludes a second holder, notes are written and replaced, and the airlock forward refuses
// links and name conflicts.
#include <aclapi.h>
#include <gtest/gtest.h>
#include <sddl.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "actions/file_guard.h"
#include "actions/folder_lock.h"
#include "actions/forward.h"
#include "actions/note.h"
#include "actions/private_folder.h"
#include "win_test_dir.h"

namespace vakt::agent {
namespace {

using namespace std::chrono_literals;
using testing::path_exists;
using testing::read_bytes;
using testing::WinTempDir;
using testing::write_bytes;

struct AceSummary {
  std::string sid;  // "SY", "BA" or the string SID
  ACCESS_MASK mask = 0;
  BYTE flags = 0;
  BYTE type = 0;
};

struct DaclSummary {
  bool read = false;
  bool is_protected = false;
  std::vector<AceSummary> aces;
};

DaclSummary dacl_of(const std::filesystem::path& p) {
  DaclSummary out;
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetNamedSecurityInfoW(p.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                            &dacl, nullptr, &sd) != ERROR_SUCCESS) {
    return out;
  }
  out.read = true;
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  DWORD revision = 0;
  GetSecurityDescriptorControl(sd, &control, &revision);
  out.is_protected = (control & SE_DACL_PROTECTED) != 0;
  for (DWORD i = 0; dacl != nullptr && i < dacl->AceCount; ++i) {
    void* raw = nullptr;
    if (!GetAce(dacl, i, &raw)) continue;
    auto* header = static_cast<ACE_HEADER*>(raw);
    AceSummary ace;
    ace.type = header->AceType;
    ace.flags = header->AceFlags;
    if (header->AceType == ACCESS_ALLOWED_ACE_TYPE || header->AceType == ACCESS_DENIED_ACE_TYPE) {
      auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(raw);
      ace.mask = allowed->Mask;
      PSID sid = &allowed->SidStart;
      if (IsWellKnownSid(sid, WinLocalSystemSid)) {
        ace.sid = "SY";
      } else if (IsWellKnownSid(sid, WinBuiltinAdministratorsSid)) {
        ace.sid = "BA";
      } else {
        wchar_t* text = nullptr;
        if (ConvertSidToStringSidW(sid, &text)) {
          ace.sid = std::filesystem::path(text).string();
          LocalFree(text);
        }
      }
    }
    out.aces.push_back(ace);
  }
  LocalFree(sd);
  return out;
}

std::string describe(const DaclSummary& d) {
  std::string s = d.is_protected ? "protected:" : "inheriting:";
  for (const auto& a : d.aces) {
    s += " " + a.sid + "/" + std::to_string(a.type) + "/" + std::to_string(a.mask) + "/" +
         std::to_string(a.flags);
  }
  return s;
}

bool grants_to_others(const DaclSummary& d) {
  for (const auto& a : d.aces) {
    // Everyone, Users, Authenticated Users, INTERACTIVE.
    if (a.type == ACCESS_ALLOWED_ACE_TYPE && (a.sid == "S-1-1-0" || a.sid == "S-1-5-32-545" ||
                                              a.sid == "S-1-5-11" || a.sid == "S-1-5-4")) {
      return true;
    }
  }
  return false;
}

// Exactly SYSTEM and Administrators, both allowed full control. Under wine, which maps a DACL
// onto Unix mode bits and reads back a DACL made from them (SYSTEM, the Unix owner, Everyone for
// "other" bits), what can be proven is that nobody else is granted anything.
void expect_private(const DaclSummary& d, bool expect_protected) {
  ASSERT_TRUE(d.read);
  if (testing::under_wine()) {
    EXPECT_FALSE(grants_to_others(d)) << describe(d);
    return;
  }
  if (expect_protected) {
    EXPECT_TRUE(d.is_protected) << describe(d);
  }
  ASSERT_EQ(d.aces.size(), 2u) << describe(d);
  std::set<std::string> who;
  for (const auto& a : d.aces) {
    EXPECT_EQ(a.type, ACCESS_ALLOWED_ACE_TYPE) << describe(d);
    EXPECT_EQ(a.mask & FILE_ALL_ACCESS, static_cast<ACCESS_MASK>(FILE_ALL_ACCESS)) << describe(d);
    who.insert(a.sid);
  }
  EXPECT_EQ(who, (std::set<std::string>{"SY", "BA"})) << describe(d);
}

// A user ACE on a folder, as a user-made folder or a file saved by a user would have.
bool grant_everyone(const std::filesystem::path& p) {
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(L"D:P(A;OICI;FA;;;WD)(A;OICI;FA;;;SY)",
                                                            SDDL_REVISION_1, &sd, nullptr)) {
    return false;
  }
  BOOL present = FALSE;
  BOOL defaulted = FALSE;
  PACL dacl = nullptr;
  GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
  std::wstring name = p.native();
  DWORD rc = SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT,
                                   DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                   nullptr, nullptr, dacl, nullptr);
  LocalFree(sd);
  return rc == ERROR_SUCCESS;
}

TEST(PrivateFolder, NewFolderIsSystemAndAdministratorsOnly) {
  WinTempDir base;
  const auto q = base / L"Vakt" / L"karantän";
  ASSERT_TRUE(make_private_folder(q));
  auto d = dacl_of(q);
  expect_private(d, true);
  for (const auto& a : d.aces) {
    EXPECT_EQ(a.flags & (OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE),
              OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE)
        << describe(d);
  }
  // A file the agent creates inside inherits exactly those two (wine has no inheritance).
  ASSERT_TRUE(write_bytes(q / L"ledger.sqlite", "x"));
  if (!testing::under_wine()) expect_private(dacl_of(q / L"ledger.sqlite"), false);
  // Calling it again is fine.
  EXPECT_TRUE(make_private_folder(q));
}

TEST(PrivateFolder, AnExistingOpenFolderIsLockedDownAgain) {
  WinTempDir base;
  const auto q = base / L"quarantine";
  std::filesystem::create_directories(q);
  ASSERT_TRUE(grant_everyone(q));
  ASSERT_TRUE(make_private_folder(q));
  if (testing::under_wine()) {
    // Wine 8 accepts a DACL set on an existing folder but keeps neither it nor its mode bits.
    GTEST_SKIP() << "wine does not apply a DACL set on an existing folder";
  }
  expect_private(dacl_of(q), true);
}

TEST(PrivateFolder, DefaultIsUnderProgramData) {
  auto dir = default_quarantine_dir();
  ASSERT_TRUE(dir) << dir.error().message;
  EXPECT_EQ(dir->filename(), L"quarantine");
  EXPECT_EQ(dir->parent_path().filename(), L"Vakt");
  wchar_t env[MAX_PATH] = {};
  ASSERT_GT(GetEnvironmentVariableW(L"ProgramData", env, MAX_PATH), 0u);
  EXPECT_EQ(_wcsicmp(dir->parent_path().parent_path().c_str(), env), 0)
      << dir->string() << " vs " << std::filesystem::path(env).string();
}

TEST(PrivateFolder, LongPathAndNonAsciiName) {
  WinTempDir base;
  std::filesystem::path q = base.path();
  for (int i = 0; i < 10; ++i) q /= L"mapp_åäö_" + std::wstring(25, static_cast<wchar_t>(L'k' + i));
  ASSERT_GT(q.native().size(), 300u);
  ASSERT_TRUE(make_private_folder(q));
  EXPECT_TRUE(path_exists(q));
  FileHandle h = kNoHandle;
  ASSERT_EQ(default_file_ops().create_exclusive(q / L"Närvaro_elev_åäö.docx", h), 0);
  default_file_ops().close_file(h);
  auto id = protect_stored(q / L"Närvaro_elev_åäö.docx");
  EXPECT_TRUE(id) << id.error().message;
}

TEST(ProtectStored, AMovedInFileLosesTheUsersAces) {
  WinTempDir base;
  const auto q = base / L"q";
  ASSERT_TRUE(make_private_folder(q));
  // A file moved (not created) into the folder keeps the ACL it had in the user's folder.
  const auto stored = q / L"Q1";
  ASSERT_TRUE(write_bytes(stored, "innehåll"));
  ASSERT_TRUE(grant_everyone(stored));
  ASSERT_TRUE(grants_to_others(dacl_of(stored))) << describe(dacl_of(stored));
  auto pinned = pin_regular(stored);
  ASSERT_TRUE(pinned);
  auto id = protect_stored(stored);
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, pinned->id);
  expect_private(dacl_of(stored), true);
  EXPECT_EQ(read_bytes(stored), "innehåll");
  EXPECT_FALSE(protect_stored(q));  // a folder is not a stored file
}

TEST(FolderLock, ASecondHolderWaits) {
  WinTempDir base;
  std::atomic<bool> second_has_it{false};
  std::future<void> second;
  {
    FolderLock first(base.path());
    ASSERT_FALSE(first.failed());
    second = std::async(std::launch::async, [&] {
      FolderLock lock(base.path());
      EXPECT_FALSE(lock.failed());
      second_has_it = true;
    });
    std::this_thread::sleep_for(500ms);
    EXPECT_FALSE(second_has_it) << "the lock must be exclusive";
  }
  ASSERT_EQ(second.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(second_has_it);
  FolderLock missing(base / L"saknas");
  ASSERT_TRUE(missing.failed());
  EXPECT_NE(missing.failed()->message.find("cannot lock quarantine folder"), std::string::npos);
}

TEST(WriteNote, WritesAndReplacesWithANonAsciiName) {
  WinTempDir dir;
  const auto note = dir / L"Närvaro_elev_åäö.docx.vakt.txt";
  ASSERT_TRUE(write_note(note, "Vakt har flyttat filen.\n"));
  EXPECT_EQ(read_bytes(note), "Vakt har flyttat filen.\n");
  // Only Vakt's own older note gives way; a user's file of that name never does.
  ASSERT_EQ(write_note(note, "ny\n", std::nullopt, "Vakt har").value(), NoteInstall::kWritten);
  EXPECT_EQ(read_bytes(note), "ny\n");
  ASSERT_EQ(write_note(note, "Vakt har igen\n", std::nullopt, "Vakt har").value(),
            NoteInstall::kNameTaken);
  EXPECT_EQ(read_bytes(note), "ny\n");
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 1u) << "no temporary file is left behind";
  EXPECT_FALSE(write_note(dir / L"saknas" / L"x.vakt.txt", "nej\n"));
}

TEST(Forward, MovesIntoTheSyncFolderAndNeverReplaces) {
  WinTempDir outbox;
  WinTempDir sync;
  const auto file = outbox / L"Närvaro_elev_åäö.docx";
  ASSERT_TRUE(write_bytes(file, "ok att dela"));
  auto info = stat_no_follow(file);
  ASSERT_TRUE(info);
  auto moved = forward_into(file, sync.path(), L"Projekt/Närvaro_elev_åäö.docx", info->id);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->method, MoveMethod::kRename);
  EXPECT_EQ(read_bytes(sync / L"Projekt" / L"Närvaro_elev_åäö.docx"), "ok att dela");
  EXPECT_FALSE(path_exists(file));

  // Same name again: a conflict, and the outbox file stays.
  ASSERT_TRUE(write_bytes(file, "andra"));
  auto again = forward_into(file, sync.path(), L"Projekt/Närvaro_elev_åäö.docx", std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message.rfind(std::string(kForwardConflict), 0), 0u)
      << again.error().message;
  EXPECT_EQ(read_bytes(file), "andra");
  EXPECT_EQ(read_bytes(sync / L"Projekt" / L"Närvaro_elev_åäö.docx"), "ok att dela");

  // Content edited after the scan never reaches the sync folder.
  ASSERT_TRUE(write_bytes(outbox / L"ändrad.txt", "redigerad efter skanningen"));
  auto edited = forward_into(outbox / L"ändrad.txt", sync.path(), L"ändrad.txt", std::nullopt,
                             "0000000000000000000000000000000000000000000000000000000000000000");
  ASSERT_FALSE(edited);
  EXPECT_EQ(edited.error().message.rfind(std::string(kContentChanged), 0), 0u)
      << edited.error().message;
  EXPECT_FALSE(path_exists(sync / L"ändrad.txt"));
  EXPECT_TRUE(path_exists(outbox / L"ändrad.txt"));

  // A different file under the scanned name is refused.
  auto swapped = forward_into(file, sync.path(), L"annat.docx", FileId{1, 2});
  ASSERT_FALSE(swapped);
  EXPECT_NE(swapped.error().message.find("replaced after the scan"), std::string::npos);
  EXPECT_TRUE(path_exists(file));
}

TEST(Forward, RefusesAJunctionInTheSyncFolder) {
  WinTempDir outbox;
  WinTempDir sync;
  WinTempDir elsewhere;
  const auto file = outbox / L"a.txt";
  ASSERT_TRUE(write_bytes(file, "x"));
  if (!CreateSymbolicLinkW((sync / L"Projekt").c_str(), elsewhere.path().c_str(),
                           SYMBOLIC_LINK_FLAG_DIRECTORY) ||
      !testing::is_reparse_point(sync / L"Projekt")) {
    GTEST_SKIP() << "no folder links that show as reparse points here (wine 8 has none)";
  }
  auto moved = forward_into(file, sync.path(), L"Projekt/a.txt", std::nullopt);
  ASSERT_FALSE(moved);
  EXPECT_NE(moved.error().message.find("refusing to follow"), std::string::npos)
      << moved.error().message;
  EXPECT_TRUE(path_exists(file));
  EXPECT_FALSE(path_exists(elsewhere / L"a.txt"));
}

TEST(Forward, HeldDirNamesTheFolderForARestore) {
  WinTempDir base;
  const auto target = base / L"Återställt" / L"Djupare";
  auto held = open_dir_no_user_symlinks(target);
  ASSERT_TRUE(held) << held.error().message;
  EXPECT_EQ(held->path(), target);
  EXPECT_TRUE(path_exists(target)) << "missing folders are created";
  // Held without delete sharing: the folder cannot be renamed away while the restore runs.
  EXPECT_FALSE(MoveFileExW(target.c_str(), (base / L"annat").c_str(), 0));
  EXPECT_FALSE(open_dir_no_user_symlinks(L"relativ\\mapp"));
}

}  // namespace
}  // namespace vakt::agent
