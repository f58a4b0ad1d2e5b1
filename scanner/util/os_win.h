// Windows-only helpers for the scanner's *_win.cpp files (never included by portable code).
//
//   HANDLE h = CreateFileW(os::win32_path(path).c_str(), ...);   // long paths get \\?\ (or
//   \\?\UNC\) std::string why = os::win32_error_text(GetLastError());       // "Windows error 32"
#pragma once

#include <filesystem>
#include <string>

namespace vakt::os {

// The path for a wide Win32 call: absolute paths of MAX_PATH characters or more get the \\?\ (or
// \\?\UNC\) prefix so they work without the system-wide long-path setting.
std::wstring win32_path(const std::filesystem::path& path);

// A stable, language-independent description of a Win32 error code (the system's own messages
// are localised: a Swedish PC would put Swedish text into English reasons).
std::string win32_error_text(unsigned long code);

}  // namespace vakt::os
