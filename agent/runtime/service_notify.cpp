#include "runtime/service_notify.h"

#ifdef VAKT_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

namespace vakt::agent {

#ifdef VAKT_HAVE_SYSTEMD
void notify_ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}
void notify_status(const std::string& status) {
  sd_notifyf(0, "STATUS=%s", status.c_str());
}
void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}
void notify_reloading() {
  sd_notify(0, "RELOADING=1");
}
void notify_watchdog() {
  sd_notify(0, "WATCHDOG=1");
}
std::chrono::milliseconds watchdog_interval() {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(usec / 2000);  // notify at half the timeout
}
#else
void notify_ready(const std::string&) {}
void notify_status(const std::string&) {}
void notify_stopping() {}
void notify_reloading() {}
void notify_watchdog() {}
std::chrono::milliseconds watchdog_interval() {
  return std::chrono::milliseconds(0);
}
#endif

}  // namespace vakt::agent
