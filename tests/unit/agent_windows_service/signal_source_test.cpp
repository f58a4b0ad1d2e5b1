// The control channel and the Windows SignalSource: service / console controls reach the agent's
// handler, and a request made before the handler exists is not lost.
#include <windows.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/windows/service_control_windows.h"
#include "runtime/signal_source.h"

namespace vakt::agent {
namespace {

struct Recorder {
  std::mutex mutex;
  std::vector<SignalKind> kinds;
  void operator()(SignalKind k) {
    std::lock_guard lock(mutex);
    kinds.push_back(k);
  }
  std::vector<SignalKind> seen() {
    std::lock_guard lock(mutex);
    return kinds;
  }
};

TEST(ControlChannel, DeliversStopAndReloadToTheRunningSource) {
  reset_pending_controls();
  Recorder rec;
  SignalSource source;
  source.start([&](SignalKind k) { rec(k); });
  deliver_control(SignalKind::kReload);
  deliver_control(SignalKind::kStop);
  source.stop();
  deliver_control(SignalKind::kReload);  // after stop: kept for the next source, not delivered
  EXPECT_EQ(rec.seen(), (std::vector<SignalKind>{SignalKind::kReload, SignalKind::kStop}));
  reset_pending_controls();
}

TEST(ControlChannel, KeepsAStopThatArrivesBeforeTheAgentListens) {
  reset_pending_controls();
  deliver_control(SignalKind::kStop);
  Recorder rec;
  SignalSource source;
  source.start([&](SignalKind k) { rec(k); });
  source.stop();
  EXPECT_EQ(rec.seen(), (std::vector<SignalKind>{SignalKind::kStop}));
}

TEST(ConsoleControl, CtrlBreakStopsTheAgent) {
  reset_pending_controls();
  // A console of our own, so the event has somewhere to go even when run headless.
  bool own_console = ::AllocConsole() != FALSE;
  Recorder rec;
  SignalSource source;
  source.start([&](SignalKind k) { rec(k); });
  if (!::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, 0)) {
    DWORD err = ::GetLastError();
    source.stop();
    if (own_console) ::FreeConsole();
    // wine without a real console cannot raise console events (ERROR_INVALID_ACCESS).
    GTEST_SKIP() << "GenerateConsoleCtrlEvent failed with Win32 error " << err;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (rec.seen().empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  source.stop();
  if (own_console) ::FreeConsole();
  EXPECT_EQ(rec.seen(), (std::vector<SignalKind>{SignalKind::kStop}));
}

}  // namespace
}  // namespace vakt::agent
