// The channel between the Windows control sources and the agent: the service control handler
// (stop, shutdown, paramchange) and the console control handler (Ctrl+C, Ctrl+Break, close) call
// deliver_control(); the agent's SignalSource installs the receiving handler with
// set_control_handler(). A request that arrives before a handler is set (a stop while the agent
// is still starting) is kept and delivered when it is set, so it is never lost.
//
//   set_control_handler([](SignalKind k) { ... });   // SignalSource::start
//   deliver_control(SignalKind::kStop);               // from any thread
//   clear_control_handler();                          // SignalSource::stop
#pragma once

#include <functional>

#include "runtime/signal_source.h"

namespace vakt::agent {

void set_control_handler(std::function<void(SignalKind)> handler);
void clear_control_handler();
void deliver_control(SignalKind kind);
// Forget requests kept while no handler was set (between two agent runs in one process: tests).
void reset_pending_controls();

}  // namespace vakt::agent
