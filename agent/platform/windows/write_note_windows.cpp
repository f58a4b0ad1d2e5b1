// Windows side of write_note (actions/note.h). The folder is opened on its own name (a link is
// refused) and held without delete sharing, so it cannot be renamed or swapped while the note is
// written; the note is a new randomly named file (CREATE_NEW) flushed and then moved to the note's
// name with MoveFileExW without replacing; only Vakt's own older note for the same file is
// replaced (a user's file, or a planted link, stays). The note takes the folder's inherited ACL,
// so the folder's user can read it; `owner` is unused.
#include <cstdio>
#include <random>

#include "actions/note.h"
#include "platform/windows/win_util.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

Error note_error(const std::filesystem::path& note_path, const char* step, DWORD code) {
  return Error{"cannot write note " + mask_identity_numbers(win::path_utf8(note_path)) + ": " +
               step + ": " + win::error_text(code)};
}

std::wstring random_temp_name() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  wchar_t buf[48];
  std::swprintf(buf, std::size(buf), L".vakt-note-%016llx.tmp",
                static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace

Expected<NoteInstall> write_note(const std::filesystem::path& note_path, const std::string& text,
                                 std::optional<NoteOwner> /*owner*/,
                                 std::string_view replaceable_prefix) {
  auto parent = note_path.parent_path();
  if (parent.empty()) parent = ".";
  auto dir = win::open_no_follow(parent, FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE);
  if (!dir) return note_error(note_path, "open folder", GetLastError());
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(dir.get(), &info)) {
    return note_error(note_path, "stat folder", GetLastError());
  }
  if (win::kind_of(dir.get(), info) != FileKind::kDirectory) {
    return note_error(note_path, "open folder", ERROR_CANT_RESOLVE_FILENAME);
  }
  std::wstring tmp;
  win::Handle out;
  for (int attempt = 0; attempt < 8 && !out; ++attempt) {
    tmp = win::long_path(parent / random_temp_name());
    out = win::Handle(CreateFileW(tmp.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                                  FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!out && GetLastError() != ERROR_FILE_EXISTS) {
      return note_error(note_path, "create", GetLastError());
    }
  }
  if (!out) return note_error(note_path, "create", ERROR_FILE_EXISTS);
  auto fail = [&](const char* step) -> Error {
    DWORD code = GetLastError();
    out.reset();
    DeleteFileW(tmp.c_str());
    return note_error(note_path, step, code);
  };
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    DWORD n = 0;
    DWORD chunk = left > 0x40000000u ? 0x40000000u : static_cast<DWORD>(left);
    if (!WriteFile(out.get(), data, chunk, &n, nullptr) || n == 0) return fail("write");
    data += n;
    left -= n;
  }
  if (!FlushFileBuffers(out.get())) return fail("flush");
  if (!CloseHandle(out.release())) return fail("close");
  if (!MoveFileExW(tmp.c_str(), win::long_path(note_path).c_str(), MOVEFILE_WRITE_THROUGH)) {
    DWORD code = GetLastError();
    const bool taken = code == ERROR_ALREADY_EXISTS || code == ERROR_FILE_EXISTS;
    // Taken: Vakt's own older note for this file gives way; anything else stays as it is.
    if (taken && !is_vakt_note(note_path, replaceable_prefix)) {
      DeleteFileW(tmp.c_str());
      return NoteInstall::kNameTaken;
    }
    if (!taken || !MoveFileExW(tmp.c_str(), win::long_path(note_path).c_str(),
                               MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
      if (taken) code = GetLastError();
      DeleteFileW(tmp.c_str());
      return note_error(note_path, "rename", code);
    }
  }
  return NoteInstall::kWritten;
}

}  // namespace vakt::agent
