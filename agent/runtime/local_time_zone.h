// Called once at start-up, before any thread: makes the C library read the local time zone once.
// glibc re-checks /etc/localtime (a stat system call) on every mktime() while TZ is unset, and
// libzip calls mktime() for every member of every archive it opens: 1 200 stat calls for one
// PowerPoint deck (opened to detect its type, then to read it), 3 % of a pptx scan's time
// (perf). With TZ=":/etc/localtime" glibc reads the same file once. A TZ the user set is kept.
// A no-op on Windows.
#pragma once

namespace vakt::agent {

void pin_local_time_zone();

}  // namespace vakt::agent
