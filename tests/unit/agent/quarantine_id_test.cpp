// Quarantine ids survive the masking every printed text goes through: the helpdesk must be able
// to read an id off the log and restore with it.
#include "actions/quarantine_id.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

using namespace std::chrono;

TEST(QuarantineId, NoIdOfAnySecondOfTheDayIsMasked) {
  std::mt19937_64 rng(20261128);
  const sys_seconds midnight = sys_days{year{2026} / 11 / 28};
  for (int s = 0; s < 24 * 3600; ++s) {
    const std::string id = make_quarantine_id(midnight + seconds{s}, rng());
    ASSERT_EQ(mask_identity_numbers(id), id);
    ASSERT_EQ(mask_identity_numbers("/var/lib/vakt/quarantine/files/" + id),
              "/var/lib/vakt/quarantine/files/" + id);
    ASSERT_TRUE(is_quarantine_id(id)) << id;
  }
}

TEST(QuarantineId, TheFirstFormatCouldBeMaskedWhichIsWhyItChanged) {
  // 02:12:05 reads as the date 02-12-05 and "0009" completes a valid check digit.
  EXPECT_NE(mask_identity_numbers("Q20261128-021205-0009ab"), "Q20261128-021205-0009ab");
}

TEST(QuarantineId, FormatAndUniqueness) {
  const sys_seconds t = sys_days{year{2026} / 1 / 2} + hours{3} + minutes{4} + seconds{5};
  const std::string id = make_quarantine_id(t, 0);
  EXPECT_EQ(id.substr(0, 17), "Q20260102T030405-");
  EXPECT_EQ(id.size(), 23u);
  EXPECT_NE(make_quarantine_id(t, 1), make_quarantine_id(t, 2));
}

TEST(QuarantineId, OlderLedgersAndNotesStillHoldTheFirstFormat) {
  EXPECT_TRUE(is_quarantine_id("Q20261127-234512-a1b2c3"));
  EXPECT_TRUE(is_quarantine_id("Q20261127T234512-kbxmqt"));
  EXPECT_FALSE(is_quarantine_id("Q20261127T234512-a1b2c3"));  // new format, digits in suffix
  EXPECT_FALSE(is_quarantine_id("Q20261127-234512-kbxmqt"));  // old format, letters beyond hex
  EXPECT_FALSE(is_quarantine_id("Q20261127X234512-kbxmqt"));
  EXPECT_FALSE(is_quarantine_id("Q2026112aT234512-kbxmqt"));
  EXPECT_FALSE(is_quarantine_id("Q20261127T234512-kbxmq"));
  EXPECT_FALSE(is_quarantine_id(""));
}

}  // namespace
}  // namespace vakt::agent
