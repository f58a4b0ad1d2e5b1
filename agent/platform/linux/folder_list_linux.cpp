// POSIX side of cli/folder_list.h: std::filesystem (lstat/stat/readdir underneath).
#include <system_error>

#include "runtime/folder_list.h"

namespace vakt::agent {
namespace fs = std::filesystem;

Expected<PathType> path_type(const fs::path& path, bool follow_links) {
  std::error_code ec;
  const fs::file_status st = follow_links ? fs::status(path, ec) : fs::symlink_status(path, ec);
  if (ec) return Error{ec.message()};
  PathType t{st.type(), 0};
  if (fs::is_regular_file(st)) {
    const std::uintmax_t size = fs::file_size(path, ec);
    t.size = ec ? 0 : static_cast<std::uint64_t>(size);
  }
  return t;
}

FolderListing list_folder(const fs::path& folder) {
  FolderListing out;
  std::error_code ec;
  fs::directory_iterator it(folder, fs::directory_options::none, ec);
  if (ec) {
    out.error = "cannot open folder: " + ec.message();
    return out;
  }
  for (fs::directory_iterator end; it != end; it.increment(ec)) {
    if (ec) break;
    FolderEntry e;
    e.path = it->path();
    std::error_code st_ec;
    const fs::file_status st = it->symlink_status(st_ec);
    if (st_ec) {
      e.error = "cannot stat: " + st_ec.message();
    } else {
      e.type.type = st.type();
      if (fs::is_regular_file(st)) {
        const std::uintmax_t size = it->file_size(st_ec);
        e.type.size = st_ec ? 0 : static_cast<std::uint64_t>(size);
      }
    }
    out.entries.push_back(std::move(e));
  }
  if (ec) out.error = "cannot list folder: " + ec.message();
  return out;
}

}  // namespace vakt::agent
