// Lowers the agent's CPU and I/O priority so scanning never competes with the user: nice value
// and I/O class (Linux: setpriority(2) + ioprio_set(2) via syscall; Windows: priority class +
// PROCESS_MODE_BACKGROUND_BEGIN). Call before starting worker threads; they inherit it.
// current_process_id() is this process's id (getpid / GetCurrentProcessId), for the status file;
// process_running(pid) tells `vakt status` whether the agent that wrote it still runs.
#pragma once

#include <string>

#include "config/agent_config.h"

namespace vakt::agent {

// Returns a description of what was applied ("nice 10, io idle") or of what failed.
std::string lower_process_priority(int nice_value, IoClass io_class);

long current_process_id();
bool process_running(long pid);

}  // namespace vakt::agent
