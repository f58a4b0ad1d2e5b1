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
// A file name with personnummer masked, safe to show in a note or sync to OneDrive.
std::string masked_file_name(const std::string& name);
bool is_note_name(const std::string& file_name);
std::string compose_quarantine_note(const NoteFacts& facts);
std::string compose_hold_note(const NoteFacts& facts);
struct NoteOwner {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

// Writes atomically, replacing an older note: a new randomly named temporary file created with
// O_EXCL|O_NOFOLLOW inside the folder opened with O_NOFOLLOW, fsynced, renamed into place. The
// note is mode 0644; when running as root it is chowned to `owner` (default: the folder's owner).
// On Windows (platform/windows/) the same steps use handles and CREATE_NEW; the note takes the
// folder's inherited ACL, so the user who owns the folder can read it, and `owner` is not used.
Status write_note(const std::filesystem::path& note_path, const std::string& text,
                  std::optional<NoteOwner> owner = std::nullopt);

}  // namespace vakt::agent
