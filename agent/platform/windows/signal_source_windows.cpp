// Windows SignalSource. Stop and reload come from two places, both through the control channel
// (service_control_windows.h): the console control handler (Ctrl+C, Ctrl+Break, console close,
// system shutdown -> stop; logoff -> stop in a console, ignored in a service) and the service
// control handler (service_host_windows.cpp). A thread of its own watches for new OneDrive
// folders: it waits on a registry change notification on HKEY_USERS (a user's hive is loaded
// there when they log on) and, because a first OneDrive sign-in writes inside the user's own hive
// where that notification does not reach, also re-runs the discovery every 60 seconds; when the
// set of folders differs from the last one it reports kRediscover.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "config/onedrive_discovery.h"
#include "platform/windows/service_control_windows.h"
#include "platform/windows/service_host_windows.h"
#include "runtime/signal_source.h"

namespace vakt::agent {
namespace {

constexpr DWORD kRediscoverIntervalMs = 60000;
constexpr DWORD kCloseGraceMs = 4500;  // Windows ends the process 5 s after a close event

// Signalled by SignalSource::stop(), so a console close waits for the agent's shutdown.
HANDLE g_stopped_event = nullptr;

BOOL WINAPI console_control(DWORD type) {
  switch (type) {
    case CTRL_C_EVENT:
    case CTRL_BREAK_EVENT:
      deliver_control(SignalKind::kStop);
      return TRUE;
    case CTRL_LOGOFF_EVENT:
      if (running_as_service()) return TRUE;  // another user logging off is not our business
      deliver_control(SignalKind::kStop);
      return TRUE;
    case CTRL_CLOSE_EVENT:
    case CTRL_SHUTDOWN_EVENT:
      deliver_control(SignalKind::kStop);
      if (g_stopped_event != nullptr) ::WaitForSingleObject(g_stopped_event, kCloseGraceMs);
      return TRUE;
    default:
      return FALSE;
  }
}

DWORD rediscover_interval_ms() {
  // Tests shorten the interval; honoured only with the test hooks on.
  const char* hooks = std::getenv("VAKT_TEST_HOOKS");
  const char* ms = std::getenv("VAKT_REDISCOVER_MS");
  if (hooks != nullptr && std::string(hooks) == "1" && ms != nullptr) {
    long v = std::strtol(ms, nullptr, 10);
    if (v > 0) return static_cast<DWORD>(v);
  }
  return kRediscoverIntervalMs;
}

void watch_onedrive_folders(HANDLE stop_event, const std::function<void(SignalKind)>& handler) {
  auto last = discover_onedrive_folders({});
  HKEY users = nullptr;
  if (::RegOpenKeyExW(HKEY_USERS, nullptr, 0, KEY_NOTIFY, &users) != ERROR_SUCCESS) users = nullptr;
  HANDLE changed = ::CreateEventW(nullptr, FALSE, FALSE, nullptr);
  DWORD interval = rediscover_interval_ms();
  for (;;) {
    bool notifying = users != nullptr && changed != nullptr &&
                     ::RegNotifyChangeKeyValue(users, FALSE, REG_NOTIFY_CHANGE_NAME, changed,
                                               TRUE) == ERROR_SUCCESS;
    HANDLE handles[] = {stop_event, changed};
    DWORD r = ::WaitForMultipleObjects(notifying ? 2 : 1, handles, FALSE, interval);
    if (r == WAIT_OBJECT_0 || r == WAIT_FAILED) break;
    auto now = discover_onedrive_folders({});
    if (now != last) {
      last = std::move(now);
      handler(SignalKind::kRediscover);
    }
  }
  if (changed != nullptr) ::CloseHandle(changed);
  if (users != nullptr) ::RegCloseKey(users);
}

}  // namespace

void block_agent_signals() {}  // Windows has no POSIX signals to hold back

bool signals_rediscover_onedrive() {
  return true;
}

struct SignalSource::State {
  std::thread monitor;
  HANDLE stop_event = nullptr;
  bool running = false;
};

SignalSource::SignalSource() : state_(std::make_unique<State>()) {}

SignalSource::~SignalSource() {
  stop();
}

void SignalSource::start(std::function<void(SignalKind)> handler) {
  if (state_->running) return;
  state_->running = true;
  if (g_stopped_event == nullptr) g_stopped_event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  if (g_stopped_event != nullptr) ::ResetEvent(g_stopped_event);
  state_->stop_event = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
  set_control_handler(handler);
  ::SetConsoleCtrlHandler(console_control, TRUE);
  if (state_->stop_event != nullptr) {
    state_->monitor = std::thread(
        [stop = state_->stop_event, handler] { watch_onedrive_folders(stop, handler); });
  }
}

void SignalSource::stop() {
  if (!state_->running) return;
  state_->running = false;
  if (state_->stop_event != nullptr) ::SetEvent(state_->stop_event);
  if (state_->monitor.joinable()) state_->monitor.join();
  if (state_->stop_event != nullptr) ::CloseHandle(state_->stop_event);
  state_->stop_event = nullptr;
  ::SetConsoleCtrlHandler(console_control, FALSE);
  clear_control_handler();
  if (g_stopped_event != nullptr) ::SetEvent(g_stopped_event);
}

}  // namespace vakt::agent
