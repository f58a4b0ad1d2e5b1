#include "platform/windows/registry_windows.h"

#include <utility>

namespace vakt::agent {

std::string narrow(const std::wstring& wide) {
  if (wide.empty()) return {};
  int n = ::WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), nullptr, 0,
                                nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
  if (n > 0) {
    ::WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()), out.data(), n,
                          nullptr, nullptr);
  }
  return out;
}

std::wstring widen(const std::string& utf8) {
  if (utf8.empty()) return {};
  int n = ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n > 0 ? n : 0), L'\0');
  if (n > 0) {
    ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  }
  return out;
}

std::string win32_error_text(unsigned long code) {
  wchar_t* buffer = nullptr;
  DWORD n = ::FormatMessageW(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::wstring text = n > 0 && buffer != nullptr ? std::wstring(buffer, n) : L"";
  if (buffer != nullptr) ::LocalFree(buffer);
  while (!text.empty() && (text.back() == L'\n' || text.back() == L'\r' || text.back() == L' ' ||
                           text.back() == L'.')) {
    text.pop_back();
  }
  std::string out = "Win32 error " + std::to_string(code);
  if (!text.empty()) out += ": " + narrow(text);
  return out;
}

RegKey::~RegKey() {
  if (key_ != nullptr) ::RegCloseKey(key_);
}

RegKey::RegKey(RegKey&& other) noexcept : key_(std::exchange(other.key_, nullptr)) {}

RegKey& RegKey::operator=(RegKey&& other) noexcept {
  if (this != &other) {
    if (key_ != nullptr) ::RegCloseKey(key_);
    key_ = std::exchange(other.key_, nullptr);
  }
  return *this;
}

Expected<RegKey> RegKey::open(HKEY root, const std::wstring& subkey, REGSAM access) {
  HKEY key = nullptr;
  LSTATUS rc = ::RegOpenKeyExW(root, subkey.c_str(), 0, access, &key);
  if (rc != ERROR_SUCCESS) {
    return Error{"cannot open registry key " + narrow(subkey) + ": " + win32_error_text(rc)};
  }
  return RegKey(key);
}

Expected<RegKey> RegKey::create(HKEY root, const std::wstring& subkey) {
  HKEY key = nullptr;
  LSTATUS rc = ::RegCreateKeyExW(root, subkey.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                                 KEY_READ | KEY_WRITE, nullptr, &key, nullptr);
  if (rc != ERROR_SUCCESS) {
    return Error{"cannot create registry key " + narrow(subkey) + ": " + win32_error_text(rc)};
  }
  return RegKey(key);
}

Status RegKey::remove_tree(HKEY root, const std::wstring& subkey) {
  LSTATUS rc = ::RegDeleteTreeW(root, subkey.c_str());
  if (rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND) {
    rc = ::RegDeleteKeyW(root, subkey.c_str());  // RegDeleteTreeW leaves the key itself
  }
  if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) {
    return Error{"cannot delete registry key " + narrow(subkey) + ": " + win32_error_text(rc)};
  }
  return Ok{};
}

std::vector<std::wstring> RegKey::subkey_names() const {
  std::vector<std::wstring> names;
  if (key_ == nullptr) return names;
  for (DWORD index = 0;; ++index) {
    wchar_t name[256];  // registry key names are at most 255 characters
    DWORD length = sizeof name / sizeof name[0];
    LSTATUS rc = ::RegEnumKeyExW(key_, index, name, &length, nullptr, nullptr, nullptr, nullptr);
    if (rc == ERROR_NO_MORE_ITEMS) break;
    if (rc != ERROR_SUCCESS) continue;
    names.emplace_back(name, length);
  }
  return names;
}

std::optional<std::wstring> RegKey::read_string(const std::wstring& name) const {
  if (key_ == nullptr) return std::nullopt;
  DWORD type = 0;
  DWORD bytes = 0;
  LSTATUS rc = ::RegQueryValueExW(key_, name.c_str(), nullptr, &type, nullptr, &bytes);
  if (rc != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ)) return std::nullopt;
  std::wstring value(bytes / sizeof(wchar_t) + 1, L'\0');
  bytes = static_cast<DWORD>(value.size() * sizeof(wchar_t));
  rc = ::RegQueryValueExW(key_, name.c_str(), nullptr, &type, reinterpret_cast<BYTE*>(value.data()),
                          &bytes);
  if (rc != ERROR_SUCCESS) return std::nullopt;
  value.resize(bytes / sizeof(wchar_t));
  while (!value.empty() && value.back() == L'\0') value.pop_back();  // not always terminated
  if (type == REG_EXPAND_SZ) {
    DWORD n = ::ExpandEnvironmentStringsW(value.c_str(), nullptr, 0);
    if (n > 0) {
      std::wstring expanded(n, L'\0');
      n = ::ExpandEnvironmentStringsW(value.c_str(), expanded.data(), n);
      if (n > 0) {
        expanded.resize(n - 1);
        value = std::move(expanded);
      }
    }
  }
  return value;
}

std::optional<std::uint32_t> RegKey::read_dword(const std::wstring& name) const {
  if (key_ == nullptr) return std::nullopt;
  DWORD type = 0;
  DWORD value = 0;
  DWORD bytes = sizeof value;
  LSTATUS rc = ::RegQueryValueExW(key_, name.c_str(), nullptr, &type,
                                  reinterpret_cast<BYTE*>(&value), &bytes);
  if (rc != ERROR_SUCCESS || type != REG_DWORD) return std::nullopt;
  return value;
}

Status RegKey::write_string(const std::wstring& name, const std::wstring& value, bool expandable) {
  auto bytes = static_cast<DWORD>((value.size() + 1) * sizeof(wchar_t));
  LSTATUS rc = ::RegSetValueExW(key_, name.c_str(), 0, expandable ? REG_EXPAND_SZ : REG_SZ,
                                reinterpret_cast<const BYTE*>(value.c_str()), bytes);
  if (rc != ERROR_SUCCESS) {
    return Error{"cannot write registry value " + narrow(name) + ": " + win32_error_text(rc)};
  }
  return Ok{};
}

Status RegKey::write_dword(const std::wstring& name, std::uint32_t value) {
  DWORD v = value;
  LSTATUS rc = ::RegSetValueExW(key_, name.c_str(), 0, REG_DWORD, reinterpret_cast<const BYTE*>(&v),
                                sizeof v);
  if (rc != ERROR_SUCCESS) {
    return Error{"cannot write registry value " + narrow(name) + ": " + win32_error_text(rc)};
  }
  return Ok{};
}

}  // namespace vakt::agent
