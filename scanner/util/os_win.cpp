// util/os.h for Windows: wide APIs only, paths through std::filesystem::path::wstring().
#include <windows.h>

#include "util/os.h"
#include "util/os_win.h"

namespace vakt::os {

std::tm local_time(std::time_t t) {
  std::tm tm{};
  localtime_s(&tm, &t);
  return tm;
}

std::string path_utf8(const std::filesystem::path& path) {
  const std::wstring& wide = path.native();
  if (wide.empty()) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), nullptr,
                                    0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
  if (n > 0) {
    WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), out.data(), n,
                        nullptr, nullptr);
  }
  return out;
}

bool replace_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  return MoveFileExW(win32_path(from).c_str(), win32_path(to).c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0;
}

unsigned long process_id() {
  return GetCurrentProcessId();
}

std::wstring win32_path(const std::filesystem::path& path) {
  std::wstring p = path.native();
  if (p.size() < MAX_PATH || p.starts_with(LR"(\\?\)") || p.starts_with(LR"(\\.\)")) return p;
  for (auto& c : p) {
    if (c == L'/') c = L'\\';
  }
  // \\server\share\... (libstdc++ does not call every UNC path absolute: test it by hand)
  if (p.starts_with(LR"(\\)")) return LR"(\\?\UNC\)" + p.substr(2);
  if (!path.is_absolute()) return p;  // \\?\ turns off the relative-path resolution
  return LR"(\\?\)" + p;
}

std::string win32_error_text(unsigned long code) {
  switch (code) {
    case ERROR_SHARING_VIOLATION:
      return "in use by another program (sharing violation)";
    case ERROR_LOCK_VIOLATION:
      return "locked by another program";
    case ERROR_CANT_ACCESS_FILE:
      return "cannot access the file (reparse point)";
    default:
      return "Windows error " + std::to_string(code);
  }
}

// Large pages on Windows need the "lock pages in memory" privilege, which a service should not
// hold for this: 4 KiB pages it is.
void prefer_huge_pages(void*, std::size_t) {}

}  // namespace vakt::os
