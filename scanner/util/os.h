// The few operating-system calls the engine makes outside file reading and isolation, behind one
// header: os_posix.cpp (Linux) or os_win.cpp (Windows), chosen by CMake.
//
//   std::tm tm = os::local_time(std::time(nullptr));
//   std::string shown = os::path_utf8(path);          // UTF-8 on both (Windows paths are UTF-16)
//   if (!os::replace_file(tmp, final)) remove(tmp);   // atomic rename over an existing file
//   os::prefer_huge_pages(buffer, size);              // before the first write to a big buffer
#pragma once

#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>

namespace vakt::os {

// The calendar time of `t` in the local time zone (thread-safe).
std::tm local_time(std::time_t t);

// The path as UTF-8 text for results and messages (POSIX: the path's bytes as they are).
std::string path_utf8(const std::filesystem::path& path);

// Renames `from` onto `to`, replacing `to` atomically if it exists: a reader sees the old file or
// the whole new one. False on failure (`from` is left in place).
bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to);

// This process's id, for names of temporary files.
unsigned long process_id();

// Asks the OS to back the 2 MiB-aligned middle of a fresh buffer with huge pages (Linux: madvise
// MADV_HUGEPAGE; a no-op where unsupported or below kHugePageBytes). Call it before the buffer is
// first written: each first write to a 4 KiB page is a page fault, and on a virtual machine a
// 16 MiB inflated member took ~50 ms of faults in 4 KiB pages and ~2 ms in 2 MiB ones.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;
void prefer_huge_pages(void* data, std::size_t size);

}  // namespace vakt::os
