#include <gtest/gtest.h>

#include "config/onedrive_discovery.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

TEST(OneDriveDiscovery, ParsesSyncDir) {
  EXPECT_EQ(parse_onedrive_sync_dir("sync_dir = \"~/OneDrive - Kommunen\"\n", "/home/anna"),
            std::filesystem::path("/home/anna/OneDrive - Kommunen"));
  EXPECT_EQ(parse_onedrive_sync_dir("# sync_dir = \"/x\"\nsync_dir=\"/data/od\"", "/home/a"),
            std::filesystem::path("/data/od"));
  EXPECT_FALSE(parse_onedrive_sync_dir("# only comments\nmonitor_interval = \"300\"\n", "/home/a"));
}

TEST(OneDriveDiscovery, FindsEveryUsersFolders) {
  testing::TempDir homes;
  // anna: default ~/OneDrive, no config.
  std::filesystem::create_directories(homes / "anna/OneDrive");
  // bo: config with a custom sync_dir, plus a second account.
  std::filesystem::create_directories(homes / "bo/Moln/Jobb");
  testing::write_file(homes / "bo/.config/onedrive/config", "sync_dir = \"~/Moln/Jobb\"\n");
  std::filesystem::create_directories(homes / "bo/OneDrive-Privat");
  testing::write_file(homes / "bo/.config/onedrive-privat/config",
                      "sync_dir = \"~/OneDrive-Privat\"\n");
  // cecilia: config pointing at a folder that does not exist.
  testing::write_file(homes / "cecilia/.config/onedrive/config", "sync_dir = \"~/Saknas\"\n");

  DiscoveryOptions opts;
  opts.homes_root = homes.path();
  opts.all_users = true;
  auto found = discover_onedrive_folders(opts);
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[0], homes / "anna/OneDrive");
  EXPECT_EQ(found[1], homes / "bo/Moln/Jobb");
  EXPECT_EQ(found[2], homes / "bo/OneDrive-Privat");

  DiscoveryOptions one;
  one.home = homes / "anna";
  EXPECT_EQ(discover_onedrive_folders(one).size(), 1u);
}

}  // namespace
}  // namespace vakt::agent
