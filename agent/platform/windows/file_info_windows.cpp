// Windows side of runtime/file_info.h: a handle on the path itself (FILE_FLAG_OPEN_REPARSE_POINT,
// attribute access only, so no share mode of another program is in the way), identity from
// GetFileInformationByHandle (volume serial + file index), owner from GetSecurityInfo +
// LookupAccountSidW ("DOMAIN\user"), host name from GetComputerNameExW.
#include <aclapi.h>
#include <sddl.h>

#include <vector>

#include "platform/windows/win_util.h"

namespace vakt::agent {

Expected<FileInfo> stat_no_follow(const std::filesystem::path& path) {
  FileInfo info;
  auto h = win::open_no_follow(path, FILE_READ_ATTRIBUTES);
  if (!h) {
    DWORD code = GetLastError();
    if (code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ||
        code == ERROR_INVALID_NAME) {
      return info;
    }
    return Error{"cannot stat: " + win::error_text(code)};
  }
  BY_HANDLE_FILE_INFORMATION by{};
  FILE_BASIC_INFO basic{};
  if (!GetFileInformationByHandle(h.get(), &by) ||
      !GetFileInformationByHandleEx(h.get(), FileBasicInfo, &basic, sizeof(basic))) {
    return Error{"cannot stat: " + win::error_text(GetLastError())};
  }
  info.kind = win::kind_of(h.get(), by);
  info.size = (static_cast<std::uint64_t>(by.nFileSizeHigh) << 32) | by.nFileSizeLow;
  info.mtime_ns = win::filetime_to_unix_ns(basic.LastWriteTime.QuadPart);
  // ChangeTime moves with every write and attribute change, like st_ctime.
  info.ctime_ns = win::filetime_to_unix_ns(basic.ChangeTime.QuadPart);
  info.id = win::file_id_of(by);
  info.owner_id = 0;  // Windows owners are SIDs, not numbers: see file_owner_name()
  return info;
}

std::string file_owner_name(const std::filesystem::path& path) {
  auto h = win::open_no_follow(path, READ_CONTROL);
  if (!h) return "";
  PSID owner = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetSecurityInfo(h.get(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr,
                      nullptr, &sd) != ERROR_SUCCESS) {
    return "";
  }
  std::string name;
  DWORD name_len = 0;
  DWORD domain_len = 0;
  SID_NAME_USE use{};
  LookupAccountSidW(nullptr, owner, nullptr, &name_len, nullptr, &domain_len, &use);
  if (name_len > 0) {
    std::vector<wchar_t> account(name_len);
    std::vector<wchar_t> domain(domain_len + 1);
    if (LookupAccountSidW(nullptr, owner, account.data(), &name_len, domain.data(), &domain_len,
                          &use)) {
      std::wstring full = domain_len > 0 ? std::wstring(domain.data()) + L"\\" : std::wstring();
      full += account.data();
      name = win::to_utf8(full);
    }
  }
  if (name.empty()) {
    // No account name (a deleted user, an offline domain): the SID as text, like a bare uid.
    wchar_t* text = nullptr;
    if (ConvertSidToStringSidW(owner, &text)) {
      name = win::to_utf8(text);
      LocalFree(text);
    }
  }
  LocalFree(sd);
  return name;
}

std::string host_name() {
  wchar_t buf[256] = {};
  DWORD len = static_cast<DWORD>(std::size(buf));
  if (!GetComputerNameExW(ComputerNameDnsHostname, buf, &len)) return "unknown";
  return win::to_utf8(std::wstring_view(buf, len));
}

bool owned_by_the_system(const std::filesystem::path& path) {
  auto h = win::open_no_follow(path, READ_CONTROL);
  if (!h) return false;
  PSID owner = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetSecurityInfo(h.get(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr,
                      nullptr, &sd) != ERROR_SUCCESS) {
    return false;
  }
  bool system = IsWellKnownSid(owner, WinLocalSystemSid) ||
                IsWellKnownSid(owner, WinBuiltinAdministratorsSid);
  if (!system) {
    // Or the account this process runs as (the agent when it is not a service).
    HANDLE token = nullptr;
    if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
      DWORD size = 0;
      GetTokenInformation(token, TokenUser, nullptr, 0, &size);
      std::vector<unsigned char> buf(size);
      if (size > 0 && GetTokenInformation(token, TokenUser, buf.data(), size, &size)) {
        system = EqualSid(owner, reinterpret_cast<TOKEN_USER*>(buf.data())->User.Sid) != FALSE;
      }
      CloseHandle(token);
    }
  }
  LocalFree(sd);
  return system;
}

}  // namespace vakt::agent
