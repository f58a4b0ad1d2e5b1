// Rule-pack loading: strict errors that name the file, the line and the rule.
#include <gtest/gtest.h>

#include <algorithm>

#include "rules/rule_loader.h"
#include "test_rules.h"
#include "vakt/scanner/text_scanner.h"

namespace vakt {
namespace {

using test::kTestPolicy;
using test::kTestRules;
using test::load_engine;
using test::TempDir;

std::string load_error(const std::string& rules) {
  TempDir dir;
  auto e = load_engine(
      {{"policy.yaml", kTestPolicy}, {"test.yaml", kTestRules}, {"bad.yaml", rules}}, dir);
  EXPECT_FALSE(e.ok());
  return e ? std::string() : e.error().message;
}

// The error of a test policy with one more condition, "odd", selecting t.pnr; "" if it loads.
std::string policy_error(const std::string& condition) {
  TempDir dir;
  std::string policy = kTestPolicy;
  policy += "  - id: odd\n    class: 2\n    rules: [t.pnr]\n" + condition;
  auto e = load_engine({{"policy.yaml", policy}, {"test.yaml", kTestRules}}, dir);
  return e.ok() ? std::string() : e.error().message;
}

TEST(RuleLoader, LoadsTheTestPack) {
  TempDir dir;
  auto e = load_engine({{"policy.yaml", kTestPolicy}, {"test.yaml", kTestRules}}, dir);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*e)->rules().size(), 4u);
  EXPECT_EQ((*e)->class_name(3), "Mycket känslig");
  EXPECT_EQ((*e)->version().size(), 64u);
}

TEST(RuleLoader, UnknownKeyNamesFileLineAndRule) {
  auto msg = load_error(
      "rules:\n  - id: x.one\n    name: One\n    category: c\n    class: 1\n    patern: [abc]\n");
  EXPECT_NE(msg.find("bad.yaml:6"), std::string::npos) << msg;
  EXPECT_NE(msg.find("x.one"), std::string::npos) << msg;
  EXPECT_NE(msg.find("patern"), std::string::npos) << msg;
}

TEST(RuleLoader, ADuplicateKeyIsAnErrorNotASilentlyIgnoredBlock) {
  // A second `terms:` in a rule would otherwise be dropped without a word.
  auto msg = load_error(
      "rules:\n  - id: x.twice\n    name: Two\n    category: c\n    class: 1\n"
      "    terms: [abc]\n    terms: [def]\n");
  EXPECT_NE(msg.find("bad.yaml:7"), std::string::npos) << msg;
  EXPECT_NE(msg.find("duplicate key 'rules.0.terms'"), std::string::npos) << msg;
}

TEST(RuleLoader, BadHyperscanPatternNamesTheRuleAndLine) {
  auto msg = load_error(
      "rules:\n  - id: x.bad\n    name: Bad\n    category: c\n    class: 1\n    patterns:\n"
      "      - 'abc'\n      - '(?<=x)y'\n");
  EXPECT_NE(msg.find("bad.yaml:8"), std::string::npos) << msg;
  EXPECT_NE(msg.find("x.bad"), std::string::npos) << msg;
}

TEST(RuleLoader, RejectsDuplicateIdsUnknownValidatorsAndClasses) {
  EXPECT_NE(load_error("rules:\n  - {id: a, name: A, category: c, class: 1, terms: [x]}\n"
                       "  - {id: a, name: B, category: c, class: 1, terms: [y]}\n")
                .find("duplicate rule id"),
            std::string::npos);
  EXPECT_NE(load_error("rules:\n  - {id: a, name: A, category: c, class: 1, terms: [x], "
                       "validator: nosuch}\n")
                .find("unknown validator 'nosuch'"),
            std::string::npos);
  EXPECT_NE(load_error("rules:\n  - {id: a, name: A, category: c, class: 7, terms: [x]}\n")
                .find("between 0 and 3"),
            std::string::npos);
}

TEST(RuleLoader, UnknownMaskAndNonBooleanLongestMatchAreErrors) {
  const std::string head =
      "rules:\n  - {id: a, name: A, category: c, class: 1, patterns: ['x\\d'], ";
  EXPECT_NE(load_error(head + "mask: hidden}\n").find("identity, tail4, full, secret or none"),
            std::string::npos);
  EXPECT_NE(load_error(head + "longest_match: maybe}\n").find("longest_match"), std::string::npos);
}

