#include "watch/overflow_injector.h"

namespace vakt::agent {

void OverflowInjector::inject(std::chrono::milliseconds drop_for) {
  {
    std::lock_guard lock(mutex_);
    dropping_ = true;
    drop_until_ = std::chrono::steady_clock::now() + drop_for;
  }
  inner_->wake();
}

std::vector<WatchEvent> OverflowInjector::wait(std::chrono::milliseconds timeout) {
  auto events = inner_->wait(timeout);
  std::lock_guard lock(mutex_);
  if (!dropping_) return events;
  dropped_ += events.size();
  if (std::chrono::steady_clock::now() < drop_until_) return {};
  dropping_ = false;
  return {WatchEvent{WatchEventKind::kOverflow, {}, "injected overflow (test hook)"}};
}

}  // namespace vakt::agent
