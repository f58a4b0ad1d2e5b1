// File guards for a quarantine move in a folder the user controls: pin the very file that was
// scanned (never a symlink's target), hold off writers while it moves, and lock down the stored
// copy. A platform seam: platform/linux/ uses O_PATH fds and a read lease, platform/windows/ uses
// handles opened on the reparse point itself, share modes and a protected DACL.
//
//   auto pinned = pin_regular(path);                 // identity + owner, or why not
//   WriterGuard guard(path, pinned->id);
//   if (guard.open_for_writing()) return busy;      // retried later; the file stays put
//   ... move ...
//   auto stored_id = protect_stored(stored_path);    // only the agent (root/SYSTEM) can read it
#pragma once

#include <cstdint>
#include <filesystem>

#include "actions/note.h"
#include "runtime/file_info.h"
#include "vakt/scanner/expected.h"

namespace vakt::agent {

// The file at `path` itself: its identity and owner.
struct PinnedFile {
  FileId id;
  NoteOwner owner;
  std::uint64_t links = 1;  // hard links to the file: more than one means it must be copied
};

// Fails for a missing path, a symlink (or other reparse point) or anything but a regular file.
Expected<PinnedFile> pin_regular(const std::filesystem::path& path);

// The identity of the stored copy, seen without following a link, after making it readable only
// by the agent where the folder alone does not (Windows: a protected DACL for SYSTEM and
// Administrators, since a moved file keeps the user's ACL). Linux changes nothing: the 0700
// folder keeps others out, and a chmod would reach every hard link of the inode and lose the
// mode a restore must give back. A failure to tighten is not an error: the folder is private.
Expected<FileId> protect_stored(const std::filesystem::path& stored);

// A restored file is the user's again (Windows: the protected DACL goes, and the file inherits
// its folder's ACL and owner, like a file saved there; Linux: nothing to undo). Best effort.
Status release_restored(const std::filesystem::path& restored);

// Held for the length of a move. open_for_writing() is true when another program has the file
// open for writing (Linux: a read lease is refused; Windows: a sharing violation — Word still
// has the document open), in which case the caller must leave the file where it is and retry
// later. While held, a program opening the file for writing waits (Linux) or is refused
// (Windows) until the move is done. Where the check is not available the move goes ahead.
class WriterGuard {
 public:
  WriterGuard(const std::filesystem::path& path, FileId expected);
  ~WriterGuard();
  WriterGuard(const WriterGuard&) = delete;
  WriterGuard& operator=(const WriterGuard&) = delete;
  bool open_for_writing() const { return busy_; }

 private:
  std::intptr_t handle_ = -1;
  bool held_ = false;
  bool busy_ = false;
};

}  // namespace vakt::agent
