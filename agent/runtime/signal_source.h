// SignalSource: turns the OS's "stop" / "reload" requests into calls on the agent, on a thread of
// its own. Linux: SIGTERM/SIGINT (stop), SIGHUP (reload), SIGUSR1 (test hook: inject a watcher
// overflow, only honoured when VAKT_TEST_HOOKS=1). Windows: Ctrl+C / Ctrl+Break / console close
// and the service controls STOP / SHUTDOWN (stop), PARAMCHANGE (reload); it also reports
// kRediscover when the set of OneDrive folders changed (a user logged on or signed in to
// OneDrive), so the agent adds the new folders without a reload.
//
//   block_agent_signals();                         // in main(), before any thread starts
//   SignalSource s; s.start([&](SignalKind k) { ... });   ...   s.stop();
#pragma once

#include <functional>
#include <memory>

namespace vakt::agent {

enum class SignalKind { kStop, kReload, kTestOverflow, kRediscover };

void block_agent_signals();
// True where the SignalSource reports kRediscover (Windows): an agent configured for OneDrive
// discovery may then start before any user has a OneDrive folder and pick it up later.
bool signals_rediscover_onedrive();

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
