// Isolation: a forked parser's text, children and outcomes arrive intact; crashes, memory bombs,
// hangs and protocol garbage are reported with their reason while the test process survives; no
// pipe deadlock, no leaked descriptors, no zombies, safe from several threads. Every test runs
// both ways a child can start: from the fork server (what vakt does; this binary's main() starts
// it) and forked directly by the scanning thread (a program without the server). The server's own
// promises follow at the end: children that do not inherit another thread's locks, the
// requesting thread's priority, a server death handled, nothing left behind when the program dies.
#include "extract/isolation.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "corpus.h"
#include "extract/fork_server_posix.h"
#include "extract/ole2_formats.h"
#include "extract/pdf_parser.h"
#include "recording_output.h"
#include "util/sanitizers.h"

namespace vakt::extract {
namespace {

using testing::RecordingOutput;
using namespace std::chrono_literals;

IsolationOptions quick_options() {
  IsolationOptions o;
  o.memory_bytes = 256ull << 20;
  o.wall_time = 10s;
  return o;
}

int open_fds() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  if (d == nullptr) return -1;
  while (readdir(d) != nullptr) ++n;
  closedir(d);
  return n;
}

// The processes whose parent is `parent` and that are zombies (exited, not reaped).
int zombies_of(pid_t parent) {
  int n = 0;
  DIR* d = opendir("/proc");
  if (d == nullptr) return -1;
  while (dirent* e = readdir(d)) {
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    int ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && state == 'Z') ++n;
  }
  closedir(d);
  return n;
}

bool process_exists(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] != 'Z';
}

class Isolation : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    fork_server::set_enabled_for_testing(GetParam());
    if (GetParam()) {
      ASSERT_GT(fork_server::server_pid(), 0) << "main() starts the fork server";
    }
  }
  void TearDown() override { fork_server::set_enabled_for_testing(true); }
};

INSTANTIATE_TEST_SUITE_P(Start, Isolation, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& start) {
                           return start.param ? "ForkServer" : "DirectFork";
                         });

void echo_parser(std::string_view bytes, std::string_view name, DocOutput& out) {
  out.begin_part(name);
  out.text("got: ");
  out.text(bytes);
  out.end_part();
  out.child(std::string_view("child bytes\0with nul", 20), "inner.txt");
  out.partial("something skipped");
}

TEST_P(Isolation, OutputIsReplayedInOrder) {
  RecordingOutput out;
  IsolationResult r = run_isolated("hello", "doc", echo_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kFinished);
  EXPECT_TRUE(r.reason.empty());
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_EQ(out.parts[0].name, "doc");
  EXPECT_EQ(out.parts[0].text, "got: hello");
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].first, "inner.txt");
  EXPECT_EQ(out.children[0].second, std::string("child bytes\0with nul", 20));
  ASSERT_EQ(out.partials.size(), 1u);
  EXPECT_EQ(out.partials[0], "something skipped");
}

void segv_parser(std::string_view, std::string_view, DocOutput& out) {
  out.begin_part("p");
  out.text("some text first");
  out.end_part();
  ::raise(SIGSEGV);
}

void big_child_parser(std::string_view, std::string_view, DocOutput& out) {
  out.child(std::string(3u << 20, 'x'), "stor.bin");
  out.child("liten", "liten.txt");
}

// H7: the parent buffers a whole child frame; an embedded file over max_child_bytes must be
// refused in the child (partial with a reason), not shipped to the parent.
TEST_P(Isolation, EmbeddedFileOverTheCapIsRefusedInTheChild) {
  RecordingOutput out;
  IsolationOptions o = quick_options();
  o.max_child_bytes = 1u << 20;
  IsolationResult r = run_isolated("", "doc", big_child_parser, out, o);
  EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].first, "liten.txt");
  ASSERT_EQ(out.partials.size(), 1u);
  EXPECT_EQ(out.partials[0], "embedded file too large: stor.bin (3145728 bytes, limit 1048576)");
}

void oom_score_parser(std::string_view, std::string_view, DocOutput& out) {
  char buf[16] = {};
  const int fd = ::open("/proc/self/oom_score_adj", O_RDONLY | O_CLOEXEC);
  const ssize_t n = fd < 0 ? -1 : ::read(fd, buf, sizeof buf - 1);
  if (fd >= 0) ::close(fd);
  out.begin_part("oom");
  out.text(n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("unreadable"));
  out.end_part();
}

