#include "runtime/worker.h"

#include <fstream>

#include <algorithm>
#include <chrono>
#include <set>
#include <system_error>

#include "actions/action_policy.h"
#include "actions/forward.h"
#include "actions/note.h"
#include "actions/safe_move.h"
#include "actions/utf8_path.h"
#include "report/ecs_event.h"
#include "runtime/sha256.h"
#include "vakt/scanner/mask_text.h"

namespace vakt::agent {
namespace {

std::optional<ScanStatus> status_from(const std::string& s) {
  if (s == "scanned") return ScanStatus::kScanned;
  if (s == "partial") return ScanStatus::kPartial;
  if (s == "unscannable") return ScanStatus::kUnscannable;
  if (s == "error") return ScanStatus::kError;
  return std::nullopt;
}

void rule_lists(const ScanResult& r, std::vector<std::string>& ids,
                std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (const auto& f : r.findings) {
    if (seen.insert(f.rule_id).second) {
      ids.push_back(f.rule_id);
      names.push_back(f.rule_name);
    }
  }
}

constexpr std::chrono::seconds kLongestRetry{300};

// Vakt's own note, read without following a link: its text is exactly a note's (a document
// renamed "*.vakt.txt" is not, and is scanned like any file).
bool is_own_note(const std::filesystem::path& path, std::uint64_t size) {
  if (size > 16 * 1024) return false;
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size) + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text.size() == size && is_genuine_note(text);
}

bool is_in_use(const std::string& message) {
  return message.find(kFileInUse) != std::string::npos;
}

// Deferrals worth a log line: the first three, then one an hour (12 at the 5-minute cap).
bool should_log_attempt(int attempts) {
  return attempts < 3 || attempts % 12 == 0;
}

}  // namespace

std::string_view origin_name(WorkOrigin origin) {
  switch (origin) {
    case WorkOrigin::kEvent:
      return "event";
    case WorkOrigin::kReconcile:
      return "reconcile";
    case WorkOrigin::kRescan:
      return "rescan";
    case WorkOrigin::kRetry:
      return "retry";
  }
  return "event";
}

FileScanner& Worker::scanner_for(const EngineSnapshot& snap) {
  if (!scanner_ || scanner_generation_ != snap.generation) {
    scanner_ = std::make_unique<FileScanner>(snap.engine);
    scanner_generation_ = snap.generation;
  }
  return *scanner_;
}

