// WinTempDir: a fresh folder under the Windows temp folder (GetTempPathW) for one test, removed
// afterwards; helpers that write and read files through Win32 calls so the tests see exactly
// what the agent's code sees. Windows-only (this folder is built for WIN32 targets only).
#pragma once

#include <windows.h>

#include <filesystem>
#include <random>
#include <string>
#include <system_error>

namespace vakt::agent::testing {

class WinTempDir {
 public:
  explicit WinTempDir(std::filesystem::path base = {}) {
    if (base.empty()) {
      wchar_t buf[MAX_PATH + 1] = {};
      GetTempPathW(MAX_PATH, buf);
      base = buf;
    }
    std::random_device rd;
    path_ = base / (L"vakt-wunit-" + std::to_wstring(GetCurrentProcessId()) + L"-" +
                    std::to_wstring(rd()));
    std::filesystem::create_directories(path_);
  }
  ~WinTempDir() {
    std::error_code ec;
    // Clear read-only attributes first: remove_all cannot delete read-only files on Windows.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      SetFileAttributesW(it->path().c_str(), FILE_ATTRIBUTE_NORMAL);
    }
    std::filesystem::remove_all(path_, ec);
  }
  WinTempDir(const WinTempDir&) = delete;
  WinTempDir& operator=(const WinTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::filesystem::path& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// "\\?\" + absolute path, for test helpers that must reach long paths.
inline std::wstring ext(const std::filesystem::path& p) {
  std::wstring s = std::filesystem::absolute(p).lexically_normal().make_preferred().native();
  return s.rfind(LR"(\\?\)", 0) == 0 ? s : LR"(\\?\)" + s;
}

inline bool write_bytes(const std::filesystem::path& p, const std::string& content) {
  HANDLE h = CreateFileW(ext(p).c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr, CREATE_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) return false;
  DWORD n = 0;
  bool ok = WriteFile(h, content.data(), static_cast<DWORD>(content.size()), &n, nullptr) &&
            n == content.size();
  CloseHandle(h);
  return ok;
}

inline std::string read_bytes(const std::filesystem::path& p) {
  HANDLE h = CreateFileW(ext(p).c_str(), GENERIC_READ,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         OPEN_EXISTING, 0, nullptr);
  if (h == INVALID_HANDLE_VALUE) return "<unreadable>";
  std::string out;
  char buf[4096];
  DWORD n = 0;
  while (ReadFile(h, buf, sizeof(buf), &n, nullptr) && n > 0) out.append(buf, n);
  CloseHandle(h);
  return out;
}

// Wine keeps no Windows ACLs: a DACL set on a file only becomes Unix mode bits, and what reads
// back is made from those bits. Tests that need real ACLs say what wine can and cannot prove.
inline bool under_wine() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

// True when `p` exists and is a reparse point (a symlink or junction wine could make visible).
inline bool is_reparse_point(const std::filesystem::path& p) {
  DWORD attrs = GetFileAttributesW(ext(p).c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
}

inline bool path_exists(const std::filesystem::path& p) {
  return GetFileAttributesW(ext(p).c_str()) != INVALID_FILE_ATTRIBUTES;
}

}  // namespace vakt::agent::testing
