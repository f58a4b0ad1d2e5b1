// Installs and controls the Vakt service through the service control manager — what
// `vakt service install|uninstall|start|stop|reload|status` do. The service runs as LocalSystem,
// starts automatically with Windows, restarts itself after a failure (5 s, 30 s, 60 s; the count
// resets after a day, also when it stopped with a non-zero exit code) and runs
//   "<vakt.exe>" service run --config "<config>"
// Every call returns a ServiceResult: win32_error is the Win32 code of what failed (0 when it
// did not come from Windows), message says it for people (ERROR_ACCESS_DENIED: run as
// Administrator).
//
//   ServiceSpec spec{kServiceName, service_command_line(exe, config), ...};
//   if (auto r = install_service(spec); !r.ok()) std::cerr << r.message;
//   ServiceState s; query_service(L"Vakt", s);  s.state == SERVICE_RUNNING
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vakt::agent {

inline constexpr wchar_t kServiceDisplayName[] = L"Vakt DLP agent";
inline constexpr wchar_t kServiceDescription[] =
    L"Watches the OneDrive folders on this PC, scans every file written there for personal "
    L"identity numbers and secrecy-act content, and quarantines class 2-3 files before upload.";

struct ServiceResult {
  unsigned long win32_error = 0;
  std::string message;  // empty on success
  std::string warning;  // success, but something optional could not be set
  bool ok() const { return message.empty(); }
  bool access_denied() const;
};

struct ServiceSpec {
  std::wstring name;
  std::wstring display_name;
  std::wstring description;
  std::wstring command_line;                 // the service's binary path with its arguments
  std::filesystem::path event_message_file;  // empty: leave the Event Log source alone
};

struct ServiceState {
  bool installed = false;
  unsigned long state = 0;  // SERVICE_STOPPED, SERVICE_RUNNING, ...
  unsigned long pid = 0;
  unsigned long win32_exit_code = 0;
  unsigned long service_exit_code = 0;
  std::wstring command_line;
  std::optional<std::filesystem::path> config;   // from --config in the command line
  std::vector<unsigned long> restart_delays_ms;  // recovery actions that restart the service
  unsigned long failure_reset_seconds = 0;
};

// "\"<exe>\" service run --config \"<config>\"".
std::wstring service_command_line(const std::filesystem::path& exe,
                                  const std::filesystem::path& config);
// The value after --config in a service command line, if any.
std::optional<std::filesystem::path> config_from_command_line(const std::wstring& command_line);
// "running", "stopped", "start pending", ...
std::string service_state_name(unsigned long state);
// The path of the running executable.
std::filesystem::path current_executable();

// Creates the service, or updates its command line when it exists; sets description, recovery
// actions and (when event_message_file is set) the Event Log source.
ServiceResult install_service(const ServiceSpec& spec);
// Sets description and recovery actions on an installed service. The service calls this on
// itself at every start, so a service installed by the MSI (wixl cannot set recovery actions)
// gets them too.
ServiceResult apply_service_settings(const std::wstring& name, const std::wstring& description);
// Stops the service (waiting up to `timeout`), deletes it and its Event Log source.
ServiceResult uninstall_service(const std::wstring& name, std::chrono::milliseconds timeout);
// Starts the service and waits until it runs; fails when it stops instead or on timeout.
ServiceResult start_service(const std::wstring& name, std::chrono::milliseconds timeout);
// Asks the service to stop and waits until it has.
ServiceResult stop_service(const std::wstring& name, std::chrono::milliseconds timeout);
// SERVICE_CONTROL_PARAMCHANGE: the agent re-reads its configuration and rules.
ServiceResult reload_service(const std::wstring& name);
// A service that is not installed is ok() with state.installed == false.
ServiceResult query_service(const std::wstring& name, ServiceState& state);

}  // namespace vakt::agent
