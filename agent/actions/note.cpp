#include "actions/note.h"

#include <algorithm>
#include <fstream>

#include "actions/quarantine_id.h"
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

namespace {

// Reads `lit` at `at`; false when the text differs.
bool take(std::string_view text, std::size_t& at, std::string_view lit) {
  if (text.substr(at, lit.size()) != lit) return false;
  at += lit.size();
  return true;
}

// The text from `at` up to `end_lit` (not included); false when `end_lit` is missing or the field
// spans a line break.
bool field(std::string_view text, std::size_t& at, std::string_view end_lit, std::string& out) {
  const std::size_t end = text.find(end_lit, at);
  if (end == std::string_view::npos) return false;
  out.assign(text.substr(at, end - at));
  if (out.find('\n') != std::string::npos) return false;
  at = end + end_lit.size();
  return true;
}

bool clean(std::string_view s) {
  return s.size() <= 300 && mask_identity_numbers(s) == s;
}

}  // namespace

bool is_genuine_note(std::string_view text) {
  if (text.size() > 16 * 1024) return false;
  NoteFacts f;
  std::size_t at = 0;
  bool quarantine = false;
  if (take(text, at, "Vakt har flyttat filen \"")) {
    quarantine = true;
  } else if (!take(text, at, "Vakt har hållit kvar filen \"")) {
    return false;
  }
  if (!field(text, at, "\"", f.file_name) || !clean(f.file_name)) return false;
  // "Varför:" — the reason, the class and the rules, as why() writes them.
  const std::size_t why_at = text.find("Varför: ", at);
  if (why_at == std::string_view::npos) return false;
  at = why_at + std::string_view("Varför: ").size();
  if (take(text, at, "Filen kunde inte granskas helt (")) {
    if (!field(text, at, "), och då får den inte synkas", f.reason) || !clean(f.reason)) {
      return false;
    }
  }
  std::size_t class_at = text.find("Filen bedömdes som informationsklass ", at);
  if (class_at != std::string_view::npos && class_at < text.find("\n\n", at)) {
    at = class_at + std::string_view("Filen bedömdes som informationsklass ").size();
    if (at >= text.size() || text[at] < '0' || text[at] > '3') return false;
    f.class_level = text[at] - '0';
    std::string line;
    if (!field(text, at, "\n", line)) return false;
    line.erase(0, 1);
    if (line.starts_with(" (")) {
      const std::size_t close = line.find(").");
      if (close == std::string::npos) return false;
      f.class_name = line.substr(2, close - 2);
      line.erase(0, close + 1);
      if (!clean(f.class_name)) return false;
    }
    if (!line.starts_with(".")) return false;
    line.erase(0, 1);
    if (!line.empty()) {
      constexpr std::string_view kHolds = " Den innehåller: ";
      if (!line.starts_with(kHolds) || !line.ends_with(".")) return false;
      std::string_view list =
          std::string_view(line).substr(kHolds.size(), line.size() - kHolds.size() - 1);
      if (list.size() > 8 * 1024 || mask_identity_numbers(list) != list) return false;
      while (!list.empty()) {  // the rebuild below checks the joining
        const std::size_t comma = list.find(", ");
        f.rule_names.emplace_back(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 2);
      }
    }
  }
  if (quarantine) {
    const std::size_t id_at = text.find("karantän-id ");
    if (id_at == std::string_view::npos) return false;
    f.quarantine_id = std::string(text.substr(id_at + std::string_view("karantän-id ").size(), 23));
    if (!is_quarantine_id(f.quarantine_id)) return false;
  }
  {
    // "Vad du gör: kontakta <helpdesk> och uppge …" / "… <helpdesk> om filen behöver delas."
    const std::size_t h = text.find("Vad du gör: kontakta ");
    if (h == std::string_view::npos) return false;
    std::size_t from = h + std::string_view("Vad du gör: kontakta ").size();
    if (!field(text, from, quarantine ? " och uppge karantän-id " : " om filen behöver delas.",
               f.helpdesk) ||
        !clean(f.helpdesk)) {
      return false;
    }
  }
  // The last word: the whole text must be exactly what Vakt writes for these facts.
  const std::string rebuilt = quarantine ? compose_quarantine_note(f) : compose_hold_note(f);
  return rebuilt == text;
}

}  // namespace vakt::agent
