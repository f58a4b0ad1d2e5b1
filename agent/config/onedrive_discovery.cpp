#include "config/onedrive_discovery.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace vakt::agent {
namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool is_dir(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(std::filesystem::symlink_status(p, ec)) ||
         (std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec)) &&
          std::filesystem::is_directory(p, ec));
}

}  // namespace

std::optional<std::filesystem::path> parse_onedrive_sync_dir(const std::string& text,
                                                             const std::filesystem::path& home) {
  std::istringstream in(text);
  std::string line;
  std::optional<std::filesystem::path> found;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    if (trim(line.substr(0, eq)) != "sync_dir") continue;
    auto value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (value.empty()) continue;
    if (value == "~") {
      found = home;
    } else if (value.rfind("~/", 0) == 0) {
      found = home / value.substr(2);
    } else if (value.front() == '/') {
      found = std::filesystem::path(value);
    } else {
      found = home / value;  // the client resolves relative paths against the home folder
    }
  }
  return found;
}

std::vector<std::filesystem::path> onedrive_folders_in_home(const std::filesystem::path& home) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  bool any_config = false;
  auto config_root = home / ".config";
  for (std::filesystem::directory_iterator it(config_root, ec), end; !ec && it != end;
       it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.rfind("onedrive", 0) != 0) continue;
    auto config = it->path() / "config";
    std::ifstream in(config);
    if (!in) continue;
    any_config = true;
    std::ostringstream text;
    text << in.rdbuf();
    auto dir = parse_onedrive_sync_dir(text.str(), home).value_or(home / "OneDrive");
    if (is_dir(dir)) out.push_back(dir);
  }
  if (!any_config && is_dir(home / "OneDrive")) out.push_back(home / "OneDrive");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vakt::agent
