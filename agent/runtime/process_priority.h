// Lowers the agent's CPU and I/O priority so scanning never competes with the user: nice value
// and I/O class (Linux: setpriority(2) + ioprio_set(2) via syscall; Windows: background mode).
// Call before starting worker threads; they inherit it.
#pragma once

#include <string>

#include "config/agent_config.h"

namespace vakt::agent {

// Returns a description of what was applied ("nice 10, io idle") or of what failed.
std::string lower_process_priority(int nice_value, IoClass io_class);

}  // namespace vakt::agent
