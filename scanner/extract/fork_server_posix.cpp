// The fork server for isolated parsers (Linux): see fork_server_posix.h.
#include "extract/fork_server_posix.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

#include "extract/isolation_wire.h"
#include "extract/parser_child_posix.h"

namespace vakt::extract::fork_server {
namespace {

constexpr std::uint32_t kRequestMagic = 0x766b7466;  // "fktv"
constexpr int kIoprioWhoProcess = 1;                 // linux/ioprio.h

struct Request {
  std::uint32_t magic = kRequestMagic;
  std::int32_t nice = 0;
  std::int32_t ioprio = -1;  // -1: leave the child's as it is
  std::uint32_t reserved = 0;
  std::uint64_t fn = 0;
  std::uint64_t bytes_size = 0;
  std::uint64_t name_size = 0;
  std::uint64_t memory_bytes = 0;
  std::uint64_t max_child_bytes = 0;
  std::int64_t wall_time_ms = 0;
};

enum class ReplyType : std::uint32_t { kStarted = 1, kFailed = 2, kExited = 3 };

struct Reply {
  ReplyType type = ReplyType::kFailed;
  std::int32_t value = 0;  // Started: pid; Failed: errno; Exited: wait status
  std::uint64_t max_rss_bytes = 0;
};

int g_control = -1;  // the parent's end of the request socket
pid_t g_server = -1;
std::mutex g_control_mutex;
std::atomic<bool> g_usable{false};
std::atomic<bool> g_enabled_for_testing{true};

int pidfd_open(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

bool send_message(int sock, const void* data, std::size_t size, const int* fds, int nfds) {
  iovec iov{const_cast<void*>(data), size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 3)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (nfds > 0) {
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * static_cast<std::size_t>(nfds));
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * static_cast<std::size_t>(nfds));
    std::memcpy(CMSG_DATA(c), fds, sizeof(int) * static_cast<std::size_t>(nfds));
  }
  for (;;) {
    ssize_t n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(size)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// Receives one message of exactly `size` bytes and up to `max_fds` descriptors (close-on-exec).
// Returns false on end of stream, error, a short message, or unexpected descriptors (closed).
bool receive_message(int sock, void* data, std::size_t size, int* fds, int max_fds, int& nfds) {
  nfds = 0;
  iovec iov{data, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  bool ok = n == static_cast<ssize_t>(size) && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) == 0;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (std::size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      if (ok && nfds < max_fds) {
        fds[nfds++] = fd;
      } else {
        ::close(fd);
        ok = false;
      }
    }
  }
  if (!ok) {
    for (int i = 0; i < nfds; ++i) ::close(fds[i]);
    nfds = 0;
  }
  return ok;
}

int thread_count() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  int threads = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "Threads: %d", &threads) == 1) break;
  }
  std::fclose(f);
  return threads;
}

// ---- the server process -------------------------------------------------------------------

// In the server's child: take the requesting thread's priority (lowering only: an unprivileged
// process cannot raise it), map the document, run the parser.
[[noreturn]] void child_after_fork(const Request& req, int memfd, int frames_fd, pid_t server) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != server) _exit(wire::kExitWriteFailed);  // the server died before the prctl
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  errno = 0;
  int nice = ::getpriority(PRIO_PROCESS, 0);
  if (errno == 0 && req.nice > nice) ::setpriority(PRIO_PROCESS, 0, req.nice);
  if (req.ioprio >= 0) ::syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, req.ioprio);

  std::size_t total = static_cast<std::size_t>(req.bytes_size + req.name_size);
  const char* base = "";
  if (total > 0) {
    void* map = ::mmap(nullptr, total, PROT_READ, MAP_PRIVATE, memfd, 0);
    if (map == MAP_FAILED) _exit(wire::kExitWriteFailed);
    base = static_cast<const char*>(map);
  }
  ::close(memfd);
  IsolationOptions options;
  options.memory_bytes = req.memory_bytes;
  options.wall_time = std::chrono::milliseconds(req.wall_time_ms);
  options.max_child_bytes = req.max_child_bytes;
  auto fn = reinterpret_cast<ParseFn>(static_cast<std::uintptr_t>(req.fn));
  run_parser_child(frames_fd, std::string_view(base, req.bytes_size),
                   std::string_view(base + req.bytes_size, req.name_size), fn, options);
}

void start_child(const Request& req, int memfd, int frames_fd, int status_fd,
                 std::map<pid_t, int>& running) {
  pid_t server = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) child_after_fork(req, memfd, frames_fd, server);
  int fork_errno = errno;
  ::close(memfd);
  ::close(frames_fd);
  Reply reply;
  if (pid < 0) {
    reply.value = fork_errno;
    (void)send_message(status_fd, &reply, sizeof reply, nullptr, 0);
    ::close(status_fd);
    return;
  }
  running[pid] = status_fd;
  int pidfd = pidfd_open(pid);
  reply.type = ReplyType::kStarted;
  reply.value = pid;
  if (pidfd < 0 || !send_message(status_fd, &reply, sizeof reply, &pidfd, 1)) {
    ::kill(pid, SIGKILL);  // the parent could not control it: it must not run
  }
  if (pidfd >= 0) ::close(pidfd);
}

