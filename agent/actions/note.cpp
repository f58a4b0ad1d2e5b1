#include "actions/note.h"

#include <fstream>

#include "actions/utf8_path.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

std::string why(const NoteFacts& f) {
  std::string out;
  if (!f.reason.empty()) {
    out = "Filen kunde inte granskas helt (" + f.reason + "), och då får den inte synkas förrän " +
          "någon har tittat på den.\n";
    if (f.class_level == 0) return out;
  }
  out += "Filen bedömdes som informationsklass " + std::to_string(f.class_level);
  if (!f.class_name.empty()) out += " (" + f.class_name + ")";
  out += ".";
  if (!f.rule_names.empty()) {
    out += " Den innehåller:";
    for (std::size_t i = 0; i < f.rule_names.size(); ++i) {
      out += (i == 0 ? " " : ", ") + f.rule_names[i];
    }
    out += ".";
  }
  return out + "\n";
}

}  // namespace

std::string masked_file_name(const std::string& name) {
  std::string masked = mask_identity_numbers(name);
  if (masked == name) return name;
  // '*' is not allowed in OneDrive (Windows) names: the masked digits become 'X'.
  for (std::size_t i = 0; i < masked.size(); ++i) {
    if (masked[i] == '*' && (masked.size() != name.size() || name[i] != '*')) masked[i] = 'X';
  }
  return masked;
}

namespace {

// "<masked name><suffix>", the name cut (at a character boundary) so the whole stays within the
// 255 bytes a file name may have: a note for a file whose name is near the limit still fits.
std::filesystem::path note_name(const std::filesystem::path& file, const std::string& suffix) {
  std::string name = masked_file_name(path_to_utf8(file.filename()));
  constexpr std::size_t kMaxName = 255;
  if (name.size() + suffix.size() > kMaxName) {
    std::size_t cut = kMaxName - suffix.size();
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  return file.parent_path() / path_from_utf8(name + suffix);
}

}  // namespace

std::filesystem::path note_path_for(const std::filesystem::path& file) {
  return note_name(file, ".vakt.txt");
}

std::filesystem::path note_path_for(const std::filesystem::path& file, const std::string& id) {
  return note_name(file, "." + id + ".vakt.txt");
}

std::string quarantine_note_prefix(const std::string& file_name) {
  return "Vakt har flyttat filen \"" + file_name + "\"";
}

std::string hold_note_prefix(const std::string& file_name) {
  return "Vakt har hållit kvar filen \"" + file_name + "\"";
}

bool is_vakt_note(const std::filesystem::path& path, std::string_view prefix,
                  std::string_view marker) {
  std::error_code ec;
  if (prefix.empty() ||
      !std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec)))
    return false;
  // A note is a few hundred bytes; a longer file at that name is not one.
  constexpr std::size_t kMaxNote = 64 * 1024;
  std::ifstream in(path, std::ios::binary);
  std::string head(kMaxNote + 1, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.size() > kMaxNote || !head.starts_with(prefix)) return false;
  return marker.empty() || head.find(marker) != std::string::npos;
}

bool remove_vakt_note(const std::filesystem::path& path, std::string_view prefix,
                      std::string_view marker) {
  if (!is_vakt_note(path, prefix, marker)) return false;
  std::error_code ec;
  return std::filesystem::remove(path, ec);
}

bool is_note_name(const std::string& file_name) {
  constexpr std::string_view kSuffix = ".vakt.txt";
  return file_name.size() >= kSuffix.size() &&
         file_name.compare(file_name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

std::string compose_quarantine_note(const NoteFacts& f) {
  std::string t;
  t += quarantine_note_prefix(f.file_name) +
       " härifrån så att den inte laddas upp till OneDrive.\n\n";
  t += "Varför: " + why(f) + "\n";
  t += "Var den finns: i karantän på den här datorn, karantän-id " + f.quarantine_id + ".\n";
  t += "Filen är oförändrad och kan återställas.\n\n";
  t += "Vad du gör: kontakta " + (f.helpdesk.empty() ? std::string("IT-supporten") : f.helpdesk) +
       " och uppge karantän-id " + f.quarantine_id + ".\n";
  return t;
}

std::string compose_hold_note(const NoteFacts& f) {
  std::string t;
  t += hold_note_prefix(f.file_name) + " här, så att den inte laddas upp till OneDrive.\n\n";
  t += "Varför: " + why(f) + "\n";
  t += "Vad du gör: kontakta " + (f.helpdesk.empty() ? std::string("IT-supporten") : f.helpdesk) +
       " om filen behöver delas.\n";
  return t;
}

}  // namespace vakt::agent
