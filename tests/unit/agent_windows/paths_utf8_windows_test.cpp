// Windows paths through the agent's path plumbing: the configuration (UTF-8 YAML) names folders
// with å, ä, ö that must exist as written, and WatchRoots maps 'C:\...' paths to their root with
// '/'-separated relative paths for the filters (the service watched nothing before this).
#include <gtest/gtest.h>

#include "actions/utf8_path.h"
#include "config/config_loader.h"
#include "runtime/watch_roots.h"

namespace vakt::agent {
namespace {

TEST(WindowsPaths, ConfigFoldersAreReadAsUtf8) {
  auto c = load_config_text(
      "watch:\n  onedrive: off\n  folders: ['C:\\vakt\\Delad mapp \xC3\xA5\xC3\xA4\xC3\xB6']\n"
      "quarantine:\n  dir: 'C:\\ProgramData\\Vakt\\karant\xC3\xA4n'\n",
      "test.yaml");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->folders.size(), 1u);
  EXPECT_EQ(c->folders[0].wstring(), L"C:\\vakt\\Delad mapp \u00E5\u00E4\u00F6");
  EXPECT_EQ(c->quarantine_dir.wstring(), L"C:\\ProgramData\\Vakt\\karant\u00E4n");
  EXPECT_EQ(path_to_utf8(c->folders[0]), "C:\\vakt\\Delad mapp \xC3\xA5\xC3\xA4\xC3\xB6");
}

TEST(WindowsPaths, WatchRootsMatchBackslashPaths) {
  WatchRoots roots;
  EXPECT_TRUE(roots.add(
      {std::filesystem::path(L"C:\\Users\\anna\\OneDrive - Testby\\"), RootKind::kSync, {}}));
  EXPECT_FALSE(
      roots.add({std::filesystem::path(L"C:/Users/anna/OneDrive - Testby"), RootKind::kSync, {}}));
  roots.add(
      {std::filesystem::path(L"C:\\Users\\anna\\OneDrive - Testby\\Utkorg \u00E5\u00E4\u00F6"),
       RootKind::kOutbox, std::filesystem::path(L"C:\\x")});
  auto m = roots.find(std::filesystem::path(
      L"C:\\Users\\anna\\OneDrive - Testby\\Utkorg \u00E5\u00E4\u00F6\\a\\b.txt"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root->kind, RootKind::kOutbox);
  EXPECT_EQ(m->relative, "a/b.txt");
  auto sync =
      roots.find(std::filesystem::path(L"C:\\Users\\anna\\OneDrive - Testby\\M\u00F6te.docx"));
  ASSERT_TRUE(sync);
  EXPECT_EQ(sync->root->kind, RootKind::kSync);
  EXPECT_EQ(sync->relative, "M\xC3\xB6te.docx");
  EXPECT_FALSE(roots.find(std::filesystem::path(L"C:\\Users\\anna\\OneDrive - TestbyX\\a.txt")));
  EXPECT_FALSE(roots.find(std::filesystem::path(L"C:\\Users\\anna\\OneDrive - Testby")));

  WatchRoots drive;
  drive.add({std::filesystem::path(L"D:\\"), RootKind::kSync, {}});
  auto d = drive.find(std::filesystem::path(L"D:\\Delad\\x.txt"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->relative, "Delad/x.txt");
}

}  // namespace
}  // namespace vakt::agent
