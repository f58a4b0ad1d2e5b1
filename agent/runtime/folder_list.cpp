// walk_tree: the OS-neutral part of runtime/folder_list.h, built on list_folder.
#include "runtime/folder_list.h"

#include <utility>

namespace vakt::agent {

void walk_tree(const std::filesystem::path& root,
               const std::function<bool(const FolderEntry&)>& visit) {
  // An explicit stack, not recursion: a tree thousands of folders deep cannot exhaust the
  // thread's stack (rescans run on a thread with a default-sized one).
  std::vector<std::filesystem::path> pending{root};
  while (!pending.empty()) {
    const std::filesystem::path folder = std::move(pending.back());
    pending.pop_back();
    FolderListing listing = list_folder(folder);
    for (auto& entry : listing.entries) {
      if (!entry.error.empty()) continue;
      if (!visit(entry)) return;
      if (entry.type.type == std::filesystem::file_type::directory) {
        pending.push_back(std::move(entry.path));
      }
    }
  }
}

}  // namespace vakt::agent
