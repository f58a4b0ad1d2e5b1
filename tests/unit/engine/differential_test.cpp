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

std::string random_text(std::mt19937& rng, std::size_t words) {
  static const std::vector<std::string> kPieces = {"och",
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
                                                   "08-123 456 78"};
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
bool is_word(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
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
        if (r.word_bounded) ok = !is_word(before) && !is_word(after);
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

TEST(Differential, HyperscanPathAgreesWithRe2Reference) {
  TempDir dir;
  auto engine = test::test_engine(dir);
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
  rules.push_back(
      {"t.marking",
       std::make_unique<RE2>("omfattas(?:\\s|\\x{00A0})+av(?:\\s|\\x{00A0})+sekretess", caseless),
       false, false, ""});
  for (const auto& r : rules) ASSERT_TRUE(r.re->ok()) << r.re->error();

  TextScanner scanner(engine);
  std::mt19937 rng(20261127);
  std::size_t compared = 0;
  for (int round = 0; round < 60; ++round) {
    const std::string text = random_text(rng, 120);
    const std::size_t chunk = std::uniform_int_distribution<std::size_t>(1, 97)(rng);
    auto v = test::scan_text(scanner, text, chunk);
    std::multiset<std::pair<std::string, std::uint64_t>> got;
    for (const auto& f : v.findings) got.insert({f.rule_id, f.offset});
    auto want = reference(rules, text);
    ASSERT_EQ(got, want) << "round " << round << " chunk " << chunk;
    compared += want.size();
  }
  EXPECT_GT(compared, 500u);  // the text really exercised the rules
}

}  // namespace
}  // namespace vakt
