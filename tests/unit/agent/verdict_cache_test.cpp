#include <gtest/gtest.h>

#include "state/verdict_cache.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

FileInfo info(std::uint64_t size, std::int64_t mtime, std::uint64_t inode) {
  FileInfo i;
  i.kind = FileKind::kRegular;
  i.size = size;
  i.mtime_ns = mtime;
  i.id = {1, inode};
  return i;
}

CachedVerdict verdict(const std::string& sha, const std::string& rules) {
  CachedVerdict v;
  v.sha256 = sha;
  v.rules_version = rules;
  v.status = "scanned";
  v.info_class = 3;
  v.class_name = "Känslig";
  v.rule_ids = "se.personnummer";
  v.rule_names = "Personnummer";
  return v;
}

TEST(VerdictCache, UnchangedFileSameRulesIsFound) {
  testing::TempDir dir;
  auto cache = VerdictCache::open(dir / "state.sqlite", nullptr);
  ASSERT_TRUE(cache) << cache.error().message;
  ASSERT_TRUE((*cache)->store("/od/a.txt", info(10, 100, 7), verdict("h1", "r1")));
  auto hit = (*cache)->find_unchanged("/od/a.txt", info(10, 100, 7), "r1");
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->info_class, 3);
  EXPECT_EQ(hit->rule_names, "Personnummer");
  EXPECT_FALSE((*cache)->find_unchanged("/od/a.txt", info(11, 100, 7), "r1"));  // size
  EXPECT_FALSE((*cache)->find_unchanged("/od/a.txt", info(10, 101, 7), "r1"));  // mtime
  EXPECT_FALSE((*cache)->find_unchanged("/od/a.txt", info(10, 100, 8), "r1"));  // replaced file
  EXPECT_FALSE((*cache)->find_unchanged("/od/a.txt", info(10, 100, 7), "r2"));  // rules changed
  EXPECT_TRUE((*cache)->find_by_content("h1", "r1"));
  EXPECT_FALSE((*cache)->find_by_content("h1", "r2"));
  ASSERT_TRUE((*cache)->forget("/od/a.txt"));
  EXPECT_FALSE((*cache)->find_unchanged("/od/a.txt", info(10, 100, 7), "r1"));
}

TEST(VerdictCache, SurvivesRestart) {
  testing::TempDir dir;
  {
    auto cache = VerdictCache::open(dir / "state.sqlite", nullptr);
    ASSERT_TRUE((*cache)->store("/od/å.txt", info(1, 2, 3), verdict("h", "r")));
  }
  auto again = VerdictCache::open(dir / "state.sqlite", nullptr);
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->find_unchanged("/od/å.txt", info(1, 2, 3), "r"));
}

TEST(VerdictCache, CorruptDatabaseIsMovedAsideAndRebuilt) {
  testing::TempDir dir;
  auto db = dir / "state.sqlite";
  testing::write_file(db, std::string(8192, 'Z'));  // not a database
  std::string aside;
  auto cache = VerdictCache::open(db, &aside);
  ASSERT_TRUE(cache) << cache.error().message;
  EXPECT_FALSE(aside.empty());
  EXPECT_TRUE(std::filesystem::exists(aside));
  EXPECT_EQ(testing::read_file(aside), std::string(8192, 'Z'));
  EXPECT_EQ((*cache)->count(), 0);
  EXPECT_TRUE((*cache)->store("/od/a", info(1, 1, 1), verdict("h", "r")));
}

TEST(VerdictCache, DamagedPagesAreDetected) {
  testing::TempDir dir;
  auto db = dir / "state.sqlite";
  {
    auto cache = VerdictCache::open(db, nullptr);
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE((*cache)->store("/od/f" + std::to_string(i),
                                  info(1, 1, static_cast<std::uint64_t>(i)),
                                  verdict("h" + std::to_string(i), "r")));
    }
  }
  // Overwrite the middle of the file (b-tree pages), keep the header valid.
  auto bytes = testing::read_file(db);
  ASSERT_GT(bytes.size(), 20000u);
  for (std::size_t i = 8192; i < bytes.size() - 4096; ++i) bytes[i] = static_cast<char>(0xA5);
  testing::write_file(db, bytes);
  std::string aside;
  auto cache = VerdictCache::open(db, &aside);
  ASSERT_TRUE(cache) << cache.error().message;
  EXPECT_FALSE(aside.empty());
  EXPECT_EQ((*cache)->count(), 0);
}

}  // namespace
}  // namespace vakt::agent
