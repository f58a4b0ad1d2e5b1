// Service manager notifications: READY=1 once watching, STOPPING=1 on shutdown, WATCHDOG=1 on a
// timer when the unit asks for one. Uses sd_notify(3) when built with libsystemd
// (VAKT_HAVE_SYSTEMD); without it, or when not started by systemd, these calls do nothing.
#pragma once

#include <chrono>
#include <string>

namespace vakt::agent {

void notify_ready(const std::string& status);
void notify_status(const std::string& status);
void notify_stopping();
void notify_reloading();
void notify_watchdog();
// The interval at which to call notify_watchdog(), or 0 when no watchdog is configured.
std::chrono::milliseconds watchdog_interval();

}  // namespace vakt::agent
