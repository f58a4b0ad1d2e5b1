// TextScanner: streaming matching, confirmation, context, lines, masking and classification.
#include <gtest/gtest.h>

#include <algorithm>

#include "test_rules.h"

namespace vakt {
namespace {

using test::scan_text;
using test::TempDir;

class TextScannerTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::shared_ptr<const Engine> engine_ = test::test_engine(dir_);
  TextScanner scanner_{engine_, /*explain=*/true};

  std::vector<Finding> of_rule(const DocumentVerdict& v, const std::string& id) {
    std::vector<Finding> out;
    for (const auto& f : v.findings) {
      if (f.rule_id == id) out.push_back(f);
    }
    return out;
  }
};

TEST_F(TextScannerTest, FindsAndMasksAPersonnummer) {
  auto v = scan_text(scanner_, "Elev: 19990604-2388 har flyttat.");
  auto f = of_rule(v, "t.pnr");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].masked, "19990604-****");
  EXPECT_EQ(f[0].offset, 6u);
  EXPECT_EQ(f[0].line, 1u);
  EXPECT_EQ(v.info_class, 2);
  EXPECT_EQ(v.class_name, "Känslig");
}

TEST_F(TextScannerTest, EveryChunkSplitGivesTheSameFindings) {
  const std::string text =
      "Rad ett\npersonnummer 990604-2388 och 19121212-1212\noch 640823-3234 samt orosanmälan\n";
  auto whole = scan_text(scanner_, text);
  ASSERT_EQ(of_rule(whole, "t.pnr").size(), 3u);
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    auto v = scan_text(scanner_, text, chunk);
    ASSERT_EQ(v.findings.size(), whole.findings.size()) << "chunk " << chunk;
    for (std::size_t i = 0; i < v.findings.size(); ++i) {
      EXPECT_EQ(v.findings[i].offset, whole.findings[i].offset) << "chunk " << chunk;
      EXPECT_EQ(v.findings[i].line, whole.findings[i].line) << "chunk " << chunk;
      EXPECT_EQ(v.findings[i].confidence, whole.findings[i].confidence) << "chunk " << chunk;
    }
  }
}

// valid_text() skips the UTF-8 guard: in whole-character pieces of any size it finds what text()
// finds, and after a text() piece that ended inside a character it completes that character
// through the guard instead of scanning around it.
TEST_F(TextScannerTest, ValidTextFindsWhatTextFinds) {
  const std::string text =
      "Rad ett\npersonnummer 990604-2388 och 19121212-1212\noch 640823-3234 samt orosanmälan\n"
      "hälsa och sjukvård: 990604-2388\n";
  auto whole = scan_text(scanner_, text);
  ASSERT_EQ(of_rule(whole, "t.pnr").size(), 4u);
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    scanner_.begin_part("");
    std::size_t i = 0;
    while (i < text.size()) {
      std::size_t end = std::min(text.size(), i + chunk);
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
      scanner_.valid_text(std::string_view(text).substr(i, end - i));
      i = end;
    }
    scanner_.end_part();
    auto v = scanner_.finish();
    ASSERT_EQ(v.findings.size(), whole.findings.size()) << "chunk " << chunk;
    for (std::size_t k = 0; k < v.findings.size(); ++k) {
      EXPECT_EQ(v.findings[k].offset, whole.findings[k].offset) << "chunk " << chunk;
      EXPECT_EQ(v.findings[k].line, whole.findings[k].line) << "chunk " << chunk;
      EXPECT_EQ(v.findings[k].masked, whole.findings[k].masked) << "chunk " << chunk;
    }
  }
  // "orosanmälan" cut inside "ä" by text(); the rest arrives as valid_text().
  const std::string word = "samt orosanmälan 990604-2388\n";
  const std::size_t cut = word.find("ä") + 1;
  scanner_.begin_part("");
  scanner_.text(std::string_view(word).substr(0, cut));
  scanner_.valid_text(std::string_view(word).substr(cut));
  scanner_.end_part();
  auto mixed = scanner_.finish();
  auto alone = scan_text(scanner_, word);
  ASSERT_EQ(mixed.findings.size(), alone.findings.size());
  for (std::size_t k = 0; k < alone.findings.size(); ++k) {
    EXPECT_EQ(mixed.findings[k].rule_id, alone.findings[k].rule_id);
    EXPECT_EQ(mixed.findings[k].offset, alone.findings[k].offset);
  }
}

