// Isolation on Windows: the parser runs in a worker started from this very test executable (its
// main() calls maybe_run_isolated_worker), inside a Job Object. Its text, children and outcomes
// arrive intact; crashes, memory bombs, hangs and early exits are reported with their reason while
// the test process survives; no handle leaks; safe from several threads.
#include <windows.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "extract/isolation.h"
#include "recording_output.h"

namespace vakt::extract {
namespace {

using testing::RecordingOutput;
using namespace std::chrono_literals;

IsolationOptions quick_options() {
  IsolationOptions o;
  o.memory_bytes = 256ull << 20;
  o.wall_time = 20s;
  return o;
}

DWORD open_handles() {
  DWORD n = 0;
  GetProcessHandleCount(GetCurrentProcess(), &n);
  return n;
}

void echo_parser(std::string_view bytes, std::string_view name, DocOutput& out) {
  out.begin_part(name);
  out.text("got: ");
  out.text(bytes);
  out.end_part();
  out.child(std::string_view("child bytes\0with nul", 20), "inner.txt");
  out.partial("something skipped");
}

TEST(IsolationWin, OutputIsReplayedInOrder) {
  RecordingOutput out;
  IsolationResult r = run_isolated("hello", "doc", echo_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
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

void pid_parser(std::string_view, std::string_view, DocOutput& out) {
  out.begin_part("pid");
  out.text(std::to_string(GetCurrentProcessId()));
  out.end_part();
}

TEST(IsolationWin, ParserRunsInAnotherProcess) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "doc", pid_parser, out, quick_options());
  ASSERT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_NE(out.parts[0].text, std::to_string(GetCurrentProcessId()));
  EXPECT_FALSE(out.parts[0].text.empty());
}

void binary_echo(std::string_view bytes, std::string_view, DocOutput& out) {
  out.child(bytes, "copy.bin");
}

// The document travels through the shared section byte for byte (NULs, high bytes, 5 MiB).
TEST(IsolationWin, DocumentBytesArriveUnchanged) {
  std::string doc(5u << 20, '\0');
  for (std::size_t i = 0; i < doc.size(); ++i) doc[i] = static_cast<char>((i * 131) & 0xFF);
  RecordingOutput out;
  IsolationResult r = run_isolated(doc, "doc", binary_echo, out, quick_options());
  ASSERT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_TRUE(out.children[0].second == doc);
}

void big_child_parser(std::string_view, std::string_view, DocOutput& out) {
  out.child(std::string(3u << 20, 'x'), "stor.bin");
  out.child("liten", "liten.txt");
}

TEST(IsolationWin, EmbeddedFileOverTheCapIsRefusedInTheWorker) {
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

void access_violation_parser(std::string_view, std::string_view, DocOutput& out) {
  out.begin_part("p");
  out.text("some text first");
  out.end_part();
  volatile int* nowhere = nullptr;
  *nowhere = 1;
}

TEST(IsolationWin, CrashIsReportedWithTheExceptionCode) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", access_violation_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kCrashed);
  EXPECT_EQ(r.reason, "parser crashed: exception 0xc0000005");
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

// Over the memory cap the worker is stopped (by the job, or by the parent watching it) and the
// file is reported; the test process carries on.
TEST(IsolationWin, MemoryLimitIsReportedNotFatal) {
  RecordingOutput out;
  const auto start = std::chrono::steady_clock::now();
  IsolationResult r = run_isolated("", "x", memory_bomb, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kMemoryLimit) << r.reason;
  EXPECT_EQ(r.reason, "parser memory limit");
  EXPECT_FALSE(r.any_text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  // And the next document is parsed normally.
  RecordingOutput after;
  EXPECT_EQ(run_isolated("ok", "doc", echo_parser, after, quick_options()).end,
            IsolationEnd::kFinished);
}

void bad_alloc_parser(std::string_view, std::string_view, DocOutput&) {
  throw std::bad_alloc();
}

TEST(IsolationWin, BadAllocInTheParserIsTheMemoryLimit) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", bad_alloc_parser, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kMemoryLimit) << r.reason;
}

void sleeper(std::string_view, std::string_view, DocOutput& out) {
  out.begin_part("p");
  out.text("before the hang");
  out.end_part();
  Sleep(30000);
}

TEST(IsolationWin, WallClockTimeLimitKillsTheWorker) {
  IsolationOptions o = quick_options();
  o.wall_time = 1500ms;
  RecordingOutput out;
  auto start = std::chrono::steady_clock::now();
  IsolationResult r = run_isolated("", "x", sleeper, out, o);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.end, IsolationEnd::kTimeLimit);
  EXPECT_EQ(r.reason, "parser time limit");
  EXPECT_TRUE(r.any_text);
  EXPECT_LT(took, 10s);
}

void spinner(std::string_view, std::string_view, DocOutput&) {
  volatile unsigned long x = 0;
  for (;;) x = x + 1;
}

TEST(IsolationWin, StopRequestKillsTheWorker) {
  IsolationOptions o = quick_options();
  auto start = std::chrono::steady_clock::now();
  o.should_stop = [start] { return std::chrono::steady_clock::now() - start > 500ms; };
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", spinner, out, o);
  EXPECT_EQ(r.end, IsolationEnd::kStopped);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

void flood(std::string_view, std::string_view, DocOutput& out) {
  std::string chunk(1 << 20, 'a');
  out.begin_part("flood");
  for (int i = 0; i < 48; ++i) out.text(chunk);
  out.end_part();
  out.child(std::string(8 << 20, 'b'), "big.bin");
}

TEST(IsolationWin, LargeOutputDoesNotDeadlock) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", flood, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kFinished) << r.reason;
  ASSERT_EQ(out.parts.size(), 1u);
  EXPECT_EQ(out.parts[0].text.size(), 48u << 20);
  ASSERT_EQ(out.children.size(), 1u);
  EXPECT_EQ(out.children[0].second.size(), 8u << 20);
}

void early_exit(std::string_view, std::string_view, DocOutput& out) {
  out.text("partial text");  // no begin_part: the parent opens a part itself
  out.end_part();            // flushes the buffered text
  std::_Exit(0);
}

TEST(IsolationWin, ExitWithoutResultIsReported) {
  RecordingOutput out;
  IsolationResult r = run_isolated("", "x", early_exit, out, quick_options());
  EXPECT_EQ(r.end, IsolationEnd::kProtocolError);
  EXPECT_TRUE(r.any_text);
}

TEST(IsolationWin, NoLeakedHandlesAcrossThreads) {
  // Warm up once so lazily created handles (CNG, wine's internals) are not counted as leaks.
  {
    RecordingOutput warm;
    (void)run_isolated("w", "doc", echo_parser, warm, quick_options());
  }
  const DWORD before = open_handles();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&good, t] {
      for (int i = 0; i < 4; ++i) {
        RecordingOutput out;
        std::string input = "t" + std::to_string(t) + "i" + std::to_string(i);
        ParseFn fn = (i == 2) ? access_violation_parser : echo_parser;
        IsolationResult r = run_isolated(input, "doc", fn, out, quick_options());
        if (fn == echo_parser && r.end == IsolationEnd::kFinished && out.parts.size() == 1 &&
            out.parts[0].text == "got: " + input) {
          ++good;
        }
        if (fn == access_violation_parser && r.end == IsolationEnd::kCrashed) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 16);
  EXPECT_LE(open_handles(), before + 4);  // thread handles the runtime may still cache
}

}  // namespace
}  // namespace vakt::extract