TEST(RuleLoader, BrokenYamlNamesTheLine) {
  auto msg = load_error("rules:\n  - id: a\n    name: [unclosed\n");
  EXPECT_NE(msg.find("bad.yaml:"), std::string::npos) << msg;
}

TEST(RuleLoader, MissingPolicyIsAnError) {
  TempDir dir;
  auto e = load_engine({{"test.yaml", kTestRules}}, dir);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("policy.yaml"), std::string::npos);
}

TEST(RuleLoader, PolicyNamingAnUnknownRuleIsAnError) {
  TempDir dir;
  std::string policy = kTestPolicy;
  policy += "  - id: ghost\n    class: 2\n    rules: [no.such.rule]\n";
  auto e = load_engine({{"policy.yaml", policy}, {"test.yaml", kTestRules}}, dir);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("ghost"), std::string::npos) << e.error().message;
}

// `within` belongs to `near` and `unless`; on `with` it would be silently meaningless.
TEST(RuleLoader, WithinOnWithIsAnError) {
  TempDir dir;
  std::string policy = kTestPolicy;
  policy +=
      "  - id: odd\n    class: 2\n    rules: [t.pnr]\n    with: {rules: [t.pnr], within: 9}\n";
  auto e = load_engine({{"policy.yaml", policy}, {"test.yaml", kTestRules}}, dir);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("'with' takes no 'within'"), std::string::npos)
      << e.error().message;
}

// `after` shortens an `unless` reach after the selected finding; elsewhere it is an error, and
// it cannot reach further than `within`.
TEST(RuleLoader, AfterBelongsToUnlessWithin) {
  EXPECT_EQ(policy_error("    unless: {rules: [t.pnr], within: 400, after: 80}\n"), "");
  EXPECT_NE(
      policy_error("    unless: {rules: [t.pnr], after: 80}\n").find("'after' needs 'within'"),
      std::string::npos);
  EXPECT_NE(policy_error("    unless: {rules: [t.pnr], within: 40, after: 80}\n").find("after"),
            std::string::npos);
  EXPECT_NE(policy_error("    near: {rules: [t.pnr], within: 40, after: 8}\n")
                .find("'after' belongs to 'unless'"),
            std::string::npos);
  EXPECT_NE(policy_error("    with: {rules: [t.pnr], after: 8}\n").find("'with' takes no"),
            std::string::npos);
}

// The findings of rule `id` (line, masked) when the test rules and `pack` scan `text`.
std::vector<std::pair<std::uint64_t, std::string>> findings_with_pack(const std::string& pack,
                                                                      const std::string& id,
                                                                      const std::string& text) {
  TempDir dir;
  auto e = load_engine(
      {{"policy.yaml", kTestPolicy}, {"test.yaml", kTestRules}, {"extra.yaml", pack}}, dir);
  EXPECT_TRUE(e.ok()) << e.error().message;
  if (!e.ok()) return {};
  TextScanner ts(*e, false);
  ts.begin_part("");
  ts.text(text);
  ts.end_part();
  std::vector<std::pair<std::uint64_t, std::string>> found;
  for (const auto& f : ts.finish().findings) {
    if (f.rule_id == id) found.emplace_back(f.line, f.masked);
  }
  return found;
}

using LineAndValue = std::vector<std::pair<std::uint64_t, std::string>>;

// A pack of one rule `id` (class 1) with the given pattern, flag and confirm lines.
std::string one_rule_pack(const std::string& id, const std::string& lines) {
  return "rules:\n  - id: " + id + "\n    name: N\n    category: c\n    class: 1\n" + lines;
}

// The findings (line, value) of one rule `id` made of `lines`, beside the test rules, in `text`.
LineAndValue one_rule_findings(const std::string& id, const std::string& lines,
                               const std::string& text) {
  return findings_with_pack(one_rule_pack(id, lines), id, text);
}

// `confirm` as a list: each item is an alternative; Hyperscan finds the cheap pattern, RE2 keeps
// only the hits that one alternative ends at, and the finding starts where that one starts.
TEST(RuleLoader, ConfirmListIsAlternatives) {
  const std::string pack =
      "rules:\n  - id: t.said\n    name: Said\n    category: c\n    class: 2\n"
      "    patterns: ['.{0,40}secret']\n"
      "    confirm: ['Anna said [a-z]+ secret', 'it is secret']\n    mask: none\n";
  EXPECT_EQ(findings_with_pack(pack, "t.said",
                               "x. Anna said top secret; but it is secret; a plain secret."),
            (LineAndValue{{1, "Anna said top secret"}, {1, "it is secret"}}));
  EXPECT_NE(load_error("rules:\n  - {id: a, name: A, category: c, class: 1, patterns: [x], "
                       "confirm: []}\n")
                .find("'confirm' list is empty"),
            std::string::npos);
}

