// Windows FileOps: CreateFileW/ReadFile/WriteFile/FlushFileBuffers/MoveFileExW/DeleteFileW on
// \\?\ paths, links never followed. Codes are errno-style (win_util.h); a sharing violation is
// FileOps::kInUse, so a file another program holds open is left where it is and retried.
#include <cerrno>
#include <cstring>

#include "actions/file_ops.h"
#include "platform/windows/win_util.h"

namespace vakt::agent {
namespace {

int last_error() {
  return win::errno_from_win(GetLastError());
}

HANDLE as_handle(FileHandle h) {
  return reinterpret_cast<HANDLE>(h);
}

class WindowsFileOps final : public FileOps {
 public:
  // MOVEFILE_WRITE_THROUGH: returns only once the rename is on disk (what the folder fsync after
  // a rename gives on Linux). No MOVEFILE_COPY_ALLOWED: a move to another volume fails with
  // ERROR_NOT_SAME_DEVICE (kCrossDevice) and safe_move does its verified copy instead.
  int rename_file(const std::filesystem::path& from, const std::filesystem::path& to,
                  bool replace) override {
    DWORD flags = MOVEFILE_WRITE_THROUGH | (replace ? MOVEFILE_REPLACE_EXISTING : 0);
    if (MoveFileExW(win::long_path(from).c_str(), win::long_path(to).c_str(), flags)) return 0;
    return last_error();
  }

  // Others may read and delete/rename while we read; a writer makes this a sharing violation.
  // The link itself is opened, and refused (ELOOP) like open(O_NOFOLLOW) on Linux.
  int open_read(const std::filesystem::path& path, FileHandle& out) override {
    HANDLE h = CreateFileW(win::long_path(path).c_str(), GENERIC_READ,
                           FILE_SHARE_READ | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                           FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_SEQUENTIAL_SCAN, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
      DWORD code = GetLastError();
      // A folder cannot be opened without FILE_FLAG_BACKUP_SEMANTICS: say what it is.
      if (code == ERROR_ACCESS_DENIED) {
        DWORD attrs = GetFileAttributesW(win::long_path(path).c_str());
        if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY) != 0) {
          return EISDIR;
        }
      }
      return win::errno_from_win(code);
    }
    BY_HANDLE_FILE_INFORMATION info{};
    if (!GetFileInformationByHandle(h, &info)) {
      int err = last_error();
      CloseHandle(h);
      return err;
    }
    FileKind kind = win::kind_of(h, info);
    if (kind != FileKind::kRegular) {
      CloseHandle(h);
      return kind == FileKind::kDirectory ? EISDIR : ELOOP;
    }
    out = reinterpret_cast<FileHandle>(h);
    return 0;
  }

  // CREATE_NEW fails if the name exists (a file or a link). The new file takes the folder's
  // inherited ACL: in the quarantine folder that is SYSTEM and Administrators only.
  int create_exclusive(const std::filesystem::path& path, FileHandle& out) override {
    HANDLE h = CreateFileW(win::long_path(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ, nullptr, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) return last_error();
    out = reinterpret_cast<FileHandle>(h);
    return 0;
  }

  int read_some(FileHandle h, char* buf, std::size_t size, std::size_t& got) override {
    DWORD want = size > 0x40000000u ? 0x40000000u : static_cast<DWORD>(size);
    DWORD n = 0;
    if (!ReadFile(as_handle(h), buf, want, &n, nullptr)) {
      if (GetLastError() == ERROR_HANDLE_EOF) {
        got = 0;
        return 0;
      }
      return last_error();
    }
    got = n;
    return 0;
  }

  int write_all(FileHandle h, const char* data, std::size_t size) override {
    while (size > 0) {
      DWORD chunk = size > 0x40000000u ? 0x40000000u : static_cast<DWORD>(size);
      DWORD n = 0;
      if (!WriteFile(as_handle(h), data, chunk, &n, nullptr)) return last_error();
      if (n == 0) return EIO;
      data += n;
      size -= n;
    }
    return 0;
  }

  int sync_file(FileHandle h) override { return FlushFileBuffers(as_handle(h)) ? 0 : last_error(); }

  int close_file(FileHandle h) override { return CloseHandle(as_handle(h)) ? 0 : last_error(); }

  // NTFS journals its metadata (names, sizes) in its own log, and rename_file above already
  // waits for the rename to reach the disk (MOVEFILE_WRITE_THROUGH); a new file's name is made
  // durable with its data by FlushFileBuffers on the file. Flushing the folder is therefore only
  // a best effort: a folder handle opened for writing can be flushed on NTFS, but file systems
  // (and wine) that refuse it are not an error. A missing folder is.
  int sync_dir(const std::filesystem::path& dir) override {
    HANDLE h = CreateFileW(win::long_path(dir).c_str(), GENERIC_READ | GENERIC_WRITE,
                           FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (h == INVALID_HANDLE_VALUE) {
      int err = last_error();
      return err == ENOENT || err == ENOTDIR ? err : 0;
    }
    (void)FlushFileBuffers(h);
    CloseHandle(h);
    return 0;
  }

  // Like unlink(2), a read-only attribute does not stop the agent from removing its own copy.
  int remove_file(const std::filesystem::path& path) override {
    const std::wstring p = win::long_path(path);
    if (DeleteFileW(p.c_str())) return 0;
    DWORD code = GetLastError();
    if (code == ERROR_ACCESS_DENIED) {
      DWORD attrs = GetFileAttributesW(p.c_str());
      if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_READONLY) != 0 &&
          (attrs & FILE_ATTRIBUTE_DIRECTORY) == 0 &&
          SetFileAttributesW(p.c_str(), attrs & ~static_cast<DWORD>(FILE_ATTRIBUTE_READONLY))) {
        if (DeleteFileW(p.c_str())) return 0;
        code = GetLastError();
        SetFileAttributesW(p.c_str(), attrs);
      }
    }
    return win::errno_from_win(code);
  }
};

}  // namespace

FileOps& default_file_ops() {
  static WindowsFileOps ops;
  return ops;
}

// Times (creation, last access, last write) and the file attributes that describe content
// (read-only, hidden, archive, not-indexed). Ownership and ACL are not copied: the copy takes
// the ACL of the folder it is created in, which is what the destination wants (the private
// quarantine folder, or the user's own folder on a restore).
int copy_file_metadata(FileHandle from, FileHandle to) {
  FILE_BASIC_INFO basic{};
  if (!GetFileInformationByHandleEx(as_handle(from), FileBasicInfo, &basic, sizeof(basic))) {
    return last_error();
  }
  constexpr DWORD kKept = FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE |
                          FILE_ATTRIBUTE_NOT_CONTENT_INDEXED;
  basic.FileAttributes &= kKept;
  if (basic.FileAttributes == 0) basic.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  basic.ChangeTime.QuadPart = 0;  // 0: leave as it is (the system keeps it)
  if (!SetFileInformationByHandle(as_handle(to), FileBasicInfo, &basic, sizeof(basic))) {
    return last_error();
  }
  return 0;
}

std::string file_error_text(int err) {
  if (err == FileOps::kCrossDevice) return "different file system";
  if (err == FileOps::kInUse) {
    return "in use by another program (sharing violation); left in place and retried later";
  }
  if (err >= win::kWin32Base) return win::error_text(static_cast<DWORD>(err - win::kWin32Base));
  return std::strerror(err);
}

}  // namespace vakt::agent