TEST_F(TextScannerTest, LinesAndOffsetsAreOfTheMatchStart) {
  auto v = scan_text(scanner_, "a\nb\n\nxx 990604-2388\n");
  auto f = of_rule(v, "t.pnr");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 4u);
  EXPECT_EQ(f[0].offset, 8u);
  EXPECT_EQ(f[0].masked, "990604-****");
}

TEST_F(TextScannerTest, NumbersInsideLongerDigitRunsNeverMatch) {
  for (const char* text : {"1199906042388", "199906042388 1", "9906042388123", "0046199906042388",
                           "ref 12199906042388"}) {
    auto v = scan_text(scanner_, text);
    if (std::string(text) == "199906042388 1") {
      EXPECT_EQ(of_rule(v, "t.pnr").size(), 1u) << text;  // a space is a boundary
    } else {
      EXPECT_TRUE(of_rule(v, "t.pnr").empty()) << text;
    }
  }
  auto v = scan_text(scanner_, "1199906042388");
  ASSERT_FALSE(v.rejections.empty());
  EXPECT_EQ(v.rejections[0].reason, "inside a longer number");
}

TEST_F(TextScannerTest, RejectionsCarryTheValidatorsReasonAndAreMasked) {
  auto v = scan_text(scanner_, "pnr 19990604-2389");
  EXPECT_TRUE(v.findings.empty());
  ASSERT_EQ(v.rejections.size(), 1u);
  EXPECT_EQ(v.rejections[0].rule_id, "t.pnr");
  EXPECT_EQ(v.rejections[0].masked.find("2389"), std::string::npos);
  EXPECT_FALSE(v.rejections[0].reason.empty());
}

TEST_F(TextScannerTest, ContextRaisesConfidenceAndBareDigitsLowerIt) {
  auto high = scan_text(scanner_, "Personnummer: 9906042388");
  ASSERT_EQ(high.findings.size(), 1u);
  EXPECT_EQ(high.findings[0].confidence, Confidence::kHigh);
  EXPECT_NE(high.findings[0].explanation.find("context word"), std::string::npos);

  auto after = scan_text(scanner_, "9906042388 är hans PNR");
  ASSERT_EQ(after.findings.size(), 1u);
  EXPECT_EQ(after.findings[0].confidence, Confidence::kHigh);

  auto low = scan_text(scanner_, "Kod 9906042388 i listan");
  ASSERT_EQ(low.findings.size(), 1u);
  EXPECT_EQ(low.findings[0].confidence, Confidence::kLow);

  auto medium = scan_text(scanner_, "Kod 990604-2388 i listan");
  ASSERT_EQ(medium.findings.size(), 1u);
  EXPECT_EQ(medium.findings[0].confidence, Confidence::kMedium);

  const std::string far = "personnummer" + std::string(200, ' ') + "990604-2388";
  auto distant = scan_text(scanner_, far);
  ASSERT_EQ(distant.findings.size(), 1u);
  EXPECT_EQ(distant.findings[0].confidence, Confidence::kMedium);
}

TEST_F(TextScannerTest, ContextAcrossChunks) {
  const std::string text = "PERSONNUMMER:\n" + std::string(30, '.') + "990604-2388";
  for (std::size_t chunk : {3u, 7u, 13u}) {
    auto v = scan_text(scanner_, text, chunk);
    ASSERT_EQ(v.findings.size(), 1u);
    EXPECT_EQ(v.findings[0].confidence, Confidence::kHigh) << chunk;
  }
}

TEST_F(TextScannerTest, UnicodeDashIsASeparator) {
  auto v = scan_text(scanner_, "990604\u20132388");
  auto f = of_rule(v, "t.pnr");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].masked.find("2388"), std::string::npos);
}