void Worker::process(const WorkItem& item) {
  auto snap = ctx_.snapshot();
  const std::filesystem::path path = path_from_utf8(item.path);
  auto root = snap->roots.find(path);
  if (!root) return;
  const bool file_wanted = snap->filter.wanted(root->relative);
  if (!file_wanted && !snap->filter.folder_wanted(root->relative)) return;

  auto info = stat_no_follow(path);
  // A folder (the watcher reports new ones, a rescan every one): only its name is checked, so
  // that a folder named after a person is reported even while it is empty.
  if (info && info->kind == FileKind::kDirectory) {
    if (snap->filter.folder_wanted(root->relative)) {
      check_folder_names(*snap, *root, ctx_.engine.current(), true);
    }
    return;
  }
  if (!file_wanted) return;
  if (!info) {
    ++ctx_.counters.errors;
    auto ev = ecs_event("scan-failed", "failure");
    add_file(ev, {path_to_utf8(path), 0, "", "", ""});
    set_field(ev, "vakt.reason", info.error().message);
    ctx_.log->emit(std::move(ev));
    return;
  }
  if (info->kind == FileKind::kMissing) {
    ++ctx_.counters.vanished;
    return;
  }
  if (info->kind != FileKind::kRegular) return;  // symlinks are never followed out of the roots
  const std::string name = path_to_utf8(path.filename());
  if (is_note_name(name) && is_own_note(path, info->size)) return;
  // A copy Vakt is writing (airlock forward, restore) belongs to root / SYSTEM; a user's file
  // renamed "*.vakt-partial" to slip past does not, and is scanned.
  if (name.ends_with(".vakt-partial") && owned_by_the_system(path)) {
    // Closed: its writer finished (then this finds nothing to do, after waiting for the lock)
    // or died — a killed restore leaves a quarantined file's bytes in the sync folder, which
    // must not wait for the agent's next start to be rolled back.
    recover_interrupted_moves(ctx_);
    return;
  }

  auto engine = ctx_.engine.current();
  const std::string& rules_version = engine.engine->version();
  const std::string owner = file_owner_name(path);
  check_folder_names(*snap, *root, engine);

  Verdict verdict;
  if (auto cached = ctx_.cache->find_unchanged(path, *info, rules_version)) {
    // Same file, same rules: never rescanned. Only an action still owed (a quarantine that
    // failed earlier, an airlock file not yet forwarded) is retried.
    auto status = status_from(cached->status).value_or(ScanStatus::kUnscannable);
    bool in_airlock = root->root->kind == RootKind::kOutbox;
    auto decision = decide_action(snap->config, cached->info_class, status, in_airlock,
                                  is_image_type(cached->mime_type));
    bool owed = decision == Decision::kQuarantine || decision == Decision::kForward;
    if (decision == Decision::kQuarantine && ctx_.ledger &&
        ctx_.ledger->find_restored(path_to_utf8(path), cached->sha256)) {
      owed = false;
    }
    ++ctx_.counters.unchanged;
    if (!owed) return;
    verdict.result.path = path_to_utf8(path);
    verdict.result.status = status;
    verdict.result.reason = cached->reason;
    verdict.result.info_class = cached->info_class;
    verdict.result.class_name = cached->class_name;
    verdict.result.type = cached->mime_type;
    verdict.result.size = info->size;
    auto ids = split_list(cached->rule_ids);
    auto names = split_list(cached->rule_names);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      Finding f;
      f.rule_id = ids[i];
      f.rule_name = i < names.size() ? names[i] : ids[i];
      verdict.result.findings.push_back(f);
    }
    verdict.sha256 = cached->sha256;
    verdict.reused = true;
    act(*snap, *root, path, *info, verdict, owner, item.attempts);
    return;
  }

  auto digest = sha256_file(path);
  if (!digest) {
    auto again = stat_no_follow(path);
    if (again && again->kind == FileKind::kMissing) {
      ++ctx_.counters.vanished;
      return;
    }
    verdict.result.path = path_to_utf8(path);
    verdict.result.status = ScanStatus::kUnscannable;
    verdict.result.reason = "cannot read: " + digest.error().message;
    verdict.result.size = info->size;
  } else {
    verdict.sha256 = *digest;
    // A verdict reused by content was made under another name: only when this name adds no
    // finding of its own (a copy or a rename to "Anna 19121212-1212.txt" must not inherit a
    // clean verdict). Scanning a name is far cheaper than the content.
    auto known = ctx_.cache->find_by_content(*digest, rules_version);
    if (known && !scanner_for(engine).scan_name_only(name).findings.empty()) known.reset();
    if (known) {
      verdict.result.path = path_to_utf8(path);
      verdict.result.status = status_from(known->status).value_or(ScanStatus::kScanned);
      verdict.result.info_class = known->info_class;
      verdict.result.class_name = known->class_name;
      verdict.result.type = known->mime_type;
      verdict.result.size = info->size;
      auto ids = split_list(known->rule_ids);
      auto names = split_list(known->rule_names);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        Finding f;
        f.rule_id = ids[i];
        f.rule_name = i < names.size() ? names[i] : ids[i];
        verdict.result.findings.push_back(f);
      }
      verdict.reused = true;
      ++ctx_.counters.reused;
    } else {
      verdict.result = scanner_for(engine).scan_file(path);
      ++ctx_.counters.scanned;
    }
  }

  // Deleted or rewritten while we scanned: the verdict is about bytes that are gone.
  auto after = stat_no_follow(path);
  if (!after || after->kind == FileKind::kMissing) {
    ++ctx_.counters.vanished;
    auto ev = ecs_event("scan-abandoned", "unknown");
    add_file(ev, {path_to_utf8(path), info->size, verdict.sha256, "", owner});
    set_field(ev, "vakt.reason", "file removed or renamed during the scan");
    ctx_.log->emit(std::move(ev));
    return;
  }
  if (!after->same_version(*info)) {
    ++ctx_.counters.requeued;
    if (ctx_.queue->push(path_to_utf8(path), WorkOrigin::kRetry, WorkQueue::Clock::now(),
                         item.attempts + 1) == PushResult::kFull) {
      ctx_.rescan_needed = true;
    }
    return;
  }

  const auto& r = verdict.result;
  bool failed = r.status == ScanStatus::kError;
  auto ev = ecs_event(failed ? "scan-failed" : "file-scanned", failed ? "failure" : "success");
  add_file(ev, {path_to_utf8(path), info->size, verdict.sha256, mime_type_for(r.type), owner});
  add_scan_result(ev, r);
  if (verdict.reused) {
    std::vector<std::string> ids, names;
    rule_lists(r, ids, names);
    set_field(ev, "vakt.findings", nlohmann::json::array());
    set_field(ev, "vakt.cached", true);
    if (!ids.empty()) {
      set_field(ev, "rule.id", ids);
      set_field(ev, "rule.name", names);
    }
  }
  set_field(ev, "vakt.origin", std::string(origin_name(item.origin)));
  set_field(ev, "vakt.rules_version", rules_version);
  ctx_.log->emit(std::move(ev));

  if (failed) ++ctx_.counters.errors;
  if (r.status != ScanStatus::kScanned) ++ctx_.counters.incomplete;
  if (r.info_class >= snap->config.fail_class) ++ctx_.counters.flagged;

  if (!failed && !verdict.sha256.empty()) {
    CachedVerdict cv;
    cv.sha256 = verdict.sha256;
    cv.rules_version = rules_version;
    cv.status = std::string(status_name(r.status));
    cv.reason = r.reason;
    cv.info_class = r.info_class;
    cv.class_name = r.class_name;
    std::vector<std::string> ids, names;
    rule_lists(r, ids, names);
    cv.rule_ids = join(ids, ",");
    cv.rule_names = join(names, ",");
    cv.mime_type = mime_type_for(r.type);
    if (auto st = ctx_.cache->store(path, *info, cv); !st) {
      auto warn = ecs_event("state-write-failed", "failure");
      set_field(warn, "vakt.reason", st.error().message);
      ctx_.log->emit(std::move(warn));
    }
  }
  act(*snap, *root, path, *info, verdict, owner, item.attempts);
}

