// Differential test (RE2's tester.h idea): the Hyperscan streaming path against a deliberately
// simple RE2-only reference — every (start, end) pair tried with FullMatch, leftmost start per
// end — on random Swedish-like text cut into random chunks.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <map>
#include <random>
#include <set>

#include "test_rules.h"
#include "validate/validator.h"

namespace vakt {
namespace {

using test::TempDir;

const std::vector<std::string> kProsePieces = {"och",
                                               "barnet",
                                               "orosanmälan",
                                               "OROSANMÄLAN",
                                               "kommunen",
                                               "mötet",
                                               "Ärende",
                                               "LVU",
                                               "LVUX",
                                               "990604-2388",
                                               "19990604-2388",
                                               "9906042388",
                                               "199906042388",
                                               "640823-3234",
                                               "19121212-1212",
                                               "701063-2391",
                                               "990604+2388",
                                               "990604\u20132388",
                                               "212000-0142",
                                               "0701234567",
                                               "12345",
                                               "990604-2389",
                                               "1199906042388",
                                               "omfattas av sekretess",
                                               "omfattas\nav  sekretess",
                                               "sekretessmarkerad",
                                               "\n",
                                               "-",
                                               "+",
                                               "ÅÄÖ",
                                               "é",
                                               "2024-01-15",
                                               "08-123 456 78",
                                               "omfattas\u2009av\u00a0sekretess",
                                               "omfattas\vav\u3000sekretess",
                                               "SEKRETESSMARKERAD",
                                               "orosanmÄlan",
                                               "\u201d",
                                               "\u00ad",
                                               "\u2011",
                                               "LVU"};

// Islands of digits and separators packed close together: numbers glued to numbers, separators
// doubled, Unicode dashes and no-break spaces, so candidates straddle every chunk boundary.
const std::vector<std::string> kDigitPieces = {"990604-2388",
                                               "19990604-2388",
                                               "9906042388",
                                               "199906042388",
                                               "640823-3234",
                                               "19121212-1212",
                                               "701063-2391",
                                               "990604+2388",
                                               "990604\u20132388",
                                               "990604\u22122388",
                                               "990604\u00a02388",
                                               "990604\u202f2388",
                                               "212000-0142",
                                               "16212000-0142",
                                               "990604--2388",
                                               "990604-2388-2388",
                                               "0",
                                               "1",
                                               "12",
                                               "-",
                                               "+",
                                               "\u2013",
                                               "\u00a0",
                                               ":",
                                               "/",
                                               " ",
                                               "\n",
                                               "pnr",
                                               "1999060423881"};

std::string random_text(std::mt19937& rng, std::size_t words,
                        const std::vector<std::string>& kPieces = kProsePieces) {
  std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> glue(0, 5);
  std::string out;
  for (std::size_t i = 0; i < words; ++i) {
    if (glue(rng) == 0) {
      for (int k = digit(rng); k >= 0; --k) out += static_cast<char>('0' + digit(rng));
    } else {
      out += kPieces[pick(rng)];
    }
    if (glue(rng) != 0) out += ' ';
  }
  return out;
}

struct RefRule {
  std::string id;
  std::unique_ptr<RE2> re;
  bool digit_boundaries = false;
  bool word_bounded = false;
  std::string validator;
};

bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
// A word character by code point: ASCII letters, digits and '_', and every non-ASCII code point
// except Latin-1 punctuation (U+0080-U+00BF, U+00D7, U+00F7), U+2000-U+2BFF, U+3000-U+303F and
// U+FEFF — so a no-break space, curly quote, en dash or soft hyphen ends a word; å and é do not.
bool is_word_cp(std::uint32_t cp) {
  if (cp < 0x80) {
    return is_digit(static_cast<int>(cp)) || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '_';
  }
  if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7) return false;
  if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F)) return false;
  return cp != 0xFEFF;
}

// The code point whose UTF-8 encoding ends just before `end` / starts at `start` (the texts here
// are valid UTF-8).
std::uint32_t decode_at(const std::string& t, std::size_t start) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(t[i]); };
  if (b(start) < 0x80) return b(start);
  const int extra = b(start) >= 0xF0 ? 3 : b(start) >= 0xE0 ? 2 : 1;
  std::uint32_t cp = b(start) & (0x3Fu >> extra);
  for (int k = 1; k <= extra; ++k)
    cp = (cp << 6) | (b(start + static_cast<std::size_t>(k)) & 0x3Fu);
  return cp;
}
bool word_before(const std::string& t, std::size_t end) {
  if (end == 0) return false;
  std::size_t lead = end - 1;
  while (lead > 0 && (static_cast<unsigned char>(t[lead]) & 0xC0) == 0x80) --lead;
  return is_word_cp(decode_at(t, lead));
}
bool word_after(const std::string& t, std::size_t start) {
  return start < t.size() && is_word_cp(decode_at(t, start));
}

