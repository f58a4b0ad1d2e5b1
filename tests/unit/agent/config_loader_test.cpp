#include <gtest/gtest.h>

#include <filesystem>

#include "config/config_loader.h"

namespace vakt::agent {
namespace {

TEST(ConfigLoader, ReadsEverySection) {
  auto c = load_config_text(R"(
watch:
  onedrive: off
  folders: [/srv/od/anna, /srv/od/bo]
  include: ["**/*.docx", "*.txt"]
  exclude: ["Privat/**"]
policy:
  fail_class: 3
  actions: {2: log, 3: quarantine}
  unscannable: hold
quarantine:
  dir: /var/lib/vakt/q
  helpdesk: "IT-servicedesk, tel 0123-45 67 89"
state: {dir: /var/lib/vakt}
log: {file: /var/log/vakt/x.jsonl, max_size_mb: 5, max_files: 3, console: true}
performance: {workers: 3, queue_max: 5000, coalesce_ms: 100, nice: 15, io_class: best-effort}
)",
                            "t.yaml");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->onedrive_auto);
  ASSERT_EQ(c->folders.size(), 2u);
  EXPECT_EQ(c->folders[1], "/srv/od/bo");
  EXPECT_EQ(c->fail_class, 3);
  EXPECT_EQ(c->actions[2], Action::kLog);
  EXPECT_EQ(c->actions[3], Action::kQuarantine);
  EXPECT_EQ(c->unscannable, UnscannablePolicy::kHold);
  EXPECT_EQ(c->quarantine_dir, "/var/lib/vakt/q");
  EXPECT_EQ(c->log_max_bytes, 5ull << 20);
  EXPECT_EQ(c->log_max_files, 3);
  EXPECT_TRUE(c->log_console);
  EXPECT_EQ(c->workers, 3);
  EXPECT_EQ(c->coalesce.count(), 100);
  EXPECT_EQ(c->io_class, IoClass::kBestEffortLow);
  EXPECT_TRUE(validate_config(*c));
}

TEST(ConfigLoader, UnknownKeyIsNamedWithLine) {
  auto c = load_config_text("watch:\n  folder: [/x]\n", "vakt.yaml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("vakt.yaml:2:"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("watch.folder"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("unknown key"), std::string::npos);
}

TEST(ConfigLoader, BadValueNamesKeyAndValue) {
  auto c = load_config_text("policy:\n  actions:\n    3: delete\n", "vakt.yaml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("policy.actions.3"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("'delete'"), std::string::npos) << c.error().message;

  auto w = load_config_text("performance: {workers: lots}\n", "v.yaml");
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message.find("performance.workers"), std::string::npos);

  auto r = load_config_text("policy: {fail_class: 7}\n", "v.yaml");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("between 0 and 3"), std::string::npos);

  auto rel = load_config_text("watch: {folders: [relative/dir]}\n", "v.yaml");
  ASSERT_FALSE(rel);
  EXPECT_NE(rel.error().message.find("watch.folders[0]"), std::string::npos);
}

TEST(ConfigLoader, BrokenYamlIsAnErrorNotACrash) {
  auto c = load_config_text("watch: [unclosed\n", "v.yaml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("invalid YAML"), std::string::npos);
}

TEST(ConfigLoader, ADuplicateSectionIsAnErrorNamingTheLine) {
  // A policy block appended at the end must not be silently ignored (audit mode by surprise).
  auto c = load_config_text(
      "policy: {fail_class: 2}\nquarantine: {dir: /var/q}\npolicy: {fail_class: 3}\n", "v.yaml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("v.yaml:3"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("duplicate key 'policy'"), std::string::npos);
}

TEST(ConfigLoader, LeftOutActionsKeepTheDocumentedDefaultWhenThereIsAQuarantine) {
  // The shipped file says what is left out keeps "2: quarantine, 3: quarantine".
  auto with_folder = load_config_text("quarantine: {dir: /var/q}\n", "v");
  ASSERT_TRUE(with_folder);
  EXPECT_EQ(with_folder->actions[1], Action::kLog);
  EXPECT_EQ(with_folder->actions[2], Action::kQuarantine);
  EXPECT_EQ(with_folder->actions[3], Action::kQuarantine);
  EXPECT_EQ(with_folder->images, UnscannablePolicy::kLog);
  auto stricter = load_config_text("quarantine: {dir: /var/q}\npolicy: {fail_class: 3}\n", "v");
  ASSERT_TRUE(stricter);
  EXPECT_EQ(stricter->actions[2], Action::kLog);
  EXPECT_EQ(stricter->actions[3], Action::kQuarantine);
  auto explicit_audit =
      load_config_text("quarantine: {dir: /var/q}\npolicy: {actions: {2: log, 3: log}}\n", "v");
  ASSERT_TRUE(explicit_audit);
  EXPECT_EQ(explicit_audit->actions[3], Action::kLog);
  auto no_folder = load_config_text("policy: {fail_class: 2}\n", "v");
  ASSERT_TRUE(no_folder);
  EXPECT_EQ(no_folder->actions[3], Action::kLog);  // nowhere to quarantine to: audit
  auto images = load_config_text("policy: {images: quarantine}\n", "v");
  ASSERT_TRUE(images);
  EXPECT_EQ(images->images, UnscannablePolicy::kQuarantine);
}

TEST(ConfigLoader, AFolderOrADeviceIsNotAConfigFile) {
  auto folder = load_config_file(std::filesystem::temp_directory_path());
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.error().message.find("not a regular file"), std::string::npos);
#ifndef _WIN32
  auto zero = load_config_file("/dev/zero");  // would otherwise be read for ever
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("not a regular file"), std::string::npos);
#endif
  auto missing = load_config_file(std::filesystem::temp_directory_path() / "vakt-no-such.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no such file"), std::string::npos);
}

TEST(ConfigLoader, QuarantineActionNeedsAFolder) {
  auto c =
      load_config_text("watch: {folders: [/srv/od]}\npolicy: {actions: {3: quarantine}}\n", "v");
  ASSERT_TRUE(c);
  auto st = validate_config(*c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("quarantine.dir"), std::string::npos);
}

TEST(ConfigLoader, QuarantineInsideWatchedFolderIsRefused) {
  auto c = load_config_text(
      "watch: {folders: [/srv/od]}\nquarantine: {dir: /srv/od/q}\npolicy: {actions: {3: "
      "quarantine}}\n",
      "v");
  ASSERT_TRUE(c);
  auto st = validate_config(*c);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("must not be inside"), std::string::npos);
}

TEST(ConfigLoader, AirlockNeedsSeparateFolders) {
  auto c = load_config_text("airlock:\n  - {outbox: /srv/ut, target: /srv/ut/od}\n", "v");
  ASSERT_TRUE(c) << c.error().message;
  c->quarantine_dir = "/var/q";
  EXPECT_FALSE(validate_config(*c));
  auto missing = load_config_text("airlock:\n  - {outbox: /srv/ut}\n", "v");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("airlock[0].target"), std::string::npos);
}

}  // namespace
}  // namespace vakt::agent
