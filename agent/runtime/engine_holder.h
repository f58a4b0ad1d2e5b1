// EngineHolder: the one compiled engine every worker shares, swappable on reload. A worker keeps
// its FileScanner while the generation it was built for is current and rebuilds it after a swap;
// the old engine stays alive until the last scan using it ends (shared_ptr).
//
//   auto snap = holder.current();            // {engine, generation}
//   holder.replace(new_engine);              // after the new engine loaded successfully
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "vakt/scanner/engine.h"

namespace vakt::agent {

struct EngineSnapshot {
  std::shared_ptr<const Engine> engine;
  std::uint64_t generation = 0;
};

class EngineHolder {
 public:
  EngineSnapshot current() const {
    std::lock_guard lock(mutex_);
    return {engine_, generation_};
  }
  void replace(std::shared_ptr<const Engine> engine) {
    std::lock_guard lock(mutex_);
    engine_ = std::move(engine);
    ++generation_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Engine> engine_;
  std::uint64_t generation_ = 0;
};

}  // namespace vakt::agent
