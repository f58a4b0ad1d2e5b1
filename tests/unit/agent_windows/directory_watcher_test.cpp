// The Windows watcher on real folders under wine: ReadDirectoryChangesW over an I/O completion
// port sees files added, rewritten and renamed anywhere below a root, files inside a folder
// moved in, a file written by a Linux process into the wine-mapped folder (when the runner
// provides one), the overflow path (injected, since wine never overflows) and a clean shutdown.
#include "platform/windows/directory_watcher.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <thread>

#include "watch/overflow_injector.h"
#include "win_test_dir.h"

namespace vakt::agent {
namespace {

using namespace std::chrono_literals;
using testing::WinTempDir;
using testing::write_bytes;

// Collects events until `done` says so or `limit` passes; returns everything seen.
std::vector<WatchEvent> collect(Watcher& w, const std::function<bool(const WatchEvent&)>& done,
                                std::chrono::milliseconds limit = 10s) {
  std::vector<WatchEvent> seen;
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    for (auto& ev : w.wait(200ms)) {
      seen.push_back(ev);
      if (done(ev)) return seen;
    }
  }
  return seen;
}

bool changed(const WatchEvent& ev, const std::filesystem::path& p) {
  return ev.kind == WatchEventKind::kFileChanged && ev.path == p;
}

// The last event collected is a change of `p` (the collection stops at the first one).
bool ends_with_change(const std::vector<WatchEvent>& events, const std::filesystem::path& p) {
  return !events.empty() && changed(events.back(), p);
}

std::string describe(const std::vector<WatchEvent>& events) {
  std::string s;
  for (const auto& ev : events) {
    s += std::to_string(static_cast<int>(ev.kind)) + " " + ev.path.string() + " (" + ev.detail +
         ")\n";
  }
  return s.empty() ? "no events" : s;
}

TEST(DirectoryWatcher, SeesAddModifyRenameInASubtree) {
  WinTempDir root;
  std::filesystem::create_directories(root / L"Dokument" / L"Elevhälsa");
  auto w = make_platform_watcher();
  ASSERT_TRUE(w->add_root(root.path()));
  EXPECT_EQ(w->watched_folders(), 1u);

  const auto added = root / L"Dokument" / L"Elevhälsa" / L"ny.txt";
  ASSERT_TRUE(write_bytes(added, "första\n"));
  auto events = collect(*w, [&](const WatchEvent& ev) { return changed(ev, added); });
  EXPECT_TRUE(ends_with_change(events, added)) << describe(events);

  // Let the add settle, then rewrite the same file: a write deep below the root.
  std::this_thread::sleep_for(300ms);
  (void)w->wait(0ms);
  ASSERT_TRUE(write_bytes(added, "andra versionen, längre\n"));
  events = collect(*w, [&](const WatchEvent& ev) { return changed(ev, added); });
  EXPECT_TRUE(ends_with_change(events, added)) << describe(events);

  // A rename inside the tree reports the new name (old/new pair parsed from one buffer).
  std::this_thread::sleep_for(300ms);
  (void)w->wait(0ms);
  const auto renamed = root / L"Dokument" / L"Närvaro_elev_åäö.docx";
  ASSERT_TRUE(MoveFileExW(added.c_str(), renamed.c_str(), 0));
  events = collect(*w, [&](const WatchEvent& ev) { return changed(ev, renamed); });
  ASSERT_TRUE(ends_with_change(events, renamed)) << describe(events);
  EXPECT_EQ(events.back().detail, "renamed");

  // A delete is not something to scan: nothing is reported for it, and the watcher goes on.
  std::this_thread::sleep_for(300ms);
  (void)w->wait(0ms);
  ASSERT_TRUE(DeleteFileW(renamed.c_str()));
  const auto after = root / L"efter.txt";
  ASSERT_TRUE(write_bytes(after, "x"));
  events = collect(*w, [&](const WatchEvent& ev) { return changed(ev, after); });
  EXPECT_TRUE(ends_with_change(events, after)) << describe(events);
  for (const auto& ev : events) EXPECT_NE(ev.path, renamed) << describe(events);
}

TEST(DirectoryWatcher, ReportsFilesInsideAFolderMovedIn) {
  WinTempDir outside;
  WinTempDir root;
  std::filesystem::create_directories(outside / L"projekt" / L"del");
  ASSERT_TRUE(write_bytes(outside / L"projekt" / L"del" / L"lista.txt", "innehåll"));
  auto w = make_platform_watcher();
  ASSERT_TRUE(w->add_root(root.path()));
  ASSERT_TRUE(MoveFileExW((outside / L"projekt").c_str(), (root / L"projekt").c_str(), 0));
  const auto inside = root / L"projekt" / L"del" / L"lista.txt";
  auto events = collect(*w, [&](const WatchEvent& ev) { return changed(ev, inside); });
  ASSERT_TRUE(ends_with_change(events, inside)) << describe(events);
  EXPECT_EQ(events.back().detail, "in new folder");
}

// The files of a folder moved in are listed through \\?\ paths, so a file deeper than
// MAX_PATH below it is reported with its full path too.
TEST(DirectoryWatcher, ReportsAFileDeeperThanMaxPathInsideAFolderMovedIn) {
  WinTempDir outside;
  WinTempDir root;
  std::filesystem::path deep = outside / L"projekt";
  for (int i = 0; i < 10; ++i) deep /= std::wstring(30, static_cast<wchar_t>(L'a' + i));
  std::filesystem::path step = outside.path();
  for (const auto& part : deep.lexically_relative(outside.path())) {
    step /= part;
    ASSERT_TRUE(CreateDirectoryW(testing::ext(step).c_str(), nullptr)) << GetLastError();
  }
  ASSERT_TRUE(write_bytes(deep / L"elevakt.txt", "innehåll"));
  auto w = make_platform_watcher();
  ASSERT_TRUE(w->add_root(root.path()));
  ASSERT_TRUE(MoveFileExW((outside / L"projekt").c_str(), (root / L"projekt").c_str(), 0));
  const auto inside = root / deep.lexically_relative(outside.path()) / L"elevakt.txt";
  ASSERT_GT(inside.native().size(), 300u);
  auto events = collect(*w, [&](const WatchEvent& ev) { return changed(ev, inside); });
  ASSERT_TRUE(ends_with_change(events, inside)) << describe(events);
  EXPECT_EQ(events.back().detail, "in new folder");
}

TEST(DirectoryWatcher, RefusesAFileOrMissingRoot) {
  WinTempDir root;
  ASSERT_TRUE(write_bytes(root / L"fil.txt", "x"));
  auto w = make_platform_watcher();
  EXPECT_FALSE(w->add_root(root / L"fil.txt"));
  EXPECT_FALSE(w->add_root(root / L"saknas"));
  EXPECT_EQ(w->watched_folders(), 0u);
}

TEST(DirectoryWatcher, LostEventsCompletionIsARescan) {
  // What each completion means: the Windows overflow signals are both "lost events".
  EXPECT_EQ(classify_completion(ERROR_NOTIFY_ENUM_DIR, 0), WatchCompletion::kLostEvents);
  EXPECT_EQ(classify_completion(ERROR_SUCCESS, 0), WatchCompletion::kLostEvents);
  EXPECT_EQ(classify_completion(ERROR_SUCCESS, 128), WatchCompletion::kEvents);
  EXPECT_EQ(classify_completion(ERROR_OPERATION_ABORTED, 0), WatchCompletion::kCancelled);
  EXPECT_EQ(classify_completion(ERROR_ACCESS_DENIED, 0), WatchCompletion::kFailed);

  // A real zero-length completion through the port gives kOverflow, and watching goes on.
  WinTempDir root;
  DirectoryWatcher w;
  ASSERT_TRUE(w.add_root(root.path()));
  w.inject_lost_events();
  auto events = collect(
      w, [](const WatchEvent& ev) { return ev.kind == WatchEventKind::kOverflow; }, 5s);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, WatchEventKind::kOverflow) << describe(events);
  EXPECT_NE(events.back().detail.find("zero-length"), std::string::npos);
  const auto later = root / L"sen.txt";
  ASSERT_TRUE(write_bytes(later, "y"));
  events = collect(w, [&](const WatchEvent& ev) { return changed(ev, later); });
  EXPECT_TRUE(ends_with_change(events, later)) << describe(events);
}

