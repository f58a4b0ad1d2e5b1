// Fork-per-document isolation for risky parsers; see isolation.h for the protocol and trade-offs.
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

namespace vakt::extract {
namespace {

// Frame: 1 byte type, 4 bytes little-endian payload length, payload.
enum class Frame : std::uint8_t {
  kBegin = 1,        // payload: part name
  kText = 2,         // payload: UTF-8 text
  kEnd = 3,          // no payload
  kChild = 4,        // payload: u32 name length, name, document bytes
  kPartial = 5,      // payload: reason
  kUnscannable = 6,  // payload: reason
  kDone = 7,         // the parser returned normally
  kOutOfMemory = 8,  // the parser ran out of memory (new handler / bad_alloc)
};
constexpr std::size_t kHeaderSize = 5;
constexpr int kExitOutOfMemory = 86;
constexpr int kExitWriteFailed = 87;
constexpr std::size_t kTextBuffer = 64 * 1024;

std::mutex g_fork_mutex;

void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

// Child side: every write goes straight to the pipe; text is coalesced into 64 KiB frames.
int g_child_fd = -1;

bool write_all(int fd, const char* data, std::size_t size) {
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

void write_frame_or_exit(int fd, Frame type, std::string_view a, std::string_view b = {}) {
  char header[kHeaderSize];
  header[0] = static_cast<char>(type);
  put_u32(header + 1, static_cast<std::uint32_t>(a.size() + b.size()));
  if (!write_all(fd, header, kHeaderSize) || !write_all(fd, a.data(), a.size()) ||
      !write_all(fd, b.data(), b.size())) {
    _exit(kExitWriteFailed);  // the parent is gone or killed us on purpose: nothing to report to
  }
}

void on_out_of_memory() {
  // Called by operator new when allocation fails; no allocation here.
  char header[kHeaderSize] = {static_cast<char>(Frame::kOutOfMemory), 0, 0, 0, 0};
  if (g_child_fd >= 0) write_all(g_child_fd, header, kHeaderSize);
  _exit(kExitOutOfMemory);
}

class PipeOutput final : public DocOutput {
 public:
  PipeOutput(int fd, std::uint64_t max_child) : fd_(fd), max_child_(max_child) {
    buffer_.reserve(kTextBuffer);
  }
  void begin_part(std::string_view name) override { send(Frame::kBegin, name); }
  void text(std::string_view utf8) override {
    while (!utf8.empty()) {
      std::size_t take = std::min(utf8.size(), kTextBuffer - buffer_.size());
      buffer_.append(utf8.substr(0, take));
      utf8.remove_prefix(take);
      if (buffer_.size() >= kTextBuffer) flush();
    }
  }
  void end_part() override { send(Frame::kEnd, {}); }
  void child(std::string_view bytes, std::string_view name) override {
    flush();
    if (bytes.size() > max_child_ || bytes.size() > 0xFFFFFFF0u - name.size()) {
      partial("embedded file too large: " + std::string(name) + " (" +
              std::to_string(bytes.size()) + " bytes, limit " + std::to_string(max_child_) + ")");
      return;
    }
    char len[4];
    put_u32(len, static_cast<std::uint32_t>(name.size()));
    std::string head(len, 4);
    head.append(name);
    write_frame_or_exit(fd_, Frame::kChild, head, bytes);
  }
  void partial(std::string_view reason) override { send(Frame::kPartial, reason); }
  void unscannable(std::string_view reason) override { send(Frame::kUnscannable, reason); }
  void done() { send(Frame::kDone, {}); }
  void flush() {
    if (buffer_.empty()) return;
    write_frame_or_exit(fd_, Frame::kText, buffer_);
    buffer_.clear();
  }

 private:
  void send(Frame type, std::string_view payload) {
    flush();
    write_frame_or_exit(fd_, type, payload);
  }
  int fd_;
  std::uint64_t max_child_;
  std::string buffer_;
};

// The kernel's OOM killer should pick a runaway parser, never the agent that forked it.
void prefer_oom_kill_of_this_process() {
  const int fd = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  (void)write_all(fd, "1000", 4);
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

// Parent side: decodes frames from the child and replays them into `out`.
class FrameReader {
 public:
  FrameReader(DocOutput& out, std::uint64_t max_frame) : out_(out), max_frame_(max_frame) {}

  // Consumes complete frames; returns false on garbage. `child_time` accumulates the time spent
  // inside out.child().
  bool feed(std::chrono::steady_clock::duration& child_time) {
    std::size_t pos = 0;
    bool good = true;
    while (buf_.size() - pos >= kHeaderSize) {
      auto type = static_cast<std::uint8_t>(buf_[pos]);
      std::uint32_t len = get_u32(buf_.data() + pos + 1);
      if (type < 1 || type > 8 || len > max_frame_) {
        good = false;
        break;
      }
      if (buf_.size() - pos - kHeaderSize < len) break;
      std::string_view payload(buf_.data() + pos + kHeaderSize, len);
      pos += kHeaderSize + len;
      if (!dispatch(static_cast<Frame>(type), payload, child_time)) {
        good = false;
        break;
      }
    }
    buf_.erase(0, pos);
    return good;
  }

  std::string& buffer() { return buf_; }
  bool done() const { return done_; }
  bool out_of_memory() const { return oom_; }
  bool any_text() const { return any_text_; }
  void close_part() {
    if (in_part_) out_.end_part();
    in_part_ = false;
  }

 private:
  bool dispatch(Frame type, std::string_view payload,
                std::chrono::steady_clock::duration& child_time) {
    if (done_) return false;  // nothing may follow kDone
    switch (type) {
      case Frame::kBegin:
        close_part();
        out_.begin_part(payload);
        in_part_ = true;
        return true;
      case Frame::kText:
        if (!in_part_) {
          out_.begin_part("text");
          in_part_ = true;
        }
        if (!payload.empty()) any_text_ = true;
        out_.text(payload);
        return true;
      case Frame::kEnd:
        close_part();
        return true;
      case Frame::kChild: {
        if (payload.size() < 4) return false;
        close_part();
        std::uint32_t name_len = get_u32(payload.data());
        if (name_len > payload.size() - 4) return false;
        auto start = std::chrono::steady_clock::now();
        any_text_ = true;
        out_.child(payload.substr(4 + name_len), payload.substr(4, name_len));
        child_time += std::chrono::steady_clock::now() - start;
        return true;
      }
      case Frame::kPartial:
        out_.partial(payload);
        return true;
      case Frame::kUnscannable:
        out_.unscannable(payload);
        return true;
      case Frame::kDone:
        done_ = true;
        return true;
      case Frame::kOutOfMemory:
        oom_ = true;
        return true;
    }
    return false;
  }

  DocOutput& out_;
  std::uint64_t max_frame_;
  std::string buf_;
  bool in_part_ = false;
  bool done_ = false;
  bool oom_ = false;
  bool any_text_ = false;
};

IsolationResult fail(IsolationEnd end, std::string reason, bool any_text, int sig = 0) {
  IsolationResult r;
  r.end = end;
  r.reason = std::move(reason);
  r.any_text = any_text;
  r.signal = sig;
  return r;
}

}  // namespace

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