void reap_children(std::map<pid_t, int>& running) {
  for (;;) {
    int status = 0;
    rusage usage{};
    pid_t pid = ::wait4(-1, &status, WNOHANG, &usage);
    if (pid <= 0) return;
    auto it = running.find(pid);
    if (it == running.end()) continue;
    Reply reply;
    reply.type = ReplyType::kExited;
    reply.value = status;
    reply.max_rss_bytes = static_cast<std::uint64_t>(usage.ru_maxrss) * 1024u;
    (void)send_message(it->second, &reply, sizeof reply, nullptr, 0);
    ::close(it->second);
    running.erase(it);
  }
}

[[noreturn]] void serve(int control, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) _exit(0);
  if (control != 3) {
    if (::dup2(control, 3) < 0) _exit(1);
    control = 3;
  }
  ::close_range(4, ~0u, 0);
  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull >= 0) {
    for (int fd : {0, 1, 2}) ::dup2(devnull, fd);
    ::close(devnull);
  }
  // Terminal and service signals are for the scanning process; it stops the children it wants
  // stopped. The server goes when that process goes.
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2}) {
    ::signal(sig, SIG_IGN);
  }
  // A launcher that ignores SIGCHLD passes that on through exec; with it ignored the kernel reaps
  // the children itself and no exit would ever be reported.
  ::signal(SIGCHLD, SIG_DFL);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::sigprocmask(SIG_SETMASK, &chld, nullptr);
  int sigfd = ::signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) _exit(1);

  std::map<pid_t, int> running;
  for (;;) {
    pollfd p[2] = {{control, POLLIN, 0}, {sigfd, POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      _exit(1);
    }
    if (p[1].revents != 0) {
      signalfd_siginfo info;
      while (::read(sigfd, &info, sizeof info) > 0) {
      }
      reap_children(running);
    }
    if (p[0].revents != 0) {
      Request req;
      int fds[3];
      int nfds = 0;
      if (!receive_message(control, &req, sizeof req, fds, 3, nfds)) {
        if (p[0].revents & (POLLHUP | POLLERR)) _exit(0);  // the scanning process is gone
        continue;
      }
      if (nfds != 3 || req.magic != kRequestMagic) {
        for (int i = 0; i < nfds; ++i) ::close(fds[i]);
        continue;
      }
      start_child(req, fds[0], fds[1], fds[2], running);
    }
  }
}

void close_fds(std::initializer_list<int> fds) {
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
}

// At a normal exit: let the server end and reap it, so that the parsers' CPU time (the server
// reaped them) is counted in this process's children, as with directly forked parsers.
void stop_at_exit() {
  if (g_control < 0) return;
  g_usable.store(false);
  // shutdown, not close: a thread still inside spawn() keeps a valid descriptor (its send fails),
  // and the number cannot be reused for another file meanwhile.
  ::shutdown(g_control, SHUT_RDWR);
  // The server ends at once; wait for exactly that (its pidfd turns readable), never long.
  const int server = pidfd_open(g_server);
  bool ended = false;
  if (server >= 0) {
    pollfd p{server, POLLIN, 0};
    int rc;
    do {
      rc = ::poll(&p, 1, 2000);
    } while (rc < 0 && errno == EINTR);
    ended = rc > 0;
    ::close(server);
  }
  if (!ended) ::kill(g_server, SIGKILL);
  while (::waitpid(g_server, nullptr, 0) < 0 && errno == EINTR) {
  }
}

// The server stopped answering: end it (its children die with it) and fork directly from now on.
void abandon_server() {
  g_usable.store(false);
  ::kill(g_server, SIGKILL);
}

}  // namespace

bool start() {
  if (g_usable.load()) return true;
  if (thread_count() != 1) return false;
  if (g_control >= 0) {  // a server that died or stopped answering: end and reap it
    ::close(g_control);
    ::kill(g_server, SIGKILL);
    ::waitpid(g_server, nullptr, 0);
    g_control = -1;
    g_server = -1;
  }
  int probe = pidfd_open(::getpid());
  if (probe < 0) return false;
  ::close(probe);
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return false;
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(sv[0]);
    serve(sv[1], parent);
  }
  ::close(sv[1]);
  if (pid < 0) {
    ::close(sv[0]);
    return false;
  }
  // A server that stopped reading must not block the scanning threads in sendmsg for ever.
  timeval send_timeout{10, 0};
  ::setsockopt(sv[0], SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  g_control = sv[0];
  g_server = pid;
  g_usable.store(true);
  static bool registered = false;
  if (!registered) registered = std::atexit(stop_at_exit) == 0;
  return true;
}

pid_t server_pid() {
  return g_usable.load() ? g_server : -1;
}

void set_enabled_for_testing(bool enabled) {
  g_enabled_for_testing.store(enabled);
}

