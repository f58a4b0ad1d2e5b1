// util/os.h for Linux.
#include <unistd.h>

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

}  // namespace vakt::os
