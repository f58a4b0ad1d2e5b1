// ensure_standard_streams: a process started with stdin, stdout or stderr closed (`vakt scan t
// >&-`, a careless service wrapper) gets /dev/null in their place before anything else opens a
// file. Otherwise the next descriptor opened — the parser fork server's socket — takes number 1
// and the results table is written into it.
// Linux: platform/linux/standard_streams_linux.cpp; Windows: nothing to do (handles are not
// numbered that way).
#pragma once

namespace vakt::agent {

void ensure_standard_streams();

}  // namespace vakt::agent
