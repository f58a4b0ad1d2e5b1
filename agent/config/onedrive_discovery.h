// OneDrive discovery (`watch.onedrive: auto`): finds the sync folders of the OneDrive clients on
// this machine. On Linux: the abraunegg `onedrive` client's config (~/.config/onedrive*/config,
// key `sync_dir`, default ~/OneDrive), for the current user, or for every home under /home when
// running as root. platform/<os>/ implements discover_onedrive_folders(); the config-file parsing
// is shared so it can be tested anywhere.
//
//   for (auto& dir : discover_onedrive_folders({})) watch(dir);
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vakt::agent {

struct DiscoveryOptions {
  std::filesystem::path homes_root = "/home";  // every user's home below this (as root)
  std::optional<std::filesystem::path> home;   // only this home (default: $HOME unless root)
  bool all_users = false;                      // default: true when running as root
};

// The `sync_dir` value of an abraunegg onedrive config file, with ~ expanded against `home`;
// nullopt when the file does not set it.
std::optional<std::filesystem::path> parse_onedrive_sync_dir(const std::string& config_text,
                                                             const std::filesystem::path& home);

// Existing sync folders for one home: every ~/.config/onedrive*/config's sync_dir, or ~/OneDrive.
std::vector<std::filesystem::path> onedrive_folders_in_home(const std::filesystem::path& home);

std::vector<std::filesystem::path> discover_onedrive_folders(const DiscoveryOptions& options);

}  // namespace vakt::agent