// H7: the kernel OOM killer must pick the parser child before the agent.
TEST_P(Isolation, ChildIsTheOomKillersFirstChoice) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "doc", oom_score_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  EXPECT_EQ(out.all_text().substr(0, 4), "1000");
}

TEST_P(Isolation, CrashIsReportedWithSignal) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", segv_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kCrashed);
  EXPECT_EQ(r.reason, "parser crashed: signal 11");
  EXPECT_TRUE(r.any_text);
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_EQ(out.parts[0].text, "some text first");
}

void memory_bomb(std::string_view, std::string_view, DocOutput& out) {
  std::vector<std::vector<char>> hog;
  for (int i = 0; i < 64; ++i) {
    hog.emplace_back(64u << 20, 'x');  // 4 GiB in all: far past the cap
  }
  out.text(std::to_string(hog.size()));
}

constexpr bool kAsan = kAddressSanitizer;

TEST_P(Isolation, MemoryLimit) {
  if (kAsan) GTEST_SKIP() << "RLIMIT_AS is not applied under AddressSanitizer";
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", memory_bomb, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kMemoryLimit);
  EXPECT_EQ(r.reason, "parser memory limit");
  EXPECT_FALSE(r.any_text);
}

// One allocation past the cap, never touched: only RLIMIT_AS refuses it, so the memory is not
// resident and the report must come from the child's new-handler (with mimalloc's own operator
// new the child aborted: "parser crashed: signal 6").
void one_oversized_allocation(std::string_view, std::string_view, DocOutput& out) {
  const std::size_t size = std::size_t{1} << 30;
  std::unique_ptr<char[]> block(new char[size]);
  out.text(std::to_string(reinterpret_cast<std::uintptr_t>(block.get()) % 2));
}

TEST_P(Isolation, OneOversizedAllocationIsAMemoryLimitNotACrash) {
  if (kAsan) GTEST_SKIP() << "RLIMIT_AS is not applied under AddressSanitizer";
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", one_oversized_allocation, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kMemoryLimit) << r.reason;
  EXPECT_EQ(r.reason, "parser memory limit");
}

void sleeper(std::string_view, std::string_view, DocOutput& out) {
  out.begin_part("p");
  out.text("before the hang");
  out.end_part();
  ::sleep(30);
}

TEST_P(Isolation, WallClockTimeLimitKillsTheChild) {
  IsolationOptions o = quick_options();
  o.wall_time = 300ms;
  RecordingOutput out;
  auto start = std::chrono::steady_clock::now();
  IsolationResult r = run_isolated("", "x", sleeper, out, o);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.end, IsolationEnd::kTimeLimit);
  EXPECT_EQ(r.reason, "parser time limit");
  EXPECT_TRUE(r.any_text);
  EXPECT_LT(took, 5s);
}

void spinner(std::string_view, std::string_view, DocOutput&) {
  volatile unsigned long x = 0;
  for (;;) x = x + 1;
}

TEST_P(Isolation, StopRequestKillsTheChild) {
  IsolationOptions o = quick_options();
  auto start = std::chrono::steady_clock::now();
  o.should_stop = [start] { return std::chrono::steady_clock::now() - start > 200ms; };
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", spinner, out, o);
  EXPECT_EQ(r.end, IsolationEnd::kStopped);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

void flood(std::string_view, std::string_view, DocOutput& out) {
  std::string chunk(1 << 20, 'a');
  out.begin_part("flood");
  for (int i = 0; i < 48; ++i) out.text(chunk);
  out.end_part();
  out.child(std::string(8 << 20, 'b'), "big.bin");
}

TEST_P(Isolation, LargeOutputDoesNotDeadlock) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", flood, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kFinished);
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_EQ(out.parts[0].text.size(), 48u << 20);
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].second.size(), 8u << 20);
}

void garbage_writer(std::string_view, std::string_view, DocOutput&) {
  const char junk[] = "\xFF\xFF\xFF\xFF\xFF this is not a frame";
  // fd 3 is the pipe in the child (see run_parser_child).
  (void)!::write(3, junk, sizeof junk);
  ::sleep(5);
}

