// Windows side of cli/folder_list.h: FindFirstFileExW/FindNextFileW and CreateFileW on the
// \\?\ spelling of the path (win::long_path), so folders deeper than MAX_PATH are listed and
// examined like any other. Links are symlink and junction reparse points
// (win::is_link_reparse_tag); a OneDrive placeholder is an ordinary file or folder, and is examined
// without being downloaded.
#include "platform/windows/win_util.h"
#include "runtime/folder_list.h"

namespace vakt::agent {
namespace fs = std::filesystem;
namespace {

bool is_missing(DWORD code) {
  return code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ||
         code == ERROR_INVALID_NAME || code == ERROR_BAD_NETPATH || code == ERROR_BAD_NET_NAME;
}

// The POSIX wording for a missing path, so messages read the same on both systems.
std::string reason_for(DWORD code) {
  return is_missing(code) ? "No such file or directory" : win::error_text(code);
}

fs::file_type type_of_kind(FileKind kind) {
  switch (kind) {
    case FileKind::kRegular:
      return fs::file_type::regular;
    case FileKind::kDirectory:
      return fs::file_type::directory;
    case FileKind::kSymlink:
      return fs::file_type::symlink;
    case FileKind::kOther:
      return fs::file_type::character;  // a device
    case FileKind::kMissing:
      break;
  }
  return fs::file_type::not_found;
}

PathType type_of_find_data(const WIN32_FIND_DATAW& fd) {
  PathType t;
  const DWORD attrs = fd.dwFileAttributes;
  if ((attrs & FILE_ATTRIBUTE_REPARSE_POINT) != 0 && win::is_link_reparse_tag(fd.dwReserved0)) {
    t.type = fs::file_type::symlink;
  } else if ((attrs & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    t.type = fs::file_type::directory;
  } else if ((attrs & FILE_ATTRIBUTE_DEVICE) != 0) {
    t.type = fs::file_type::character;
  } else {
    t.type = fs::file_type::regular;
    t.size = (static_cast<std::uint64_t>(fd.nFileSizeHigh) << 32) | fd.nFileSizeLow;
  }
  return t;
}

}  // namespace

Expected<PathType> path_type(const fs::path& path, bool follow_links) {
  const DWORD flags =
      FILE_FLAG_BACKUP_SEMANTICS | (follow_links ? 0 : FILE_FLAG_OPEN_REPARSE_POINT);
  win::Handle h(CreateFileW(win::long_path(path).c_str(), FILE_READ_ATTRIBUTES,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                            OPEN_EXISTING, flags, nullptr));
  if (!h) return Error{reason_for(GetLastError())};
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h.get(), &info)) {
    return Error{win::error_text(GetLastError())};
  }
  PathType t;
  t.type = type_of_kind(win::kind_of(h.get(), info));
  if (t.type == fs::file_type::regular) {
    t.size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  }
  return t;
}

FolderListing list_folder(const fs::path& folder) {
  FolderListing out;
  std::wstring pattern = win::long_path(folder);
  if (!pattern.empty() && pattern.back() != L'\\') pattern += L'\\';
  pattern += L'*';
  WIN32_FIND_DATAW fd{};
  HANDLE find = FindFirstFileExW(pattern.c_str(), FindExInfoBasic, &fd, FindExSearchNameMatch,
                                 nullptr, FIND_FIRST_EX_LARGE_FETCH);
  if (find == INVALID_HANDLE_VALUE) {
    const DWORD code = GetLastError();
    if (code != ERROR_FILE_NOT_FOUND) out.error = "cannot open folder: " + reason_for(code);
    return out;
  }
  do {
    const std::wstring_view name(fd.cFileName);
    if (name == L"." || name == L"..") continue;
    out.entries.push_back({folder / fd.cFileName, type_of_find_data(fd), {}});
  } while (FindNextFileW(find, &fd));
  const DWORD code = GetLastError();
  FindClose(find);
  if (code != ERROR_NO_MORE_FILES) out.error = "cannot list folder: " + reason_for(code);
  return out;
}

}  // namespace vakt::agent
