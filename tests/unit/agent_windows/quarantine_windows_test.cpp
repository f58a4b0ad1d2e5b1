// The whole quarantine on Windows semantics under wine, through the seams: a document Word still
// has open is left in place (and nothing is recorded) until it is closed, then it is moved into
// the private folder with a note beside the original and a ledger entry whose paths are UTF-8;
// a restore puts it back byte for byte; a quarantine folder on another volume gets a verified
// copy and the original is deleted.
#include <aclapi.h>
#include <gtest/gtest.h>
#include <windows.h>

#include "actions/quarantine.h"
#include "actions/utf8_path.h"
#include "win_test_dir.h"

namespace vakt::agent {
namespace {

using testing::path_exists;
using testing::read_bytes;
using testing::WinTempDir;
using testing::write_bytes;

const std::string kContent = "Namn: Test Testsson\nPersonnummer: 19990604-2388\n";

struct Fixture {
  WinTempDir dir;
  std::filesystem::path od = dir / L"OneDrive - Kommun";
  std::unique_ptr<QuarantineLedger> ledger;
  explicit Fixture(const std::filesystem::path& ledger_dir = {}) {
    std::filesystem::create_directories(od);
    auto opened = QuarantineLedger::open(
        (ledger_dir.empty() ? dir.path() : ledger_dir) / L"ledger.sqlite", nullptr);
    EXPECT_TRUE(opened) << (opened ? "" : opened.error().message);
    if (opened) ledger = std::move(opened.value());
  }
  QuarantineRequest request(const std::filesystem::path& p) {
    QuarantineRequest r;
    r.path = p;
    r.info_class = 3;
    r.class_name = "Känslig";
    r.rule_ids = {"se.personnummer"};
    r.rule_names = {"Personnummer"};
    r.owner = "KOMMUN\\anna";
    r.expected_sha256 = hash_with(default_file_ops(), p).value();
    r.expected_id = stat_no_follow(p).value().id;
    return r;
  }
};

TEST(WindowsQuarantine, AnOpenDocumentWaitsThenMovesAndRestores) {
  Fixture f;
  ASSERT_TRUE(f.ledger);
  const auto file = f.od / L"Närvaro_elev_åäö.docx";
  ASSERT_TRUE(write_bytes(file, kContent));
  Quarantine q({f.dir / L"karantän", "IT-servicedesk 0123-456"}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto req = f.request(file);

  HANDLE word = CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                            OPEN_EXISTING, 0, nullptr);
  ASSERT_NE(word, INVALID_HANDLE_VALUE);
  auto busy = q.quarantine(req);
  CloseHandle(word);
  ASSERT_FALSE(busy);
  EXPECT_NE(busy.error().message.find("open for writing"), std::string::npos)
      << busy.error().message;
  EXPECT_EQ(read_bytes(file), kContent) << "the document stays where it is, whole";
  EXPECT_TRUE(f.ledger->list(LedgerState::kFailed).empty());
  EXPECT_TRUE(f.ledger->list(LedgerState::kPending).empty());

  auto out = q.quarantine(req);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->method, MoveMethod::kRename);
  EXPECT_FALSE(path_exists(file));
  EXPECT_EQ(read_bytes(out->stored_path), kContent);
  EXPECT_EQ(out->sha256, req.expected_sha256);
  EXPECT_TRUE(out->note_error.empty()) << out->note_error;
  const auto note = f.od / L"Närvaro_elev_åäö.docx.vakt.txt";
  EXPECT_EQ(out->note_path, note);
  const std::string text = read_bytes(note);
  EXPECT_NE(text.find(out->id), std::string::npos) << text;
  EXPECT_EQ(text.find("2388"), std::string::npos);
  auto e = f.ledger->get(out->id);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->state, LedgerState::kQuarantined);
  EXPECT_EQ(e->original_path, path_to_utf8(file)) << "ledger paths are UTF-8";
  EXPECT_TRUE(path_exists(q.meta_dir() / (out->id + ".json")));

  auto back = q.restore(out->id, std::nullopt);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->restored_to, file);
  EXPECT_EQ(read_bytes(file), kContent);
  // The stored copy's protected SYSTEM/Administrators DACL must not lock the user out of the
  // restored file: it inherits its folder's ACL again. (Wine keeps no DACLs of its own: it maps
  // them onto Unix mode bits, so only the ledger's record of the reset is checked there.)
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  ASSERT_EQ(GetNamedSecurityInfoW(file.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr,
                                  nullptr, &dacl, nullptr, &sd),
            static_cast<DWORD>(ERROR_SUCCESS));
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  DWORD revision = 0;
  GetSecurityDescriptorControl(sd, &control, &revision);
  LocalFree(sd);
  if (!testing::under_wine()) {
    EXPECT_EQ(control & SE_DACL_PROTECTED, 0) << "still protected";
  }
  EXPECT_EQ(f.ledger->get(out->id)->detail.find("ACL"), std::string::npos)
      << f.ledger->get(out->id)->detail;
  EXPECT_FALSE(path_exists(note));
  EXPECT_FALSE(path_exists(out->stored_path));
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kRestored);
}

TEST(WindowsQuarantine, AnotherVolumeGetsAVerifiedCopy) {
  if (GetFileAttributesW(L"Z:\\dev\\shm") == INVALID_FILE_ATTRIBUTES) {
    GTEST_SKIP() << "no Z:\\dev\\shm (not under wine)";
  }
  WinTempDir other(std::filesystem::path(L"Z:\\dev\\shm"));
  Fixture f;
  ASSERT_TRUE(f.ledger);
  const auto file = f.od / L"lista över elever.txt";
  ASSERT_TRUE(write_bytes(file, kContent));
  Quarantine q({other / L"q", ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto out = q.quarantine(f.request(file));
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->method, MoveMethod::kCopyVerify);
  EXPECT_FALSE(path_exists(file));
  EXPECT_FALSE(path_exists(partial_path_for(out->stored_path)));
  EXPECT_EQ(read_bytes(out->stored_path), kContent);
  EXPECT_EQ(f.ledger->get(out->id)->state, LedgerState::kQuarantined);
}

TEST(WindowsQuarantine, ASwappedFileIsRefused) {
  Fixture f;
  ASSERT_TRUE(f.ledger);
  const auto file = f.od / L"a.txt";
  ASSERT_TRUE(write_bytes(file, kContent));
  Quarantine q({f.dir / L"q", ""}, *f.ledger, default_file_ops());
  ASSERT_TRUE(q.prepare());
  auto req = f.request(file);
  // The scanned file is renamed away and another takes its name (a delete would let the file
  // system hand the new file the same index).
  ASSERT_TRUE(MoveFileExW(file.c_str(), (f.od / L"a.old").c_str(), 0));
  ASSERT_TRUE(write_bytes(file, "en annan fil"));
  auto out = q.quarantine(req);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("different file identity"), std::string::npos)
      << out.error().message;
  EXPECT_EQ(read_bytes(file), "en annan fil");
}

}  // namespace
}  // namespace vakt::agent
