// The isolated parser child on Linux: descriptors, limits, the parser run, its frames.
#include "extract/parser_child_posix.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <new>

#include "extract/isolation_wire.h"

namespace vakt::extract {
namespace {

using wire::kExitOutOfMemory;
using wire::kExitWriteFailed;
using wire::kHeaderSize;

int g_child_fd = -1;

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

}  // namespace

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

[[noreturn]] void run_parser_child(int fd, std::string_view bytes, std::string_view name,
                                   ParseFn fn, const IsolationOptions& options) {
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
  if (!kAddressSanitizer) {
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

}  // namespace vakt::extract
