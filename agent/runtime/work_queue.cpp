#include "runtime/work_queue.h"

#include <algorithm>

namespace vakt::agent {

void WorkQueue::schedule_locked(Waiting& w) {
  w.seq = next_seq_++;
  order_.insert({w.item.ready_at, w.seq});
  by_seq_[w.seq] = w.item.path;
}

void WorkQueue::reschedule_locked(Waiting& w, Clock::time_point ready) {
  if (ready == w.item.ready_at) return;
  order_.erase({w.item.ready_at, w.seq});
  by_seq_.erase(w.seq);
  w.item.ready_at = ready;
  schedule_locked(w);
  ready_cv_.notify_one();
}

PushResult WorkQueue::push(const std::string& path, WorkOrigin origin, Clock::time_point now,
                           int attempts) {
  std::lock_guard lock(mutex_);
  if (closed_) return PushResult::kClosed;
  auto ready = now + options_.coalesce;
  if (auto fl = in_flight_.find(path); fl != in_flight_.end()) {
    if (!fl->second) {
      if (waiting_.size() + in_flight_.size() >= options_.capacity) return PushResult::kFull;
      fl->second = WorkItem{path, origin, now, ready, attempts};
    } else {
      ++coalesced_;
      if (origin == WorkOrigin::kEvent && delayed_after_done_.erase(path) > 0) {
        fl->second->origin = origin;  // an event while a delayed retry waits: not delayed
        fl->second->first_seen = now;
        fl->second->ready_at = std::min(fl->second->ready_at, ready);
      }
    }
    return PushResult::kDeferred;
  }
  if (auto it = waiting_.find(path); it != waiting_.end()) {
    auto& w = it->second;
    ++coalesced_;
    if (w.delayed && origin == WorkOrigin::kEvent) {
      // A file waiting out a delay was saved or closed: scan it as any event, no sooner.
      w.delayed = false;
      w.item.origin = origin;
      w.item.first_seen = now;
      reschedule_locked(w, std::min(ready, w.item.ready_at));
      return PushResult::kCoalesced;
    }
    auto latest = w.item.first_seen + options_.coalesce_max;
    auto new_ready = std::min(std::max(ready, w.item.ready_at), std::max(latest, w.item.ready_at));
    if (origin == WorkOrigin::kEvent) w.item.origin = origin;  // an event outranks a rescan
    reschedule_locked(w, new_ready);
    return PushResult::kCoalesced;
  }
  if (waiting_.size() + in_flight_.size() >= options_.capacity) return PushResult::kFull;
  Waiting w{WorkItem{path, origin, now, ready, attempts}, 0};
  auto [it, inserted] = waiting_.emplace(path, std::move(w));
  schedule_locked(it->second);
  ready_cv_.notify_one();
  return PushResult::kAdded;
}

PushResult WorkQueue::push_after(const std::string& path, WorkOrigin origin,
                                 std::chrono::milliseconds delay, int attempts,
                                 Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (closed_) return PushResult::kClosed;
  const auto ready = now + delay;
  if (auto fl = in_flight_.find(path); fl != in_flight_.end()) {
    // Called by the worker that holds the path: queued when it calls done().
    if (fl->second) {
      fl->second->ready_at = std::min(fl->second->ready_at, ready);
      ++coalesced_;
      return PushResult::kDeferred;
    }
    if (waiting_.size() + in_flight_.size() >= options_.capacity) return PushResult::kFull;
    fl->second = WorkItem{path, origin, now, ready, attempts};
    delayed_after_done_.insert(path);
    return PushResult::kDeferred;
  }
  if (auto it = waiting_.find(path); it != waiting_.end()) {
    ++coalesced_;
    reschedule_locked(it->second, std::min(it->second.item.ready_at, ready));
    return PushResult::kCoalesced;
  }
  if (waiting_.size() + in_flight_.size() >= options_.capacity) return PushResult::kFull;
  Waiting w{WorkItem{path, origin, now, ready, attempts}, 0, true};
  auto [it, inserted] = waiting_.emplace(path, std::move(w));
  schedule_locked(it->second);
  ready_cv_.notify_one();
  return PushResult::kAdded;
}

std::optional<WorkItem> WorkQueue::take_ready_locked(Clock::time_point now) {
  if (order_.empty()) return std::nullopt;
  auto first = order_.begin();
  if (first->first > now) return std::nullopt;
  auto seq = first->second;
  order_.erase(first);
  auto path = by_seq_[seq];
  by_seq_.erase(seq);
  auto it = waiting_.find(path);
  WorkItem item = std::move(it->second.item);
  waiting_.erase(it);
  in_flight_[item.path] = std::nullopt;
  return item;
}

std::optional<WorkItem> WorkQueue::pop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (closed_) return std::nullopt;
    auto now = Clock::now();
    if (auto item = take_ready_locked(now)) return item;
    if (order_.empty()) {
      ready_cv_.wait(lock);
    } else {
      ready_cv_.wait_until(lock, order_.begin()->first);
    }
  }
}

std::optional<WorkItem> WorkQueue::try_pop(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (closed_) return std::nullopt;
  return take_ready_locked(now);
}

void WorkQueue::done(const std::string& path) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(path);
  if (it == in_flight_.end()) return;
  auto again = std::move(it->second);
  in_flight_.erase(it);
  const bool delayed = delayed_after_done_.erase(path) > 0;
  if (again && !closed_) {
    Waiting w{std::move(*again), 0, delayed};
    auto [wit, inserted] = waiting_.emplace(path, std::move(w));
    schedule_locked(wit->second);
    ready_cv_.notify_one();
  }
  if (waiting_.empty() && in_flight_.empty()) idle_cv_.notify_all();
}

void WorkQueue::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  ready_cv_.notify_all();
  idle_cv_.notify_all();
}

bool WorkQueue::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::size_t WorkQueue::size() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

std::size_t WorkQueue::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_.size();
}

std::uint64_t WorkQueue::coalesced() const {
  std::lock_guard lock(mutex_);
  return coalesced_;
}

bool WorkQueue::idle() const {
  std::lock_guard lock(mutex_);
  return waiting_.empty() && in_flight_.empty();
}

bool WorkQueue::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_cv_.wait_for(lock, timeout,
                           [&] { return closed_ || (waiting_.empty() && in_flight_.empty()); });
}

}  // namespace vakt::agent