// A folder named after a person ("Anna 19121212-1212") syncs to OneDrive with the files in it,
// whatever they hold. Vakt cannot keep a folder local without moving the user's work, so it
// reports the name (once per folder and rule set) for IT to follow up.
void Worker::check_folder_names(const ConfigSnapshot& snap, const RootMatch& root,
                                const EngineSnapshot& engine, bool including_last) {
  // UTF-8, '/'-separated, ends with the file name (or, with including_last, the folder's).
  const std::string relative = including_last ? root.relative + "/" : root.relative;
  std::size_t end = relative.find('/');
  while (end != std::string::npos) {
    const std::string below = relative.substr(0, end);
    const std::size_t start = below.rfind('/') + 1;  // npos + 1 == 0
    const std::string name = below.substr(start);
    end = relative.find('/', end + 1);
    if (name.empty() || !ctx_.first_check_of_folder(engine.engine->version() + "\n" + below + "\n" +
                                                    path_to_utf8(root.root->path))) {
      continue;
    }
    ScanResult r = scanner_for(engine).scan_name_only(name);
    if (r.findings.empty() || r.info_class < std::min(snap.config.fail_class, 2)) continue;
    std::filesystem::path folder = root.root->path / path_from_utf8(below);
    folder.make_preferred();  // the relative path is '/'-separated on Windows too
    auto ev = ecs_event("folder-name-flagged", "success");
    set_field(ev, "file.path", path_to_utf8(folder));
    set_field(ev, "file.type", "dir");
    set_field(ev, "vakt.class", r.info_class);
    set_field(ev, "vakt.class_name", engine.engine->class_name(r.info_class));
    std::vector<std::string> ids, names;
    rule_lists(r, ids, names);
    set_field(ev, "rule.id", ids);
    set_field(ev, "rule.name", names);
    set_field(ev, "vakt.reason",
              "the folder's name syncs to OneDrive with its files; rename the folder");
    ctx_.log->emit(std::move(ev));
  }
}

