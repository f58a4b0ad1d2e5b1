// open_for_scan / MappedFile / MemberBuffer: the file-opening rules never block or read blindly.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "extract/mapped_file.h"
#include "extract/member_buffer.h"
#include "extract/streamed_text.h"
#include "test_support.h"
#include "util/sha256.h"

namespace vakt::extract {
namespace {

using testing::TempDir;

TEST(OpenForScan, RegularFileIsMapped) {
  TempDir dir;
  const auto p = dir.write("a.txt", "Hej 19121212-1212");
  auto f = open_for_scan(p, 1 << 20);
  ASSERT_TRUE(f.ok()) << f.reason;
  EXPECT_EQ(f.bytes(), "Hej 19121212-1212");
  EXPECT_EQ(f.size, 17u);
}

TEST(OpenForScan, EmptyFile) {
  TempDir dir;
  auto f = open_for_scan(dir.write("tom", ""), 100);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f.bytes().empty());
}

TEST(OpenForScan, MissingFile) {
  TempDir dir;
  auto f = open_for_scan(dir.path() / "finns-inte.txt", 100);
  EXPECT_FALSE(f.ok());
  EXPECT_FALSE(f.exists);
  EXPECT_EQ(f.status, ScanStatus::kError);
  EXPECT_EQ(f.reason, "not found");
}

TEST(OpenForScan, Directory) {
  TempDir dir;
  auto f = open_for_scan(dir.path(), 100);
  EXPECT_EQ(f.status, ScanStatus::kError);
  EXPECT_EQ(f.reason, "is a directory");
}

TEST(OpenForScan, PermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can read anything";
  TempDir dir;
  const auto p = dir.write("las-ej.txt", "hemligt");
  ASSERT_EQ(::chmod(p.c_str(), 0), 0);
  auto f = open_for_scan(p, 100);
  EXPECT_TRUE(f.exists);
  EXPECT_EQ(f.status, ScanStatus::kError);
  EXPECT_EQ(f.reason, "permission denied");
}

TEST(OpenForScan, FifoDoesNotBlock) {
  TempDir dir;
  const auto p = dir.path() / "ror";
  ASSERT_EQ(::mkfifo(p.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  auto f = open_for_scan(p, 100);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_EQ(f.status, ScanStatus::kUnscannable);
  EXPECT_EQ(f.reason, "not a regular file: fifo");
}

TEST(OpenForScan, TooLarge) {
  TempDir dir;
  auto f = open_for_scan(dir.write("stor.bin", std::string(200, 'x')), 100);
  EXPECT_EQ(f.status, ScanStatus::kUnscannable);
  EXPECT_EQ(f.reason, "too large: 200 bytes (max_file_bytes 100)");
}

// H6: the scanner must not map the user's file; a truncate + rewrite save by another process while
// the bytes are being read would raise SIGBUS and kill the agent.
TEST(OpenForScan, TruncatedAfterOpenKeepsTheSnapshotAndDoesNotCrash) {
  TempDir dir;
  std::string content(3u << 20, 'a');
  content.replace(content.size() - 17, 17, "Hej 19121212-1212");
  const auto p = dir.write("sparas.txt", content);
  auto f = open_for_scan(p, 1u << 30);
  ASSERT_TRUE(f.ok()) << f.reason;
  ASSERT_EQ(::truncate(p.c_str(), 0), 0);  // another process saves: truncate, then rewrite
  std::size_t sum = 0;
  for (char c : f.bytes()) sum += static_cast<unsigned char>(c);  // SIGBUS here with an mmap
  EXPECT_GT(sum, 0u);
  EXPECT_EQ(f.bytes(), content);
  Sha256 h;
  h.update(content);
  EXPECT_EQ(f.sha256, h.hex());
}

TEST(OpenForScan, FileThatShrinksWhileBeingReadIsReportedNotClean) {
  TempDir dir;
  const auto p = dir.write("krymper.txt", std::string(1000, 'x'));
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  MemberBuffer buf;
  // fstat said 5000 bytes, but the file now ends at 1000: as if truncated between fstat and read.
  auto r = read_snapshot(fd, 5000, buf);
  ::close(fd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "file changed during scan: truncated to 1000 of 5000 bytes");
}

// The snapshot is read straight into the buffer while it stays on the heap, and through a spare
// chunk once it spills: the bytes and their hash are the file's either way.
TEST(OpenForScan, SnapshotOfSeveralChunksIsTheFileOnTheHeapAndWhenItSpills) {
  TempDir dir;
  std::string content((3u << 20) + 777, '\0');
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>('A' + i % 23);
  const auto p = dir.write("stor.txt", content);
  Sha256 h;
  h.update(content);
  const std::string want_hash = h.hex();  // once: the digest ends the hash

  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  MemberBuffer on_heap(content.size());
  auto r = read_snapshot(fd, content.size(), on_heap);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, want_hash);
  auto v = on_heap.view();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(*v == content);

  MemberBuffer spilling;  // all but 100 bytes of the heap already used
  const std::string before(MemberBuffer::kHeapLimit - 100, 'x');
  ASSERT_TRUE(spilling.append(before));
  r = read_snapshot(fd, content.size(), spilling);
  ::close(fd);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, want_hash);
  v = spilling.view();
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), before.size() + content.size());
  EXPECT_TRUE(v->substr(0, before.size()) == before);
  EXPECT_TRUE(v->substr(before.size()) == content);
}

TEST(MemberBuffer, SmallStaysOnHeapLargeSpillsToAMappedTempFile) {
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
  EXPECT_EQ(bv->front(), 'q');
}

