// SignalSource: turns the OS's "stop" / "reload" requests into calls on the agent, on a thread of
// its own. Linux: SIGTERM/SIGINT (stop), SIGHUP (reload), SIGUSR1 (test hook: inject a watcher
// overflow, only honoured when VAKT_TEST_HOOKS=1). Windows will map console and service control
// events onto the same kinds.
//
//   block_agent_signals();                         // in main(), before any thread starts
//   SignalSource s; s.start([&](SignalKind k) { ... });   ...   s.stop();
#pragma once

#include <functional>
#include <memory>

namespace vakt::agent {

enum class SignalKind { kStop, kReload, kTestOverflow };

void block_agent_signals();

class SignalSource {
 public:
  SignalSource();
  ~SignalSource();
  SignalSource(const SignalSource&) = delete;
  SignalSource& operator=(const SignalSource&) = delete;
  void start(std::function<void(SignalKind)> handler);
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace vakt::agent
