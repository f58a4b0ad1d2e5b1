// Windows side of actions/private_folder.h: CreateDirectoryW with a security descriptor from
// SDDL D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA) — SYSTEM and Administrators only, inherited by all
// files made inside, nothing inherited from the parent — and the same DACL (plus Administrators
// as owner, so a user who created the folder beforehand loses control of it) set again on a
// folder that already exists. A link in its place is refused. The default location is
// %ProgramData%\Vakt\quarantine, found with SHGetKnownFolderPath(FOLDERID_ProgramData).
#include <aclapi.h>
#include <knownfolders.h>
#include <objbase.h>
#include <shlobj.h>

#include <system_error>

#include "actions/private_folder.h"
#include "platform/windows/security.h"

namespace vakt::agent {

Status make_private_folder(const std::filesystem::path& dir) {
  const std::string shown = win::path_utf8(dir);
  win::SecurityDescriptor sd(win::kPrivateFolderSddl);
  if (!sd) return Error{"cannot build the quarantine ACL: " + win::error_text(sd.error())};
  auto parent = dir.parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    if (ec) return Error{"cannot create folder " + win::path_utf8(parent) + ": " + ec.message()};
  }
  SECURITY_ATTRIBUTES sa{sizeof(SECURITY_ATTRIBUTES), sd.get(), FALSE};
  const std::wstring wide = win::long_path(dir);
  if (CreateDirectoryW(wide.c_str(), &sa)) return Ok{};
  DWORD code = GetLastError();
  if (code != ERROR_ALREADY_EXISTS) {
    return Error{"cannot create folder " + shown + ": " + win::error_text(code)};
  }
  // It was there already: it must be a real folder, and it gets the private ACL again. The
  // folder is held open without delete sharing meanwhile, so it cannot be swapped for a link
  // between the check and the change.
  auto h = win::open_no_follow(dir, READ_CONTROL | FILE_READ_ATTRIBUTES,
                               FILE_SHARE_READ | FILE_SHARE_WRITE);
  if (!h) {
    return Error{"cannot protect quarantine folder " + shown + ": " +
                 win::error_text(GetLastError())};
  }
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h.get(), &info) ||
      win::kind_of(h.get(), info) != FileKind::kDirectory) {
    return Error{"cannot protect quarantine folder " + shown + ": not a folder (a link?)"};
  }
  std::wstring name = wide;
  constexpr SECURITY_INFORMATION kDacl =
      DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION;
  DWORD rc = SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT, kDacl | OWNER_SECURITY_INFORMATION,
                                   win::administrators_sid(), nullptr, sd.dacl(), nullptr);
  if (rc != ERROR_SUCCESS) {
    // Not allowed to hand the folder to Administrators (not elevated): the DACL still applies.
    rc = SetNamedSecurityInfoW(name.data(), SE_FILE_OBJECT, kDacl, nullptr, nullptr, sd.dacl(),
                               nullptr);
  }
  if (rc != ERROR_SUCCESS) {
    return Error{"cannot protect quarantine folder " + shown + ": " + win::error_text(rc)};
  }
  return Ok{};
}

Expected<std::filesystem::path> default_quarantine_dir() {
  PWSTR base = nullptr;
  HRESULT hr = SHGetKnownFolderPath(FOLDERID_ProgramData, KF_FLAG_DEFAULT, nullptr, &base);
  if (FAILED(hr) || base == nullptr) {
    if (base != nullptr) CoTaskMemFree(base);
    return Error{"cannot find %ProgramData%: " + win::error_text(static_cast<DWORD>(hr))};
  }
  std::filesystem::path dir(base);
  CoTaskMemFree(base);
  return dir / L"Vakt" / L"quarantine";
}

}  // namespace vakt::agent
