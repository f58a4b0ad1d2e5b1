// Notes: the short Swedish text file "<name>.vakt.txt" Vakt leaves where it moved or held a file,
// so the user sees why, where the file is and whom to call. It names the class and the rules —
// never a matched value.
//
//   NoteFacts f{.file_name = "lista.txt", .class_level = 3, .class_name = "Känslig", ...};
//   write_note(note_path_for(path), compose_quarantine_note(f));
#pragma once

#include <filesystem>
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

std::filesystem::path note_path_for(const std::filesystem::path& file);
bool is_note_name(const std::string& file_name);
std::string compose_quarantine_note(const NoteFacts& facts);
std::string compose_hold_note(const NoteFacts& facts);
// Writes atomically (temporary file + rename), replacing an older note.
Status write_note(const std::filesystem::path& note_path, const std::string& text);

}  // namespace vakt::agent
