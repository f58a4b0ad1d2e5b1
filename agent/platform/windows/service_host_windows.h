// The Windows service entry: run_as_service_or_console() hands the process to the service
// control manager with StartServiceCtrlDispatcherW; when the process was not started by the SCM
// (ERROR_FAILED_SERVICE_CONTROLLER_CONNECT) it runs the agent in the console instead, the same
// as `vakt run`. As a service it reports START_PENDING (with checkpoints and a wait hint) until
// the agent calls notify_ready() (service_notify_windows.cpp), RUNNING while it watches,
// STOP_PENDING from the stop request until run_agent returns, then STOPPED with the agent's exit
// code (non-zero: ERROR_SERVICE_SPECIFIC_ERROR, so the recovery actions restart it). Controls:
// STOP and SHUTDOWN -> SignalKind::kStop, PARAMCHANGE -> kReload, INTERROGATE, and user control
// 128 -> kTestOverflow. Service start, stop and anything the agent writes to stderr (its fatal
// errors) go to the Windows Event Log (event_log_windows.h). At every start the service sets its
// own recovery actions and registers the Event Log source when it is missing, so an MSI install
// (which cannot set recovery actions) ends up the same as `vakt service install`.
//
//   return run_as_service_or_console(L"Vakt", [&] { return Agent(config, reload).run(); });
#pragma once

#include <functional>
#include <string>

namespace vakt::agent {

inline constexpr wchar_t kServiceName[] = L"Vakt";
inline constexpr unsigned long kServiceControlTestOverflow = 128;

int run_as_service_or_console(const std::wstring& service_name, std::function<int()> run_agent);

// True while this process runs as a service (inside the ServiceMain).
bool running_as_service();
// Reports from the agent; they do nothing outside a service.
void service_report_running(const std::string& status);
void service_report_stop_pending();

}  // namespace vakt::agent
