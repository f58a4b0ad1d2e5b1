// Windows side of actions/forward.h. Every folder on the way is opened on its own name
// (FILE_FLAG_OPEN_REPARSE_POINT) and kept open without FILE_SHARE_DELETE until the move is done,
// so no component can be renamed, deleted or replaced by a junction meanwhile; a link found on
// the way is refused (for a restore, links owned by SYSTEM or Administrators — which a user
// cannot make — are followed). Missing folders are created with the ACL they inherit from their
// parent, as if the user had made them.
#include <aclapi.h>

#include <cerrno>
#include <string>

#include "actions/file_guard.h"
#include "actions/file_ops.h"
#include "actions/forward.h"
#include "platform/windows/win_util.h"

namespace vakt::agent {
namespace {

constexpr DWORD kDirAccess =
    FILE_LIST_DIRECTORY | FILE_TRAVERSE | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE;
constexpr DWORD kHoldShare = FILE_SHARE_READ | FILE_SHARE_WRITE;  // no DELETE: nothing renames it

Error win_error(const std::string& what, DWORD code) {
  return Error{what + ": " + win::error_text(code)};
}

bool owned_by_admin(HANDLE h) {
  PSID owner = nullptr;
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (GetSecurityInfo(h, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner, nullptr, nullptr,
                      nullptr, &sd) != ERROR_SUCCESS) {
    return false;
  }
  bool admin = IsWellKnownSid(owner, WinLocalSystemSid) ||
               IsWellKnownSid(owner, WinBuiltinAdministratorsSid) ||
               IsWellKnownSid(owner, WinLocalServiceSid);
  LocalFree(sd);
  return admin;
}

// Opens one folder to hold; creates it when missing. `follow_admin_links`: a link owned by
// SYSTEM/Administrators is followed (opened without FILE_FLAG_OPEN_REPARSE_POINT).
Expected<win::Handle> hold_dir(const std::filesystem::path& dir, const std::string& name,
                               bool create, bool follow_admin_links) {
  auto h = win::open_no_follow(dir, kDirAccess, kHoldShare);
  if (!h && create &&
      (GetLastError() == ERROR_FILE_NOT_FOUND || GetLastError() == ERROR_PATH_NOT_FOUND)) {
    if (!CreateDirectoryW(win::long_path(dir).c_str(), nullptr) &&
        GetLastError() != ERROR_ALREADY_EXISTS) {
      return win_error("cannot create folder " + name, GetLastError());
    }
    h = win::open_no_follow(dir, kDirAccess, kHoldShare);
  }
  if (!h) return win_error("cannot open folder " + name, GetLastError());
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h.get(), &info)) {
    return win_error("cannot open folder " + name, GetLastError());
  }
  FileKind kind = win::kind_of(h.get(), info);
  if (kind == FileKind::kSymlink && follow_admin_links && owned_by_admin(h.get())) {
    win::Handle target(CreateFileW(win::long_path(dir).c_str(), kDirAccess, kHoldShare, nullptr,
                                   OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
    if (!target || !GetFileInformationByHandle(target.get(), &info)) {
      return win_error("cannot open folder " + name, GetLastError());
    }
    // Keep the link itself open too: it cannot be removed while the target is used.
    kind = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0 ? FileKind::kDirectory
                                                                   : FileKind::kOther;
    if (kind == FileKind::kDirectory) return target;
  }
  if (kind != FileKind::kDirectory) {
    return Error{"refusing to follow a symlink or non-folder at '" + name + "'"};
  }
  return h;
}

// Holds `start` and every folder of `relative_dir` below it, creating missing ones.
Expected<HeldDir> walk_dirs(const std::filesystem::path& start,
                            const std::filesystem::path& relative_dir, bool follow_admin_links) {
  std::vector<std::intptr_t> handles;
  auto give_back = [&handles] {
    for (auto h : handles) CloseHandle(reinterpret_cast<HANDLE>(h));
  };
  auto first = hold_dir(start, win::path_utf8(start), false, follow_admin_links);
  if (!first) return first.error();
  handles.push_back(reinterpret_cast<std::intptr_t>(first->release()));
  std::filesystem::path dir = start;
  for (const auto& part : relative_dir) {
    const std::wstring name = part.native();
    if (name.empty() || name == L"." || name == L"\\" || name == L"/") continue;
    if (name == L"..") {
      give_back();
      return Error{"'..' in the target path"};
    }
    dir /= part;
    auto next = hold_dir(dir, win::to_utf8(name), true, follow_admin_links);
    if (!next) {
      give_back();
      return next.error();
    }
    handles.push_back(reinterpret_cast<std::intptr_t>(next->release()));
  }
  return HeldDir(dir, std::move(handles));
}

}  // namespace

void HeldDir::release() {
  for (auto h : handles_) CloseHandle(reinterpret_cast<HANDLE>(h));
  handles_.clear();
}

Expected<HeldDir> open_dir_no_user_symlinks(const std::filesystem::path& absolute_dir) {
  if (!absolute_dir.is_absolute() || !absolute_dir.has_root_name()) {
    return Error{"not an absolute path: " + win::path_utf8(absolute_dir)};
  }
  // The drive or share root itself (C:\, \\server\share\) is the administrator's.
  return walk_dirs(absolute_dir.root_path(), absolute_dir.relative_path(),
                   /*follow_admin_links=*/true);
}

Expected<MoveResult> forward_into(const std::filesystem::path& from,
                                  const std::filesystem::path& target_root,
                                  const std::filesystem::path& relative,
                                  std::optional<FileId> expected_id,
                                  std::string_view expected_sha256) {
  auto src = win::open_no_follow(from, FILE_READ_ATTRIBUTES);
  if (!src) return win_error("cannot open", GetLastError());
  BY_HANDLE_FILE_INFORMATION src_info{};
  if (!GetFileInformationByHandle(src.get(), &src_info)) {
    return win_error("cannot stat", GetLastError());
  }
  if (win::kind_of(src.get(), src_info) != FileKind::kRegular) {
    return Error{"not a regular file (a symlink or special file)"};
  }
  const FileId src_id = win::file_id_of(src_info);
  if (expected_id && *expected_id != src_id) {
    return Error{"file was replaced after the scan (different file identity); not forwarded"};
  }
  src.reset();  // the move needs the file without our handle in the way

  // The configured sync root itself (an administrator's path) is created as before.
  std::error_code ec;
  if (!std::filesystem::exists(target_root, ec))
    std::filesystem::create_directories(target_root, ec);
  auto held = walk_dirs(target_root, relative.parent_path(), /*follow_admin_links=*/false);
  if (!held) {
    return Error{"cannot open sync folder " + win::path_utf8(target_root) + ": " +
                 held.error().message};
  }
  const std::filesystem::path to = held->path() / relative.filename();
  if (GetFileAttributesW(win::long_path(to).c_str()) != INVALID_FILE_ATTRIBUTES) {
    return Error{std::string(kForwardConflict) +
                 ": a file with the same name is already in the sync folder; kept in the outbox"};
  }
  // A program still writing to the outbox file keeps it; as for a quarantine move.
  WriterGuard guard(from, src_id);
  if (guard.open_for_writing()) {
    return Error{std::string(kFileInUse) + " (open for writing); not forwarded, retried later"};
  }
  auto moved = safe_move(default_file_ops(), from, to, /*replace=*/false, expected_sha256);
  if (!moved) {
    if (moved.error().message.find(file_error_text(EEXIST)) != std::string::npos) {
      return Error{std::string(kForwardConflict) + ": " + moved.error().message};
    }
    return moved.error();
  }
  // What arrived must be the scanned file (a rename) or our verified copy; never a link. A copy
  // has the sync folder's inherited ACL, i.e. the user's, like a file the user saved there.
  auto landed = win::open_no_follow(to, FILE_READ_ATTRIBUTES);
  if (!landed) return win_error("forwarded file cannot be opened", GetLastError());
  BY_HANDLE_FILE_INFORMATION landed_info{};
  if (!GetFileInformationByHandle(landed.get(), &landed_info) ||
      win::kind_of(landed.get(), landed_info) != FileKind::kRegular) {
    return Error{"forwarded file is not a regular file"};
  }
  return moved;
}

}  // namespace vakt::agent
