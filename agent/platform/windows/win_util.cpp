#include "platform/windows/win_util.h"

#include <cerrno>

#include "actions/file_ops.h"

namespace vakt::agent::win {

std::wstring to_wide(std::string_view utf8) {
  if (utf8.empty()) return {};
  int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (n <= 0) return {};
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

std::string to_utf8(std::wstring_view wide) {
  if (wide.empty()) return {};
  int n = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), nullptr, 0,
                              nullptr, nullptr);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), out.data(), n,
                      nullptr, nullptr);
  return out;
}

std::string path_utf8(const std::filesystem::path& p) {
  return to_utf8(p.native());
}

std::wstring long_path(const std::filesystem::path& p) {
  std::wstring s = p.native();
  if (s.rfind(LR"(\\?\)", 0) == 0 || s.rfind(LR"(\\.\)", 0) == 0) return s;
  std::filesystem::path abs = p;
  if (!abs.is_absolute()) {
    std::error_code ec;
    abs = std::filesystem::absolute(p, ec);
    if (ec) return s;
  }
  // \\?\ turns off all normalisation, so the path must already be clean: '\' only, no '.'/'..'.
  s = abs.lexically_normal().make_preferred().native();
  if (s.rfind(LR"(\\)", 0) == 0) return LR"(\\?\UNC\)" + s.substr(2);
  return LR"(\\?\)" + s;
}

std::filesystem::path strip_long_prefix(const std::filesystem::path& p) {
  const std::wstring& s = p.native();
  if (s.rfind(LR"(\\?\UNC\)", 0) == 0) return std::filesystem::path(LR"(\\)" + s.substr(8));
  if (s.rfind(LR"(\\?\)", 0) == 0) return std::filesystem::path(s.substr(4));
  return p;
}

std::string error_text(DWORD code) {
  wchar_t* buf = nullptr;
  DWORD n = FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&buf), 0, nullptr);
  std::string text;
  if (n > 0 && buf != nullptr) text = to_utf8(std::wstring_view(buf, n));
  if (buf != nullptr) LocalFree(buf);
  while (!text.empty() &&
         (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.')) {
    text.pop_back();
  }
  if (text.empty()) text = "Windows error " + std::to_string(code);
  return text;
}

int errno_from_win(DWORD code) {
  switch (code) {
    case ERROR_SUCCESS:
      return 0;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
      return ENOENT;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
      return EEXIST;
    case ERROR_ACCESS_DENIED:
    case ERROR_PRIVILEGE_NOT_HELD:
      return EACCES;
    case ERROR_WRITE_PROTECT:
      return EROFS;
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_USER_MAPPED_FILE:
      return FileOps::kInUse;
    case ERROR_NOT_SAME_DEVICE:
      return FileOps::kCrossDevice;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
      return ENOSPC;
    case ERROR_DIRECTORY:
      return ENOTDIR;
    case ERROR_DIR_NOT_EMPTY:
      return ENOTEMPTY;
    case ERROR_FILENAME_EXCED_RANGE:
      return ENAMETOOLONG;
    case ERROR_INVALID_NAME:
    case ERROR_INVALID_PARAMETER:
      return EINVAL;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
      return ENOMEM;
    case ERROR_CRC:
    case ERROR_IO_DEVICE:
      return EIO;
    case ERROR_CANT_RESOLVE_FILENAME:
      return ELOOP;
    default:
      return kWin32Base + static_cast<int>(code & 0xFFFFFFu);
  }
}

FileId file_id_of(const BY_HANDLE_FILE_INFORMATION& info) {
  return {info.dwVolumeSerialNumber,
          (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow};
}

std::int64_t filetime_to_unix_ns(std::int64_t ticks) {
  constexpr std::int64_t kEpochDelta = 116444736000000000LL;  // 1601 -> 1970, in 100 ns
  return (ticks - kEpochDelta) * 100;
}

bool is_link_reparse_tag(DWORD tag) {
  return tag == IO_REPARSE_TAG_SYMLINK || tag == IO_REPARSE_TAG_MOUNT_POINT;
}

Handle open_no_follow(const std::filesystem::path& path, DWORD access, DWORD share) {
  return Handle(CreateFileW(long_path(path).c_str(), access, share, nullptr, OPEN_EXISTING,
                            FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
}

FileKind kind_of(HANDLE h, const BY_HANDLE_FILE_INFORMATION& info) {
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
    FILE_ATTRIBUTE_TAG_INFO tag{};
    if (GetFileInformationByHandleEx(h, FileAttributeTagInfo, &tag, sizeof(tag)) &&
        is_link_reparse_tag(tag.ReparseTag)) {
      return FileKind::kSymlink;
    }
  }
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0) return FileKind::kDirectory;
  if ((info.dwFileAttributes & FILE_ATTRIBUTE_DEVICE) != 0) return FileKind::kOther;
  return FileKind::kRegular;
}

}  // namespace vakt::agent::win
