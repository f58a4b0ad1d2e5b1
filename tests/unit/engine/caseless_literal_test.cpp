// caseless_literal: which patterns become byte literals, and that the engine still finds every
// case form of Swedish vocabulary and every Unicode space inside phrases after the rewrite.
#include "match/caseless_literal.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "rules/rule_loader.h"
#include "test_rules.h"

namespace vakt {
namespace {

using match::caseless_literal;
using test::TempDir;

TEST(CaselessLiteral, AsciiTermStaysLettersForCaselessFlag) {
  auto lit = caseless_literal("kommunen");
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->hs_expression, "kommunen");
  EXPECT_EQ(lit->re2_expression, "kommunen");
  EXPECT_FALSE(lit->has_gap);
}

TEST(CaselessLiteral, SwedishLettersBecomeBothCaseForms) {
  auto lit = caseless_literal("orosanmäl");
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->hs_expression, "orosanm(?:\\xc3\\x84|\\xc3\\xa4)l");
  auto upper = caseless_literal("ÅÖÉ");
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->hs_expression,
            "(?:\\xc3\\x85|\\xc3\\xa5)(?:\\xc3\\x96|\\xc3\\xb6)(?:\\xc3\\x89|\\xc3\\xa9)");
}

TEST(CaselessLiteral, EscapedPunctuationAndSymbolsAreBytes) {
  auto lit = caseless_literal(rules::term_to_expression("p-nr"));
  ASSERT_TRUE(lit);
  EXPECT_EQ(lit->hs_expression, "p\\x2dnr");
  auto para = caseless_literal("§");
  ASSERT_TRUE(para);
  EXPECT_EQ(para->hs_expression, "\\xc2\\xa7");
}

TEST(CaselessLiteral, PhraseGapIsHyperscanUnicodeSpace) {
  auto lit = caseless_literal(rules::term_to_expression("anmälan om oro"));
  ASSERT_TRUE(lit);
  EXPECT_TRUE(lit->has_gap);
  EXPECT_NE(lit->hs_expression.find("\\xe2\\x80[\\x80-\\x8a\\xa8\\xa9\\xaf]"), std::string::npos);
  EXPECT_NE(lit->re2_expression.find("\\x{3000}"), std::string::npos);
}

// The engine takes a literal's widths from caseless_literal instead of asking Hyperscan at
// start-up: they must be exactly what hs_expression_info says, for every term and keyword Vakt
// ships.
TEST(CaselessLiteral, WidthsAgreeWithHyperscanForEveryEmbeddedTerm) {
  auto set = rules::load_embedded_rules();
  ASSERT_TRUE(set.ok()) << set.error().message;
  std::vector<std::string> expressions;
  for (const auto& r : set->rules) {
    for (const auto& p : r.patterns) {
      if (p.caseless && p.utf8 && !p.dotall && !p.multiline) expressions.push_back(p.expression);
    }
    for (const auto& k : r.context.keywords) expressions.push_back(rules::term_to_expression(k));
  }
  for (const char* extra : {"a", "§", "ÅÖÉ", "p\\-nr", "x y z"}) {
    expressions.push_back(rules::term_to_expression(extra));
  }
  std::size_t checked = 0;
  for (const auto& e : expressions) {
    auto lit = caseless_literal(e);
    if (!lit) continue;
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    ASSERT_EQ(hs_expression_info(lit->hs_expression.c_str(), HS_FLAG_CASELESS, &info, &err),
              HS_SUCCESS)
        << e << ": " << (err ? err->message : "");
    EXPECT_EQ(lit->min_width, info->min_width) << e;
    EXPECT_EQ(lit->max_width, info->max_width) << e;
    std::free(info);
    ++checked;
  }
  EXPECT_GT(checked, 250u) << "the embedded packs hold some 300 terms and keywords";
}

TEST(CaselessLiteral, AnythingElseIsCompiledAsWritten) {
  EXPECT_FALSE(caseless_literal("sekretessmarker(?:ad|at)"));
  EXPECT_FALSE(caseless_literal("[0-9]{6}"));
  EXPECT_FALSE(caseless_literal("a\\x{2013}b"));
  EXPECT_FALSE(caseless_literal("a.b"));
  EXPECT_FALSE(caseless_literal("straße"));  // ß folds to ẞ, beyond a Latin-1 pair
  EXPECT_FALSE(caseless_literal("µg"));      // µ folds to Greek mu
  EXPECT_FALSE(caseless_literal("Łódź"));    // outside Latin-1
  EXPECT_FALSE(caseless_literal(""));
  EXPECT_FALSE(caseless_literal("(?:\\s|\\x{00A0})+oro"));
}

constexpr const char* kVocabularyPolicy = R"(classes:
  - {level: 0, name: Öppen}
  - {level: 2, name: Känslig}
conditions:
  - id: person
    class: 2
    rules: [t.pnr]
)";

