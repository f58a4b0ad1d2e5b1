// OneDrive discovery through HKEY_USERS\<SID>\Software\Microsoft\OneDrive\Accounts\*\UserFolder,
// seeded the way the OneDrive client writes it, and the rediscovery the SignalSource reports.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "config/onedrive_discovery.h"
#include "platform/windows/registry_windows.h"
#include "runtime/signal_source.h"

namespace vakt::agent {
namespace {

namespace fs = std::filesystem;

bool contains(const std::vector<fs::path>& v, const fs::path& p) {
  return std::find(v.begin(), v.end(), p.lexically_normal()) != v.end();
}

class OneDriveDiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pid = std::to_wstring(::GetCurrentProcessId());
    sid_a_ = L"S-1-5-21-1111-2222-3333-" + pid;
    sid_b_ = L"S-1-5-21-4444-5555-6666-" + pid;
    root_ = fs::temp_directory_path() / ("vakt-onedrive-" + narrow(pid));
    fs::create_directories(root_);
  }
  void TearDown() override {
    for (const auto& sid : {sid_a_, sid_b_, sid_a_ + L"_Classes"})
      (void)RegKey::remove_tree(HKEY_USERS, sid);
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  void seed(const std::wstring& sid, const std::wstring& account, const fs::path& folder) {
    auto key =
        RegKey::create(HKEY_USERS, sid + L"\\Software\\Microsoft\\OneDrive\\Accounts\\" + account);
    ASSERT_TRUE(key) << key.error().message;
    ASSERT_TRUE(key->write_string(L"UserFolder", folder.wstring()));
  }
  std::wstring sid_a_, sid_b_;
  fs::path root_;
};

TEST_F(OneDriveDiscoveryTest, FindsEveryAccountOfEveryLoadedUser) {
  fs::path business = root_ / L"anna" / L"OneDrive - Kommun Åre";
  fs::path personal = root_ / L"anna" / L"OneDrive";
  fs::path other = root_ / L"bertil" / L"OneDrive - Kommun";
  for (const auto& d : {business, personal, other}) fs::create_directories(d);
  seed(sid_a_, L"Business1", business);
  seed(sid_a_, L"Personal", personal);
  seed(sid_b_, L"Business1", other);
  // Not a user hive, and a folder that does not exist: neither becomes a root.
  seed(sid_a_ + L"_Classes", L"Business1", root_ / "classes");
  fs::create_directories(root_ / "classes");
  seed(sid_b_, L"Business2", root_ / "gone");

  DiscoveryOptions options;
  options.all_users = true;
  auto found = discover_onedrive_folders(options);
  EXPECT_TRUE(contains(found, business));
  EXPECT_TRUE(contains(found, personal));
  EXPECT_TRUE(contains(found, other));
  EXPECT_FALSE(contains(found, root_ / "classes"));
  EXPECT_FALSE(contains(found, root_ / "gone"));
  EXPECT_TRUE(std::is_sorted(found.begin(), found.end()));
}

TEST_F(OneDriveDiscoveryTest, SignalSourceReportsAUserWhoLogsOnLater) {
  _putenv_s("VAKT_TEST_HOOKS", "1");
  _putenv_s("VAKT_REDISCOVER_MS", "200");
  std::atomic<int> rediscovered{0};
  SignalSource source;
  source.start([&](SignalKind kind) {
    if (kind == SignalKind::kRediscover) ++rediscovered;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(rediscovered.load(), 0) << "nothing changed yet";

  fs::path later = root_ / L"cecilia" / L"OneDrive - Kommun";
  fs::create_directories(later);
  seed(sid_b_, L"Business1", later);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (rediscovered.load() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  source.stop();
  _putenv_s("VAKT_REDISCOVER_MS", "");
  EXPECT_EQ(rediscovered.load(), 1);
  DiscoveryOptions options;
  options.all_users = true;
  EXPECT_TRUE(contains(discover_onedrive_folders(options), later));
}

}  // namespace
}  // namespace vakt::agent
