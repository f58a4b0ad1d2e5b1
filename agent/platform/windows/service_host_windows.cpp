#include "platform/windows/service_host_windows.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/windows/event_log_windows.h"
#include "platform/windows/registry_windows.h"
#include "platform/windows/service_control_windows.h"
#include "platform/windows/service_manager_windows.h"

namespace vakt::agent {
namespace {

constexpr DWORD kStartWaitHintMs = 30000;  // engine compile on a cold cache takes a while
constexpr DWORD kStopWaitHintMs = 30000;   // in-flight files finish before the agent stops
constexpr auto kCheckpointInterval = std::chrono::milliseconds(1000);

// The SCM calls plain functions, so the service's state is process-wide.
struct Host {
  std::wstring name;
  std::function<int()> run_agent;
  int exit_code = 0;
  std::atomic<bool> in_service{false};

  std::mutex mutex;
  std::condition_variable changed;
  SERVICE_STATUS_HANDLE handle = nullptr;
  SERVICE_STATUS status{};
  bool ticker_stop = false;
};

Host& host() {
  static Host h;
  return h;
}

// Callers hold host().mutex.
void set_state_locked(DWORD state, DWORD wait_hint_ms) {
  auto& h = host();
  h.status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  h.status.dwCurrentState = state;
  h.status.dwControlsAccepted =
      state == SERVICE_RUNNING
          ? SERVICE_ACCEPT_STOP | SERVICE_ACCEPT_SHUTDOWN | SERVICE_ACCEPT_PARAMCHANGE
          : 0;
  h.status.dwWaitHint = wait_hint_ms;
  h.status.dwCheckPoint = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING ? 1 : 0;
  if (h.handle != nullptr) ::SetServiceStatus(h.handle, &h.status);
  h.changed.notify_all();
}

// While starting or stopping, the checkpoint goes up every second so the SCM sees progress.
void tick_checkpoints() {
  auto& h = host();
  std::unique_lock lock(h.mutex);
  while (!h.ticker_stop) {
    h.changed.wait_for(lock, kCheckpointInterval);
    if (h.ticker_stop) break;
    DWORD state = h.status.dwCurrentState;
    if ((state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING) && h.handle != nullptr) {
      ++h.status.dwCheckPoint;
      ::SetServiceStatus(h.handle, &h.status);
    }
  }
}

DWORD WINAPI control_handler(DWORD control, DWORD, void*, void*) {
  switch (control) {
    case SERVICE_CONTROL_STOP:
    case SERVICE_CONTROL_SHUTDOWN:
      service_report_stop_pending();
      deliver_control(SignalKind::kStop);
      return NO_ERROR;
    case SERVICE_CONTROL_PARAMCHANGE:
      deliver_control(SignalKind::kReload);
      return NO_ERROR;
    case SERVICE_CONTROL_INTERROGATE:
      return NO_ERROR;
    case kServiceControlTestOverflow:
      deliver_control(SignalKind::kTestOverflow);
      return NO_ERROR;
    default:
      return ERROR_CALL_NOT_IMPLEMENTED;
  }
}

void WINAPI service_main(DWORD, wchar_t**) {
  auto& h = host();
  {
    std::lock_guard lock(h.mutex);
    h.handle = ::RegisterServiceCtrlHandlerExW(h.name.c_str(), control_handler, nullptr);
    if (h.handle == nullptr) {
      report_windows_event(
          WindowsEventKind::kError,
          "cannot register the service control handler: " + win32_error_text(::GetLastError()));
      h.exit_code = 2;
      return;
    }
    h.in_service = true;
    h.ticker_stop = false;
    set_state_locked(SERVICE_START_PENDING, kStartWaitHintMs);
  }
  std::thread ticker(tick_checkpoints);

  // Installed by the MSI rather than `vakt service install`: recovery actions and the Event Log
  // source are set here, as LocalSystem, at every start (cheap, and repairs a changed setup).
  if (!RegKey::open(HKEY_LOCAL_MACHINE, kEventSourceKey)) {
    (void)register_event_source(current_executable());
  }
  if (auto r = apply_service_settings(h.name, kServiceDescription); !r.ok()) {
    report_windows_event(WindowsEventKind::kWarning,
                         "cannot set the recovery actions: " + r.message);
  }

  // No console: what the agent writes to stderr (its fatal errors) goes to the Event Log.
  EventLogStreambuf to_event_log;
  auto* old_cerr = std::cerr.rdbuf(&to_event_log);
  int rc = h.run_agent();
  std::cerr.flush();
  std::cerr.rdbuf(old_cerr);

  report_windows_event(rc == 0 ? WindowsEventKind::kStopped : WindowsEventKind::kError,
                       rc == 0 ? "the Vakt service stopped"
                               : "the Vakt service stopped with exit code " + std::to_string(rc) +
                                     " (see the messages before this one and the JSON log)");
  {
    std::lock_guard lock(h.mutex);
    h.ticker_stop = true;
    h.changed.notify_all();
  }
  ticker.join();
  std::lock_guard lock(h.mutex);
  h.exit_code = rc;
  h.status.dwWin32ExitCode = rc == 0 ? NO_ERROR : ERROR_SERVICE_SPECIFIC_ERROR;
  h.status.dwServiceSpecificExitCode = static_cast<DWORD>(rc);
  h.in_service = false;
  set_state_locked(SERVICE_STOPPED, 0);
  // The handle is not closed: SetServiceStatus(STOPPED) ends its use, and the process exits next.
}

}  // namespace

int run_as_service_or_console(const std::wstring& service_name, std::function<int()> run_agent) {
  auto& h = host();
  h.name = service_name;
  h.run_agent = std::move(run_agent);
  h.exit_code = 0;
  std::vector<wchar_t> name(service_name.begin(), service_name.end());
  name.push_back(L'\0');
  SERVICE_TABLE_ENTRYW table[] = {{name.data(), service_main}, {nullptr, nullptr}};
  if (::StartServiceCtrlDispatcherW(table)) return h.exit_code;
  DWORD err = ::GetLastError();
  if (err == ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) return h.run_agent();  // console mode
  std::cerr << "vakt: cannot start the service dispatcher: " << win32_error_text(err) << "\n";
  return 2;
}

bool running_as_service() {
  return host().in_service;
}

void service_report_running(const std::string& status) {
  auto& h = host();
  std::lock_guard lock(h.mutex);
  if (!h.in_service) return;
  DWORD previous = h.status.dwCurrentState;
  if (previous == SERVICE_STOP_PENDING) return;  // a stop came first; never go back to RUNNING
  set_state_locked(SERVICE_RUNNING, 0);
  if (previous == SERVICE_START_PENDING) {
    report_windows_event(WindowsEventKind::kStarted, "the Vakt service started: " + status);
  }
}

void service_report_stop_pending() {
  auto& h = host();
  std::lock_guard lock(h.mutex);
  if (!h.in_service || h.status.dwCurrentState == SERVICE_STOPPED) return;
  if (h.status.dwCurrentState != SERVICE_STOP_PENDING)
    set_state_locked(SERVICE_STOP_PENDING, kStopWaitHintMs);
}

}  // namespace vakt::agent