TEST_F(TextScannerTest, VocabularyMatchesInsideCompoundsAndAnyCase) {
  auto v = scan_text(scanner_, "En ny OROSANMÄLAN kom in, och tidigare orosanmälningar.");
  auto f = of_rule(v, "t.word");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].masked, "OROSANMÄL");
  auto b = scan_text(scanner_, "Beslut enligt LVU. Men inte LVUX eller xLVU.");
  EXPECT_EQ(of_rule(b, "t.word").size(), 1u);
}

TEST_F(TextScannerTest, PhrasesMatchAcrossLineBreaksAndNoBreakSpaces) {
  auto v = scan_text(scanner_, "Handlingen omfattas av\nsekretess. Omfattas\u00a0av sekretess.");
  EXPECT_EQ(of_rule(v, "t.marking").size(), 2u);
}

TEST_F(TextScannerTest, ClassificationFollowsThePolicy) {
  EXPECT_EQ(scan_text(scanner_, "Protokoll från mötet.").info_class, 0);
  auto bulk = scan_text(scanner_, "990604-2388\n191212121212\n640823-3234\n");
  EXPECT_EQ(bulk.info_class, 3);
  EXPECT_EQ(bulk.conditions.front(), "bulk");
  auto same = scan_text(scanner_, "990604-2388\n990604-2388\n990604-2388\n");
  EXPECT_EQ(same.info_class, 2);  // one person three times is not a register
  EXPECT_EQ(scan_text(scanner_, "Sekretessmarkerad handling").info_class, 3);
  EXPECT_EQ(scan_text(scanner_, "Riktlinje: när handlingen omfattas av sekretess").info_class, 0);
  auto near = scan_text(scanner_, "Orosanmälan gällande barn 990604-2388");
  EXPECT_EQ(near.info_class, 3);
  const std::string apart = "Orosanmälan" + std::string(400, ' ') + "990604-2388";
  EXPECT_EQ(scan_text(scanner_, apart).info_class, 2);
  EXPECT_EQ(scan_text(scanner_, "Statistik över orosanmälningar").info_class, 1);
}

TEST_F(TextScannerTest, PartsAreScannedSeparately) {
  scanner_.begin_part("word/document.xml");
  scanner_.text("Personnummer 99060");
  scanner_.end_part();
  scanner_.begin_part("word/comments.xml");
  scanner_.text("4-2388 och 640823-3234");
  scanner_.end_part();
  auto v = scanner_.finish();
  ASSERT_EQ(v.findings.size(), 1u);  // the split number does not glue across parts
  EXPECT_EQ(v.findings[0].part, "word/comments.xml");
}

TEST_F(TextScannerTest, InvalidUtf8IsRepairedNotFatal) {
  std::string text = "pnr \xff\xfe 990604-2388 \xc3";
  auto v = scan_text(scanner_, text, 5);
  EXPECT_EQ(of_rule(v, "t.pnr").size(), 1u);
}

TEST_F(TextScannerTest, PseudonymsNeedAKeyAndAreStable) {
  EngineOptions o;
  o.rules_dir = dir_.path();
  o.reference_date = {2026, 11, 27};
  o.pseudonym_key = "kommunens-hemliga-nyckel";
  auto keyed = Engine::load(o);
  ASSERT_TRUE(keyed.ok());
  TextScanner s(keyed.value());
  auto a = scan_text(s, "990604-2388");
  auto b = scan_text(s, "19990604-2388");
  ASSERT_EQ(a.findings.size(), 1u);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(a.findings[0].pseudonym.size(), 32u);
  EXPECT_EQ(a.findings[0].pseudonym, b.findings[0].pseudonym);  // same person, two forms
  EXPECT_TRUE(scan_text(scanner_, "990604-2388").findings[0].pseudonym.empty());
}

