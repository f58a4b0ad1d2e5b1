#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/process_priority.h"

namespace vakt::agent {
namespace {

// From linux/ioprio.h (not always installed with the libc headers).
constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassShift = 13;
constexpr int kIoprioClassBestEffort = 2;
constexpr int kIoprioClassIdle = 3;

int ioprio_value(int io_class, int data) {
  return (io_class << kIoprioClassShift) | data;
}

}  // namespace

std::string lower_process_priority(int nice_value, IoClass io_class) {
  std::string out;
  errno = 0;
  int current = ::getpriority(PRIO_PROCESS, 0);
  if (errno == 0 && current < nice_value) {
    if (::setpriority(PRIO_PROCESS, 0, nice_value) == 0) {
      out = "nice " + std::to_string(nice_value);
    } else {
      out = std::string("nice failed: ") + std::strerror(errno);
    }
  } else {
    out = "nice " + std::to_string(current);
  }
  int prio = io_class == IoClass::kIdle ? ioprio_value(kIoprioClassIdle, 0)
                                        : ioprio_value(kIoprioClassBestEffort, 7);
  if (::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, prio) == 0) {
    out += io_class == IoClass::kIdle ? ", io idle" : ", io best-effort 7";
  } else {
    out += std::string(", ioprio failed: ") + std::strerror(errno);
  }
  return out;
}

long current_process_id() {
  return static_cast<long>(::getpid());
}

bool process_running(long pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

}  // namespace vakt::agent
