// Isolation for risky parsers (Linux): one child process per document, started by the fork server
// (fork_server_posix.h) or, in a program without one, forked here. See isolation.h for the
// protocol and trade-offs and isolation_wire.h for the frames.
#include "extract/isolation.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <optional>

#include "extract/fork_server_posix.h"
#include "extract/isolation_wire.h"
#include "extract/parser_child_posix.h"

namespace vakt::extract {
namespace {

using wire::fail;
using wire::FrameReader;
using wire::kExitOutOfMemory;

std::mutex g_fork_mutex;

// One running parser child and how to kill and reap it: through the fork server (pidfd + the
// server's exit report) or as our own child (kill + wait4).
class ParserChild {
 public:
  explicit ParserChild(pid_t pid) : pid_(pid) {}
  explicit ParserChild(const fork_server::Spawned& s) : pidfd_(s.pidfd), status_fd_(s.status_fd) {}
  // An exception out of the replay (an embedded document's scan throws, bad_alloc) must not leave
  // the child running or unreaped.
  ~ParserChild() {
    if (!reaped_) {
      kill();
      reap(-1);
    }
    if (pidfd_ >= 0) ::close(pidfd_);
    if (status_fd_ >= 0) ::close(status_fd_);
  }
  ParserChild(const ParserChild&) = delete;
  ParserChild& operator=(const ParserChild&) = delete;

  // Readable when the server reports the exit; -1 for our own child.
  int exit_fd() const { return status_fd_; }

  void kill() {
    if (pidfd_ >= 0) {
      fork_server::kill_child(pidfd_);
    } else {
      ::kill(pid_, SIGKILL);
    }
  }

  // True once the child's end is known; waits up to timeout_ms (0: just look, -1: until it ends).
  bool reap(int timeout_ms) {
    if (reaped_) return true;
    if (status_fd_ >= 0) {
      if (auto exit = fork_server::wait_exit(status_fd_, pidfd_, timeout_ms)) {
        status_ = exit->wait_status;
        max_rss_ = exit->max_rss_bytes;
        reaped_ = true;
      }
      return reaped_;
    }
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      rusage usage{};
      pid_t w = ::wait4(pid_, &status_, timeout_ms < 0 ? 0 : WNOHANG, &usage);
      if (w == pid_ || (w < 0 && errno != EINTR)) {
        max_rss_ = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;
        reaped_ = true;
        return true;
      }
      if (timeout_ms >= 0 && std::chrono::steady_clock::now() >= until) return false;
      if (timeout_ms != 0) ::usleep(1000);
    }
  }

  int status() const { return status_; }
  std::uint64_t max_rss() const { return max_rss_; }

 private:
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int status_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::uint64_t max_rss_ = 0;
};

}  // namespace

// Linux: no worker entry point (children are forked), but this is where a program that scans files
// starts the fork server, while it has one thread.
std::optional<int> maybe_run_isolated_worker(int /*argc*/, char** /*argv*/) {
  fork_server::start();
  return std::nullopt;
}