TEST_F(TextScannerTest, MatchLimitCountsBeyondWhatItKeeps) {
  EngineOptions o;
  o.rules_dir = dir_.path();
  o.limits.max_matches = 5;
  auto limited = Engine::load(o);
  ASSERT_TRUE(limited.ok());
  TextScanner s(limited.value());
  std::string text;
  for (int i = 0; i < 20; ++i) text += "990604-2388 ";
  s.begin_part("");
  s.text(text);
  EXPECT_TRUE(s.saturated());
  s.end_part();
  auto v = s.finish();
  EXPECT_EQ(v.findings.size(), 5u);
  EXPECT_EQ(v.findings_total, 20u);
  EXPECT_TRUE(v.matches_truncated);
  // The per-rule counts include what the list dropped, and sum to the total.
  std::uint64_t sum = 0;
  for (const auto& c : v.rule_counts) sum += c.count;
  EXPECT_EQ(sum, 20u);
  ASSERT_FALSE(v.rule_counts.empty());
  EXPECT_EQ(v.rule_counts.front().count, 20u);
}

TEST_F(TextScannerTest, VocabularyDoesNotUseUpTheMatchLimit) {
  EngineOptions o;
  o.rules_dir = dir_.path();
  o.limits.max_matches = 5;
  auto limited = Engine::load(o);
  ASSERT_TRUE(limited.ok());
  TextScanner s(limited.value());
  std::string text;
  for (int i = 0; i < 50; ++i) text += "orosanmälan ";
  text += "personnummer 990604-2388";
  s.begin_part("");
  s.text(text);
  EXPECT_FALSE(s.saturated());
  s.end_part();
  auto v = s.finish();
  EXPECT_EQ(of_rule(v, "t.pnr").size(), 1u);
  EXPECT_EQ(v.info_class, 3);
}

TEST_F(TextScannerTest, MemberNamesAreMasked) {
  scanner_.begin_part("bilagor/19990604-2388 utredning.txt");
  scanner_.text("personnummer 640823-3234");
  scanner_.end_part();
  auto v = scanner_.finish();
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].part, "bilagor/19990604-**** utredning.txt");
}

TEST_F(TextScannerTest, RuleExamplesRunThroughTheEngine) {
  auto report = run_rule_examples(engine_);
  EXPECT_EQ(report.run, 2u);
  EXPECT_TRUE(report.failures.empty());
}

// A secret matched with a trailing \S* ends at every character after its digit. With
// longest_match it is one finding, grown to the whole value, in any chunking; with mask: secret
// its masked form says nothing of the value, not even its length.
TEST(TextScannerLongestMatch, OneFindingPerValueWhateverTheChunks) {
  const std::string pack = R"(pack: secrets
rules:
  - id: t.password
    name: Lösenord
    category: domain.security
    class: 2
    patterns: ['lösen:[ ]?[^\s]*\d\S*']
    flags: [caseless, utf8]
    longest_match: true
    mask: secret
  - id: t.password_every_end
    name: Lösenord, varje slut
    category: domain.security
    class: 2
    patterns: ['lösen:[ ]?[^\s]*\d\S*']
    flags: [caseless, utf8]
    mask: full
)";
  test::TempDir dir;
  auto engine = test::load_engine(
      {{"policy.yaml", test::kTestPolicy}, {"test.yaml", test::kTestRules}, {"s.yaml", pack}}, dir);
  ASSERT_TRUE(engine) << engine.error().message;
  TextScanner scanner(engine.value(), /*explain=*/true);
  const std::string text = "Server A lösen: Vinter2026!Kommun\nServer B lösen:Pc4p!ta_2025 klart\n";
  for (std::size_t chunk = 0; chunk <= text.size(); ++chunk) {
    auto v = test::scan_text(scanner, text, chunk);
    std::vector<Finding> longest, every;
    for (const auto& f : v.findings) {
      if (f.rule_id == "t.password") longest.push_back(f);
      if (f.rule_id == "t.password_every_end") every.push_back(f);
    }
    ASSERT_EQ(longest.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(longest[0].masked, "********");
    EXPECT_EQ(longest[1].masked, "********");
    EXPECT_EQ(longest[0].offset, text.find("lösen: V"));
    EXPECT_EQ(longest[1].line, 2u);
    // Without longest_match each character after the first digit is an end of its own.
    EXPECT_EQ(every.size(), std::string("2026!Kommun").size() + std::string("4p!ta_2025").size())
        << "chunk " << chunk;
  }
}

}  // namespace
}  // namespace vakt
