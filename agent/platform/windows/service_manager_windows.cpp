#include "platform/windows/service_manager_windows.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// shellapi.h after windows.h: CommandLineToArgvW.
#include <shellapi.h>

#include <thread>
#include <utility>
#include <vector>

#include "platform/windows/event_log_windows.h"
#include "platform/windows/registry_windows.h"

namespace vakt::agent {
namespace {

constexpr DWORD kRestartDelaysMs[] = {5000, 30000, 60000};
constexpr DWORD kFailureResetSeconds = 24 * 60 * 60;
constexpr auto kPollInterval = std::chrono::milliseconds(250);

class ScHandle {
 public:
  explicit ScHandle(SC_HANDLE h = nullptr) : h_(h) {}
  ~ScHandle() {
    if (h_ != nullptr) ::CloseServiceHandle(h_);
  }
  ScHandle(const ScHandle&) = delete;
  ScHandle& operator=(const ScHandle&) = delete;
  SC_HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }
  void reset(SC_HANDLE h) {
    if (h_ != nullptr) ::CloseServiceHandle(h_);
    h_ = h;
  }

 private:
  SC_HANDLE h_;
};

ServiceResult failure(const std::string& what, DWORD code) {
  std::string message = what + ": " + win32_error_text(code);
  if (code == ERROR_ACCESS_DENIED) message += " (run as Administrator)";
  return {code, message, {}};
}

ServiceResult open_manager(DWORD access, ScHandle& out) {
  SC_HANDLE h = ::OpenSCManagerW(nullptr, nullptr, access);
  if (h == nullptr) return failure("cannot open the service control manager", ::GetLastError());
  out.reset(h);
  return {};
}

ServiceResult open_service(const std::wstring& name, DWORD access, ScHandle& manager,
                           ScHandle& out) {
  if (auto r = open_manager(SC_MANAGER_CONNECT, manager); !r.ok()) return r;
  SC_HANDLE h = ::OpenServiceW(manager.get(), name.c_str(), access);
  if (h == nullptr) {
    DWORD code = ::GetLastError();
    if (code == ERROR_SERVICE_DOES_NOT_EXIST)
      return {code, "service " + narrow(name) + " is not installed", {}};
    return failure("cannot open service " + narrow(name), code);
  }
  out.reset(h);
  return {};
}

ServiceResult query_status(SC_HANDLE service, SERVICE_STATUS_PROCESS& status) {
  DWORD bytes = 0;
  if (!::QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status),
                              sizeof status, &bytes)) {
    return failure("cannot query the service status", ::GetLastError());
  }
  return {};
}

// Waits until the service reaches `target`; fails when it settles in another state instead.
ServiceResult wait_for_state(SC_HANDLE service, const std::wstring& name, DWORD target,
                             std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  SERVICE_STATUS_PROCESS status{};
  for (;;) {
    if (auto r = query_status(service, status); !r.ok()) return r;
    if (status.dwCurrentState == target) return {};
    if (target == SERVICE_RUNNING && status.dwCurrentState == SERVICE_STOPPED) {
      std::string why = status.dwWin32ExitCode == ERROR_SERVICE_SPECIFIC_ERROR
                            ? "exit code " + std::to_string(status.dwServiceSpecificExitCode)
                            : win32_error_text(status.dwWin32ExitCode);
      return {0,
              "service " + narrow(name) + " stopped while starting (" + why +
                  "); see the Windows Event Log (source Vakt) and the JSON log",
              {}};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return {0,
              "service " + narrow(name) + " did not reach state " + service_state_name(target) +
                  " within " + std::to_string(timeout.count() / 1000) + " s (now " +
                  service_state_name(status.dwCurrentState) + ")",
              {}};
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

// ERROR_INVALID_LEVEL for the failure-actions flag (wine has no such level) is only a warning:
// the restart-after-crash actions above are set, only the restart after a non-zero exit is not.
ServiceResult set_recovery(SC_HANDLE service, const std::wstring& description) {
  std::vector<wchar_t> text(description.begin(), description.end());
  text.push_back(L'\0');
  SERVICE_DESCRIPTIONW desc{text.data()};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_DESCRIPTION, &desc))
    return failure("cannot set the service description", ::GetLastError());

  SC_ACTION actions[3];
  for (int i = 0; i < 3; ++i) actions[i] = {SC_ACTION_RESTART, kRestartDelaysMs[i]};
  SERVICE_FAILURE_ACTIONSW failure_actions{};
  failure_actions.dwResetPeriod = kFailureResetSeconds;
  failure_actions.cActions = 3;
  failure_actions.lpsaActions = actions;
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS, &failure_actions))
    return failure("cannot set the service recovery actions", ::GetLastError());
  // Also restart when the agent stops itself with a non-zero exit code, not only on a crash.
  SERVICE_FAILURE_ACTIONS_FLAG flag{TRUE};
  if (!::ChangeServiceConfig2W(service, SERVICE_CONFIG_FAILURE_ACTIONS_FLAG, &flag)) {
    DWORD code = ::GetLastError();
    if (code != ERROR_INVALID_LEVEL) return failure("cannot set the service recovery flag", code);
    ServiceResult r;
    r.warning = "this Windows cannot restart the service after a non-zero exit (" +
                win32_error_text(code) + "); it restarts only after a crash";
    return r;
  }
  return {};
}

}  // namespace

