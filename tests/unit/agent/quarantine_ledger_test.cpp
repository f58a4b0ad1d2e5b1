#include <gtest/gtest.h>

#include "state/quarantine_ledger.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

using testing::TempDir;

TEST(LedgerStateMachine, OnlyTheDocumentedTransitions) {
  using S = LedgerState;
  EXPECT_TRUE(ledger_transition_allowed(S::kPending, S::kQuarantined));
  EXPECT_TRUE(ledger_transition_allowed(S::kPending, S::kFailed));
  EXPECT_TRUE(ledger_transition_allowed(S::kPending, S::kRolledBack));
  EXPECT_TRUE(ledger_transition_allowed(S::kQuarantined, S::kRestoring));
  EXPECT_TRUE(ledger_transition_allowed(S::kRestoring, S::kRestored));
  EXPECT_TRUE(ledger_transition_allowed(S::kRestoring, S::kQuarantined));
  EXPECT_FALSE(ledger_transition_allowed(S::kQuarantined, S::kRestored));  // must pass restoring
  EXPECT_FALSE(ledger_transition_allowed(S::kRestored, S::kQuarantined));
  EXPECT_FALSE(ledger_transition_allowed(S::kFailed, S::kQuarantined));
  EXPECT_FALSE(ledger_transition_allowed(S::kPending, S::kRestored));
  for (auto s :
       {S::kPending, S::kQuarantined, S::kFailed, S::kRolledBack, S::kRestoring, S::kRestored}) {
    EXPECT_EQ(ledger_state_from(to_string(s)), s);
  }
}

TEST(QuarantineLedger, RecordsPendingThenCompletes) {
  TempDir dir;
  auto ledger = QuarantineLedger::open(dir / "ledger.sqlite", nullptr);
  ASSERT_TRUE(ledger) << ledger.error().message;
  LedgerEntry e;
  e.id = "Q1";
  e.original_path = "/od/a.txt";
  e.stored_path = "/q/files/Q1";
  e.note_path = "/od/a.txt.vakt.txt";
  e.sha256 = "abc";
  e.info_class = 3;
  e.rule_ids = "se.personnummer";
  ASSERT_TRUE((*ledger)->create_pending(e));
  EXPECT_FALSE((*ledger)->create_pending(e));  // ids are unique
  EXPECT_EQ((*ledger)->list(LedgerState::kPending).size(), 1u);
  // Wrong "from" state is refused and changes nothing.
  EXPECT_FALSE((*ledger)->transition("Q1", LedgerState::kQuarantined, LedgerState::kRestoring, ""));
  ASSERT_TRUE(
      (*ledger)->transition("Q1", LedgerState::kPending, LedgerState::kQuarantined, "rename"));
  auto got = (*ledger)->get("Q1");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state, LedgerState::kQuarantined);
  EXPECT_EQ(got->detail, "rename");
  EXPECT_EQ(got->info_class, 3);
  EXPECT_FALSE((*ledger)->transition("Q1", LedgerState::kQuarantined, LedgerState::kRestored, ""));
  EXPECT_FALSE((*ledger)->find_restored("/od/a.txt", "abc"));
  ASSERT_TRUE((*ledger)->transition("Q1", LedgerState::kQuarantined, LedgerState::kRestoring, ""));
  ASSERT_TRUE((*ledger)->transition("Q1", LedgerState::kRestoring, LedgerState::kRestored, ""));
  EXPECT_TRUE((*ledger)->find_restored("/od/a.txt", "abc"));
  EXPECT_FALSE((*ledger)->find_restored("/od/a.txt", "other-content"));
}

TEST(QuarantineLedger, SurvivesReopen) {
  TempDir dir;
  {
    auto ledger = QuarantineLedger::open(dir / "ledger.sqlite", nullptr);
    LedgerEntry e;
    e.id = "Q2";
    ASSERT_TRUE((*ledger)->create_pending(e));
  }
  auto again = QuarantineLedger::open(dir / "ledger.sqlite", nullptr);
  ASSERT_TRUE(again);
  EXPECT_TRUE((*again)->get("Q2"));
}

}  // namespace
}  // namespace vakt::agent
