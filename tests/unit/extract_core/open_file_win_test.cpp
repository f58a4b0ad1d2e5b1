// open_for_scan / MemberBuffer / os helpers on Windows: wide and long paths, sharing with programs
// that hold the file open, a private snapshot that survives truncation, specific reasons.
#include <windows.h>

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "extract/mapped_file.h"
#include "extract/member_buffer.h"
#include "extract/streamed_text.h"
#include "test_support.h"
#include "util/os.h"
#include "util/os_win.h"
#include "util/sha256.h"

namespace vakt::extract {
namespace {

class WinTempDir {
 public:
  WinTempDir() {
    std::random_device random;
    const auto base = std::filesystem::temp_directory_path();
    for (int i = 0; i < 100 && path_.empty(); ++i) {
      auto candidate = base / ("vakt-wintest-" + std::to_string(random()));
      if (std::filesystem::create_directory(candidate)) path_ = candidate;
    }
  }
  ~WinTempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::filesystem::path& name, std::string_view bytes) const {
    const auto p = path_ / name;
    std::ofstream f(p, std::ios::binary);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p;
  }

 private:
  std::filesystem::path path_;
};

TEST(OpenForScanWin, RegularFile) {
  WinTempDir dir;
  const auto p = dir.write("a.txt", "Hej 19121212-1212");
  auto f = open_for_scan(p, 1 << 20);
  ASSERT_TRUE(f.ok()) << f.reason;
  EXPECT_EQ(f.bytes(), "Hej 19121212-1212");
  EXPECT_EQ(f.size, 17u);
  EXPECT_EQ(f.sha256, sha256_hex("Hej 19121212-1212"));
}

TEST(OpenForScanWin, EmptyMissingDirectoryTooLarge) {
  WinTempDir dir;
  auto empty = open_for_scan(dir.write("tom", ""), 100);
  ASSERT_TRUE(empty.ok()) << empty.reason;
  EXPECT_TRUE(empty.bytes().empty());

  auto missing = open_for_scan(dir.path() / "finns-inte.txt", 100);
  EXPECT_FALSE(missing.exists);
  EXPECT_EQ(missing.status, ScanStatus::kError);
  EXPECT_EQ(missing.reason, "not found");

  auto directory = open_for_scan(dir.path(), 100);
  EXPECT_EQ(directory.status, ScanStatus::kError);
  EXPECT_EQ(directory.reason, "is a directory");

  auto large = open_for_scan(dir.write("stor.bin", std::string(200, 'x')), 100);
  EXPECT_EQ(large.status, ScanStatus::kUnscannable);
  EXPECT_EQ(large.reason, "too large: 200 bytes (max_file_bytes 100)");
}

TEST(OpenForScanWin, NonAsciiNameIsReadAndShownAsUtf8) {
  WinTempDir dir;
  const std::filesystem::path name(L"S\u00e4kerhetsskydd \u00e5\u00e4\u00f6.txt");
  const auto p = dir.write(name, "hemligt");
  auto f = open_for_scan(p, 100);
  ASSERT_TRUE(f.ok()) << f.reason;
  EXPECT_EQ(f.bytes(), "hemligt");
  EXPECT_EQ(os::path_utf8(name), "S\xc3\xa4kerhetsskydd \xc3\xa5\xc3\xa4\xc3\xb6.txt");
}

TEST(OpenForScanWin, PathLongerThanMaxPath) {
  WinTempDir dir;
  std::filesystem::path deep = dir.path();
  for (int i = 0; deep.native().size() < 300; ++i) {
    deep /= L"mapp-med-ett-ganska-langt-namn-" + std::to_wstring(i);
    ASSERT_TRUE(CreateDirectoryW(os::win32_path(deep).c_str(), nullptr) ||
                GetLastError() == ERROR_ALREADY_EXISTS);
  }
  const auto file = deep / L"djup.txt";
  ASSERT_GT(file.native().size(), static_cast<std::size_t>(MAX_PATH));
  HANDLE h = CreateFileW(os::win32_path(file).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE);
  DWORD wrote = 0;
  ASSERT_TRUE(WriteFile(h, "djupt", 5, &wrote, nullptr));
  CloseHandle(h);
  auto f = open_for_scan(file, 100);
  ASSERT_TRUE(f.ok()) << f.reason;
  EXPECT_EQ(f.bytes(), "djupt");
}

// Word keeps an open document locked for writing but shares reading: the scan must still read it.
TEST(OpenForScanWin, FileOpenForWritingByAnotherProgramIsRead) {
  WinTempDir dir;
  const auto p = dir.write("oppen.docx", "innehall");
  HANDLE writer = CreateFileW(p.c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                              OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(writer, INVALID_HANDLE_VALUE);
  auto f = open_for_scan(p, 100);
  CloseHandle(writer);
  ASSERT_TRUE(f.ok()) << f.reason;
  EXPECT_EQ(f.bytes(), "innehall");
}

// A file held with no sharing at all is reported with the reason (the agent retries), never clean.
TEST(OpenForScanWin, ExclusivelyHeldFileIsASharingViolation) {
  WinTempDir dir;
  const auto p = dir.write("last.xlsx", "innehall");
  HANDLE holder = CreateFileW(p.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(holder, INVALID_HANDLE_VALUE);
  auto f = open_for_scan(p, 100);
  CloseHandle(holder);
  EXPECT_TRUE(f.exists);
  EXPECT_EQ(f.status, ScanStatus::kError);
  EXPECT_EQ(f.reason, "in use by another program (sharing violation)");
}

// The scan works on a private snapshot: truncating the user's file afterwards changes nothing and
// cannot fault the process (a mapping of the user's file would raise EXCEPTION_IN_PAGE_ERROR).
TEST(OpenForScanWin, TruncatedAfterOpenKeepsTheSnapshot) {
  WinTempDir dir;
  std::string content(3u << 20, 'a');
  content.replace(content.size() - 17, 17, "Hej 19121212-1212");
  const auto p = dir.write("sparas.txt", content);
  auto f = open_for_scan(p, 1u << 30);
  ASSERT_TRUE(f.ok()) << f.reason;
  std::filesystem::resize_file(p, 0);
  std::size_t sum = 0;
  for (char c : f.bytes()) sum += static_cast<unsigned char>(c);
  EXPECT_GT(sum, 0u);
  EXPECT_EQ(f.bytes(), content);
  EXPECT_EQ(f.sha256, sha256_hex(content));
}

TEST(OpenForScanWin, FileThatShrinksWhileBeingReadIsReportedNotClean) {
  WinTempDir dir;
  const auto p = dir.write("krymper.txt", std::string(1000, 'x'));
  HANDLE h = CreateFileW(p.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  ASSERT_NE(h, INVALID_HANDLE_VALUE);
  MemberBuffer buf;
  auto r = read_snapshot(reinterpret_cast<NativeFile>(h), 5000, buf);
  CloseHandle(h);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "file changed during scan: truncated to 1000 of 5000 bytes");
}

TEST(MemberBufferWin, SmallStaysOnHeapLargeSpillsToAMappedTempFile) {
  MemberBuffer small;
  ASSERT_TRUE(small.append("abc"));
  ASSERT_TRUE(small.append("def"));
  auto v = small.view();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "abcdef");

  MemberBuffer big;
  const std::string chunk(1 << 20, 'q');
  for (std::size_t i = 0; i < MemberBuffer::kHeapLimit / chunk.size() + 2; ++i) {
    ASSERT_TRUE(big.append(chunk));
  }
  ASSERT_TRUE(big.append("SLUT"));
  auto bv = big.view();
  ASSERT_TRUE(bv.ok()) << bv.error().message;
  EXPECT_EQ(bv->size(), MemberBuffer::kHeapLimit + 2 * chunk.size() + 4);
  EXPECT_EQ(bv->substr(bv->size() - 5), "qSLUT");
  // Appending after a view remaps the longer file.
  ASSERT_TRUE(big.append("MER"));
  auto again = big.view();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->substr(again->size() - 7), "SLUTMER");
}

TEST(OsWin, ReplaceFileSwapsAnExistingFileAtomically) {
  WinTempDir dir;
  const auto target = dir.write("cache.hsdb", "gammal");
  const auto fresh = dir.write("cache.hsdb.tmp.1", "ny");
  ASSERT_TRUE(os::replace_file(fresh, target));
  std::ifstream in(target, std::ios::binary);
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, "ny");
  EXPECT_FALSE(std::filesystem::exists(fresh));
  EXPECT_FALSE(os::replace_file(dir.path() / "finns-inte", target));
}

