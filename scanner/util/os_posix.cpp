// util/os.h for Linux.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

#include <cstdio>

#include "util/os.h"

namespace vakt::os {

std::tm local_time(std::time_t t) {
  std::tm tm{};
  localtime_r(&t, &tm);
  return tm;
}

std::string path_utf8(const std::filesystem::path& path) {
  return path.string();
}

bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  return std::rename(from.c_str(), to.c_str()) == 0;
}

unsigned long process_id() {
  return static_cast<unsigned long>(::getpid());
}

void prefer_huge_pages(void* data, std::size_t size) {
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t last = (begin + size) & ~(kHugePageBytes - 1);
  if (last <= first) return;
  // Advice only: an error (THP off, an old kernel) leaves the 4 KiB pages, which still work.
  ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace vakt::os
