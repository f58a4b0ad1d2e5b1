#include <gtest/gtest.h>

#include "report/ecs_event.h"
#include "report/event_log.h"
#include "test_dir.h"

namespace vakt::agent {
namespace {

ScanResult flagged_result() {
  ScanResult r;
  r.path = "/od/lista.txt";
  r.status = ScanStatus::kScanned;
  r.type = "text/plain";
  r.info_class = 3;
  r.class_name = "Känslig";
  Finding f;
  f.rule_id = "se.personnummer";
  f.rule_name = "Personnummer";
  f.rule_class = 2;
  f.confidence = Confidence::kHigh;
  f.masked = "19990604-****";
  f.line = 2;
  r.findings = {f, f};
  r.findings_total = 2;
  return r;
}

TEST(EcsEvent, LineHasTheEcsShape) {
  auto ev = ecs_event("file-scanned", "success");
  add_file(ev, {"/od/lista.txt", 48, "ab12", "text/plain", "anna"});
  add_scan_result(ev, flagged_result());
  auto line = EventLog::render(ev);
  EXPECT_EQ(line.find('\n'), std::string::npos);  // one line
  auto j = nlohmann::json::parse(line);
  EXPECT_TRUE(j["@timestamp"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(j["event"]["action"], "file-scanned");
  EXPECT_EQ(j["event"]["outcome"], "success");
  EXPECT_EQ(j["file"]["path"], "/od/lista.txt");
  EXPECT_EQ(j["file"]["size"], 48);
  EXPECT_EQ(j["file"]["hash"]["sha256"], "ab12");
  EXPECT_EQ(j["file"]["mime_type"], "text/plain");
  EXPECT_EQ(j["file"]["name"], "lista.txt");
  EXPECT_EQ(j["file"]["directory"], "/od");
  EXPECT_EQ(j["file"]["owner"], "anna");  // the owner did not act: never user.name
  EXPECT_FALSE(j.contains("user"));
  EXPECT_FALSE(j["host"]["name"].get<std::string>().empty());
  EXPECT_FALSE(j["agent"]["version"].get<std::string>().empty());
  EXPECT_EQ(j["vakt"]["class"], 3);
  EXPECT_EQ(j["vakt"]["class_name"], "Känslig");
  EXPECT_EQ(j["vakt"]["status"], "scanned");
  EXPECT_EQ(j["rule"]["id"], nlohmann::json::array({"se.personnummer"}));  // unique
  EXPECT_EQ(j["rule"]["name"], nlohmann::json::array({"Personnummer"}));
  ASSERT_EQ(j["vakt"]["findings"].size(), 2u);
  const auto& f = j["vakt"]["findings"][0];
  EXPECT_EQ(f["rule"], "se.personnummer");
  EXPECT_EQ(f["class"], 2);
  EXPECT_EQ(f["confidence"], "high");
  EXPECT_EQ(f["masked"], "19990604-****");
  EXPECT_EQ(f["line"], 2);
  EXPECT_EQ(line.find("2388"), std::string::npos);  // never a clear value
}

TEST(EcsEvent, ARegisterMakesABoundedLineThatStillCountsEverything) {
  // 5 000 personnummer and some vocabulary: the line lists at most 100 findings, the highest rule
  // class first, and counts all of them per rule.
  ScanResult r = flagged_result();
  Finding word;
  word.rule_id = "domain.social.weak";
  word.rule_name = "Socialtjänst: ord";
  word.rule_class = 1;
  word.masked = "handläggare";
  r.findings.assign(300, word);
  r.findings.insert(r.findings.end(), 1000, flagged_result().findings.front());
  r.findings_total = 5300;
  r.rule_counts = {{"domain.social.weak", 300}, {"se.personnummer", 5000}};
  auto ev = ecs_event("file-scanned", "success");
  add_scan_result(ev, r);
  const auto line = EventLog::render(ev);
  EXPECT_LT(line.size(), 20000u);
  auto j = nlohmann::json::parse(line);
  ASSERT_EQ(j["vakt"]["findings"].size(), 100u);
  for (const auto& f : j["vakt"]["findings"]) EXPECT_EQ(f["rule"], "se.personnummer");
  EXPECT_EQ(j["vakt"]["findings_total"], 5300);
  EXPECT_EQ(j["vakt"]["findings_by_rule"]["se.personnummer"], 5000);
  EXPECT_EQ(j["vakt"]["findings_by_rule"]["domain.social.weak"], 300);
  EXPECT_EQ(j["rule"]["id"], nlohmann::json::array({"domain.social.weak", "se.personnummer"}));
  EXPECT_EQ(j["rule"]["name"], nlohmann::json::array({"Socialtjänst: ord", "Personnummer"}));
}

TEST(EcsEvent, InvalidUtf8PathDoesNotThrow) {
  auto ev = ecs_event("file-scanned", "success");
  add_file(ev, {std::string("/od/bad\xff\xfename.txt"), 1, "", "", ""});
  std::string line;
  EXPECT_NO_THROW(line = EventLog::render(ev));
  nlohmann::json parsed;
  EXPECT_NO_THROW(parsed = nlohmann::json::parse(line));
  EXPECT_TRUE(parsed.is_object());
}

TEST(EcsEvent, DottedFieldHelpers) {
  nlohmann::json ev = nlohmann::json::object();
  set_field(ev, "a.b.c", 1);
  set_field(ev, "a.b.d", "x");
  ASSERT_NE(get_field(ev, "a.b.c"), nullptr);
  EXPECT_EQ(*get_field(ev, "a.b.d"), "x");
  EXPECT_EQ(get_field(ev, "a.z"), nullptr);
  EXPECT_EQ(mime_type_for("pdf"), "application/pdf");
  EXPECT_EQ(mime_type_for("text/plain"), "text/plain");
}

TEST(EventLog, WritesJsonLinesAndRotatesAtTheCap) {
  testing::TempDir dir;
  auto path = dir / "events.jsonl";
  {
    auto log = EventLog::open({path, 20000, 2, false});
    ASSERT_TRUE(log) << log.error().message;
    for (int i = 0; i < 300; ++i) {
      auto ev = ecs_event("file-scanned", "success");
      add_file(ev, {"/od/f" + std::to_string(i) + ".txt", 1, "", "", ""});
      (*log)->emit(ev);
    }
    EXPECT_EQ((*log)->recent().size(), 20u);
  }
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::exists(dir / "events.1.jsonl"));
  EXPECT_FALSE(std::filesystem::exists(dir / "events.3.jsonl"));
  EXPECT_LE(std::filesystem::file_size(path), 20000u);
  // Every line of both files is a whole event; the rotated file was filled close to the cap
  // (how many lines the current file holds depends on where the last rotation fell).
  for (const auto& file : {path, dir / "events.1.jsonl"}) {
    std::istringstream lines(testing::read_file(file));
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
      auto j = nlohmann::json::parse(line);
      EXPECT_EQ(j["event"]["action"], "file-scanned");
      ++n;
    }
    EXPECT_GT(n, 0) << file;
    if (file != path) {
      EXPECT_GT(std::filesystem::file_size(file), 20000u / 2) << file;
    }
  }
}

}  // namespace
}  // namespace vakt::agent