void Worker::act(const ConfigSnapshot& snap, const RootMatch& root,
                 const std::filesystem::path& path, const FileInfo& info, const Verdict& verdict,
                 const std::string& owner, int attempts) {
  const auto& r = verdict.result;
  bool in_airlock = root.root->kind == RootKind::kOutbox;
  auto decision =
      decide_action(snap.config, r.info_class, r.status, in_airlock, is_image_type(r.type));
  switch (decision) {
    case Decision::kNone:
      return;
    case Decision::kQuarantine:
      if (ctx_.ledger && !verdict.sha256.empty()) {
        if (auto restored = ctx_.ledger->find_restored(path_to_utf8(path), verdict.sha256)) {
          auto ev = ecs_event("quarantine-skipped", "success");
          add_file(ev, {path_to_utf8(path), info.size, verdict.sha256, "", owner});
          set_field(ev, "vakt.class", r.info_class);
          set_field(ev, "vakt.reason",
                    "restored by the helpdesk (quarantine id " + restored->id + ")");
          ctx_.log->emit(std::move(ev));
          return;
        }
      }
      if (!ctx_.quarantine) {
        // The ledger could not be opened: never move a file we cannot record; hold it instead.
        hold_file(snap.config, path, verdict);
        return;
      }
      quarantine_file(snap.config, path, info, verdict, owner, attempts);
      return;
    case Decision::kHold:
      hold_file(snap.config, path, verdict);
      return;
    case Decision::kForward:
      forward_file(root, path, info, verdict, owner, attempts);
      return;
  }
}

void Worker::quarantine_file(const AgentConfig& cfg, const std::filesystem::path& path,
                             const FileInfo& info, const Verdict& verdict, const std::string& owner,
                             int attempts) {
  const auto& r = verdict.result;
  QuarantineRequest req;
  req.path = path;
  req.info_class = r.info_class;
  req.class_name = r.class_name;
  rule_lists(r, req.rule_ids, req.rule_names);
  if (r.status != ScanStatus::kScanned && r.info_class < cfg.fail_class) {
    req.reason = std::string(status_name(r.status)) + (r.reason.empty() ? "" : ": " + r.reason);
  }
  req.owner = owner;
  req.expected_sha256 = verdict.sha256;
  req.expected_id = info.id;
  auto out = ctx_.quarantine->quarantine(req);
  if (!out && is_in_use(out.error().message)) {
    // Word or Excel still has it open: the file stays where it is, untouched, and is tried
    // again. The first deferrals are logged, then one an hour, so a list left open all day does
    // not flood the log.
    const auto delay = retry_when_free(path, attempts);
    if (should_log_attempt(attempts)) {
      auto ev = ecs_event("quarantine-deferred", "unknown");
      add_file(ev, {path_to_utf8(path), info.size, verdict.sha256, mime_type_for(r.type), owner});
      set_field(ev, "vakt.class", r.info_class);
      set_field(ev, "vakt.class_name", r.class_name);
      set_field(ev, "vakt.reason", mask_identity_numbers(out.error().message));
      set_field(ev, "vakt.attempt", attempts + 1);
      set_field(ev, "vakt.retry_in_s", static_cast<std::int64_t>(delay.count()));
      ctx_.log->emit(std::move(ev));
    }
    return;
  }
  // Moved but not recorded as done is its own event: the file IS gone from the folder (recovery
  // at the next start completes the entry), so "quarantine-failed" would be a lie.
  const bool unrecorded = out && !out->ledger_error.empty();
  auto ev = ecs_event(!out         ? "quarantine-failed"
                      : unrecorded ? "file-quarantined-unrecorded"
                                   : "file-quarantined",
                      !out || unrecorded ? "failure" : "success");
  add_file(ev, {path_to_utf8(path), info.size, out ? out->sha256 : verdict.sha256,
                mime_type_for(r.type), owner});
  set_field(ev, "vakt.class", r.info_class);
  set_field(ev, "vakt.class_name", r.class_name);
  set_field(ev, "vakt.status", std::string(status_name(r.status)));
  if (!req.rule_ids.empty()) {
    set_field(ev, "rule.id", req.rule_ids);
    set_field(ev, "rule.name", req.rule_names);
  }
  if (out) {
    ++ctx_.counters.quarantined;
    set_field(ev, "vakt.quarantine.id", out->id);
    set_field(ev, "vakt.quarantine.method",
              out->method == MoveMethod::kRename ? "rename" : "copy-verify");
    set_field(ev, "vakt.quarantine.note", path_to_utf8(out->note_path));
    if (!req.reason.empty()) set_field(ev, "vakt.reason", req.reason);
    if (unrecorded) set_field(ev, "vakt.ledger_error", out->ledger_error);
    (void)ctx_.cache->forget(path);
  } else {
    ++ctx_.counters.errors;
    set_field(ev, "vakt.reason", out.error().message);
  }
  ctx_.log->emit(std::move(ev));
  if (out && !out->note_error.empty()) {
    auto warn = ecs_event("note-write-failed", "failure");
    add_file(warn, {path_to_utf8(out->note_path), 0, "", "", ""});
    set_field(warn, "vakt.quarantine.id", out->id);
    set_field(warn, "vakt.reason", out->note_error);
    ctx_.log->emit(std::move(warn));
  }
}