TEST_P(Isolation, GarbageIsAProtocolError) {
  RecordingOutput out;
  auto start = std::chrono::steady_clock::now();
  IsolationResult r = run_isolated("", "x", garbage_writer, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kProtocolError);
  EXPECT_EQ(r.reason, "parser protocol error");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

void early_exit(std::string_view, std::string_view, DocOutput& out) {
  out.text("partial text");  // no begin_part: the parent opens a part itself
  out.end_part();            // flushes the buffered text
  _exit(0);
}

TEST_P(Isolation, ExitWithoutResultIsReported) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", early_exit, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kProtocolError);
  EXPECT_TRUE(r.any_text);
}

TEST_P(Isolation, NoLeakedDescriptorsOrZombiesAcrossThreads) {
  int before = open_fds();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&good, t] {
      for (int i = 0; i < 5; ++i) {
        RecordingOutput out;
        std::string input = "t" + std::to_string(t) + "i" + std::to_string(i);
        ParseFn fn = (i == 2) ? segv_parser : echo_parser;
        IsolationResult r = run_isolated(input, "doc", fn, out, quick_options());
        if (fn == echo_parser && r.end == IsolationEnd::kFinished && out.parts.size() == 1 &&
            out.parts[0].text == "got: " + input) {
          ++good;
        }
        if (fn == segv_parser && r.end == IsolationEnd::kCrashed) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 20);
  EXPECT_EQ(open_fds(), before);
  EXPECT_EQ(zombies_of(::getpid()), 0);
  EXPECT_EQ(zombies_of(fork_server::server_pid()), 0);
  // No child of ours is left but the server: waitpid finds nothing that has exited.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), 0);
}

TEST_P(Isolation, CorpusPdfBombIsCaughtByALimit) {
  std::string bomb = testing::read_corpus("pdfjs/bomb_giant.pdf");
  if (bomb.empty()) GTEST_SKIP() << "corpus not available";
  IsolationOptions o;
  o.memory_bytes = 512ull << 20;
  o.wall_time = 8s;
  RecordingOutput out;
  auto start = std::chrono::steady_clock::now();
  IsolationResult r = run_isolated(bomb, "bomb_giant.pdf", parse_pdf, out, o);
  // Under the cap poppler either refuses the giant bitmap (and returns the text) or hits a limit;
  // either way the verdict comes in bounded time and the parent is unharmed.
  EXPECT_NE(r.end, IsolationEnd::kCrashed) << r.reason;
  EXPECT_NE(r.end, IsolationEnd::kProtocolError) << r.reason;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
}

// ---- What the fork server adds --------------------------------------------------------------

std::mutex g_library_lock;  // stands for a mutex inside some library's global state

void locking_parser(std::string_view, std::string_view, DocOutput& out) {
  std::lock_guard<std::mutex> lock(g_library_lock);
  out.begin_part("p");
  out.text("got the lock");
  out.end_part();
}

// fork() from a thread copies a lock another thread holds at that moment, locked, into the child,
// where nobody will ever release it. The fork server's children come from a process that never had
// a second thread. A directly forked child hangs, and the documented failure mode must hold: the
// time limit reports it, the scan is never stuck.
TEST_P(Isolation, ALockAnotherThreadHoldsDoesNotHangTheChild) {
  std::atomic<bool> locked{false};
  std::atomic<bool> release{false};
  std::thread holder([&] {
    std::lock_guard<std::mutex> lock(g_library_lock);
    locked = true;
    while (!release) std::this_thread::sleep_for(1ms);
  });
  while (!locked) std::this_thread::sleep_for(1ms);
  IsolationOptions o = quick_options();
  o.wall_time = 1s;
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", locking_parser, out, o);
  release = true;
  holder.join();
  if (GetParam()) {
    EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
    ASSERT_EQ(out.parts.size(), 1u);
    EXPECT_EQ(out.parts[0].text, "got the lock");
  } else {
    EXPECT_EQ(r.end, IsolationEnd::kTimeLimit) << r.reason;
  }
}

void priority_parser(std::string_view, std::string_view, DocOutput& out) {
  errno = 0;
  int nice = ::getpriority(PRIO_PROCESS, 0);
  long ioprio = ::syscall(SYS_ioprio_get, 1, 0);
  out.begin_part("p");
  out.text(std::to_string(nice) + " " + std::to_string(ioprio));
  out.end_part();
}