TEST(OpenForScan, LargeFileTheCallerWantsStreamedIsNotCopied) {
  TempDir dir;
  std::string content(MemberBuffer::kHeapLimit + (1u << 20), 'a');
  content.replace(content.size() - 4, 4, "SLUT");
  const auto p = dir.write("stor.txt", content);
  StreamChoice choice;
  choice.above = MemberBuffer::kHeapLimit;
  std::size_t head_size = 0;
  choice.wants = [&](std::string_view head) {
    head_size = head.size();
    return head.starts_with("aaa");
  };
  auto f = open_for_scan(p, 1u << 30, choice);
  ASSERT_TRUE(f.ok()) << f.reason;
  ASSERT_NE(f.stream, nullptr);
  EXPECT_EQ(f.snapshot, nullptr);
  EXPECT_EQ(head_size, StreamChoice::kHeadBytes);
  EXPECT_EQ(f.stream->size(), content.size());
  char tail[8] = {};
  auto got = f.stream->read_at(content.size() - 4, std::span<char>(tail, sizeof tail));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(std::string_view(tail, got.value()), "SLUT");

  // Refused by the caller: the usual snapshot.
  choice.wants = [](std::string_view) { return false; };
  auto copied = open_for_scan(p, 1u << 30, choice);
  ASSERT_TRUE(copied.ok()) << copied.reason;
  EXPECT_EQ(copied.stream, nullptr);
  EXPECT_EQ(copied.bytes().size(), content.size());

  // At or below the threshold the caller is not even asked.
  bool asked = false;
  choice.above = content.size();
  choice.wants = [&](std::string_view) { return asked = true; };
  auto small = open_for_scan(p, 1u << 30, choice);
  EXPECT_FALSE(asked);
  EXPECT_EQ(small.stream, nullptr);
}

TEST(StreamedText, FileTruncatedWhileReadIsAnErrorNeverClean) {
  TempDir dir;
  const auto p = dir.write("krymper.txt", std::string(3u << 20, 'x'));
  StreamChoice choice;
  choice.above = 0;
  choice.wants = [](std::string_view) { return true; };
  auto f = open_for_scan(p, 1u << 30, choice);
  ASSERT_NE(f.stream, nullptr);
  ASSERT_EQ(::truncate(p.c_str(), (1u << 20) + 100), 0);  // another program shortens it
  testing::RecordingSink sink;
  const Limits limits;
  Context ctx(sink, limits, false);
  StreamedText read = extract_streamed_text(*f.stream, ctx);
  EXPECT_EQ(read.error, "file changed during scan: truncated to 1048676 of 3145728 bytes");
  EXPECT_TRUE(read.sha256.empty());
  ASSERT_EQ(sink.parts.size(), 1u);
  EXPECT_EQ(sink.parts[0].text.size(), (1u << 20) + 100);  // what was there was still scanned
}

// A file written while it is read — appended to, or overwritten in place at the same size — is
// reported as changed, never scanned as clean bytes it no longer has.
TEST(FileStamp, WritesAfterOpeningAreSeen) {
  TempDir dir;
  const auto p = dir.write("ändras.txt", std::string(1000, 'x'));
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  auto opened = stamp_of(fd);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->size, 1000u);
  EXPECT_FALSE(changed_since(fd, *opened));
  {
    // Same size, new bytes, and a last-write time that differs (as any real write's does).
    const int w = ::open(p.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_EQ(::pwrite(w, "Personnummer", 12, 0), 12);
    const struct timespec times[2] = {{0, UTIME_OMIT}, {opened->modified / 1000000000 + 5, 0}};
    ASSERT_EQ(::futimens(w, times), 0);
    ::close(w);
  }
  EXPECT_TRUE(changed_since(fd, *opened));
  auto now = stamp_of(fd);
  ASSERT_TRUE(now.ok());
  {
    std::FILE* a = std::fopen(p.c_str(), "ab");
    std::fputs(" 19121212-1212", a);
    std::fclose(a);
  }
  // Appended: the size differs, and bytes exist past the size first seen.
  EXPECT_TRUE(changed_since(fd, *now));
  FileStamp same_size_more_bytes = *now;
  same_size_more_bytes.modified = stamp_of(fd)->modified;
  same_size_more_bytes.size = stamp_of(fd)->size;
  EXPECT_FALSE(changed_since(fd, same_size_more_bytes));
  same_size_more_bytes.size -= 1;  // as if the size were read before the last byte landed
  EXPECT_TRUE(changed_since(fd, same_size_more_bytes));
  ::close(fd);
}

// /proc files say size 0 and have content: not scanned as an empty, clean file.
TEST(OpenForScan, ASizeZeroFileWithContentIsReportedChanged) {
  auto f = open_for_scan("/proc/self/status", 1 << 20);
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(f.status, ScanStatus::kError);
  EXPECT_EQ(f.reason, kChangedWhileRead);
}

TEST(StreamedText, FileAppendedToWhileReadIsAnErrorNeverClean) {
  TempDir dir;
  const auto p = dir.write("växer.txt", std::string(3u << 20, 'x'));
  StreamChoice choice;
  choice.above = 0;
  choice.wants = [](std::string_view) { return true; };
  auto f = open_for_scan(p, 1u << 30, choice);
  ASSERT_NE(f.stream, nullptr);
  {
    std::FILE* a = std::fopen(p.c_str(), "ab");
    std::fputs("Personnummer 19121212-1212", a);
    std::fclose(a);
  }
  testing::RecordingSink sink;
  const Limits limits;
  Context ctx(sink, limits, false);
  StreamedText read = extract_streamed_text(*f.stream, ctx);
  EXPECT_EQ(read.error, kChangedWhileRead);
  EXPECT_TRUE(read.sha256.empty());
}

}  // namespace
}  // namespace vakt::extract