void Worker::hold_file(const AgentConfig& cfg, const std::filesystem::path& path,
                       const Verdict& verdict) {
  const auto& r = verdict.result;
  NoteFacts facts;
  facts.file_name = masked_file_name(path_to_utf8(path.filename()));
  facts.class_level = r.info_class;
  facts.class_name = r.class_name;
  std::vector<std::string> ids;
  rule_lists(r, ids, facts.rule_names);
  if (r.status != ScanStatus::kScanned)
    facts.reason = r.reason.empty() ? std::string(status_name(r.status)) : r.reason;
  facts.helpdesk = cfg.helpdesk;
  // Replaces only Vakt's older hold note for this name; a user's own file there stays.
  auto written = write_note(note_path_for(path), compose_hold_note(facts), std::nullopt,
                            hold_note_prefix(facts.file_name));
  Status st = Ok{};
  if (!written) {
    st = written.error();
  } else if (*written == NoteInstall::kNameTaken) {
    st = Error{"note name taken by a file that is not Vakt's: " +
               masked_file_name(path_to_utf8(note_path_for(path).filename()))};
  }
  auto ev = ecs_event("file-held", st ? "success" : "failure");
  add_file(ev, {path_to_utf8(path), r.size, verdict.sha256, mime_type_for(r.type), ""});
  set_field(ev, "vakt.class", r.info_class);
  set_field(ev, "vakt.status", std::string(status_name(r.status)));
  if (!r.reason.empty()) set_field(ev, "vakt.reason", r.reason);
  if (!ids.empty()) set_field(ev, "rule.id", ids);
  if (!st) set_field(ev, "vakt.note_error", mask_identity_numbers(st.error().message));
  ++ctx_.counters.held;
  ctx_.log->emit(std::move(ev));
}

