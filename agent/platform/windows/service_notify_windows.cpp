// Windows side of service_notify.h: READY -> SERVICE_RUNNING, STOPPING -> SERVICE_STOP_PENDING
// (service_host_windows.h). Outside a service these do nothing. The SCM has no watchdog, reload
// or free-text status, so those are no-ops.
#include "platform/windows/service_host_windows.h"
#include "runtime/service_notify.h"

namespace vakt::agent {

void notify_ready(const std::string& status) {
  service_report_running(status);
}
void notify_status(const std::string&) {}
void notify_stopping() {
  service_report_stop_pending();
}
void notify_reloading() {}
void notify_watchdog() {}
std::chrono::milliseconds watchdog_interval() {
  return std::chrono::milliseconds(0);
}

}  // namespace vakt::agent
