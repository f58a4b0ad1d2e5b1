// walk_tree (runtime/folder_list.h) on a real folder tree: every entry below the root once,
// links reported but never followed (a link back to the root cannot loop), early stop honoured.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "runtime/folder_list.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::write_file;

std::set<std::string> walk_relative(const fs::path& root, fs::file_type only) {
  std::set<std::string> seen;
  walk_tree(root, [&](const FolderEntry& e) {
    if (e.type.type == only) seen.insert(e.path.lexically_relative(root).generic_string());
    return true;
  });
  return seen;
}

TEST(FolderWalk, ReachesEveryFileOnceWithItsSize) {
  TempDir dir;
  write_file(dir / "a.txt", "12345");
  write_file(dir / "x/b.txt", "");
  write_file(dir / "x/y/z/c.docx", "abc");
  fs::create_directories(dir / "empty");
  std::vector<std::pair<std::string, std::uint64_t>> files;
  walk_tree(dir.path(), [&](const FolderEntry& e) {
    if (e.type.type == fs::file_type::regular) {
      files.emplace_back(e.path.lexically_relative(dir.path()).generic_string(), e.type.size);
    }
    return true;
  });
  std::sort(files.begin(), files.end());
  const std::vector<std::pair<std::string, std::uint64_t>> want{
      {"a.txt", 5}, {"x/b.txt", 0}, {"x/y/z/c.docx", 3}};
  EXPECT_EQ(files, want);
  EXPECT_EQ(walk_relative(dir.path(), fs::file_type::directory),
            (std::set<std::string>{"empty", "x", "x/y", "x/y/z"}));
}

TEST(FolderWalk, ListsLinksWithoutFollowingThem) {
  TempDir dir;
  TempDir outside;
  write_file(outside / "hemlig.txt", "utanför");
  write_file(dir / "in/doc.txt", "inne");
  fs::create_directory_symlink(outside.path(), dir / "in/till-utanför");
  fs::create_directory_symlink(dir.path(), dir / "in/loop");
  fs::create_symlink(outside / "hemlig.txt", dir / "fil-länk.txt");
  EXPECT_EQ(walk_relative(dir.path(), fs::file_type::regular),
            (std::set<std::string>{"in/doc.txt"}));
  EXPECT_EQ(walk_relative(dir.path(), fs::file_type::symlink),
            (std::set<std::string>{"fil-länk.txt", "in/loop", "in/till-utanför"}));
}

TEST(FolderWalk, StopsWhenTheVisitorSaysSo) {
  TempDir dir;
  for (int i = 0; i < 20; ++i) write_file(dir / ("d" + std::to_string(i) + "/f.txt"), "x");
  int visits = 0;
  walk_tree(dir.path(), [&](const FolderEntry&) { return ++visits < 5; });
  EXPECT_EQ(visits, 5);
}

TEST(FolderWalk, AMissingRootIsAnEmptyWalk) {
  TempDir dir;
  int visits = 0;
  walk_tree(dir / "finns-inte", [&](const FolderEntry&) { return ++visits > 0; });
  EXPECT_EQ(visits, 0);
}

TEST(FolderWalk, AFileAsRootIsAnEmptyWalk) {
  TempDir dir;
  write_file(dir / "fil.txt", "x");
  int visits = 0;
  walk_tree(dir / "fil.txt", [&](const FolderEntry&) { return ++visits > 0; });
  EXPECT_EQ(visits, 0);
}

}  // namespace
}  // namespace vakt::agent
