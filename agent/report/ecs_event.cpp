#include "report/ecs_event.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

constexpr std::size_t kMaxEventFindings = 100;

// Fields holding paths, names or free text: a personnummer in a file or folder name must not
// leave the machine, so their string values are always masked, whoever sets them.
bool is_free_text(std::string_view dotted) {
  static const std::set<std::string_view> kKeys = {
      "file.path",   "file.name",   "file.directory",       "file.target_path", "vakt.reason",
      "vakt.target", "vakt.detail", "vakt.quarantine.note", "error.message"};
  return kKeys.count(dotted) != 0;
}

}  // namespace

void set_field(nlohmann::json& event, std::string_view dotted, nlohmann::json value) {
  if (value.is_string() && is_free_text(dotted)) {
    value = mask_identity_numbers(value.get_ref<const std::string&>());
  }
  nlohmann::json* node = &event;
  std::size_t start = 0;
  for (;;) {
    auto dot = dotted.find('.', start);
    std::string key(
        dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (dot == std::string_view::npos) {
      (*node)[key] = std::move(value);
      return;
    }
    if (!(*node)[key].is_object()) (*node)[key] = nlohmann::json::object();
    node = &(*node)[key];
    start = dot + 1;
  }
}

const nlohmann::json* get_field(const nlohmann::json& event, std::string_view dotted) {
  const nlohmann::json* node = &event;
  std::size_t start = 0;
  for (;;) {
    auto dot = dotted.find('.', start);
    std::string key(
        dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start));
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
    if (dot == std::string_view::npos) return node;
    start = dot + 1;
  }
}

std::string_view status_name(ScanStatus s) {
  return to_string(s);
}

std::string mime_type_for(const std::string& t) {
  if (t.find('/') != std::string::npos) return t;
  static const std::map<std::string, std::string> kKnown = {
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"pdf", "application/pdf"},
      {"odt", "application/vnd.oasis.opendocument.text"},
      {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
      {"odp", "application/vnd.oasis.opendocument.presentation"},
      {"doc", "application/msword"},
      {"xls", "application/vnd.ms-excel"},
      {"ppt", "application/vnd.ms-powerpoint"},
      {"rtf", "application/rtf"},
      {"zip", "application/zip"},
      {"eml", "message/rfc822"},
      {"msg", "application/vnd.ms-outlook"},
      {"html", "text/html"},
      {"xml", "application/xml"},
      {"csv", "text/csv"},
      {"txt", "text/plain"},
      {"text", "text/plain"},
  };
  auto it = kKnown.find(t);
  return it != kKnown.end() ? it->second : t;
}

