#include "validate/person_statement.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace vakt::validate {
namespace {

// Words that open a condition: the sentence is a rule for whoever it may concern.
constexpr std::array<std::string_view, 5> kConditional = {"om", "ifall", "när", "såvida", "innan"};

// Subjects that are a group or nobody in particular ("Alla har …", "Elever har …").
constexpr std::array<std::string_view, 40> kGeneralSubjects = {
    "alla",        "ingen",    "inga",      "många",      "några",    "flera",     "få",
    "fler",        "de",       "dem",       "man",        "vem",      "vilka",     "vilken",
    "den",         "det",      "denna",     "detta",      "dessa",    "varje",     "var",
    "hur",         "som",      "elever",    "personer",   "barn",     "vuxna",     "anställda",
    "medarbetare", "kvinnor",  "män",       "familjer",   "sökande",  "patienter", "klienter",
    "brukare",     "invånare", "individer", "medborgare", "föräldrar"};

bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// The length of the whitespace at `s[i]`: ASCII blanks and U+00A0 (C2 A0).
std::size_t space_at(std::string_view s, std::size_t i) {
  if (i < s.size() && is_space(static_cast<unsigned char>(s[i]))) return 1;
  if (i + 1 < s.size() && static_cast<unsigned char>(s[i]) == 0xC2 &&
      static_cast<unsigned char>(s[i + 1]) == 0xA0)
    return 2;
  return 0;
}

// Lower-cases ASCII and the Swedish capitals Å Ä Ö É (C3 85/84/96/89 -> C3 A5/A4/B6/A9).
std::string lower_word(std::string_view w) {
  std::string out(w);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      const auto d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view w) {
  for (std::string_view x : words) {
    if (x == w) return true;
  }
  return false;
}

// The first word of `s` from `from` and the offset just after it.
std::pair<std::string_view, std::size_t> word_at(std::string_view s, std::size_t from) {
  std::size_t end = from;
  while (end < s.size() && space_at(s, end) == 0) ++end;
  return {s.substr(from, end - from), end};
}

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (std::size_t n = space_at(s, i)) i += n;
  return i;
}

// The first character of `w` (one UTF-8 sequence).
std::string_view first_char(std::string_view w) {
  if (w.empty()) return w;
  std::size_t n = 1;
  while (n < w.size() && (static_cast<unsigned char>(w[n]) & 0xC0) == 0x80) ++n;
  return w.substr(0, n);
}

constexpr std::array<std::string_view, 3> kVerbs = {"har", "hade", "fick"};

Validation validate_statement(std::string_view match, bool reader_is_general) {
  std::vector<std::string_view> words;
  for (std::size_t i = skip_space(match, 0); i < match.size();) {
    auto [word, after] = word_at(match, i);
    words.push_back(word);
    i = skip_space(match, after);
  }
  if (words.size() < 3) return Validation::reject("no subject");
  const std::string first = lower_word(words[0]);
  if (contains(kConditional, first)) return Validation::reject("conditional clause");
  // "Sara har …" names its subject first; "… numera har familjen …" (the verb first, after an
  // adverbial) second. "har du/ni …" is a question to the reader.
  const bool inverted = contains(kVerbs, first);
  const std::size_t subject_at = inverted ? 1 : 0;
  const std::string subject = lower_word(words[subject_at]);
  const bool reader = subject == "du" || subject == "ni";
  if (contains(kGeneralSubjects, subject) || (reader && (inverted || reader_is_general))) {
    return Validation::reject("general subject");
  }
  // The subject may be a name: only its first letter is shown. The other words are the rule's
  // own vocabulary; whitespace (a line break inside the sentence) prints as one space.
  std::string masked;
  for (std::size_t w = 0; w < words.size(); ++w) {
    if (w > 0) masked += ' ';
    if (w == subject_at) {
      masked += first_char(words[w]);
      masked += "***";
    } else {
      masked += words[w];
    }
  }
  std::string normalized = lower_word(masked);
  return Validation::ok(std::move(normalized), std::move(masked));
}

}  // namespace

Validation validate_protected_identity_statement(std::string_view match,
                                                 const ValidatorContext& /*ctx*/) {
  return validate_statement(match, false);
}

Validation validate_health_statement(std::string_view match, const ValidatorContext& /*ctx*/) {
  return validate_statement(match, true);
}

}  // namespace vakt::validate