// A confirm that must read a heading lines above names where the value starts: the finding is
// the value's line, not the heading's.
TEST(RuleLoader, ConfirmValueGroupMarksWhereTheFindingStarts) {
  const std::string pack =
      "rules:\n  - id: t.code\n    name: Code\n    category: c\n    class: 2\n"
      "    patterns: ['koder.{0,100}\\d{4}\\n']\n    flags: [dotall]\n"
      "    confirm: 'koder\\n(?:[^\\n]*\\n){0,3}(?P<value>[a-z]+: \\d{4}\\n)'\n    mask: none\n";
  EXPECT_EQ(findings_with_pack(pack, "t.code", "Larmkoder\nsolrosen: 4417\nen rad\nhumlan: 6651\n"),
            (LineAndValue{{2, "solrosen: 4417 "}, {4, "humlan: 6651 "}}));
}

// A confirm that compiles to a huge RE2 program is refused at load, with the rule's name: it
// would cost every start of every PC (a Unicode letter class repeated 2-25 times was 31 ms).
TEST(RuleLoader, AConfirmTooLargeForRe2IsAnError) {
  const std::string error = load_error(one_rule_pack(
      "t.big",
      "    patterns: ['har skyddad identitet']\n    flags: [caseless, utf8, ucp]\n"
      "    confirm: '(?:en|ett)[ ]{1,3}[\\p{L}]{2,40}[ ]{1,3}har skyddad identitet'\n"));
  EXPECT_NE(error.find("t.big"), std::string::npos) << error;
  EXPECT_NE(error.find("instructions, more than 4000"), std::string::npos) << error;
  // The same sentence with Swedish letters named loads, and matches.
  const std::string swedish = one_rule_pack(
      "t.ok",
      "    patterns: ['.{0,40}har skyddad identitet']\n    flags: [caseless, utf8, ucp]\n"
      "    confirm: '(?:en|ett)[ ]{1,3}[a-zåäöéü]{2,40}[ ]{1,3}har skyddad identitet'\n"
      "    mask: none\n");
  EXPECT_EQ(findings_with_pack(swedish, "t.ok", "Om en elev har skyddad identitet"),
            (LineAndValue{{1, "en elev har skyddad identitet"}}));
}

// A word-bounded value starts at its first word character, so a pattern may lead with the
// separator it needs and still give the word's own start, without a capture group: here the
// line break before "Lina" would otherwise put the finding on line 1, and its value would
// hold the break.
TEST(RuleLoader, AWordBoundedValueStartsAtItsFirstWordCharacter) {
  const std::string rule =
      "    patterns: ['(?:^|[ \\t\\n(])(?:Lina|Lars)s?']\n    word_boundaries: true\n"
      "    mask: none\n";
  EXPECT_EQ(one_rule_findings("t.name", rule, "Hemma hos\nLina. (Lars och Linas mamma)"),
            (LineAndValue{{2, "Lina"}, {2, "Lars"}, {2, "Linas"}}));
  // The word boundary still holds at the end: "Linar" is not Lina.
  EXPECT_EQ(one_rule_findings("t.name", rule, "Lina\xC2\xA0Linar"), (LineAndValue{{1, "Lina"}}));
}
// So does a shown value (mask: none) whose pattern leads with the line break or punctuation a
// stamp must follow: its text, offset and line are the stamp's, not the line break's before it.
TEST(RuleLoader, AShownValueStartsAtItsFirstWordCharacter) {
  EXPECT_EQ(one_rule_findings("t.stamp",
                              "    patterns: ['(?:^|[\\r\\n.:;])[ \\t]{0,3}sekretess[ \\t]{1,3}"
                              "enligt']\n    flags: [caseless]\n    mask: none\n",
                              "Dnr 2024/17\nSekretess enligt 26 kap.\nOBS: \tsekretess enligt"),
            (LineAndValue{{2, "Sekretess enligt"}, {3, "sekretess enligt"}}));
}