// The agent lowers its scanning threads' CPU and I/O priority; their parser children must run at
// that priority too, however they were started (Linux keeps both per thread).
TEST_P(Isolation, ChildRunsAtTheRequestingThreadsPriority) {
  std::string expected;
  std::string seen;
  IsolationResult r;
  std::thread scanning([&] {
    errno = 0;
    int nice = std::min(::getpriority(PRIO_PROCESS, 0) + 3, 19);
    ASSERT_EQ(::setpriority(PRIO_PROCESS, 0, nice), 0);
    const long idle = 3l << 13;  // IOPRIO_CLASS_IDLE
    ASSERT_EQ(::syscall(SYS_ioprio_set, 1, 0, idle), 0);
    expected = std::to_string(nice) + " " + std::to_string(idle);
    RecordingOutput out;
    r = run_isolated("", "x", priority_parser, out, quick_options());
    seen = out.parts.empty() ? "" : out.parts[0].text;
  });
  scanning.join();
  EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  EXPECT_EQ(seen, expected);
}

void parent_parser(std::string_view, std::string_view, DocOutput& out) {
  out.begin_part("p");
  out.text(std::to_string(::getppid()));
  out.end_part();
}

TEST_P(Isolation, ChildIsStartedByTheServerOrByThisProcess) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", parent_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  pid_t expected = GetParam() ? fork_server::server_pid() : ::getpid();
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_EQ(out.parts[0].text, std::to_string(expected));
}

// A server that dies takes its children along: the document in flight is reported crashed (never
// clean), and the next document is forked directly.
TEST(ForkServer, DeathFailsTheDocumentInFlightAndLaterOnesForkDirectly) {
  pid_t server = fork_server::server_pid();
  ASSERT_GT(server, 0);
  std::thread killer([server] {
    std::this_thread::sleep_for(300ms);
    ::kill(server, SIGKILL);
  });
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", sleeper, out, quick_options());
  killer.join();
  EXPECT_EQ(r.end, IsolationEnd::kCrashed);
  EXPECT_EQ(r.reason, "parser crashed: signal 9");

  RecordingOutput next;
  IsolationResult r2 = run_isolated("hej", "doc", parent_parser, next, quick_options());
  EXPECT_EQ(r2.end, IsolationEnd::kFinished) << r2.reason;
  ASSERT_EQ(next.parts.size(), 1u);
  EXPECT_EQ(next.parts[0].text, std::to_string(::getpid()));
  EXPECT_EQ(fork_server::server_pid(), -1);

  // With one thread again, a new server can start (for the tests that follow in this process).
  ASSERT_TRUE(fork_server::start());
  EXPECT_NE(fork_server::server_pid(), server);
  EXPECT_EQ(zombies_of(::getpid()), 0);
}

// Run only by the test below, in a process of its own: reports the server and hangs in a parser.
TEST(ForkServer, DISABLED_HelperHangsInAParser) {
  std::printf("server %d\n", static_cast<int>(fork_server::server_pid()));
  std::fflush(stdout);
  IsolationOptions o = quick_options();
  o.wall_time = 60s;
  RecordingOutput out;
  run_isolated("", "x", sleeper, out, o);
}

// Children of every thread of `pid` (each thread lists the children it forked).
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  if (pid <= 0) return out;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = opendir(tasks.c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(tasks + "/" + e->d_name + "/children");
    for (pid_t child; in >> child;) out.push_back(child);
  }
  closedir(d);
  return out;
}

