// Notes: the short Swedish text file "<name>.vakt.txt" Vakt leaves where it moved or held a file,
// so the user sees why, where the file is and whom to call. It names the class and the rules —
// never a matched value.
//
//   NoteFacts f{.file_name = "lista.txt", .class_level = 3, .class_name = "Känslig", ...};
//   write_note(note_path_for(path), compose_quarantine_note(f));
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

struct NoteFacts {
  std::string file_name;
  int class_level = 0;
  std::string class_name;
  std::vector<std::string> rule_names;
  std::string reason;  // for files that could not be scanned ("encrypted", ...)
  std::string quarantine_id;
  std::string helpdesk;  // configured text: "IT-servicedesk, tel 0123-45 67 89"
};

// "<folder>/<name>.vakt.txt", where a personnummer in <name> is masked ("19990604-XXXX ...") so
// the note's name never carries one to the cloud.
std::filesystem::path note_path_for(const std::filesystem::path& file);
// "<folder>/<name>.<id>.vakt.txt": a quarantine note's name when the plain one is taken (a user's
// own file, or the note of another file whose name masks the same way).
std::filesystem::path note_path_for(const std::filesystem::path& file, const std::string& id);
// A file name with personnummer masked, safe to show in a note or sync to OneDrive.
std::string masked_file_name(const std::string& name);
bool is_note_name(const std::string& file_name);
std::string compose_quarantine_note(const NoteFacts& facts);
std::string compose_hold_note(const NoteFacts& facts);
// How each note's text begins (file_name as in NoteFacts: masked). Vakt replaces or deletes a file
// at a note's name only when its text begins so: a user's own "rapport.txt.vakt.txt" is never
// touched.
std::string quarantine_note_prefix(const std::string& file_name);
std::string hold_note_prefix(const std::string& file_name);
// True only for text shaped exactly as Vakt writes a quarantine or hold note, every field short
// and free of unmasked personnummer (the file name, class name, rule names, reason, helpdesk
// text: free text, so that a note written before a rules or helpdesk change still counts). The
// agent leaves such a file alone; anything else named "*.vakt.txt" — a document renamed so, to
// slip past — is scanned like any other file.
bool is_genuine_note(std::string_view text);

// A regular file (not a link) whose text starts with `prefix` and, when given, holds `marker`.
bool is_vakt_note(const std::filesystem::path& path, std::string_view prefix,
                  std::string_view marker = {});
// Deletes `path` only when is_vakt_note(path, prefix, marker); true when it did.
bool remove_vakt_note(const std::filesystem::path& path, std::string_view prefix,
                      std::string_view marker = {});
struct NoteOwner {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

enum class NoteInstall { kWritten, kNameTaken };

// Writes atomically: a new randomly named temporary file created with O_EXCL|O_NOFOLLOW inside the
// folder opened with O_NOFOLLOW, fsynced, then moved to `note_path` without replacing anything
// there — except a file whose text starts with `replaceable_prefix` (when not empty: Vakt's own
// older note for the same file). Anything else at that name (a user's file, a link, another
// file's note) stays, and the answer is kNameTaken. The note is mode 0644; when running as root
// it is chowned to `owner` (default: the folder's owner). On Windows (platform/windows/) the same
// steps use handles and CREATE_NEW; the note takes the folder's inherited ACL, so the user who
// owns the folder can read it, and `owner` is not used.
Expected<NoteInstall> write_note(const std::filesystem::path& note_path, const std::string& text,
                                 std::optional<NoteOwner> owner = std::nullopt,
                                 std::string_view replaceable_prefix = {});

}  // namespace vakt::agent
