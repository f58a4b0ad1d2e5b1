// Windows side of actions/file_guard.h. Files are opened on the name itself
// (FILE_FLAG_OPEN_REPARSE_POINT), so a symlink or junction swapped in is seen, never followed.
// The writer check is a share-mode probe: opening with GENERIC_READ|DELETE while sharing only
// read and delete fails with a sharing violation exactly when another program has the file open
// for writing (or open without FILE_SHARE_DELETE, which would make the move fail anyway) — the
// document Word still has open. While the guard is held, no program can open it for writing.
#include "platform/windows/security.h"

#include <aclapi.h>

#include "actions/file_guard.h"

namespace vakt::agent {
namespace {

HANDLE as_handle(std::intptr_t h) {
  return reinterpret_cast<HANDLE>(h);
}

}  // namespace

Expected<PinnedFile> pin_regular(const std::filesystem::path& path) {
  auto h = win::open_no_follow(path, FILE_READ_ATTRIBUTES);
  if (!h) return Error{"cannot open: " + win::error_text(GetLastError())};
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h.get(), &info)) {
    return Error{"cannot stat: " + win::error_text(GetLastError())};
  }
  if (win::kind_of(h.get(), info) != FileKind::kRegular) {
    return Error{"not a regular file (a symlink or special file)"};
  }
  // Owners are SIDs on Windows; notes take their folder's ACL instead (see note.h).
  return PinnedFile{win::file_id_of(info), NoteOwner{}, info.nNumberOfLinks};
}

// A moved file keeps the ACL it had in the user's folder: it is replaced by SYSTEM and
// Administrators only (protected, so nothing is inherited), and the owner becomes Administrators
// (an owner may always rewrite the ACL, so the user must not stay the owner).
Expected<FileId> protect_stored(const std::filesystem::path& stored) {
  auto h =
      win::open_no_follow(stored, READ_CONTROL | WRITE_DAC | WRITE_OWNER | FILE_READ_ATTRIBUTES);
  bool owner_too = static_cast<bool>(h);
  if (!h) h = win::open_no_follow(stored, READ_CONTROL | WRITE_DAC | FILE_READ_ATTRIBUTES);
  if (!h) h = win::open_no_follow(stored, FILE_READ_ATTRIBUTES);
  if (!h) return Error{"cannot open stored copy: " + win::error_text(GetLastError())};
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h.get(), &info) ||
      win::kind_of(h.get(), info) != FileKind::kRegular) {
    return Error{"stored copy is not a regular file"};
  }
  win::SecurityDescriptor sd(win::kPrivateFileSddl);
  if (sd) {
    SECURITY_INFORMATION what = DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION;
    PSID owner = owner_too ? win::administrators_sid() : nullptr;
    if (owner != nullptr) what |= OWNER_SECURITY_INFORMATION;
    if (SetSecurityInfo(h.get(), SE_FILE_OBJECT, what, owner, nullptr, sd.dacl(), nullptr) !=
            ERROR_SUCCESS &&
        owner != nullptr) {
      (void)SetSecurityInfo(h.get(), SE_FILE_OBJECT,
                            DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                            nullptr, nullptr, sd.dacl(), nullptr);
    }
  }
  return win::file_id_of(info);
}

WriterGuard::WriterGuard(const std::filesystem::path& path, FileId expected) {
  HANDLE h = CreateFileW(win::long_path(path).c_str(), GENERIC_READ | DELETE,
                         FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                         FILE_FLAG_OPEN_REPARSE_POINT, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    DWORD code = GetLastError();
    busy_ = code == ERROR_SHARING_VIOLATION || code == ERROR_LOCK_VIOLATION;
    return;
  }
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h, &info) || win::file_id_of(info) != expected) {
    CloseHandle(h);
    return;
  }
  handle_ = reinterpret_cast<std::intptr_t>(h);
  held_ = true;
}

WriterGuard::~WriterGuard() {
  if (held_) CloseHandle(as_handle(handle_));
}

// The stored copy's protected SYSTEM/Administrators DACL would lock the user out of their own
// restored file: an empty, unprotected DACL makes Windows apply the folder's inheritable ACEs,
// and the folder's owner (the user, in their OneDrive) becomes the file's owner again.
Status release_restored(const std::filesystem::path& restored) {
  auto h = win::open_no_follow(restored, READ_CONTROL | WRITE_DAC | WRITE_OWNER);
  if (!h) return Error{"cannot open restored file: " + win::error_text(GetLastError())};
  ACL empty{};
  if (!InitializeAcl(&empty, sizeof(empty), ACL_REVISION)) {
    return Error{"cannot make an ACL: " + win::error_text(GetLastError())};
  }
  PSID folder_owner = nullptr;
  PSECURITY_DESCRIPTOR folder_sd = nullptr;
  const std::wstring folder = win::long_path(restored.parent_path());
  if (GetNamedSecurityInfoW(folder.c_str(), SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION,
                            &folder_owner, nullptr, nullptr, nullptr,
                            &folder_sd) != ERROR_SUCCESS) {
    folder_owner = nullptr;
  }
  SECURITY_INFORMATION what = DACL_SECURITY_INFORMATION | UNPROTECTED_DACL_SECURITY_INFORMATION;
  if (folder_owner != nullptr) what |= OWNER_SECURITY_INFORMATION;
  DWORD rc = SetSecurityInfo(h.get(), SE_FILE_OBJECT, what, folder_owner, nullptr, &empty, nullptr);
  if (rc != ERROR_SUCCESS && folder_owner != nullptr) {
    rc = SetSecurityInfo(h.get(), SE_FILE_OBJECT,
                         DACL_SECURITY_INFORMATION | UNPROTECTED_DACL_SECURITY_INFORMATION, nullptr,
                         nullptr, &empty, nullptr);
  }
  if (folder_sd != nullptr) LocalFree(folder_sd);
  if (rc != ERROR_SUCCESS)
    return Error{"cannot reset the restored file's ACL: " + win::error_text(rc)};
  return Ok{};
}

}  // namespace vakt::agent