// Starts this test binary again, running only the disabled helper test `name`, with its stdout
// on the returned descriptor; with `ignore_sigchld` the helper starts as if its launcher ignored
// SIGCHLD (the setting survives exec).
pid_t start_helper(const char* name, bool ignore_sigchld, int& stdout_fd) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return -1;
  const std::string filter = std::string("--gtest_filter=ForkServer.") + name;
  pid_t helper = ::fork();
  if (helper == 0) {
    if (ignore_sigchld) ::signal(SIGCHLD, SIG_IGN);
    ::dup2(out[1], 1);
    ::execl("/proc/self/exe", "isolation-helper", filter.c_str(), "--gtest_also_run_disabled_tests",
            static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(out[1]);
  stdout_fd = out[0];
  return helper;
}

// A scanning process killed outright leaves nothing running: its server and the parser the server
// started end with it.
TEST(ForkServer, NothingOutlivesAKilledScanner) {
  int out = -1;
  const pid_t helper = start_helper("DISABLED_HelperHangsInAParser", false, out);
  ASSERT_GT(helper, 0);
  std::string text;
  char buf[512];
  pid_t server = -1;
  for (ssize_t n; server <= 0 && (n = ::read(out, buf, sizeof buf)) > 0;) {
    text.append(buf, static_cast<std::size_t>(n));
    auto at = text.find("server ");
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      server = std::atoi(text.c_str() + at + 7);
    }
  }
  ::close(out);
  ASSERT_GT(server, 0) << text;
  std::vector<pid_t> parsers;
  for (int i = 0; i < 500 && parsers.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    parsers = children_of(server);
  }
  ASSERT_EQ(parsers.size(), 1u);

  ::kill(helper, SIGKILL);
  ASSERT_EQ(::waitpid(helper, nullptr, 0), helper);
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {
    gone = !process_exists(server) && !process_exists(parsers[0]);
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone) << "server " << server << " or parser " << parsers[0] << " still runs";
}

// A DocOutput whose embedded-document handling throws, as a nested scan can (bad_alloc).
class ThrowingOutput final : public DocOutput {
 public:
  void begin_part(std::string_view) override {}
  void text(std::string_view) override {}
  void end_part() override {}
  void child(std::string_view, std::string_view) override { throw std::runtime_error("nested"); }
  void partial(std::string_view) override {}
  void unscannable(std::string_view) override {}
};

void child_then_hang(std::string_view, std::string_view, DocOutput& out) {
  out.child("inner", "inner.txt");  // child frames are written at once
  ::sleep(30);
}

// An exception out of the replay leaves no descriptor open and no child running or unreaped.
TEST_P(Isolation, AnExceptionWhileReplayingEndsTheChild) {
  const int before = open_fds();
  ThrowingOutput out;
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(run_isolated("", "x", child_then_hang, out, quick_options()), std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(open_fds(), before);
  EXPECT_EQ(zombies_of(::getpid()), 0);
  // No parser child is left: under the server (which reaps the killed child as soon as it has
  // died), and of this process (whose only other child is the server).
  auto parsers = [] {
    std::vector<pid_t> left = children_of(fork_server::server_pid());
    for (pid_t p : children_of(::getpid())) {
      if (p != fork_server::server_pid()) left.push_back(p);
    }
    return left;
  };
  std::vector<pid_t> left = parsers();
  for (int i = 0; i < 200 && !left.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    left = parsers();
  }
  EXPECT_TRUE(left.empty());
}

// Run only by the test below, in a process of its own: scans one document and reports how.
TEST(ForkServer, DISABLED_HelperScansOneDocument) {
  RecordingOutput out;
  auto start = std::chrono::steady_clock::now();
  IsolationResult r = run_isolated("hej", "doc", parent_parser, out, quick_options());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("result %d %lld server %d parent %s\n", static_cast<int>(r.end),
              static_cast<long long>(ms.count()), static_cast<int>(fork_server::server_pid()),
              out.parts.empty() ? "none" : out.parts[0].text.c_str());
}

// A launcher that ignores SIGCHLD (the setting survives exec) must not stop the server from
// learning that its children ended: the document finishes at once, through the server.
TEST(ForkServer, WorksWhenStartedWithSigchldIgnored) {
  int out = -1;
  const pid_t helper = start_helper("DISABLED_HelperScansOneDocument", true, out);
  ASSERT_GT(helper, 0);
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(out, buf, sizeof buf)) > 0;) {
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out);
  int status = 0;
  ASSERT_EQ(::waitpid(helper, &status, 0), helper);
  const auto at = text.find("result ");
  ASSERT_NE(at, std::string::npos) << text;
  int end = -1;
  long long ms = -1;
  int server = -1;
  char parent[32] = {};
  ASSERT_EQ(std::sscanf(text.c_str() + at, "result %d %lld server %d parent %31s", &end, &ms,
                        &server, parent),
            4)
      << text;
  EXPECT_EQ(end, static_cast<int>(IsolationEnd::kFinished));
  EXPECT_LT(ms, 3000);
  EXPECT_GT(server, 0);
  EXPECT_EQ(std::string(parent), std::to_string(server)) << "the child came from the server";
}

}  // namespace
}  // namespace vakt::extract
