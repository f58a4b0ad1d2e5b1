// The file-system calls of the `vakt scan` walker (file_walker.cpp), behind one header so each OS
// gets the right ones: folder_list_posix.cpp (std::filesystem) or folder_list_win.cpp (wide Win32
// calls on \\?\ long paths). MinGW's std::filesystem lists and stats through the C runtime, which
// stops at MAX_PATH (260 characters): beyond it a listing silently shows another folder.
//
//   auto root = path_type(path, /*follow_links=*/false);   // Error: "No such file or directory"
//   FolderListing l = list_folder(folder);                  // each entry's own type (a link is a
//   for (auto& e : l.entries) ...                           // link), then l.error if any
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "vakt/scanner/expected.h"

namespace vakt::cli {

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

}  // namespace vakt::cli
