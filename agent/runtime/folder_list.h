// The file-system calls of every folder walk (the `vakt scan` walker, the agent's rescans and the
// Windows watcher's new-folder reports), behind one header so each OS gets the right ones:
// platform/linux/folder_list_linux.cpp (std::filesystem) or
// platform/windows/folder_list_windows.cpp (wide Win32 calls on \\?\ long paths). MinGW's
// std::filesystem lists and stats through the C runtime, which stops at MAX_PATH (260 characters):
// beyond it a listing silently shows another folder.
//
//   auto root = path_type(path, /*follow_links=*/false);   // Error: "No such file or directory"
//   FolderListing l = list_folder(folder);                  // each entry's own type (a link is a
//   for (auto& e : l.entries) ...                           // link), then l.error if any
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

struct PathType {
  std::filesystem::file_type type = std::filesystem::file_type::not_found;
  std::uint64_t size = 0;  // of a regular file
};

struct FolderEntry {
  std::filesystem::path path;  // the folder joined with the entry's name
  PathType type;               // of the entry itself, a link not followed
  std::string error;           // set when the entry could not be examined: "cannot stat: …"
};

struct FolderListing {
  std::vector<FolderEntry> entries;  // without "." and ".."; the entries read before an error
  std::string error;                 // "cannot open folder: …" or "cannot list folder: …"
};

// The type (and size) of `path`, following a final link only when asked. The error message is
// the bare reason, e.g. "No such file or directory".
Expected<PathType> path_type(const std::filesystem::path& path, bool follow_links);

FolderListing list_folder(const std::filesystem::path& folder);

// Walks the tree below `root` depth first through list_folder, so it reaches as deep as the OS
// does. Links are reported (type symlink) but never followed, so a walk cannot loop; entries and
// folders that cannot be examined are skipped. `visit` sees every entry below root and returns
// false to end the walk.
void walk_tree(const std::filesystem::path& root,
               const std::function<bool(const FolderEntry&)>& visit);

}  // namespace vakt::agent
