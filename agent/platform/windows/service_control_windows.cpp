#include "platform/windows/service_control_windows.h"

#include <mutex>
#include <vector>

namespace vakt::agent {
namespace {

struct Channel {
  std::mutex mutex;
  std::function<void(SignalKind)> handler;
  std::vector<SignalKind> pending;
};

Channel& channel() {
  static Channel c;
  return c;
}

}  // namespace

void set_control_handler(std::function<void(SignalKind)> handler) {
  auto& c = channel();
  std::lock_guard lock(c.mutex);
  c.handler = std::move(handler);
  for (auto kind : c.pending) c.handler(kind);
  c.pending.clear();
}

void clear_control_handler() {
  auto& c = channel();
  std::lock_guard lock(c.mutex);
  c.handler = nullptr;
}

void deliver_control(SignalKind kind) {
  auto& c = channel();
  std::lock_guard lock(c.mutex);
  if (c.handler) {
    c.handler(kind);
  } else {
    c.pending.push_back(kind);
  }
}

void reset_pending_controls() {
  auto& c = channel();
  std::lock_guard lock(c.mutex);
  c.pending.clear();
}

}  // namespace vakt::agent
