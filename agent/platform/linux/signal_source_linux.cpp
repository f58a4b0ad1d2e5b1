// Linux SignalSource: the signals are blocked in every thread and taken with sigwait(3) on one
// thread; stop() wakes it with SIGUSR2.
#include <pthread.h>
#include <signal.h>

#include <thread>

#include "runtime/signal_source.h"

namespace vakt::agent {
namespace {

sigset_t agent_signal_set() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2}) sigaddset(&set, s);
  return set;
}

}  // namespace

bool signals_rediscover_onedrive() {
  return false;  // Linux has no logon notification; discovery runs at start and on reload
}

void block_agent_signals() {
  sigset_t set = agent_signal_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

struct SignalSource::State {
  std::thread thread;
  bool running = false;
};

SignalSource::SignalSource() : state_(std::make_unique<State>()) {}

SignalSource::~SignalSource() {
  stop();
}

void SignalSource::start(std::function<void(SignalKind)> handler) {
  block_agent_signals();
  state_->running = true;
  state_->thread = std::thread([handler = std::move(handler)] {
    sigset_t set = agent_signal_set();
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      if (sig == SIGUSR2) return;
      if (sig == SIGTERM || sig == SIGINT) handler(SignalKind::kStop);
      if (sig == SIGHUP) handler(SignalKind::kReload);
      if (sig == SIGUSR1) handler(SignalKind::kTestOverflow);
    }
  });
}

void SignalSource::stop() {
  if (!state_->running) return;
  state_->running = false;
  pthread_kill(state_->thread.native_handle(), SIGUSR2);
  state_->thread.join();
}

}  // namespace vakt::agent
