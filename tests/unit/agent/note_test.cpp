// Notes: only text shaped exactly as Vakt writes a note counts as one (the agent leaves it alone);
// a document renamed "*.vakt.txt" to slip past the scan does not.
#include "actions/note.h"

#include <gtest/gtest.h>

namespace vakt::agent {
namespace {

NoteFacts facts() {
  NoteFacts f;
  f.file_name = "Utredning 19990604-XXXX.docx";
  f.class_level = 3;
  f.class_name = "Mycket känslig";
  f.rule_names = {"Personnummer", "Socialtjänst: barn som far illa",
                  "Sekretessmarkering av handling"};
  f.quarantine_id = "Q20261127-234512-a1b2c3";
  f.helpdesk = "IT-servicedesk, tel 0123-45 67 89";
  return f;
}

TEST(GenuineNote, EveryNoteVaktWritesIsOne) {
  NoteFacts f = facts();
  EXPECT_TRUE(is_genuine_note(compose_quarantine_note(f)));
  EXPECT_TRUE(is_genuine_note(compose_hold_note(f)));
  f.reason = "encrypted";  // could not be scanned, class 0: the reason alone
  f.class_level = 0;
  f.class_name.clear();
  f.rule_names.clear();
  EXPECT_TRUE(is_genuine_note(compose_quarantine_note(f)));
  EXPECT_TRUE(is_genuine_note(compose_hold_note(f)));
  f = facts();
  f.reason = "limit: max_depth";
  f.helpdesk.clear();  // the default text
  EXPECT_TRUE(is_genuine_note(compose_quarantine_note(f)));
}

TEST(GenuineNote, ADocumentOrAnAlteredNoteIsNot) {
  const std::string note = compose_quarantine_note(facts());
  EXPECT_FALSE(is_genuine_note("Namn: Test Testsson\nPersonnummer: 19990604-2388\n"));
  EXPECT_FALSE(is_genuine_note(note + "Personnummer: 19990604-2388\n"));  // a tail added
  EXPECT_FALSE(is_genuine_note("x" + note));
  EXPECT_FALSE(is_genuine_note(note.substr(0, note.size() - 1)));
  // A clear personnummer in any free field: never something Vakt writes.
  NoteFacts f = facts();
  f.file_name = "Utredning 19990604-2388.docx";
  EXPECT_FALSE(is_genuine_note(compose_quarantine_note(f)));
  f = facts();
  f.rule_names.push_back("Patient 19990604-2388");
  EXPECT_FALSE(is_genuine_note(compose_hold_note(f)));
  f = facts();
  f.helpdesk = "Anna 199906042388";
  EXPECT_FALSE(is_genuine_note(compose_quarantine_note(f)));
  f = facts();
  f.quarantine_id = "Q-not-an-id";
  EXPECT_FALSE(is_genuine_note(compose_quarantine_note(f)));
  // Long free text smuggled into a field is refused.
  f = facts();
  f.file_name = std::string(400, 'a');
  EXPECT_FALSE(is_genuine_note(compose_quarantine_note(f)));
}

}  // namespace
}  // namespace vakt::agent