TEST(DirectoryWatcher, OverflowInjectorDropsEventsThenAsksForARescan) {
  WinTempDir root;
  OverflowInjector w(make_platform_watcher());
  ASSERT_TRUE(w.add_root(root.path()));
  w.inject(1s);
  ASSERT_TRUE(write_bytes(root / L"tappad.txt", "lost"));
  auto events = collect(
      w, [](const WatchEvent& ev) { return ev.kind == WatchEventKind::kOverflow; }, 8s);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, WatchEventKind::kOverflow) << describe(events);
  EXPECT_EQ(events.size(), 1u) << "the write must have been dropped: " << describe(events);
  EXPECT_GE(w.dropped(), 1u);
}

TEST(DirectoryWatcher, WakeEndsAWaitAndShutdownIsClean) {
  WinTempDir root;
  auto w = std::make_unique<DirectoryWatcher>();
  ASSERT_TRUE(w->add_root(root.path()));
  auto start = std::chrono::steady_clock::now();
  auto waiting = std::async(std::launch::async, [&] { return w->wait(20s); });
  std::this_thread::sleep_for(200ms);
  w->wake();
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  // Destroying with a read outstanding cancels it (CancelIoEx) and waits for its completion.
  auto t0 = std::chrono::steady_clock::now();
  w.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
}

// A file written by a Linux process into the wine-mapped folder (Z:\ is /). The runner script
// sets VAKT_WINE_EXTERNAL_DIR to a Windows path of a Linux folder and writes
// "from_linux.txt" there from bash once this test has created "ready".
TEST(DirectoryWatcher, SeesAFileWrittenByALinuxProcess) {
  const char* dir = std::getenv("VAKT_WINE_EXTERNAL_DIR");
  if (dir == nullptr || *dir == '\0') GTEST_SKIP() << "VAKT_WINE_EXTERNAL_DIR not set";
  std::filesystem::path root(dir);
  std::filesystem::create_directories(root / "sub");
  auto w = make_platform_watcher();
  ASSERT_TRUE(w->add_root(root));
  ASSERT_TRUE(write_bytes(root / "ready", "go"));
  const auto expected = root / "sub" / "from_linux.txt";
  auto events = collect(
      *w, [&](const WatchEvent& ev) { return changed(ev, expected); }, 20s);
  ASSERT_FALSE(events.empty()) << "no event for a file written by Linux";
  EXPECT_TRUE(ends_with_change(events, expected)) << describe(events);
}

}  // namespace
}  // namespace vakt::agent