TEST(OsWin, LongPathsGetThePrefix) {
  const std::wstring long_name(300, L'a');
  EXPECT_EQ(os::win32_path(std::filesystem::path(L"C:\\x\\" + long_name)),
            L"\\\\?\\C:\\x\\" + long_name);
  EXPECT_EQ(os::win32_path(std::filesystem::path(L"\\\\server\\share\\" + long_name)),
            L"\\\\?\\UNC\\server\\share\\" + long_name);
  EXPECT_EQ(os::win32_path(std::filesystem::path(L"C:\\kort.txt")), L"C:\\kort.txt");
}

// The large plain-text case: read in pieces at offsets, never copied, and a file another program
// shortens meanwhile is an error with the same wording as a truncated snapshot.
TEST(OpenForScanWin, StreamedFileIsReadAtOffsetsAndTruncationIsReported) {
  WinTempDir dir;
  std::string content(3u << 20, 'x');
  content.replace(content.size() - 4, 4, "SLUT");
  const auto p = dir.write("stor.txt", content);
  StreamChoice choice;
  choice.above = 1u << 20;
  choice.wants = [](std::string_view head) { return head.size() == StreamChoice::kHeadBytes; };
  auto f = open_for_scan(p, 1u << 30, choice);
  ASSERT_TRUE(f.ok()) << f.reason;
  ASSERT_NE(f.stream, nullptr);
  EXPECT_EQ(f.snapshot, nullptr);
  char tail[8] = {};
  auto got = f.stream->read_at(content.size() - 4, std::span<char>(tail, sizeof tail));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(std::string_view(tail, got.value()), "SLUT");

  std::filesystem::resize_file(p, (1u << 20) + 100);  // shared for writing: another program may
  testing::RecordingSink sink;
  const Limits limits;
  Context ctx(sink, limits, false);
  StreamedText read = extract_streamed_text(*f.stream, ctx);
  EXPECT_EQ(read.error, "file changed during scan: truncated to 1048676 of 3145728 bytes");
  EXPECT_TRUE(read.sha256.empty());
}

// Appended to after the scan opened it (the file is shared for writing): reported, never clean.
TEST(OpenForScanWin, FileAppendedToWhileStreamedIsAnErrorNeverClean) {
  WinTempDir dir;
  const auto p = dir.write("växer.txt", std::string(3u << 20, 'x'));
  StreamChoice choice;
  choice.above = 0;
  choice.wants = [](std::string_view) { return true; };
  auto f = open_for_scan(p, 1u << 30, choice);
  ASSERT_NE(f.stream, nullptr);
  EXPECT_FALSE(f.stream->changed());
  {
    std::ofstream a(p, std::ios::binary | std::ios::app);
    a << "Personnummer 19121212-1212";
  }
  EXPECT_TRUE(f.stream->changed());
  testing::RecordingSink sink;
  const Limits limits;
  Context ctx(sink, limits, false);
  StreamedText read = extract_streamed_text(*f.stream, ctx);
  EXPECT_EQ(read.error, kChangedWhileRead);
  EXPECT_TRUE(read.sha256.empty());
}

}  // namespace
}  // namespace vakt::extract
