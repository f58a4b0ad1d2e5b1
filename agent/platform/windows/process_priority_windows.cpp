// Windows: the CPU priority class follows the configured nice value (> 0: below normal, >= 15:
// idle), and io_class idle puts the process in background mode (PROCESS_MODE_BACKGROUND_BEGIN:
// very low I/O and memory priority), which its threads share. Background mode is set last: it
// must not be undone by a later priority-class change.
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "platform/windows/registry_windows.h"
#include "runtime/process_priority.h"

namespace vakt::agent {
namespace {

// ERROR_PROCESS_MODE_ALREADY_BACKGROUND (winerror.h; missing from older mingw-w64 headers).
constexpr DWORD kErrorAlreadyBackground = 402;

}  // namespace

std::string lower_process_priority(int nice_value, IoClass io_class) {
  std::string out;
  HANDLE self = ::GetCurrentProcess();
  DWORD wanted = nice_value >= 15 ? IDLE_PRIORITY_CLASS
                 : nice_value > 0 ? BELOW_NORMAL_PRIORITY_CLASS
                                  : NORMAL_PRIORITY_CLASS;
  DWORD current = ::GetPriorityClass(self);
  if (wanted != NORMAL_PRIORITY_CLASS && current != wanted && current != IDLE_PRIORITY_CLASS) {
    if (::SetPriorityClass(self, wanted)) {
      out = wanted == IDLE_PRIORITY_CLASS ? "priority idle" : "priority below normal";
    } else {
      out = "priority class failed: " + win32_error_text(::GetLastError());
    }
  } else {
    out = current == IDLE_PRIORITY_CLASS           ? "priority idle"
          : current == BELOW_NORMAL_PRIORITY_CLASS ? "priority below normal"
                                                   : "priority normal";
  }
  if (io_class == IoClass::kIdle) {
    if (::SetPriorityClass(self, PROCESS_MODE_BACKGROUND_BEGIN)) {
      out += ", background mode (io very low)";
    } else if (DWORD err = ::GetLastError(); err == kErrorAlreadyBackground) {
      out += ", background mode (io very low)";
    } else {
      out += ", background mode failed: " + win32_error_text(err);
    }
  } else {
    out += ", io normal";
  }
  return out;
}

long current_process_id() {
  return static_cast<long>(::GetCurrentProcessId());
}

bool process_running(long pid) {
  if (pid <= 0) return false;
  HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
  if (process == nullptr) return ::GetLastError() == ERROR_ACCESS_DENIED;  // exists, not ours
  DWORD code = 0;
  bool running = ::GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
  ::CloseHandle(process);
  return running;
}

}  // namespace vakt::agent
