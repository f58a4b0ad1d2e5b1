// WorkQueue: the bounded, de-duplicating queue between the watcher and the workers.
//
// A path is in the queue at most once. Pushing it again while it waits coalesces the events and
// pushes its ready time back by `coalesce` (a file saved in many small writes is scanned once,
// after it settles), but never past first_seen + `coalesce_max`. A path pushed while a worker
// holds it is queued again when the worker calls done(), so no two workers scan one file and no
// event is lost. When the queue is full, push() refuses and says so: the caller must schedule a
// full rescan rather than lose the event.
//
//   WorkQueue q({.capacity = 100000, .coalesce = 250ms, .coalesce_max = 3s});
//   q.push(path, WorkOrigin::kEvent);
//   while (auto item = q.pop()) { process(*item); q.done(item->path); }   // pop() blocks
//   q.close();                                                             // pop() returns nullopt
//   q.push_after(path, WorkOrigin::kRetry, 10s, attempts);   // a file still in use: try again
//   later
//
// A delayed item (push_after) waits its full delay, except that a watcher event for its path
// (the file was saved or closed) makes it ready as an ordinary event would be.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace vakt::agent {

enum class WorkOrigin { kEvent, kReconcile, kRescan, kRetry };

struct WorkItem {
  std::string path;
  WorkOrigin origin = WorkOrigin::kEvent;
  std::chrono::steady_clock::time_point first_seen{};
  std::chrono::steady_clock::time_point ready_at{};
  int attempts = 0;
};

enum class PushResult { kAdded, kCoalesced, kDeferred, kFull, kClosed };

struct WorkQueueOptions {
  std::size_t capacity = 100000;
  std::chrono::milliseconds coalesce{250};
  std::chrono::milliseconds coalesce_max{3000};
};

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;
  explicit WorkQueue(WorkQueueOptions options) : options_(options) {}

  PushResult push(const std::string& path, WorkOrigin origin, Clock::time_point now = Clock::now(),
                  int attempts = 0);
  // Queues `path` to be ready no sooner than `delay` from `now` (if it is waiting already, the
  // earlier of the two times stands).
  PushResult push_after(const std::string& path, WorkOrigin origin, std::chrono::milliseconds delay,
                        int attempts, Clock::time_point now = Clock::now());
  // Blocks until an item is ready (or the queue is closed: nullopt).
  std::optional<WorkItem> pop();
  // Non-blocking: an item ready at `now`, if any (for tests and draining).
  std::optional<WorkItem> try_pop(Clock::time_point now);
  // The worker finished `path`; a push that arrived meanwhile is queued now.
  void done(const std::string& path);
  void close();
  bool closed() const;

  std::size_t size() const;       // waiting
  std::size_t in_flight() const;  // held by workers
  std::uint64_t coalesced() const;
  // True once every pushed item has been popped and done.
  bool idle() const;
  // Blocks until idle() or `timeout`; true if idle.
  bool wait_idle(std::chrono::milliseconds timeout);

 private:
  struct Waiting {
    WorkItem item;
    std::uint64_t seq = 0;
    bool delayed = false;  // by push_after: an event may bring it forward
  };
  std::optional<WorkItem> take_ready_locked(Clock::time_point now);
  void schedule_locked(Waiting& w);
  void reschedule_locked(Waiting& w, Clock::time_point ready);

  WorkQueueOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::condition_variable idle_cv_;
  std::unordered_map<std::string, Waiting> waiting_;
  std::set<std::pair<Clock::time_point, std::uint64_t>> order_;
  std::unordered_map<std::uint64_t, std::string> by_seq_;
  std::unordered_map<std::string, std::optional<WorkItem>> in_flight_;  // value: re-push
  std::set<std::string> delayed_after_done_;  // in-flight paths whose re-push is a push_after
  std::uint64_t next_seq_ = 0;
  std::uint64_t coalesced_ = 0;
  bool closed_ = false;
};

}  // namespace vakt::agent