bool ServiceResult::access_denied() const {
  return win32_error == ERROR_ACCESS_DENIED;
}

std::wstring service_command_line(const std::filesystem::path& exe,
                                  const std::filesystem::path& config) {
  return L"\"" + exe.wstring() + L"\" service run --config \"" + config.wstring() + L"\"";
}

std::optional<std::filesystem::path> config_from_command_line(const std::wstring& command_line) {
  int argc = 0;
  wchar_t** argv = ::CommandLineToArgvW(command_line.c_str(), &argc);
  if (argv == nullptr) return std::nullopt;
  std::optional<std::filesystem::path> config;
  for (int i = 0; i < argc; ++i) {
    std::wstring arg = argv[i];
    if (arg == L"--config" && i + 1 < argc) {
      config = std::filesystem::path(argv[i + 1]);
    } else if (arg.rfind(L"--config=", 0) == 0) {
      config = std::filesystem::path(arg.substr(9));
    }
  }
  ::LocalFree(argv);
  return config;
}

std::string service_state_name(unsigned long state) {
  switch (state) {
    case SERVICE_STOPPED:
      return "stopped";
    case SERVICE_START_PENDING:
      return "start pending";
    case SERVICE_STOP_PENDING:
      return "stop pending";
    case SERVICE_RUNNING:
      return "running";
    case SERVICE_CONTINUE_PENDING:
      return "continue pending";
    case SERVICE_PAUSE_PENDING:
      return "pause pending";
    case SERVICE_PAUSED:
      return "paused";
    default:
      return "unknown (" + std::to_string(state) + ")";
  }
}

std::filesystem::path current_executable() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    DWORD n = ::GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) return {};
    if (n < buffer.size()) {
      buffer.resize(n);
      return std::filesystem::path(buffer);
    }
    buffer.resize(buffer.size() * 2);
  }
}

ServiceResult install_service(const ServiceSpec& spec) {
  ScHandle manager;
  if (auto r = open_manager(SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE, manager); !r.ok())
    return r;
  ScHandle service(::CreateServiceW(
      manager.get(), spec.name.c_str(), spec.display_name.c_str(), SERVICE_ALL_ACCESS,
      SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START, SERVICE_ERROR_NORMAL,
      spec.command_line.c_str(), nullptr, nullptr, nullptr, nullptr /* LocalSystem */, nullptr));
  ServiceResult recovery;
  if (!service) {
    DWORD code = ::GetLastError();
    if (code != ERROR_SERVICE_EXISTS)
      return failure("cannot create service " + narrow(spec.name), code);
    // Installed before: bring its command line and settings up to date.
    ScHandle existing(::OpenServiceW(manager.get(), spec.name.c_str(), SERVICE_ALL_ACCESS));
    if (!existing) return failure("cannot open service " + narrow(spec.name), ::GetLastError());
    if (!::ChangeServiceConfigW(existing.get(), SERVICE_WIN32_OWN_PROCESS, SERVICE_AUTO_START,
                                SERVICE_ERROR_NORMAL, spec.command_line.c_str(), nullptr, nullptr,
                                nullptr, nullptr, nullptr, spec.display_name.c_str())) {
      return failure("cannot update service " + narrow(spec.name), ::GetLastError());
    }
    recovery = set_recovery(existing.get(), spec.description);
  } else {
    recovery = set_recovery(service.get(), spec.description);
  }
  if (!recovery.ok()) return recovery;
  if (!spec.event_message_file.empty()) {
    if (auto st = register_event_source(spec.event_message_file); !st) {
      return {0,
              "service installed, but the Event Log source could not be registered: " +
                  st.error().message,
              {}};
    }
  }
  return recovery;
}

ServiceResult apply_service_settings(const std::wstring& name, const std::wstring& description) {
  ScHandle manager;
  ScHandle service;
  if (auto r = open_service(name, SERVICE_CHANGE_CONFIG, manager, service); !r.ok()) return r;
  return set_recovery(service.get(), description);
}

