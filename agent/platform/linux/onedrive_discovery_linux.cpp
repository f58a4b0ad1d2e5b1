// Linux: the current user's home ($HOME), or every home under /home (and /root) when root.
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "config/onedrive_discovery.h"

namespace vakt::agent {

std::vector<std::filesystem::path> discover_onedrive_folders(const DiscoveryOptions& options) {
  std::vector<std::filesystem::path> homes;
  bool all_users = options.all_users || (!options.home && ::geteuid() == 0);
  if (options.home) {
    homes.push_back(*options.home);
  } else if (!all_users) {
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
      homes.push_back(home);
  }
  if (all_users) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it(options.homes_root, ec), end; !ec && it != end;
         it.increment(ec)) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) homes.push_back(it->path());
    }
  }
  std::vector<std::filesystem::path> out;
  for (const auto& home : homes) {
    for (auto& dir : onedrive_folders_in_home(home)) out.push_back(dir);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vakt::agent