// Two patterns of one rule that end at the same byte read one value, wherever each starts: a
// labelled Swedish IBAN matches both the bare "SE…" pattern and the "IBAN …" one, and a compound
// both its whole and its tail. Each is one finding, from the pattern listed first.
TEST(RuleLoader, TwoPatternsEndingAtOneByteAreOneFinding) {
  EXPECT_EQ(one_rule_findings("t.iban",
                              "    patterns: ['SE[0-9]{4}', 'IBAN[: ]{0,3}SE[0-9]{4}', 'anmälan', "
                              "'orosanmälan']\n    flags: [utf8]\n    mask: none\n",
                              "Konto\nIBAN: SE4550 och SE1234\norosanmälan"),
            (LineAndValue{{2, "SE4550"}, {2, "SE1234"}, {3, "anmälan"}}));
  // A candidate rejected first (here: inside a longer word) does not hide one that ends where it
  // does.
  EXPECT_EQ(one_rule_findings("t.bounded",
                              "    patterns: ['ab[0-9]{2}', 'Zab[0-9]{2}']\n"
                              "    word_boundaries: true\n    mask: none\n",
                              "x Zab12 y"),
            (LineAndValue{{1, "Zab12"}}));
}

// The class of `text` under the test rules, `pack` and the test policy with `conditions` added.
int class_with(const std::string& pack, const std::string& conditions, const std::string& text) {
  TempDir dir;
  auto e = load_engine({{"policy.yaml", std::string(kTestPolicy) + conditions},
                        {"test.yaml", kTestRules},
                        {"extra.yaml", pack}},
                       dir);
  EXPECT_TRUE(e.ok()) << e.error().message;
  if (!e.ok()) return -1;
  TextScanner ts(*e, false);
  ts.begin_part("");
  ts.text(text);
  ts.end_part();
  return ts.finish().info_class;
}

// A name counts near a word unless a greeting starts exactly where the name does (the
// greeting's confirm puts its finding's start at the name).
TEST(RuleLoader, UnlessAtDropsOnlyTheFindingsThatStartThere) {
  const std::string pack =
      "rules:\n  - {id: t.name, name: N, category: n, class: 0, patterns: ['Anna|Lars'], "
      "mask: full}\n"
      "  - {id: t.hello, name: H, category: n, class: 0, patterns: ['hej [A-Z]'], "
      "confirm: 'hej (?P<value>[A-Z])', mask: full}\n";
  const std::string named =
      "  - id: named\n    class: 2\n    rules: [t.name]\n    near: {rules: [t.word], within: 60}\n"
      "    unless_at: {rules: [t.hello]}\n";
  EXPECT_EQ(class_with(pack, named, "hej Anna, en orosanmälan kom in"), 1);  // vocab only
  EXPECT_EQ(class_with(pack, named, "hej Lars, Anna gjorde en orosanmälan"), 2);
  EXPECT_EQ(class_with(pack, "", "hej Anna, en orosanmälan kom in"), 1);
  EXPECT_NE(policy_error("    unless_at: {rules: [t.pnr], within: 9}\n").find("'unless_at' takes"),
            std::string::npos);
  EXPECT_NE(policy_error("    unless_at: {rules: [no.such]}\n").find("odd"), std::string::npos);
}

// min_swedish_letters reads å/ä/ö in the first 8 KiB of the text, whatever the findings.
TEST(RuleLoader, MinSwedishLettersReadsTheStartOfTheText) {
  const std::string swedish =
      "  - id: swedish\n    class: 2\n    rules: [t.word]\n    min_swedish_letters: 5\n";
  const std::string none =
      "rules:\n  - {id: t.none, name: X, category: x, class: 0, patterns: [zqzq]}\n";
  EXPECT_EQ(class_with(none, swedish, "Orosanmälan från förskolan, gäller ett barn."), 2);
  // An English start: the one ä of the word is far below 5 per mille of 8 KiB.
  EXPECT_EQ(class_with(none, swedish, std::string(9000, 'x') + " orosanmälan"), 1);
  EXPECT_EQ(class_with(none, swedish, "orosanmälan" + std::string(9000, 'x')), 1);
  EXPECT_NE(policy_error("    min_swedish_letters: 1001\n").find("min_swedish_letters"),
            std::string::npos);
}

