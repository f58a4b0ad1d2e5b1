// Windows: the OneDrive client records each signed-in account under
//   HKEY_USERS\<SID>\Software\Microsoft\OneDrive\Accounts\<Personal|Business1..>\UserFolder
// in the user's own hive. As LocalSystem (or elevated) every loaded hive is read — a user's hive
// is loaded while they are logged on, so users who log on later appear on a later call (the
// Windows SignalSource re-runs discovery; see signal_source_windows.cpp). Otherwise only
// HKEY_CURRENT_USER is read. homes_root / home in DiscoveryOptions are Linux-only.
#include <algorithm>
#include <system_error>

#include "config/onedrive_discovery.h"
#include "platform/windows/registry_windows.h"
#include "platform/windows/service_identity_windows.h"

namespace vakt::agent {
namespace {

constexpr wchar_t kAccountsKey[] = L"Software\\Microsoft\\OneDrive\\Accounts";

void add_accounts(HKEY root, const std::wstring& prefix, std::vector<std::filesystem::path>& out) {
  auto accounts = RegKey::open(root, prefix + kAccountsKey);
  if (!accounts) return;
  for (const auto& name : accounts->subkey_names()) {
    auto account = RegKey::open(accounts->get(), name);
    if (!account) continue;
    auto folder = account->read_string(L"UserFolder");
    if (!folder || folder->empty()) continue;
    std::filesystem::path dir(*folder);
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) out.push_back(dir.lexically_normal());
  }
}

}  // namespace

std::vector<std::filesystem::path> discover_onedrive_folders(const DiscoveryOptions& options) {
  std::vector<std::filesystem::path> out;
  if (options.all_users || running_as_local_system() || running_elevated()) {
    auto users = RegKey::open(HKEY_USERS, L"");
    if (users) {
      for (const auto& sid : users->subkey_names()) {
        // <SID>_Classes is the same user's class registration hive, never OneDrive settings.
        if (sid.size() > 8 && sid.compare(sid.size() - 8, 8, L"_Classes") == 0) continue;
        add_accounts(HKEY_USERS, sid + L"\\", out);
      }
    }
  } else {
    add_accounts(HKEY_CURRENT_USER, L"", out);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace vakt::agent
