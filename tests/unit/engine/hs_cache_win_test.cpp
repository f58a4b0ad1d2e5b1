// The Hyperscan database cache on Windows: the first build writes the cache file atomically
// (MoveFileExW over any older one), the second loads it, and a database in the cache is replaced
// in place when it is rewritten.
#include <windows.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "match/hs_database.h"

namespace vakt::match {
namespace {

std::filesystem::path fresh_dir() {
  std::random_device random;
  auto dir = std::filesystem::temp_directory_path() / ("vakt-hscache-" + std::to_string(random()));
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(HsCacheWin, SecondBuildComesFromTheCacheFile) {
  const auto dir = fresh_dir();
  const std::vector<HsPattern> patterns = {{"\\d{6}-\\d{4}", HS_FLAG_SOM_LEFTMOST},
                                           {"hemlig", HS_FLAG_CASELESS}};
  auto first = HsDatabase::build(patterns, dir);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first.value()->from_cache());
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(e.path().extension(), ".hsdb") << e.path();  // no temporary file left behind
    ++files;
  }
  EXPECT_EQ(files, 1u);

  auto second = HsDatabase::build(patterns, dir);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second.value()->from_cache());
  EXPECT_EQ(second.value()->cache_key(), first.value()->cache_key());
  hs_scratch_t* scratch = second.value()->clone_scratch();
  ASSERT_NE(scratch, nullptr);
  hs_free_scratch(scratch);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace vakt::match
