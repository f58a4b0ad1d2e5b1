#include <gtest/gtest.h>

#include "actions/action_policy.h"
#include "runtime/watch_roots.h"

namespace vakt::agent {
namespace {

AgentConfig quarantine_config() {
  AgentConfig c;
  c.quarantine_dir = "/var/q";
  c.actions = {Action::kLog, Action::kLog, Action::kQuarantine, Action::kQuarantine};
  return c;
}

TEST(ActionPolicy, SyncFolderFollowsTheClassActions) {
  auto c = quarantine_config();
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kScanned, false), Decision::kNone);
  EXPECT_EQ(decide_action(c, 1, ScanStatus::kScanned, false), Decision::kNone);
  EXPECT_EQ(decide_action(c, 2, ScanStatus::kScanned, false), Decision::kQuarantine);
  EXPECT_EQ(decide_action(c, 3, ScanStatus::kPartial, false), Decision::kQuarantine);
}

TEST(ActionPolicy, UnscannableFailsClosedByDefault) {
  auto c = quarantine_config();
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kUnscannable, false), Decision::kQuarantine);
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, false), Decision::kQuarantine);
  c.unscannable = UnscannablePolicy::kHold;
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kUnscannable, false), Decision::kHold);
  c.unscannable = UnscannablePolicy::kLog;
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kError, false), Decision::kNone);
}

TEST(ActionPolicy, PicturesFollowTheirOwnPolicy) {
  // A photo is not read (no OCR): by default logged, not quarantined, and forwarded from an
  // airlock; a picture that is flagged (a personnummer in its name) follows its class.
  auto c = quarantine_config();
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, false, true), Decision::kNone);
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, true, true), Decision::kForward);
  EXPECT_EQ(decide_action(c, 2, ScanStatus::kPartial, false, true), Decision::kQuarantine);
  EXPECT_EQ(decide_action(c, 2, ScanStatus::kPartial, true, true), Decision::kQuarantine);
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, false, false), Decision::kQuarantine);
  c.images = UnscannablePolicy::kQuarantine;
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, false, true), Decision::kQuarantine);
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, true, true), Decision::kQuarantine);
  c.images = UnscannablePolicy::kHold;
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, false, true), Decision::kHold);
  EXPECT_TRUE(is_image_type("image/png"));
  EXPECT_FALSE(is_image_type("pdf"));
}

TEST(ActionPolicy, AuditOnlyNeverMoves) {
  AgentConfig c;  // no quarantine dir
  c.actions[3] = Action::kQuarantine;
  EXPECT_EQ(decide_action(c, 3, ScanStatus::kScanned, false), Decision::kNone);
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kUnscannable, false), Decision::kNone);
}

TEST(ActionPolicy, AirlockForwardsOnlyCleanCompleteFiles) {
  auto c = quarantine_config();
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kScanned, true), Decision::kForward);
  EXPECT_EQ(decide_action(c, 1, ScanStatus::kScanned, true), Decision::kForward);
  EXPECT_EQ(decide_action(c, 2, ScanStatus::kScanned, true), Decision::kQuarantine);
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kPartial, true), Decision::kQuarantine);
  c.unscannable = UnscannablePolicy::kLog;
  EXPECT_EQ(decide_action(c, 0, ScanStatus::kUnscannable, true), Decision::kHold);  // stays
  c.airlock_flagged = AirlockFlagged::kHold;
  EXPECT_EQ(decide_action(c, 3, ScanStatus::kScanned, true), Decision::kHold);
}

TEST(WatchRoots, LongestPrefixWinsAndRelativeIsSlashSeparated) {
  WatchRoots roots;
  EXPECT_TRUE(roots.add({"/home/anna/OneDrive/", RootKind::kSync, {}}));
  EXPECT_FALSE(roots.add({"/home/anna/OneDrive", RootKind::kSync, {}}));
  roots.add({"/home/anna/OneDrive/Utkorg", RootKind::kOutbox, "/x"});
  auto m = roots.find("/home/anna/OneDrive/Utkorg/a/b.txt");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root->kind, RootKind::kOutbox);
  EXPECT_EQ(m->relative, "a/b.txt");
  EXPECT_FALSE(roots.find("/home/anna/OneDriveX/a.txt"));
  EXPECT_FALSE(roots.find("/home/anna/OneDrive"));

  WatchRoots everything;
  everything.add({"/", RootKind::kSync, {}});
  auto all = everything.find("/srv/a.txt");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->relative, "srv/a.txt");
}

}  // namespace
}  // namespace vakt::agent
