// BigBuffer: the scratch behind inflated members, file snapshots and the cached database.
#include "util/big_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

namespace vakt {
namespace {

std::string pattern_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
  return s;
}

TEST(BigBuffer, AppendKeepsEveryByteAcrossGrowthPastTheHugePageSize) {
  const std::string want = pattern_bytes(5 * BigBuffer::kHugeFrom + 12345);
  BigBuffer b;
  for (std::size_t at = 0; at < want.size(); at += 100000) b.append(want.substr(at, 100000));
  ASSERT_EQ(b.size(), want.size());
  EXPECT_TRUE(b.view() == want);
}

TEST(BigBuffer, ALargeBlockIsHugePageAlignedAndWhole) {
  BigBuffer b;
  b.resize(3 * BigBuffer::kHugeFrom + 1);
  constexpr std::uintptr_t kTwoMiB = std::uintptr_t{2} << 20;
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(b.data()) % kTwoMiB, 0u);
  EXPECT_EQ(b.capacity() % kTwoMiB, 0u);
  EXPECT_GE(b.capacity(), b.size());
}

TEST(BigBuffer, ResizeWithinTheCapacityKeepsTheBlock) {
  BigBuffer b;
  b.resize(4 << 20);
  char* first = b.data();
  b.resize(100);
  b.resize(3 << 20);
  EXPECT_EQ(b.data(), first);
  EXPECT_EQ(b.size(), std::size_t{3} << 20);
}

TEST(BigBuffer, ReserveKeepsTheContents) {
  BigBuffer b;
  b.append("personakt");
  b.reserve(8 << 20);
  EXPECT_EQ(b.view(), "personakt");
  EXPECT_GE(b.capacity(), std::size_t{8} << 20);
}

TEST(BigBuffer, AMovedFromBufferIsEmpty) {
  BigBuffer a;
  a.append("abc");
  BigBuffer b = std::move(a);
  EXPECT_EQ(b.view(), "abc");
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): the state after a move is the point
  EXPECT_EQ(a.capacity(), 0u);
  a.append("de");  // and usable again
  EXPECT_EQ(a.view(), "de");
}

}  // namespace
}  // namespace vakt
