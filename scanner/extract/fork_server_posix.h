// The fork server for isolated parsers on Linux.
//
// maybe_run_isolated_worker() starts it first thing in main(), while the program still has one
// thread and a small heap: a helper process whose only job is to fork a parser child per document
// on request. run_isolated() then asks it for children instead of forking the scanning process
// from one of its worker threads. Why:
//  - fork() from a multi-threaded process leaves the child with any lock another thread held at
//    that moment (the allocator repairs its own; a library's mutex stays locked forever). The
//    server has one thread, so its children start from a consistent state.
//  - a child forked from a multi-threaded process stays on glibc's multi-threaded malloc path (an
//    atomic operation per call): poppler ran 7 % slower in such a child (benchmarks/README.md;
//    measured before Linux builds linked mimalloc, whose per-thread heaps do not have that path).
//  - forking a small process copies few page tables; the scanner's heap can be hundreds of MB.
//
// Protocol, over a private SOCK_SEQPACKET socket pair (the parent's end is close-on-exec):
//   parent -> server  Request + [memfd holding the document bytes then its name,
//                                write end of the frame pipe, server's end of a status socket]
//   server -> parent  on the status socket: Started{pid} + [pidfd], or Failed{errno};
//                     later Exited{wait status, peak RSS} once the server has reaped the child.
// The parent kills a child through its pidfd (no pid-reuse race) and learns how it ended from
// Exited. The server ends when the parent's end of the socket closes or the parent dies
// (PR_SET_PDEATHSIG), and its children die with it. The child inherits the requesting thread's
// nice value and I/O priority, as a directly forked child would. Everything else is the process as
// it was when main() started: a ParseFn must not depend on state set up later (globals,
// environment, signal handlers), and terminal and service signals (SIGINT, SIGTERM, SIGHUP …) are
// ignored in the server and its children — the scanning process stops the children it wants
// stopped.
//
// When there is no server (a program whose main() does not call maybe_run_isolated_worker, a
// kernel without pidfd, or a server that died), spawn() returns nothing and run_isolated forks
// directly as before.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "extract/isolation.h"

namespace vakt::extract::fork_server {

// Starts the server. Does nothing (and returns false) when the process already has more than one
// thread or the kernel lacks pidfd; true when a server is running after the call.
bool start();

// The server's process id, or -1 when none runs.
pid_t server_pid();

// Tests only: while false, spawn() refuses, so run_isolated takes the direct-fork path.
void set_enabled_for_testing(bool enabled);

// A parser child started by the server.
struct Spawned {
  int frames_fd = -1;  // read end of the child's frame pipe (close-on-exec)
  int pidfd = -1;      // kills the child
  int status_fd = -1;  // carries Exited when the child has been reaped
};

struct SpawnFailed {
  std::string reason;  // "parser could not start: fork: ..."
};

// Asks the server for a child running fn(bytes, name) under `options`. std::nullopt: no server
// (fall back to a direct fork); SpawnFailed: the server could not fork.
struct SpawnResult {
  std::optional<Spawned> child;
  std::optional<SpawnFailed> failed;
};
SpawnResult spawn(std::string_view bytes, std::string_view name, ParseFn fn,
                  const IsolationOptions& options);

struct ChildExit {
  int wait_status = 0;  // as from wait4(2)
  std::uint64_t max_rss_bytes = 0;
};

// Waits up to timeout_ms (0: just look, -1: until the child has ended) for the child's Exited
// report. A server that died without reporting killed its children (PR_SET_PDEATHSIG), and a
// child whose end the pidfd shows but the server does not report within 2 s is not waited for:
// both read as SIGKILL, so a stopped server can never hold a scan.
std::optional<ChildExit> wait_exit(int status_fd, int pidfd, int timeout_ms);

// Sends SIGKILL through the pidfd.
void kill_child(int pidfd);

}  // namespace vakt::extract::fork_server