IsolationResult run_isolated(std::string_view bytes, std::string_view name, ParseFn fn,
                             DocOutput& out, const IsolationOptions& options) {
  int rfd = -1;
  std::optional<ParserChild> child;
  fork_server::SpawnResult served = fork_server::spawn(bytes, name, fn, options);
  if (served.failed) return fail(IsolationEnd::kSpawnFailed, served.failed->reason, false);
  if (served.child) {
    rfd = served.child->frames_fd;
    child.emplace(*served.child);
  } else {
    int fds[2];
    pid_t pid = -1;
    {
      std::lock_guard<std::mutex> lock(g_fork_mutex);
      if (::pipe2(fds, O_CLOEXEC) != 0)
        return fail(IsolationEnd::kSpawnFailed, "parser could not start: pipe", false);
      const pid_t parent = ::getpid();
      pid = ::fork();
      if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the forking thread waits for us, or is gone
        if (::getppid() != parent) _exit(wire::kExitWriteFailed);
        ::close(fds[0]);
        run_parser_child(fds[1], bytes, name, fn, options);
      }
      ::close(fds[1]);
    }
    if (pid < 0) {
      ::close(fds[0]);
      return fail(IsolationEnd::kSpawnFailed, "parser could not start: fork", false);
    }
    rfd = fds[0];
    child.emplace(pid);
  }
  ::fcntl(rfd, F_SETFL, ::fcntl(rfd, F_GETFL) | O_NONBLOCK);
  // Closed on every way out, exceptions included (before ~ParserChild kills and reaps the child,
  // which then cannot block on a full pipe).
  struct CloseOnExit {
    int fd;
    ~CloseOnExit() { ::close(fd); }
  } close_frames{rfd};
  using Clock = std::chrono::steady_clock;
  // One frame is at most an embedded file plus its name (children are checked in the child), or
  // a 64 KiB text frame: the parent never buffers more than that per scan.
  FrameReader reader(out, options.max_child_bytes + 4 + 64 * 1024);
  auto deadline = Clock::now() + options.wall_time;
  bool eof = false;
  bool garbage = false;
  bool timed_out = false;
  bool stopped = false;
  bool reaped = false;
  char chunk[65536];

  auto read_available = [&]() {
    for (;;) {
      ssize_t n = ::read(rfd, chunk, sizeof chunk);
      if (n > 0) {
        reader.buffer().append(chunk, static_cast<std::size_t>(n));
        Clock::duration child_time{};
        if (!reader.feed(child_time)) {
          garbage = true;
          return;
        }
        deadline += child_time;
        continue;
      }
      if (n == 0)
        eof = true;
      else if (errno == EINTR)
        continue;
      return;  // EAGAIN or error
    }
  };

  while (!eof && !garbage) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p[2] = {{rfd, POLLIN, 0}, {child->exit_fd(), POLLIN, 0}};
    int wait_ms = static_cast<int>(std::min<std::int64_t>(left.count(), 50));
    int rc = ::poll(p, child->exit_fd() >= 0 ? 2 : 1, wait_ms);
    if (p[0].revents != 0) read_available();
    if (options.should_stop && options.should_stop()) {
      stopped = true;
      break;
    }
    if (out.stopped()) {
      stopped = true;
      break;
    }
    // A child that exited is reaped here even if some other process still holds the pipe open.
    if (!eof && !garbage && (rc == 0 || p[1].revents != 0) && child->reap(0)) {
      reaped = true;
      read_available();
      break;
    }
  }

  if (!reaped) {
    if (timed_out || stopped || garbage) {
      child->kill();
    } else {
      // EOF: the child is exiting. Give it until the deadline, then kill it.
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (!child->reap(static_cast<int>(std::max<std::int64_t>(left.count(), 0)))) {
        timed_out = true;
        child->kill();
      }
    }
    child->reap(-1);
  }
  const int status = child->status();
  reader.close_part();

  bool any = reader.any_text();
  if (stopped) return fail(IsolationEnd::kStopped, "", any);
  if (garbage) return fail(IsolationEnd::kProtocolError, "parser protocol error", any);
  if (timed_out) return fail(IsolationEnd::kTimeLimit, "parser time limit", any);
  if (reader.out_of_memory() || (WIFEXITED(status) && WEXITSTATUS(status) == kExitOutOfMemory)) {
    return fail(IsolationEnd::kMemoryLimit, "parser memory limit", any);
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGXCPU) return fail(IsolationEnd::kTimeLimit, "parser time limit", any);
    // poppler's allocator aborts on a failed malloc: an abort near the memory cap is the cap.
    if (sig == SIGABRT && !kAddressSanitizer && child->max_rss() >= options.memory_bytes / 2) {
      return fail(IsolationEnd::kMemoryLimit, "parser memory limit", any);
    }
    return fail(IsolationEnd::kCrashed, "parser crashed: signal " + std::to_string(sig), any, sig);
  }
  if (!reader.done()) {
    return fail(IsolationEnd::kProtocolError, "parser protocol error: exited without a result",
                any);
  }
  IsolationResult ok;
  ok.any_text = any;
  return ok;
}

}  // namespace vakt::extract
