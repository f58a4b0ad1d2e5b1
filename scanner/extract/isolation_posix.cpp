// Fork-per-document isolation for risky parsers (Linux); see isolation.h for the protocol and
// trade-offs and isolation_wire.h for the frames.
#include "extract/isolation.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>

#include "extract/isolation_wire.h"

namespace vakt::extract {
namespace {

using wire::fail;
using wire::FrameReader;
using wire::kExitOutOfMemory;
using wire::kExitWriteFailed;
using wire::kHeaderSize;

std::mutex g_fork_mutex;

int g_child_fd = -1;

bool write_fd_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

void on_out_of_memory() {
  // Called by operator new when allocation fails; no allocation here.
  char header[kHeaderSize] = {static_cast<char>(wire::Frame::kOutOfMemory), 0, 0, 0, 0};
  if (g_child_fd >= 0) write_fd_all(g_child_fd, header, kHeaderSize);
  _exit(kExitOutOfMemory);
}

// The worker's end of the pipe: frames go straight to the descriptor.
class PipeOutput final : public wire::FrameWriter {
 public:
  PipeOutput(int fd, std::uint64_t max_child) : FrameWriter(max_child), fd_(fd) {}

 private:
  bool write_all(const char* data, std::size_t size) override {
    return write_fd_all(fd_, data, size);
  }
  [[noreturn]] void write_failed() override {
    _exit(kExitWriteFailed);  // the parent is gone or killed us on purpose: nothing to report to
  }
  int fd_;
};

// The kernel's OOM killer should pick a runaway parser, never the agent that forked it.
void prefer_oom_kill_of_this_process() {
  const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  (void)write_fd_all(fd, "1000", 4);
  ::close(fd);
}

std::uint64_t current_address_space() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0;
  if (std::fscanf(f, "%lu", &pages) != 1) pages = 0;
  std::fclose(f);
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

[[noreturn]] void child_main(int fd, std::string_view bytes, std::string_view name, ParseFn fn,
                             const IsolationOptions& options) {
  // Keep only stdin and our pipe; silence library chatter on stdout/stderr.
  if (fd != 3) {
    if (::dup2(fd, 3) < 0) _exit(kExitWriteFailed);
    fd = 3;
  }
  ::close_range(4, ~0u, 0);
  int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull >= 0) {
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::close(devnull);
  }
  ::signal(SIGPIPE, SIG_IGN);
  prefer_oom_kill_of_this_process();
  // Crashes must end the child with their own signal (sanitizer runtimes would turn them into
  // SIGABRT reports nobody reads: the child's stderr is /dev/null).
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL}) ::signal(sig, SIG_DFL);

  rlimit core{0, 0};
  ::setrlimit(RLIMIT_CORE, &core);
  auto cpu_seconds = static_cast<rlim_t>(
      std::chrono::duration_cast<std::chrono::seconds>(options.wall_time).count() + 1);
  rlimit cpu{cpu_seconds, cpu_seconds + 2};
  ::setrlimit(RLIMIT_CPU, &cpu);
  if (!kAddressSanitizer) {  // ASan reserves terabytes of shadow memory up front
    rlimit as{};
    as.rlim_cur = as.rlim_max = static_cast<rlim_t>(current_address_space() + options.memory_bytes);
    ::setrlimit(RLIMIT_AS, &as);
  }

  g_child_fd = fd;
  std::set_new_handler(on_out_of_memory);
  PipeOutput out(fd, options.max_child_bytes);
  try {
    fn(bytes, name, out);
    out.flush();
    out.done();
  } catch (const std::bad_alloc&) {
    on_out_of_memory();
  } catch (...) {
    out.unscannable("parser error");
    out.done();
  }
  _exit(0);
}

}  // namespace

// Linux forks: the child needs no entry point of its own.
std::optional<int> maybe_run_isolated_worker(int /*argc*/, char** /*argv*/) {
  return std::nullopt;
}

IsolationResult run_isolated(std::string_view bytes, std::string_view name, ParseFn fn,
                             DocOutput& out, const IsolationOptions& options) {
  int fds[2];
  pid_t pid = -1;
  {
    std::lock_guard<std::mutex> lock(g_fork_mutex);
    if (::pipe2(fds, O_CLOEXEC) != 0)
      return fail(IsolationEnd::kSpawnFailed, "parser could not start: pipe", false);
    pid = ::fork();
    if (pid == 0) {
      ::close(fds[0]);
      child_main(fds[1], bytes, name, fn, options);
    }
    ::close(fds[1]);
  }
  if (pid < 0) {
    ::close(fds[0]);
    return fail(IsolationEnd::kSpawnFailed, "parser could not start: fork", false);
  }
  int rfd = fds[0];
  ::fcntl(rfd, F_SETFL, ::fcntl(rfd, F_GETFL) | O_NONBLOCK);

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
  int status = 0;
  rusage usage{};
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
    pollfd p{rfd, POLLIN, 0};
    int wait_ms = static_cast<int>(std::min<std::int64_t>(left.count(), 50));
    int rc = ::poll(&p, 1, wait_ms);
    if (rc > 0) read_available();
    if (options.should_stop && options.should_stop()) {
      stopped = true;
      break;
    }
    if (out.stopped()) {
      stopped = true;
      break;
    }
    // A child that exited is reaped here even if some other process still holds the pipe open.
    if (!reaped && !eof && !garbage && rc == 0) {
      pid_t w = ::wait4(pid, &status, WNOHANG, &usage);
      if (w == pid) {
        reaped = true;
        read_available();
        break;
      }
    }
  }

  if (!reaped) {
    if (timed_out || stopped || garbage) {
      ::kill(pid, SIGKILL);
    } else {
      // EOF: the child is exiting. Give it until the deadline, then kill it.
      for (;;) {
        pid_t w = ::wait4(pid, &status, WNOHANG, &usage);
        if (w == pid) {
          reaped = true;
          break;
        }
        if (Clock::now() >= deadline) {
          timed_out = true;
          ::kill(pid, SIGKILL);
          break;
        }
        ::usleep(2000);
      }
    }
    while (!reaped) {
      pid_t w = ::wait4(pid, &status, 0, &usage);
      if (w == pid || (w < 0 && errno != EINTR)) reaped = true;
    }
  }
  ::close(rfd);
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
    auto max_rss = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;
    if (sig == SIGABRT && !kAddressSanitizer && max_rss >= options.memory_bytes / 2) {
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
