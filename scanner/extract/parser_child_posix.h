// The body of an isolated parser child on Linux, shared by both ways a child is started: forked by
// the fork server (fork_server_posix.h, the normal case) or forked directly by the scanning thread
// (when the program has no fork server). See isolation.h for the protocol.
#pragma once

#include <cstddef>
#include <string_view>

#include "extract/isolation.h"
#include "util/sanitizers.h"

namespace vakt::extract {

// kAddressSanitizer (util/sanitizers.h): no RLIMIT_AS under AddressSanitizer, and an abort near
// the cap is not read as the memory limit.

// write(2) until every byte is written (EINTR retried); false on an error.
bool write_fd_all(int fd, const char* data, std::size_t size);

// Moves `fd` (the write end of the frame pipe) to descriptor 3, closes every other descriptor
// above it, points stdout/stderr at /dev/null, applies the limits of `options` (address space, CPU
// time, no core dumps), runs fn and reports its output as frames. Never returns.
[[noreturn]] void run_parser_child(int fd, std::string_view bytes, std::string_view name,
                                   ParseFn fn, const IsolationOptions& options);

}  // namespace vakt::extract