// `report: false`: the policy reads the findings; reports show them only with --explain, and
// a text full of them (a book names people on every page) keeps room for the identity numbers.
TEST(RuleLoader, UnreportedFindingsFeedThePolicyAndUseNoMatchBudget) {
  TempDir dir;
  dir.write("policy.yaml", std::string(kTestPolicy) +
                               "  - id: named\n    class: 2\n    rules: [t.name]\n"
                               "    near: {rules: [t.word], within: 60}\n");
  dir.write("test.yaml", kTestRules);
  dir.write("extra.yaml",
            "rules:\n  - {id: t.name, name: N, category: n, class: 0, patterns: [Anna], "
            "mask: full, report: false}\n");
  EngineOptions o;
  o.rules_dir = dir.path();
  o.reference_date = {2026, 11, 27};
  o.limits.max_matches = 10;
  auto e = Engine::load(o);
  ASSERT_TRUE(e.ok()) << e.error().message;
  std::string text;
  for (int i = 0; i < 50; ++i) text += "Anna ";
  text += "gjorde en orosanmälan om 990604-2388.";
  for (const bool explain : {false, true}) {
    TextScanner ts(*e, explain);
    ts.begin_part("");
    ts.text(text);
    ts.end_part();
    const DocumentVerdict v = ts.finish();
    EXPECT_NE(std::find(v.conditions.begin(), v.conditions.end(), "named"), v.conditions.end());
    std::size_t names = 0, numbers = 0;
    for (const auto& f : v.findings) {
      names += f.rule_id == "t.name";
      numbers += f.rule_id == "t.pnr";
    }
    EXPECT_EQ(names, explain ? 50u : 0u);
    EXPECT_EQ(numbers, 1u) << "fifty names must not use up max_matches (10)";
    EXPECT_EQ(v.findings_total, explain ? 52u : 2u);
  }
  EXPECT_NE(load_error("rules:\n  - {id: a, name: A, category: c, class: 1, patterns: [x], "
                       "report: maybe}\n")
                .find("report"),
            std::string::npos);
}

// `unless_in_heading` needs its byte count and takes no proximity keys; `bytes` belongs to it.
TEST(RuleLoader, UnlessInHeadingNeedsBytes) {
  EXPECT_EQ(policy_error("    unless_in_heading: {rules: [t.pnr], bytes: 250}\n"), "");
  EXPECT_NE(policy_error("    unless_in_heading: {rules: [t.pnr]}\n").find("needs 'bytes'"),
            std::string::npos);
  EXPECT_NE(policy_error("    unless_in_heading: {rules: [t.pnr], bytes: 9, within: 9}\n")
                .find("takes 'bytes'"),
            std::string::npos);
  EXPECT_NE(policy_error("    unless: {rules: [t.pnr], bytes: 9}\n").find("'unless_in_heading'"),
            std::string::npos);
  EXPECT_NE(policy_error("    unless_in_heading: {rules: [no.such], bytes: 9}\n").find("odd"),
            std::string::npos);
}

TEST(RuleLoader, TermsEscapeMetacharactersAndHonourBoundaries) {
  EXPECT_EQ(rules::term_to_expression("a.b"), "a\\.b");
  EXPECT_EQ(rules::term_to_expression("=LVU"), "LVU");
  EXPECT_EQ(rules::term_to_expression("9 § LSS"), "9(?:\\s|\\x{00A0})+§(?:\\s|\\x{00A0})+LSS");
}

TEST(RuleLoader, EmbeddedPacksLoad) {
  EngineOptions o;
  auto e = Engine::load(o);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_GT((*e)->rules().size(), 10u);
}

TEST(RuleLoader, DatabaseCacheIsReused) {
  TempDir dir;
  TempDir cache;
  test::test_engine(dir);
  EngineOptions o;
  o.rules_dir = dir.path();
  o.cache_dir = cache.path();
  auto first = Engine::load(o);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE((*first)->database_from_cache());
  auto second = Engine::load(o);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)->database_from_cache());
}

}  // namespace
}  // namespace vakt

namespace vakt {
namespace {

TEST(RuleLoader, OnlyRulesSelectsBySpecOrGlob) {
  TempDir dir;
  test::test_engine(dir);
  EngineOptions o;
  o.rules_dir = dir.path();
  o.only_rules = {"t.w*"};
  auto e = Engine::load(o);
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ((*e)->rules().size(), 1u);
  EXPECT_EQ((*e)->rules()[0].id, "t.word");
  o.only_rules = {"nothing"};
  EXPECT_FALSE(Engine::load(o).ok());
}

}  // namespace
}  // namespace vakt