void Worker::forward_file(const RootMatch& root, const std::filesystem::path& path,
                          const FileInfo& info, const Verdict& verdict, const std::string& owner,
                          int attempts) {
  const auto relative = path_from_utf8(root.relative);  // UTF-8, '/'-separated
  auto target = root.root->target / relative;
  std::error_code ec;
  // Never replaces a file in the sync folder and never follows a symlinked folder there (the
  // agent is root; the user controls both folders). A name conflict keeps the file in the outbox.
  auto moved = forward_into(path, root.root->target, relative, info.id, verdict.sha256);
  const bool conflict = !moved && moved.error().message.starts_with(kForwardConflict);
  // Edited between the scan and the move: nothing reached the sync folder; scan it again.
  const bool changed = !moved && moved.error().message.starts_with(kContentChanged);
  // Held open by another program: stays in the outbox and is tried again later.
  const bool in_use = !moved && !conflict && !changed && is_in_use(moved.error().message);
  if (in_use && !should_log_attempt(attempts)) {
    (void)retry_when_free(path, attempts);
    return;
  }
  auto ev = ecs_event(conflict            ? "forward-conflict"
                      : changed || in_use ? "forward-deferred"
                                          : "file-forwarded",
                      moved ? "success" : (changed || in_use ? "unknown" : "failure"));
  add_file(ev, {path_to_utf8(path), info.size, verdict.sha256, mime_type_for(verdict.result.type),
                owner});
  set_field(ev, "vakt.class", verdict.result.info_class);
  set_field(ev, "vakt.status", std::string(status_name(verdict.result.status)));
  set_field(ev, "vakt.target", path_to_utf8(target));
  if (moved && !verdict.sha256.empty() && !moved->sha256.empty() &&
      moved->sha256 != verdict.sha256) {
    // Rewritten between the scan and the move: what reached the sync folder was not scanned.
    // The sync folder is watched too; scan it there now under the sync-folder policy.
    set_field(ev, "vakt.reason", "content changed after the scan; rescanning in the sync folder");
    if (ctx_.queue->push(path_to_utf8(target), WorkOrigin::kRetry) == PushResult::kFull) {
      ctx_.rescan_needed = true;
    }
  }
  if (moved) {
    ++ctx_.counters.forwarded;
    (void)ctx_.cache->forget(path);
    // An older hold note no longer applies; a user's own file of that name stays.
    remove_vakt_note(note_path_for(path),
                     hold_note_prefix(masked_file_name(path_to_utf8(path.filename()))));
  } else if (changed) {
    (void)ctx_.cache->forget(path);
    set_field(ev, "vakt.reason", mask_identity_numbers(moved.error().message));
    if (ctx_.queue->push(path_to_utf8(path), WorkOrigin::kRetry) == PushResult::kFull) {
      ctx_.rescan_needed = true;
    }
  } else if (in_use) {
    const auto delay = retry_when_free(path, attempts);
    set_field(ev, "vakt.reason", mask_identity_numbers(moved.error().message));
    set_field(ev, "vakt.attempt", attempts + 1);
    set_field(ev, "vakt.retry_in_s", static_cast<std::int64_t>(delay.count()));
  } else {
    ++ctx_.counters.errors;
    set_field(ev, "vakt.reason", moved.error().message);
  }
  ctx_.log->emit(std::move(ev));
}

std::chrono::seconds Worker::retry_when_free(const std::filesystem::path& path, int attempts) {
  // 15 s, 30 s, 1 min, 2 min, 4 min, then every 5 min for as long as the file stays open.
  const int doublings = std::min(attempts, 5);
  const auto delay = std::min(std::chrono::seconds(15) * (1 << doublings), kLongestRetry);
  ++ctx_.counters.deferred;
  if (ctx_.queue->push_after(path_to_utf8(path), WorkOrigin::kRetry, delay, attempts + 1) ==
      PushResult::kFull) {
    ctx_.rescan_needed = true;
  }
  return delay;
}

void recover_interrupted_moves(AgentContext& ctx) {
  if (!ctx.quarantine) return;
  for (const auto& act : ctx.quarantine->recover()) {
    auto ev = ecs_event("quarantine-recovered", "success");
    set_field(ev, "vakt.quarantine.id", act.id);
    set_field(ev, "vakt.quarantine.state", std::string(to_string(act.to)));
    set_field(ev, "vakt.reason", act.detail);
    ctx.log->emit(std::move(ev));
  }
}

}  // namespace vakt::agent
