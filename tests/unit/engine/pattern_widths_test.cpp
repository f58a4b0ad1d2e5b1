// pattern_widths: Hyperscan's widths of non-literal patterns, and their cache beside the database:
// a warm start reads the cache, a cache of the wrong shape is recomputed and rewritten, and a
// pattern Hyperscan rejects is named by its index.
#include "match/pattern_widths.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_rules.h"

namespace vakt::match {
namespace {

using test::TempDir;

const std::vector<WidthQuery> kQueries = {
    {"\\d{6}[-+]?\\d{4}", 0},  // 10 or 11 bytes
    {"hemlig[a-z]*", HS_FLAG_CASELESS},
};

std::filesystem::path only_cache_file(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
  EXPECT_EQ(files.size(), 1u);  // no temporary file left behind
  return files.empty() ? std::filesystem::path() : files.front();
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::filesystem::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

TEST(PatternWidths, AreHyperscansWidths) {
  auto w = pattern_widths(kQueries, {}, nullptr);
  ASSERT_TRUE(w) << w.error().message;
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[0].min, 10u);
  EXPECT_EQ((*w)[0].max, 11u);
  EXPECT_EQ((*w)[1].min, 6u);
  EXPECT_EQ((*w)[1].max, UINT_MAX);
}

TEST(PatternWidths, ASecondStartReadsTheCache) {
  TempDir dir;
  ASSERT_TRUE(pattern_widths(kQueries, dir.path(), nullptr));
  const auto file = only_cache_file(dir.path());
  EXPECT_EQ(read(file), "VAKTWIDTHS1\n10 11\n6 " + std::to_string(UINT_MAX) + "\n");
  // Proof that the cache is what answers: a value only the file holds comes back.
  write(file, "VAKTWIDTHS1\n10 12\n6 " + std::to_string(UINT_MAX) + "\n");
  auto w = pattern_widths(kQueries, dir.path(), nullptr);
  ASSERT_TRUE(w);
  EXPECT_EQ((*w)[0].max, 12u);
  // Other patterns have another cache file.
  auto other = pattern_widths({{"\\d{3}-\\d{2}", 0}}, dir.path(), nullptr);
  ASSERT_TRUE(other);
  EXPECT_EQ((*other)[0].min, 6u);
}

TEST(PatternWidths, ACacheOfTheWrongShapeIsRecomputedAndRewritten) {
  const std::string good = "VAKTWIDTHS1\n10 11\n6 " + std::to_string(UINT_MAX) + "\n";
  const std::vector<std::string> bads = {
      "VAKTWIDTHS1\n10 11\n",            // one line short
      "VAKTWIDTHS1\n10 11\n6 7\n8 9\n",  // one line long
      "VAKTWIDTHS1\n11 10\n6 7\n",       // min > max
      "VAKTWIDTHS1\n10 x\n6 7\n",        // not a number
      "VAKTWIDTHS0\n10 11\n6 7\n",       // another format
      "",
  };
  for (const std::string& bad : bads) {
    TempDir dir;
    ASSERT_TRUE(pattern_widths(kQueries, dir.path(), nullptr));
    const auto file = only_cache_file(dir.path());
    write(file, bad);
    auto w = pattern_widths(kQueries, dir.path(), nullptr);
    ASSERT_TRUE(w);
    EXPECT_EQ((*w)[0].max, 11u) << bad;
    EXPECT_EQ((*w)[1].min, 6u) << bad;
    EXPECT_EQ(read(file), good) << bad;
  }
}

TEST(PatternWidths, ARejectedPatternIsNamedByIndexAndNothingIsCached) {
  TempDir dir;
  std::size_t failing = 99;
  auto w = pattern_widths({{"abc", 0}, {"(unclosed", 0}}, dir.path(), &failing);
  ASSERT_FALSE(w);
  EXPECT_EQ(failing, 1u);
  EXPECT_FALSE(w.error().message.empty());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace vakt::match