std::string utc_timestamp_now() {
  // C++20 calendar types: UTC by definition, no gmtime_r/gmtime_s difference between platforms.
  using namespace std::chrono;
  const auto now = floor<milliseconds>(system_clock::now());
  const auto day = floor<days>(now);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{now - day};
  char out[48];
  std::snprintf(out, sizeof(out), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return out;
}

std::pair<std::string_view, std::string_view> ecs_category_and_type(std::string_view action,
                                                                    std::string_view outcome) {
  const bool failed = outcome == "failure";
  auto starts = [action](std::string_view p) { return action.starts_with(p); };
  if (starts("agent-")) {
    if (failed) return {"process", "error"};
    return {"process", action == "agent-started" ? "start" : "end"};
  }
  if (starts("rules-") || starts("config-")) return {"configuration", failed ? "error" : "change"};
  if (starts("state-") || starts("ledger-")) return {"database", failed ? "error" : "change"};
  if (failed) return {"file", "error"};
  if (action == "file-quarantined" || action == "file-restored" || action == "file-forwarded" ||
      action == "quarantine-recovered") {
    return {"file", "change"};
  }
  if (action == "file-held") return {"file", "denied"};
  return {"file", "info"};
}

nlohmann::json ecs_event(std::string_view action, std::string_view outcome) {
  nlohmann::json ev = nlohmann::json::object();
  auto [category, type] = ecs_category_and_type(action, outcome);
  set_field(ev, "event.kind", "event");
  set_field(ev, "event.category", nlohmann::json::array({std::string(category)}));
  set_field(ev, "event.type", nlohmann::json::array({std::string(type)}));
  set_field(ev, "event.action", std::string(action));
  set_field(ev, "event.outcome", std::string(outcome));
  set_field(ev, "event.dataset", "vakt.agent");
  return ev;
}

void add_file(nlohmann::json& ev, const FileFacts& f) {
  set_field(ev, "file.path", f.path);
  // The platform's own path rules (a Windows agent logs `C:\Users\...`); UTF-8 both ways.
  const std::filesystem::path p(std::u8string(f.path.begin(), f.path.end()));
  auto utf8 = [](const std::filesystem::path& q) {
    auto u = q.u8string();
    return std::string(u.begin(), u.end());
  };
  set_field(ev, "file.name", utf8(p.filename()));
  if (p.has_parent_path()) set_field(ev, "file.directory", utf8(p.parent_path()));
  set_field(ev, "file.size", f.size);
  if (!f.sha256.empty()) set_field(ev, "file.hash.sha256", f.sha256);
  if (!f.mime_type.empty()) set_field(ev, "file.mime_type", f.mime_type);
  // ECS: the file's owner is `file.owner`; `user.name` would claim that user acted.
  if (!f.owner.empty()) set_field(ev, "file.owner", f.owner);
}

void add_scan_result(nlohmann::json& ev, const ScanResult& r) {
  // One event is one log line: a register with 20 000 personnummer must not make a 3 MB line
  // that a log shipper cuts or drops. The list keeps the findings of the highest rule class
  // first; vakt.findings_by_rule counts every one, listed or not.
  set_field(ev, "vakt.class", r.info_class);
  set_field(ev, "vakt.class_name", r.class_name);
  set_field(ev, "vakt.status", std::string(to_string(r.status)));
  if (!r.reason.empty()) set_field(ev, "vakt.reason", r.reason);
  if (!r.conditions.empty()) set_field(ev, "vakt.conditions", r.conditions);
  set_field(ev, "vakt.findings_total", r.findings_total);
  set_field(ev, "vakt.scan_seconds", r.seconds);
  std::vector<const Finding*> listed;
  listed.reserve(r.findings.size());
  for (const auto& f : r.findings) listed.push_back(&f);
  std::stable_sort(listed.begin(), listed.end(), [](const Finding* a, const Finding* b) {
    return a->rule_class > b->rule_class;
  });
  if (listed.size() > kMaxEventFindings) listed.resize(kMaxEventFindings);
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding* fp : listed) {
    const Finding& f = *fp;
    nlohmann::json one = {{"rule", f.rule_id},
                          {"class", f.rule_class},
                          {"confidence", std::string(to_string(f.confidence))},
                          {"masked", f.masked},
                          {"part", mask_identity_numbers(f.part)},
                          {"line", f.line}};
    if (!f.pseudonym.empty()) one["pseudonym"] = f.pseudonym;
    findings.push_back(std::move(one));
  }
  set_field(ev, "vakt.findings", std::move(findings));
  // rule.id / rule.name: every rule that reported, listed findings or not, in the scanner's order.
  std::map<std::string, std::string> name_of;
  for (const auto& f : r.findings) name_of.emplace(f.rule_id, f.rule_name);
  std::vector<std::string> ids;
  std::vector<std::string> names;
  nlohmann::json by_rule = nlohmann::json::object();
  auto add_rule = [&](const std::string& id) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
    ids.push_back(id);
    const auto it = name_of.find(id);
    names.push_back(it == name_of.end() ? id : it->second);
  };
  for (const auto& c : r.rule_counts) {
    add_rule(c.rule_id);
    by_rule[c.rule_id] = c.count;
  }
  for (const auto& f : r.findings) add_rule(f.rule_id);  // a result made without counts
  if (!by_rule.empty()) set_field(ev, "vakt.findings_by_rule", std::move(by_rule));
  if (!ids.empty()) {
    set_field(ev, "rule.id", ids);
    set_field(ev, "rule.name", names);
  }
}

}  // namespace vakt::agent