std::multiset<std::pair<std::string, std::uint64_t>> reference(const std::vector<RefRule>& rules,
                                                               const std::string& text) {
  std::multiset<std::pair<std::string, std::uint64_t>> out;
  validate::ValidatorContext vctx{{2026, 11, 27}};
  for (const auto& r : rules) {
    for (std::size_t end = 1; end <= text.size(); ++end) {
      for (std::size_t start = end > 64 ? end - 64 : 0; start < end; ++start) {
        re2::StringPiece piece(text.data() + start, end - start);
        if (!RE2::FullMatch(piece, *r.re)) continue;
        const int before = start > 0 ? static_cast<unsigned char>(text[start - 1]) : -1;
        const int after = end < text.size() ? static_cast<unsigned char>(text[end]) : -1;
        bool ok = true;
        if (r.digit_boundaries) ok = !is_digit(before) && !is_digit(after);
        if (r.word_bounded) ok = !word_before(text, start) && !word_after(text, end);
        if (ok && !r.validator.empty()) {
          ok = validate::find_validator(r.validator)(text.substr(start, end - start), vctx).valid;
        }
        if (ok) out.insert({r.id, start});
        break;  // leftmost start for this end only, like the engine
      }
    }
  }
  return out;
}

// The reference rules, written for RE2 independently of the engine's own pattern rewriting.
// Phrase gaps are Hyperscan's Unicode \s (what the engine documents), not RE2's ASCII \s.
std::vector<RefRule> reference_rules() {
  RE2::Options utf8;
  RE2::Options caseless;
  caseless.set_case_sensitive(false);
  std::vector<RefRule> rules;
  rules.push_back({"t.pnr",
                   std::make_unique<RE2>("(?:[0-9]{2})?[0-9]{6}(?:-|\\+|\\x{2013})?[0-9]{4}", utf8),
                   true, false, "personnummer"});
  rules.push_back({"t.word", std::make_unique<RE2>("orosanmäl", caseless), false, false, ""});
  rules.push_back({"t.word", std::make_unique<RE2>("LVU", caseless), false, true, ""});
  rules.push_back(
      {"t.marking", std::make_unique<RE2>("sekretessmarkerad", caseless), false, false, ""});
  const std::string gap =
      "[\\t\\n\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{180E}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}"
      "\\x{202F}\\x{205F}\\x{3000}]+";
  rules.push_back({"t.marking",
                   std::make_unique<RE2>("omfattas" + gap + "av" + gap + "sekretess", caseless),
                   false, false, ""});
  return rules;
}

// Scans `rounds` random texts cut into random chunks and compares with the reference; returns
// how many findings were compared.
std::size_t compare_rounds(std::mt19937& rng, int rounds, const std::vector<std::string>& pieces,
                           std::size_t max_chunk) {
  TempDir dir;
  auto engine = test::test_engine(dir);
  const auto rules = reference_rules();
  for (const auto& r : rules) EXPECT_TRUE(r.re->ok()) << r.re->error();
  TextScanner scanner(engine);
  std::size_t compared = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string text = random_text(rng, 120, pieces);
    const std::size_t chunk = std::uniform_int_distribution<std::size_t>(1, max_chunk)(rng);
    auto v = test::scan_text(scanner, text, chunk);
    std::multiset<std::pair<std::string, std::uint64_t>> got;
    for (const auto& f : v.findings) got.insert({f.rule_id, f.offset});
    auto want = reference(rules, text);
    EXPECT_EQ(got, want) << "round " << round << " chunk " << chunk;
    if (got != want) break;
    compared += want.size();
  }
  return compared;
}

TEST(Differential, HyperscanPathAgreesWithRe2Reference) {
  std::mt19937 rng(20261127);
  EXPECT_GT(compare_rounds(rng, 60, kProsePieces, 97), 500u);  // the text exercised the rules
}

// Digit islands dense enough that nearly every chunk boundary (1-13 bytes apart) cuts one.
TEST(Differential, DigitDenseTextCutInsideNumbers) {
  std::mt19937 rng(4711);
  EXPECT_GT(compare_rounds(rng, 80, kDigitPieces, 13), 300u);
}

}  // namespace
}  // namespace vakt
