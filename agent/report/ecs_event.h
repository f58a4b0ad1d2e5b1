// ECS events: builds the JSON objects the agent logs, with Elastic Common Schema field names
// (nested objects: {"event":{"action":...}} is `event.action`). Never puts a matched value in
// clear text: findings carry only the scanner's masked form and optional keyed pseudonym.
//
//   auto ev = ecs_event("file-scanned", "success");
//   add_file(ev, {path, size, sha256, mime, owner});
//   add_scan_result(ev, result);            // vakt.class, vakt.findings, rule.id, ...
//   log.emit(std::move(ev));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "vakt/scanner/scan_result.h"

namespace vakt::agent {

struct FileFacts {
  std::string path;
  std::uint64_t size = 0;
  std::string sha256;
  std::string mime_type;
  std::string owner;
};

// Sets `dotted` ("file.hash.sha256") in nested objects. String values of path and free-text
// fields (file.path, file.name, vakt.reason, vakt.target, vakt.quarantine.note, ...) are stored
// with personnummer masked (vakt::mask_identity_numbers).
void set_field(nlohmann::json& event, std::string_view dotted, nlohmann::json value);
const nlohmann::json* get_field(const nlohmann::json& event, std::string_view dotted);

// event.category/event.type follow from the action: file actions are "file" (info, change,
// denied for a hold, error on failure); agent-* are "process" (start, end, error); rules-* and
// config-* "configuration"; state-* and ledger-* "database".
nlohmann::json ecs_event(std::string_view action, std::string_view outcome);
std::pair<std::string_view, std::string_view> ecs_category_and_type(std::string_view action,
                                                                    std::string_view outcome);
void add_file(nlohmann::json& event, const FileFacts& file);
void add_scan_result(nlohmann::json& event, const ScanResult& result);

std::string_view status_name(ScanStatus s);
// "docx" -> the OOXML MIME type; values with a '/' pass through.
std::string mime_type_for(const std::string& scanner_type);
// "2026-11-27T05:01:02.123Z"
std::string utc_timestamp_now();

}  // namespace vakt::agent
