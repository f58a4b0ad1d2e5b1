#include "actions/note.h"

#include <fstream>
#include <system_error>

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

std::filesystem::path note_path_for(const std::filesystem::path& file) {
  auto p = file;
  p += ".vakt.txt";
  return p;
}

bool is_note_name(const std::string& file_name) {
  constexpr std::string_view kSuffix = ".vakt.txt";
  return file_name.size() >= kSuffix.size() &&
         file_name.compare(file_name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

std::string compose_quarantine_note(const NoteFacts& f) {
  std::string t;
  t += "Vakt har flyttat filen \"" + f.file_name + "\" härifrån så att den inte laddas upp till " +
       "OneDrive.\n\n";
  t += "Varför: " + why(f) + "\n";
  t += "Var den finns: i karantän på den här datorn, karantän-id " + f.quarantine_id + ".\n";
  t += "Filen är oförändrad och kan återställas.\n\n";
  t += "Vad du gör: kontakta " + (f.helpdesk.empty() ? std::string("IT-supporten") : f.helpdesk) +
       " och uppge karantän-id " + f.quarantine_id + ".\n";
  return t;
}

std::string compose_hold_note(const NoteFacts& f) {
  std::string t;
  t += "Vakt har hållit kvar filen \"" + f.file_name + "\" här, så att den inte laddas upp till " +
       "OneDrive.\n\n";
  t += "Varför: " + why(f) + "\n";
  t += "Vad du gör: kontakta " + (f.helpdesk.empty() ? std::string("IT-supporten") : f.helpdesk) +
       " om filen behöver delas.\n";
  return t;
}

Status write_note(const std::filesystem::path& note_path, const std::string& text) {
  auto tmp = note_path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{"cannot write note " + note_path.string()};
    out << text;
    if (!out.flush()) return Error{"cannot write note " + note_path.string()};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, note_path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Error{"cannot write note " + note_path.string()};
  }
  return Ok{};
}

}  // namespace vakt::agent
