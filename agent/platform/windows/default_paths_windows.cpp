// Windows defaults for AgentConfig: as the service (LocalSystem) or an elevated administrator,
// the machine-wide folders under %ProgramData%\Vakt (config vakt.yaml, log\vakt.jsonl, state\);
// otherwise the user's own %LOCALAPPDATA%\Vakt. Folders come from SHGetKnownFolderPath.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// After windows.h:
#include <knownfolders.h>
#include <shlobj.h>

#include <cstdlib>

#include "config/agent_config.h"
#include "platform/windows/service_identity_windows.h"

namespace vakt::agent {
namespace {

std::filesystem::path known_folder(REFKNOWNFOLDERID id, const char* env_fallback,
                                   const wchar_t* last_resort) {
  wchar_t* path = nullptr;
  if (::SHGetKnownFolderPath(id, KF_FLAG_DEFAULT, nullptr, &path) == S_OK && path != nullptr) {
    std::filesystem::path out(path);
    ::CoTaskMemFree(path);
    return out;
  }
  if (path != nullptr) ::CoTaskMemFree(path);
  if (const char* env = std::getenv(env_fallback); env != nullptr && *env != '\0') return env;
  return last_resort;
}

std::filesystem::path machine_dir() {
  return known_folder(FOLDERID_ProgramData, "ProgramData", L"C:\\ProgramData") / "Vakt";
}

}  // namespace

std::filesystem::path default_config_path() {
  return machine_dir() / "vakt.yaml";
}

AgentConfig default_agent_config() {
  AgentConfig c;
  std::filesystem::path base =
      running_as_local_system() || running_elevated()
          ? machine_dir()
          : known_folder(FOLDERID_LocalAppData, "LOCALAPPDATA", L"C:\\ProgramData") / "Vakt";
  c.state_dir = base / "state";
  c.log_file = base / "log" / "vakt.jsonl";
  c.log_console = true;
  return c;
}

}  // namespace vakt::agent
