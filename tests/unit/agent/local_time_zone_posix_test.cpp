// pin_local_time_zone: glibc reads the zone once instead of on every mktime(), with the same
// local times as before; a TZ the user set is left alone.
#include "runtime/local_time_zone.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <string>

namespace vakt::agent {
namespace {

// Local broken-down times of a few instants across years and DST changes, as text.
std::string local_times() {
  std::string out;
  for (time_t t : {time_t{0}, time_t{1711846800}, time_t{1729990800}, time_t{1798761599}}) {
    tm local{};
    localtime_r(&t, &local);
    char buf[64];
    strftime(buf, sizeof buf, "%F %T %z|", &local);
    out += buf;
    time_t back = mktime(&local);
    out += std::to_string(back == t) + ";";
  }
  return out;
}

TEST(LocalTimeZone, PinnedZoneGivesTheSameLocalTimes) {
  const char* saved = ::getenv("TZ");
  std::string restore = saved ? saved : "";
  ::unsetenv("TZ");
  tzset();
  std::string before = local_times();
  pin_local_time_zone();
  ASSERT_NE(::getenv("TZ"), nullptr);
  EXPECT_STREQ(::getenv("TZ"), ":/etc/localtime");
  tzset();
  EXPECT_EQ(local_times(), before);
  if (saved) {
    ::setenv("TZ", restore.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  tzset();
}

TEST(LocalTimeZone, ATimeZoneTheUserSetIsKept) {
  const char* saved = ::getenv("TZ");
  std::string restore = saved ? saved : "";
  ::setenv("TZ", "Europe/Stockholm", 1);
  pin_local_time_zone();
  EXPECT_STREQ(::getenv("TZ"), "Europe/Stockholm");
  if (saved) {
    ::setenv("TZ", restore.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  tzset();
}

}  // namespace
}  // namespace vakt::agent
