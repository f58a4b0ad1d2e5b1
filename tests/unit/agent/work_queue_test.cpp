#include <gtest/gtest.h>

#include <thread>

#include "runtime/work_queue.h"

namespace vakt::agent {
namespace {

using namespace std::chrono_literals;
using Clock = WorkQueue::Clock;

TEST(WorkQueue, DeduplicatesAPathWhileItWaits) {
  WorkQueue q({100, 100ms, 1000ms});
  auto t0 = Clock::now();
  EXPECT_EQ(q.push("/a", WorkOrigin::kEvent, t0), PushResult::kAdded);
  EXPECT_EQ(q.push("/a", WorkOrigin::kEvent, t0 + 10ms), PushResult::kCoalesced);
  EXPECT_EQ(q.push("/b", WorkOrigin::kEvent, t0), PushResult::kAdded);
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.coalesced(), 1u);
}

TEST(WorkQueue, CoalescingDelaysUntilTheFileSettlesButNotForever) {
  WorkQueue q({100, 100ms, 300ms});
  auto t0 = Clock::now() + 10s;  // in the future: nothing is ready by the wall clock
  q.push("/a", WorkOrigin::kEvent, t0);
  EXPECT_FALSE(q.try_pop(t0 + 50ms));
  q.push("/a", WorkOrigin::kEvent, t0 + 80ms);  // pushed back to t0+180
  EXPECT_FALSE(q.try_pop(t0 + 150ms));
  for (int i = 1; i <= 10; ++i) q.push("/a", WorkOrigin::kEvent, t0 + 80ms + i * 20ms);
  // Capped at first_seen + coalesce_max = t0+300 however often it is written.
  auto item = q.try_pop(t0 + 300ms);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->path, "/a");
}

TEST(WorkQueue, PushAfterWaitsItsDelay) {
  WorkQueue q({100, 100ms, 300ms});
  auto t0 = Clock::now() + 10s;
  EXPECT_EQ(q.push_after("/a", WorkOrigin::kRetry, 5s, 1, t0), PushResult::kAdded);
  EXPECT_FALSE(q.try_pop(t0 + 4900ms));
  // A rescan finding the same path does not bring it forward.
  EXPECT_EQ(q.push("/a", WorkOrigin::kRescan, t0 + 1s), PushResult::kCoalesced);
  EXPECT_FALSE(q.try_pop(t0 + 4900ms));
  auto item = q.try_pop(t0 + 5s);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->origin, WorkOrigin::kRetry);
  EXPECT_EQ(item->attempts, 1);
}

TEST(WorkQueue, AnEventEndsTheDelayOfAWaitingRetry) {
  WorkQueue q({100, 100ms, 300ms});
  auto t0 = Clock::now() + 10s;
  q.push_after("/a", WorkOrigin::kRetry, 60s, 3, t0);
  q.push("/a", WorkOrigin::kEvent, t0 + 1s);  // the file was closed or saved
  EXPECT_FALSE(q.try_pop(t0 + 1050ms));
  auto item = q.try_pop(t0 + 1100ms);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->origin, WorkOrigin::kEvent);
  EXPECT_EQ(item->attempts, 3);  // the retry count is kept
}

TEST(WorkQueue, ARetryAskedForByTheWorkerHoldingThePathWaitsAfterDone) {
  WorkQueue q({100, 0ms, 0ms});
  q.push("/a", WorkOrigin::kEvent);
  auto held = q.try_pop(Clock::now());
  ASSERT_TRUE(held);
  EXPECT_EQ(q.push_after("/a", WorkOrigin::kRetry, 30s, 1), PushResult::kDeferred);
  q.done("/a");
  EXPECT_EQ(q.size(), 1u);
  EXPECT_FALSE(q.try_pop(Clock::now() + 29s));
  EXPECT_TRUE(q.try_pop(Clock::now() + 31s));
}

TEST(WorkQueue, AnEventWhileTheWorkerHoldsThePathCancelsItsDelay) {
  WorkQueue q({100, 0ms, 0ms});
  q.push("/a", WorkOrigin::kEvent);
  ASSERT_TRUE(q.try_pop(Clock::now()));
  q.push_after("/a", WorkOrigin::kRetry, 30s, 1);
  q.push("/a", WorkOrigin::kEvent);
  q.done("/a");
  auto item = q.try_pop(Clock::now() + 1s);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->origin, WorkOrigin::kEvent);
}

TEST(WorkQueue, BoundedQueueRefusesWhenFull) {
  WorkQueue q({3, 0ms, 0ms});
  EXPECT_EQ(q.push("/1", WorkOrigin::kEvent), PushResult::kAdded);
  EXPECT_EQ(q.push("/2", WorkOrigin::kEvent), PushResult::kAdded);
  EXPECT_EQ(q.push("/3", WorkOrigin::kEvent), PushResult::kAdded);
  EXPECT_EQ(q.push("/4", WorkOrigin::kEvent), PushResult::kFull);
  EXPECT_EQ(q.push("/1", WorkOrigin::kEvent), PushResult::kCoalesced);  // a known path still merges
}

TEST(WorkQueue, PathPushedWhileInFlightIsQueuedAgainAfterDone) {
  WorkQueue q({100, 0ms, 0ms});
  q.push("/a", WorkOrigin::kEvent);
  auto item = q.try_pop(Clock::now() + 1ms);
  ASSERT_TRUE(item);
  EXPECT_EQ(q.push("/a", WorkOrigin::kEvent), PushResult::kDeferred);
  EXPECT_FALSE(q.try_pop(Clock::now() + 1s));  // not handed to a second worker meanwhile
  q.done("/a");
  auto again = q.try_pop(Clock::now() + 1s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->path, "/a");
  q.done("/a");
  EXPECT_TRUE(q.idle());
}

TEST(WorkQueue, PopsInReadyOrderAndCloseWakesWorkers) {
  WorkQueue q({100, 0ms, 0ms});
  auto t0 = Clock::now();
  q.push("/late", WorkOrigin::kEvent, t0 + 5ms);
  q.push("/early", WorkOrigin::kEvent, t0);
  EXPECT_EQ(q.pop()->path, "/early");
  EXPECT_EQ(q.pop()->path, "/late");
  std::thread waiter([&] { EXPECT_FALSE(q.pop()); });
  std::this_thread::sleep_for(20ms);
  q.close();
  waiter.join();
  EXPECT_EQ(q.push("/x", WorkOrigin::kEvent), PushResult::kClosed);
}

TEST(WorkQueue, ManyProducersNoneLost) {
  WorkQueue q({100000, 0ms, 0ms});
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&q, p] {
      for (int i = 0; i < 2000; ++i)
        q.push("/f" + std::to_string(p) + "-" + std::to_string(i), WorkOrigin::kEvent);
    });
  }
  for (auto& t : producers) t.join();
  std::size_t got = 0;
  while (auto item = q.try_pop(Clock::now() + 1s)) {
    ++got;
    q.done(item->path);
  }
  EXPECT_EQ(got, 8000u);
}

}  // namespace
}  // namespace vakt::agent
