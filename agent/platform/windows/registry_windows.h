// Registry helpers for the Windows agent: an owning key handle and the few reads and writes the
// service needs (OneDrive discovery under HKEY_USERS, the Event Log source registration). Every
// call takes and returns wide strings; failures come back as Error values with the Win32 reason.
//
//   auto key = RegKey::open(HKEY_USERS, L"S-1-5-21-...\\Software\\Microsoft\\OneDrive\\Accounts");
//   if (key) for (auto& name : key->subkey_names()) ...
//   auto folder = key->read_string(L"UserFolder");     // REG_EXPAND_SZ is expanded
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

// "text (Win32 error 5: Access is denied.)" for a Win32 error code.
std::string win32_error_text(unsigned long code);
// UTF-16 <-> UTF-8 for messages and paths shown to people.
std::string narrow(const std::wstring& wide);
std::wstring widen(const std::string& utf8);

class RegKey {
 public:
  RegKey() = default;
  ~RegKey();
  RegKey(RegKey&& other) noexcept;
  RegKey& operator=(RegKey&& other) noexcept;
  RegKey(const RegKey&) = delete;
  RegKey& operator=(const RegKey&) = delete;

  // Opens an existing key for reading (KEY_READ); Error carries the Win32 code in `code`.
  static Expected<RegKey> open(HKEY root, const std::wstring& subkey, REGSAM access = KEY_READ);
  // Opens or creates a key for writing.
  static Expected<RegKey> create(HKEY root, const std::wstring& subkey);
  // Deletes a key and everything below it; a key that does not exist is not an error.
  static Status remove_tree(HKEY root, const std::wstring& subkey);

  HKEY get() const { return key_; }
  std::vector<std::wstring> subkey_names() const;
  // REG_SZ or REG_EXPAND_SZ (expanded); nullopt when absent or of another type.
  std::optional<std::wstring> read_string(const std::wstring& name) const;
  std::optional<std::uint32_t> read_dword(const std::wstring& name) const;
  Status write_string(const std::wstring& name, const std::wstring& value, bool expandable = false);
  Status write_dword(const std::wstring& name, std::uint32_t value);

 private:
  explicit RegKey(HKEY key) : key_(key) {}
  HKEY key_ = nullptr;
};

}  // namespace vakt::agent