SpawnResult spawn(std::string_view bytes, std::string_view name, ParseFn fn,
                  const IsolationOptions& options) {
  SpawnResult result;
  if (!g_usable.load() || !g_enabled_for_testing.load()) return result;

  Request req;
  req.fn = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(fn));
  req.bytes_size = bytes.size();
  req.name_size = name.size();
  req.memory_bytes = options.memory_bytes;
  req.max_child_bytes = options.max_child_bytes;
  req.wall_time_ms = options.wall_time.count();
  errno = 0;
  int nice = ::getpriority(PRIO_PROCESS, 0);  // this thread's: Linux nice values are per thread
  if (errno == 0) req.nice = nice;
  long ioprio = ::syscall(SYS_ioprio_get, kIoprioWhoProcess, 0);
  if (ioprio >= 0) req.ioprio = static_cast<std::int32_t>(ioprio);

  // A descriptor the request needs could not be made (a sandbox without memfd, descriptors
  // exhausted): this document takes the direct path, which reports its own failure if any.
  int memfd = ::memfd_create("vakt-document", MFD_CLOEXEC);
  if (memfd < 0) return result;
  if (!write_fd_all(memfd, bytes.data(), bytes.size()) ||
      !write_fd_all(memfd, name.data(), name.size())) {
    ::close(memfd);
    return result;
  }
  int frames[2];
  if (::pipe2(frames, O_CLOEXEC) != 0) {
    ::close(memfd);
    return result;
  }
  int status[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, status) != 0) {
    close_fds({memfd, frames[0], frames[1]});
    return result;
  }
  bool sent;
  {
    std::lock_guard<std::mutex> lock(g_control_mutex);
    int fds[3] = {memfd, frames[1], status[1]};
    sent = send_message(g_control, &req, sizeof req, fds, 3);
  }
  close_fds({memfd, frames[1], status[1]});  // the server holds its own copies now

  Reply reply;
  int pidfd = -1;
  int nfds = 0;
  bool answered = false;
  if (sent) {
    pollfd p{status[0], POLLIN, 0};
    int rc;
    do {
      rc = ::poll(&p, 1, 30000);
    } while (rc < 0 && errno == EINTR);
    answered = rc > 0 && receive_message(status[0], &reply, sizeof reply, &pidfd, 1, nfds);
  }
  if (!answered) {
    // The server is gone or stuck: end it, so no child it may still start runs unwatched; this
    // and later documents fork directly.
    abandon_server();
    close_fds({frames[0], status[0]});
    return result;
  }
  if (reply.type == ReplyType::kStarted && nfds == 1) {
    result.child = Spawned{frames[0], pidfd, status[0]};
    return result;
  }
  close_fds({frames[0], status[0], nfds == 1 ? pidfd : -1});
  int error = reply.type == ReplyType::kFailed ? reply.value : EPROTO;
  result.failed = SpawnFailed{std::string("parser could not start: fork: ") + std::strerror(error)};
  return result;
}

std::optional<ChildExit> wait_exit(int status_fd, int pidfd, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::milliseconds;
  const auto start = Clock::now();
  auto ms_since = [](Clock::time_point t) {
    return std::chrono::duration_cast<milliseconds>(Clock::now() - t).count();
  };
  std::optional<Clock::time_point> ended;  // when the pidfd showed that the child had ended
  for (;;) {
    std::int64_t wait_ms =
        timeout_ms < 0 ? -1 : std::max<std::int64_t>(0, timeout_ms - ms_since(start));
    if (ended) {
      // The server's report is due at once. One that does not come (a stopped or dying server)
      // must not hold the scan: 2 s after the end the child counts as killed.
      const std::int64_t grace = 2000 - ms_since(*ended);
      if (grace <= 0) {
        ChildExit killed;
        killed.wait_status = SIGKILL;
        return killed;
      }
      wait_ms = wait_ms < 0 ? grace : std::min(wait_ms, grace);
    }
    pollfd p[2] = {{status_fd, POLLIN, 0}, {pidfd, POLLIN, 0}};
    const int rc = ::poll(p, ended ? 1 : 2, static_cast<int>(wait_ms));
    if (rc < 0) {
      if (errno == EINTR) continue;
      return std::nullopt;
    }
    if (p[0].revents != 0) {
      Reply reply;
      int nfds = 0;
      ChildExit exit;
      if (receive_message(status_fd, &reply, sizeof reply, nullptr, 0, nfds) &&
          reply.type == ReplyType::kExited) {
        exit.wait_status = reply.value;
        exit.max_rss_bytes = reply.max_rss_bytes;
      } else {
        exit.wait_status = SIGKILL;  // the server died, and its children with it
      }
      return exit;
    }
    if (!ended && p[1].revents != 0) {
      ended = Clock::now();
      continue;
    }
    if (timeout_ms >= 0 && ms_since(start) >= timeout_ms) return std::nullopt;
  }
}

void kill_child(int pidfd) {
  ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
}

}  // namespace vakt::extract::fork_server
