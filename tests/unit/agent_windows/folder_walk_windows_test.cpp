// walk_tree (runtime/folder_list.h) on Windows: a tree deeper than MAX_PATH is walked to the
// bottom with the right names (MinGW's std::filesystem lists another folder beyond 260
// characters), non-ASCII names come back intact, and a visitor can end the walk early.
#include <gtest/gtest.h>

#include <set>

#include "runtime/folder_list.h"
#include "win_test_dir.h"

namespace vakt::agent {
namespace {

using testing::ext;
using testing::WinTempDir;
using testing::write_bytes;

// Creates every folder of `deep` below `base` through \\?\ paths; returns false on failure.
bool make_deep(const std::filesystem::path& base, const std::filesystem::path& deep) {
  std::filesystem::path step = base;
  for (const auto& part : deep.lexically_relative(base)) {
    step /= part;
    if (!CreateDirectoryW(ext(step).c_str(), nullptr) && GetLastError() != ERROR_ALREADY_EXISTS)
      return false;
  }
  return true;
}

TEST(FolderWalkWindows, WalksBelowMaxPath) {
  WinTempDir dir;
  std::filesystem::path deep = dir.path();
  for (int i = 0; i < 12; ++i) deep /= std::wstring(30, static_cast<wchar_t>(L'a' + i));
  ASSERT_GT(deep.native().size(), 300u);
  ASSERT_TRUE(make_deep(dir.path(), deep)) << GetLastError();
  ASSERT_TRUE(write_bytes(deep / L"Närvaro_elev_åäö.txt", "innehåll"));
  ASSERT_TRUE(write_bytes(dir / L"ytlig.txt", "x"));
  std::set<std::filesystem::path> files;
  int folders = 0;
  walk_tree(dir.path(), [&](const FolderEntry& e) {
    if (e.type.type == std::filesystem::file_type::regular) files.insert(e.path);
    if (e.type.type == std::filesystem::file_type::directory) ++folders;
    return true;
  });
  EXPECT_EQ(folders, 12);
  EXPECT_EQ(files,
            (std::set<std::filesystem::path>{deep / L"Närvaro_elev_åäö.txt", dir / L"ytlig.txt"}));
}

TEST(FolderWalkWindows, ReportsSizesAndStopsEarly) {
  WinTempDir dir;
  ASSERT_TRUE(write_bytes(dir / L"a.txt", "12345"));
  ASSERT_TRUE(write_bytes(dir / L"b.txt", "1"));
  int visits = 0;
  std::uint64_t size = 0;
  walk_tree(dir.path(), [&](const FolderEntry& e) {
    size = e.type.size;
    return ++visits < 1;
  });
  EXPECT_EQ(visits, 1);
  EXPECT_TRUE(size == 5 || size == 1);
}

}  // namespace
}  // namespace vakt::agent