constexpr const char* kVocabularyRules = R"(pack: test
rules:
  - id: t.word
    name: Ord
    category: domain.social
    class: 1
    terms: [orosanmäl, =LVU, anmälan om oro, sekretessmarkerad]
  - id: t.pnr
    name: Personnummer
    category: identity.person
    class: 2
    patterns: ['(?:[0-9]{2})?[0-9]{6}(?:-|\+)?[0-9]{4}']
    flags: [utf8]
    validator: personnummer
    digit_boundaries: true
    context: {keywords: [personnummer, pnr], window: 40}
  - id: t.samordning
    name: Samordningsnummer
    category: identity.person
    class: 2
    patterns: ['(?:[0-9]{2})?[0-9]{6}(?:-|\+)?[0-9]{4}']
    flags: [utf8]
    validator: samordningsnummer
    digit_boundaries: true
    context: {keywords: [personnummer, pnr], window: 40}
)";

std::vector<std::pair<std::string, std::uint64_t>> scan_all(const std::string& text) {
  static TempDir dir;
  static auto engine = [] {
    auto e = test::load_engine(
        {{"policy.yaml", kVocabularyPolicy}, {"test.yaml", kVocabularyRules}}, dir);
    if (!e) throw std::runtime_error(e.error().message);
    return e.value();
  }();
  TextScanner scanner(engine);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (const auto& f : test::scan_text(scanner, text, 3).findings)
    out.emplace_back(f.rule_id, f.offset);
  return out;
}

TEST(CaselessLiteralEngine, EveryCaseFormOfSwedishLettersMatches) {
  for (const std::string text : {"orosanmälan", "OROSANMÄLAN", "OrosAnmÄlan", "orosanmÄlan"}) {
    auto got = scan_all("x " + text);
    ASSERT_EQ(got.size(), 1u) << text;
    EXPECT_EQ(got[0].second, 2u) << text;
  }
  EXPECT_TRUE(scan_all("orosanmalan").empty());  // a without the dots is another letter
}

TEST(CaselessLiteralEngine, PhraseGapsAcceptUnicodeSpacesAndReportTheStart) {
  for (const std::string gap : {" ", "\n", "\v", "\u00a0", "\u2009", "\u3000", " \u202f\t "}) {
    auto got = scan_all("Se ANMÄLAN" + gap + "om" + gap + "oro.");
    ASSERT_EQ(got.size(), 1u) << "gap bytes " << gap.size();
    EXPECT_EQ(got[0], (std::pair<std::string, std::uint64_t>{"t.word", 3}));
  }
  EXPECT_TRUE(scan_all("anmälan\u200bom oro").empty());  // zero-width space is not a space
}

TEST(CaselessLiteralEngine, WordBoundedAcronymStillNeedsBoundaries) {
  EXPECT_EQ(scan_all("enligt lvu.").size(), 1u);
  EXPECT_TRUE(scan_all("LVUX").empty());
  // Word-processor typography ends a word: no-break space, curly quotes, en dash, non-breaking
  // hyphen, soft hyphen, ellipsis, guillemets, zero-width space. A reviewer found each of these
  // rejected as "inside a longer word".
  for (const std::string edge : {"\u00a0", "\u201c", "\u201d", "\u2013", "\u2011", "\u00ad",
                                 "\u2026", "\u00ab", "\u00bb", "\u200b", "\u202f"}) {
    EXPECT_EQ(scan_all("enligt" + edge + "LVU" + edge + "placering").size(), 1u)
        << "edge bytes " << edge.size();
  }
  // Letters of any script still continue a word.
  EXPECT_TRUE(scan_all("LVUé").empty());
  EXPECT_TRUE(scan_all("åLVU").empty());
  EXPECT_TRUE(scan_all("\u03b1LVU").empty());
}

// Documented trade-off: compatibility case folds (Kelvin sign for k, long s for s) are not
// Swedish text and no longer match.
TEST(CaselessLiteralEngine, CompatibilityFoldsAreNotMatched) {
  EXPECT_TRUE(scan_all("sekretessmar\u212aerad").empty());
  EXPECT_TRUE(scan_all("\u017fekretessmarkerad").empty());
  EXPECT_EQ(scan_all("SEKRETESSMARKERAD").size(), 1u);
}

TEST(CaselessLiteralEngine, SharedContextKeywordCountsForEveryRule) {
  TempDir dir;
  auto e =
      test::load_engine({{"policy.yaml", kVocabularyPolicy}, {"test.yaml", kVocabularyRules}}, dir);
  ASSERT_TRUE(e);
  TextScanner scanner(e.value(), true);
  // One keyword, two rules: each finding is raised to high confidence by the same hit.
  auto v = test::scan_text(scanner, "PNR 990604-2388 och Pnr 701063-2391", 5);
  ASSERT_EQ(v.findings.size(), 2u);
  for (const auto& f : v.findings) {
    EXPECT_EQ(f.confidence, Confidence::kHigh) << f.rule_id;
    EXPECT_NE(f.explanation.find("context word within"), std::string::npos) << f.rule_id;
  }
}

}  // namespace
}  // namespace vakt