ServiceResult uninstall_service(const std::wstring& name, std::chrono::milliseconds timeout) {
  ScHandle manager;
  ScHandle service;
  if (auto r = open_service(name, DELETE | SERVICE_STOP | SERVICE_QUERY_STATUS, manager, service);
      !r.ok()) {
    return r;
  }
  SERVICE_STATUS_PROCESS status{};
  if (auto r = query_status(service.get(), status); !r.ok()) return r;
  if (status.dwCurrentState != SERVICE_STOPPED) {
    SERVICE_STATUS plain{};
    if (!::ControlService(service.get(), SERVICE_CONTROL_STOP, &plain) &&
        ::GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
      return failure("cannot stop service " + narrow(name) + " before removing it",
                     ::GetLastError());
    }
    if (auto r = wait_for_state(service.get(), name, SERVICE_STOPPED, timeout); !r.ok()) return r;
  }
  if (!::DeleteService(service.get()) && ::GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE)
    return failure("cannot delete service " + narrow(name), ::GetLastError());
  if (auto st = unregister_event_source(); !st) {
    return {0,
            "service removed, but the Event Log source could not be removed: " + st.error().message,
            {}};
  }
  return {};
}

ServiceResult start_service(const std::wstring& name, std::chrono::milliseconds timeout) {
  ScHandle manager;
  ScHandle service;
  if (auto r = open_service(name, SERVICE_START | SERVICE_QUERY_STATUS, manager, service); !r.ok())
    return r;
  if (!::StartServiceW(service.get(), 0, nullptr)) {
    DWORD code = ::GetLastError();
    if (code != ERROR_SERVICE_ALREADY_RUNNING)
      return failure("cannot start service " + narrow(name), code);
  }
  return wait_for_state(service.get(), name, SERVICE_RUNNING, timeout);
}

ServiceResult stop_service(const std::wstring& name, std::chrono::milliseconds timeout) {
  ScHandle manager;
  ScHandle service;
  if (auto r = open_service(name, SERVICE_STOP | SERVICE_QUERY_STATUS, manager, service); !r.ok())
    return r;
  SERVICE_STATUS plain{};
  if (!::ControlService(service.get(), SERVICE_CONTROL_STOP, &plain)) {
    DWORD code = ::GetLastError();
    if (code != ERROR_SERVICE_NOT_ACTIVE)
      return failure("cannot stop service " + narrow(name), code);
  }
  return wait_for_state(service.get(), name, SERVICE_STOPPED, timeout);
}

ServiceResult reload_service(const std::wstring& name) {
  ScHandle manager;
  ScHandle service;
  if (auto r = open_service(name, SERVICE_PAUSE_CONTINUE, manager, service); !r.ok()) return r;
  SERVICE_STATUS plain{};
  if (!::ControlService(service.get(), SERVICE_CONTROL_PARAMCHANGE, &plain))
    return failure("cannot ask service " + narrow(name) + " to reload", ::GetLastError());
  return {};
}

ServiceResult query_service(const std::wstring& name, ServiceState& state) {
  state = ServiceState{};
  ScHandle manager;
  ScHandle service;
  auto r = open_service(name, SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG, manager, service);
  if (!r.ok()) {
    if (r.win32_error == ERROR_SERVICE_DOES_NOT_EXIST) return {};
    return r;
  }
  state.installed = true;
  SERVICE_STATUS_PROCESS status{};
  if (auto q = query_status(service.get(), status); !q.ok()) return q;
  state.state = status.dwCurrentState;
  state.pid = status.dwProcessId;
  state.win32_exit_code = status.dwWin32ExitCode;
  state.service_exit_code = status.dwServiceSpecificExitCode;
  DWORD bytes = 0;
  ::QueryServiceConfigW(service.get(), nullptr, 0, &bytes);
  if (bytes > 0) {
    std::vector<unsigned char> buffer(bytes);
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (::QueryServiceConfigW(service.get(), config, bytes, &bytes) &&
        config->lpBinaryPathName != nullptr) {
      state.command_line = config->lpBinaryPathName;
      state.config = config_from_command_line(state.command_line);
    }
  }
  bytes = 0;
  ::QueryServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, nullptr, 0, &bytes);
  if (bytes >= sizeof(SERVICE_FAILURE_ACTIONSW)) {
    std::vector<unsigned char> buffer(bytes);
    if (::QueryServiceConfig2W(service.get(), SERVICE_CONFIG_FAILURE_ACTIONS, buffer.data(), bytes,
                               &bytes)) {
      auto* actions = reinterpret_cast<SERVICE_FAILURE_ACTIONSW*>(buffer.data());
      state.failure_reset_seconds = actions->dwResetPeriod;
      for (DWORD i = 0; i < actions->cActions && actions->lpsaActions != nullptr; ++i) {
        if (actions->lpsaActions[i].Type == SC_ACTION_RESTART)
          state.restart_delays_ms.push_back(actions->lpsaActions[i].Delay);
      }
    }
  }
  return {};
}

}  // namespace vakt::agent
