// Which allocator serves malloc and operator new in this process, for `vakt --version`. On Linux,
// vakt links mimalloc (cmake/VaktDependencies.cmake); the answer comes from a live block, so a
// build where the override did not take says so.
#pragma once

#include <string>

namespace vakt::agent {

std::string allocator_description();

}  // namespace vakt::agent
