// The engine's on-disk caches: key and atomic write (see cache_file.h).
#include "match/cache_file.h"

#include <fstream>

#include "util/os.h"
#include "util/sha256.h"

namespace vakt::match {

std::string patterns_key(std::string_view context, const std::vector<HsPattern>& patterns) {
  Sha256 h;
  h.update(context);
  for (const auto& p : patterns) {
    h.update(std::to_string(p.flags));
    h.update(std::string_view("\0", 1));
    h.update(p.expression);
    h.update(std::string_view("\0", 1));
  }
  return h.hex();
}

bool write_cache_file(const std::filesystem::path& dir, const std::filesystem::path& file,
                      const std::function<void(std::ostream&)>& write) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto tmp = file;
  tmp += ".tmp." + std::to_string(os::process_id());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (out) write(out);
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return false;
    }
  }
  // Atomic (rename / MoveFileExW): readers see the old file or the whole new one.
  if (os::replace_file(tmp, file)) return true;
  std::filesystem::remove(tmp, ec);
  return false;
}

}  // namespace vakt::match
