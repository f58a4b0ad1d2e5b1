// OverflowInjector: a Watcher decorator for tests and drills. After inject(), it throws away every
// event the real watcher delivers for `drop_for` (as the kernel does when its queue overflows)
// and then reports one kOverflow — so a test can prove that lost events are recovered by the
// rescan, through the same interface the real overflow uses.
//
//   auto w = std::make_unique<OverflowInjector>(make_platform_watcher());
//   w->inject(std::chrono::milliseconds(500));    // e.g. on SIGUSR1 when VAKT_TEST_HOOKS=1
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>

#include "watch/watcher.h"

namespace vakt::agent {

class OverflowInjector final : public Watcher {
 public:
  explicit OverflowInjector(std::unique_ptr<Watcher> inner) : inner_(std::move(inner)) {}
  void inject(std::chrono::milliseconds drop_for);

  Status add_root(const std::filesystem::path& root) override { return inner_->add_root(root); }
  std::vector<WatchEvent> wait(std::chrono::milliseconds timeout) override;
  void wake() override { inner_->wake(); }
  std::size_t watched_folders() const override { return inner_->watched_folders(); }
  std::size_t dropped() const { return dropped_; }

 private:
  std::unique_ptr<Watcher> inner_;
  std::mutex mutex_;
  bool dropping_ = false;
  std::chrono::steady_clock::time_point drop_until_{};
  std::atomic<std::size_t> dropped_{0};
};

}  // namespace vakt::agent
