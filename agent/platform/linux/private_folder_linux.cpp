// Linux side of actions/private_folder.h: create_directories + chmod 0700.
#include <sys/stat.h>

#include <system_error>

#include "actions/private_folder.h"

namespace vakt::agent {

Status make_private_folder(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"cannot create folder " + dir.string() + ": " + ec.message()};
  if (::chmod(dir.c_str(), 0700) != 0) {
    return Error{"cannot protect quarantine folder " + dir.string() + " (chmod 0700)"};
  }
  return Ok{};
}

Expected<std::filesystem::path> default_quarantine_dir() {
  return std::filesystem::path("/var/lib/vakt/quarantine");
}

}  // namespace vakt::agent
