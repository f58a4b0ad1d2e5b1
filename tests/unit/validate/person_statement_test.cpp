// The validator behind osl.protected_identity_statement: a sentence saying a particular person
// has protected personal data is kept, conditions and groups are turned away, and the subject
// (which may be a name) is masked.
#include <gtest/gtest.h>

#include "validate/person_statement.h"

namespace vakt::validate {
namespace {

const ValidatorContext kCtx{CivilDate{2026, 11, 29}};

TEST(ProtectedIdentityStatement, KeepsAPersonAndMasksTheSubject) {
  const Validation named =
      validate_protected_identity_statement("Sara har skyddad identitet", kCtx);
  ASSERT_TRUE(named.valid) << named.reason;
  EXPECT_EQ(named.masked, "S*** har skyddad identitet");
  EXPECT_EQ(named.masked.find("Sara"), std::string::npos);

  const Validation child =
      validate_protected_identity_statement("barnet har\nsekretessmarkering", kCtx);
  ASSERT_TRUE(child.valid) << child.reason;
  EXPECT_EQ(child.masked, "b*** har sekretessmarkering");  // the line break prints as a space

  const Validation accented = validate_protected_identity_statement(
      "Åsa\xC2\xA0"
      "fick skyddade personuppgifter",
      kCtx);
  ASSERT_TRUE(accented.valid) << accented.reason;
  EXPECT_EQ(accented.masked, "Å*** fick skyddade personuppgifter");
}

TEST(ProtectedIdentityStatement, InvertedOrderMasksTheSecondWord) {
  const Validation v =
      validate_protected_identity_statement("har familjen skyddade personuppgifter", kCtx);
  ASSERT_TRUE(v.valid) << v.reason;
  EXPECT_EQ(v.masked, "har f*** skyddade personuppgifter");
  // "… har du skyddad identitet" is a question to the reader, not a statement.
  EXPECT_EQ(validate_protected_identity_statement("har du skyddad identitet", kCtx).reason,
            "general subject");
}

TEST(ProtectedIdentityStatement, TurnsAwayConditionsAndGroups) {
  for (const char* s : {"Om eleven har skyddad identitet", "om barnet har skyddad identitet",
                        "När Sara har skyddad identitet", "Ifall mamman har kvarskrivning"}) {
    EXPECT_EQ(validate_protected_identity_statement(s, kCtx).reason, "conditional clause") << s;
  }
  for (const char* s : {"Alla har skyddad identitet", "Elever har skyddad identitet",
                        "MÅNGA har skyddade personuppgifter", "Den har skyddad identitet"}) {
    EXPECT_EQ(validate_protected_identity_statement(s, kCtx).reason, "general subject") << s;
  }
  EXPECT_FALSE(validate_protected_identity_statement("Sara", kCtx).valid);
  EXPECT_FALSE(validate_protected_identity_statement("", kCtx).valid);
}

// Health pages address the reader: "du" and "ni" are turned away as subjects in any position.
TEST(HealthStatement, TurnsAwayTheReaderAndKeepsAPerson) {
  const Validation me = validate_health_statement("Jag fick diagnosen", kCtx);
  ASSERT_TRUE(me.valid) << me.reason;
  EXPECT_EQ(me.masked, "J*** fick diagnosen");
  EXPECT_EQ(validate_health_statement("Du har fått en diagnos", kCtx).reason, "general subject");
  EXPECT_EQ(validate_health_statement("har ni fått diagnosen", kCtx).reason, "general subject");
  EXPECT_EQ(validate_health_statement("Om hon har fått diagnosen", kCtx).reason,
            "conditional clause");
  // The protected-identity validator still takes "Du har skyddad identitet" (a letter to one
  // person).
  EXPECT_TRUE(validate_protected_identity_statement("Du har skyddad identitet", kCtx).valid);
}

}  // namespace
}  // namespace vakt::validate
