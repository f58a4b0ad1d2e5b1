#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include "actions/utf8_path.h"
#include "vakt/scanner/yaml_duplicate_keys.h"

namespace vakt::agent {
namespace {

// yaml-cpp throws; everything here catches at this edge and turns it into an Error.
struct ConfigError {
  std::string message;
};

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& key,
                         const std::string& what) const {
    std::ostringstream out;
    out << source_;
    if (node.Mark().line >= 0) out << ":" << node.Mark().line + 1 << ":" << node.Mark().column + 1;
    out << ": " << key << ": " << what;
    throw ConfigError{out.str()};
  }

  void only_keys(const YAML::Node& map, const std::string& prefix,
                 const std::set<std::string>& allowed) const {
    if (!map.IsMap()) fail(map, prefix.empty() ? "(top level)" : prefix, "expected a mapping");
    for (const auto& kv : map) {
      auto key = kv.first.as<std::string>();
      if (allowed.count(key) == 0) {
        std::string known;
        for (const auto& k : allowed) known += (known.empty() ? "" : ", ") + k;
        fail(kv.first, prefix.empty() ? key : prefix + "." + key,
             "unknown key (known here: " + known + ")");
      }
    }
  }

  std::string scalar(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "expected a single value");
    return n.as<std::string>();
  }

  std::int64_t integer(const YAML::Node& n, const std::string& key, std::int64_t lo,
                       std::int64_t hi) const {
    auto text = scalar(n, key);
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(text, &used);
    } catch (...) {
      used = 0;
    }
    if (used != text.size() || text.empty())
      fail(n, key, "expected a whole number, got '" + text + "'");
    if (v < lo || v > hi) {
      fail(
          n, key,
          "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " + text);
    }
    return v;
  }

  bool boolean(const YAML::Node& n, const std::string& key) const {
    auto text = scalar(n, key);
    if (text == "true" || text == "yes" || text == "on") return true;
    if (text == "false" || text == "no" || text == "off") return false;
    fail(n, key, "expected true or false, got '" + text + "'");
  }

  std::string choice(const YAML::Node& n, const std::string& key,
                     const std::vector<std::string>& allowed) const {
    auto text = scalar(n, key);
    for (const auto& a : allowed) {
      if (a == text) return text;
    }
    std::string list;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
      list += (i == 0 ? "" : (i + 1 == allowed.size() ? " or " : ", ")) + allowed[i];
    }
    fail(n, key, "expected " + list + ", got '" + text + "'");
  }

  std::vector<std::string> strings(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) fail(n, key, "expected a list");
    for (std::size_t i = 0; i < n.size(); ++i) {
      out.push_back(scalar(n[i], key + "[" + std::to_string(i) + "]"));
    }
    return out;
  }

  std::filesystem::path path(const YAML::Node& n, const std::string& key) const {
    auto text = scalar(n, key);
    if (text.empty()) return {};
    // The file is UTF-8; std::filesystem::path(std::string) would read it in the ANSI code page
    // on Windows ("Delad mapp åäö" would name a folder that does not exist).
    auto p = text == "~" || text.rfind("~/", 0) == 0 ? expand_home(text) : path_from_utf8(text);
    if (p.is_relative()) fail(n, key, "expected an absolute path, got '" + text + "'");
    return p;
  }

 private:
  std::string source_;
};

void apply(const Reader& r, const YAML::Node& root, AgentConfig& c) {
  if (root.IsNull()) return;
  r.only_keys(root, "",
              {"watch", "airlock", "policy", "quarantine", "rules", "state", "log", "performance"});
  if (auto w = root["watch"]) {
    r.only_keys(w, "watch", {"onedrive", "folders", "include", "exclude"});
    if (w["onedrive"])
      c.onedrive_auto = r.choice(w["onedrive"], "watch.onedrive", {"auto", "off"}) == "auto";
    if (w["folders"]) {
      c.folders.clear();
      const auto& list = w["folders"];
      if (!list.IsNull() && !list.IsSequence()) r.fail(list, "watch.folders", "expected a list");
      for (std::size_t i = 0; list.IsSequence() && i < list.size(); ++i) {
        c.folders.push_back(r.path(list[i], "watch.folders[" + std::to_string(i) + "]"));
      }
    }
    if (w["include"]) c.include = r.strings(w["include"], "watch.include");
    if (w["exclude"]) c.exclude = r.strings(w["exclude"], "watch.exclude");
  }
  if (auto a = root["airlock"]) {
    if (!a.IsNull() && !a.IsSequence()) r.fail(a, "airlock", "expected a list of {outbox, target}");
    c.airlock.clear();
    for (std::size_t i = 0; a.IsSequence() && i < a.size(); ++i) {
      std::string key = "airlock[" + std::to_string(i) + "]";
      r.only_keys(a[i], key, {"outbox", "target"});
      if (!a[i]["outbox"]) r.fail(a[i], key + ".outbox", "missing");
      if (!a[i]["target"]) r.fail(a[i], key + ".target", "missing");
      c.airlock.push_back(
          {r.path(a[i]["outbox"], key + ".outbox"), r.path(a[i]["target"], key + ".target")});
    }
  }
  if (auto p = root["policy"]) {
    r.only_keys(p, "policy", {"fail_class", "actions", "unscannable", "images", "airlock_flagged"});
    if (p["fail_class"])
      c.fail_class = static_cast<int>(r.integer(p["fail_class"], "policy.fail_class", 0, 3));
    if (auto acts = p["actions"]) {
      r.only_keys(acts, "policy.actions", {"0", "1", "2", "3"});
      for (const auto& kv : acts) {
        auto level = kv.first.as<std::string>();
        auto key = "policy.actions." + level;
        c.actions[static_cast<std::size_t>(std::stoi(level))] =
            r.choice(kv.second, key, {"log", "quarantine"}) == "quarantine" ? Action::kQuarantine
                                                                            : Action::kLog;
      }
    }
    if (p["unscannable"]) {
      auto v = r.choice(p["unscannable"], "policy.unscannable", {"quarantine", "hold", "log"});
      c.unscannable = v == "quarantine" ? UnscannablePolicy::kQuarantine
                      : v == "hold"     ? UnscannablePolicy::kHold
                                        : UnscannablePolicy::kLog;
    }
    if (p["images"]) {
      auto v = r.choice(p["images"], "policy.images", {"quarantine", "hold", "log"});
      c.images = v == "quarantine" ? UnscannablePolicy::kQuarantine
                 : v == "hold"     ? UnscannablePolicy::kHold
                                   : UnscannablePolicy::kLog;
    }
    if (p["airlock_flagged"]) {
      c.airlock_flagged =
          r.choice(p["airlock_flagged"], "policy.airlock_flagged", {"quarantine", "hold"}) == "hold"
              ? AirlockFlagged::kHold
              : AirlockFlagged::kQuarantine;
    }
  }
  if (auto q = root["quarantine"]) {
    r.only_keys(q, "quarantine", {"dir", "helpdesk"});
    if (q["dir"]) c.quarantine_dir = r.path(q["dir"], "quarantine.dir");
    if (q["helpdesk"]) c.helpdesk = r.scalar(q["helpdesk"], "quarantine.helpdesk");
  }
  if (auto ru = root["rules"]) {
    r.only_keys(ru, "rules", {"dir", "pseudonym_key_file"});
    if (ru["dir"]) c.rules_dir = r.path(ru["dir"], "rules.dir");
    if (ru["pseudonym_key_file"]) {
      c.pseudonym_key_file = r.path(ru["pseudonym_key_file"], "rules.pseudonym_key_file");
    }
  }
  if (auto s = root["state"]) {
    r.only_keys(s, "state", {"dir"});
    if (s["dir"]) c.state_dir = r.path(s["dir"], "state.dir");
  }
  if (auto l = root["log"]) {
    r.only_keys(l, "log", {"file", "max_size_mb", "max_files", "console"});
    if (l["file"]) c.log_file = r.path(l["file"], "log.file");
    if (l["max_size_mb"]) {
      c.log_max_bytes =
          static_cast<std::uint64_t>(r.integer(l["max_size_mb"], "log.max_size_mb", 1, 10240))
          << 20;
    }
    if (l["max_files"])
      c.log_max_files = static_cast<int>(r.integer(l["max_files"], "log.max_files", 1, 1000));
    if (l["console"]) c.log_console = r.boolean(l["console"], "log.console");
  }
  if (auto pf = root["performance"]) {
    r.only_keys(pf, "performance",
                {"workers", "queue_max", "coalesce_ms", "coalesce_max_ms", "nice", "io_class",
                 "status_interval_ms"});
    if (pf["workers"])
      c.workers = static_cast<int>(r.integer(pf["workers"], "performance.workers", 1, 64));
    if (pf["queue_max"]) {
      c.queue_max = static_cast<std::size_t>(
          r.integer(pf["queue_max"], "performance.queue_max", 100, 10000000));
    }
    if (pf["coalesce_ms"]) {
      c.coalesce = std::chrono::milliseconds(
          r.integer(pf["coalesce_ms"], "performance.coalesce_ms", 0, 60000));
    }
    if (pf["coalesce_max_ms"]) {
      c.coalesce_max = std::chrono::milliseconds(
          r.integer(pf["coalesce_max_ms"], "performance.coalesce_max_ms", 0, 600000));
    }
    if (pf["nice"]) c.nice = static_cast<int>(r.integer(pf["nice"], "performance.nice", 0, 19));
    if (pf["io_class"]) {
      c.io_class =
          r.choice(pf["io_class"], "performance.io_class", {"idle", "best-effort"}) == "idle"
              ? IoClass::kIdle
              : IoClass::kBestEffortLow;
    }
    if (pf["status_interval_ms"]) {
      c.status_interval = std::chrono::milliseconds(
          r.integer(pf["status_interval_ms"], "performance.status_interval_ms", 100, 600000));
    }
  }
}

bool is_inside(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  auto i = inner.lexically_normal();
  auto o = outer.lexically_normal();
  auto rel = i.lexically_relative(o);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::filesystem::path expand_home(const std::string& path) {
  if (path == "~" || path.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    std::string base = home != nullptr ? home : "";
    return std::filesystem::path(base + path.substr(1));
  }
  return std::filesystem::path(path);
}

Expected<AgentConfig> load_config_text(const std::string& yaml, const std::string& source_name) {
  AgentConfig c = default_agent_config();
  c.log_console = false;  // a configured service logs to its file unless told otherwise
  Reader reader(source_name);
  try {
    YAML::Node root = YAML::Load(yaml);
    if (auto dup = find_duplicate_key(root)) {
      return Error{source_name + ":" + std::to_string(dup->line) + ": duplicate key '" + dup->key +
                   "' (the second would be ignored; merge the two)"};
    }
    apply(reader, root, c);
    // The shipped file documents "2: quarantine, 3: quarantine" as what a left-out key keeps. A
    // file that sets quarantine.dir but no policy.actions gets exactly that (classes from
    // fail_class up), as --quarantine-dir does; without a quarantine folder it stays audit only.
    const YAML::Node& read_only = root;
    const bool actions_given = read_only["policy"] && read_only["policy"]["actions"];
    if (!actions_given && c.quarantine_enabled()) {
      for (int level = c.fail_class; level <= 3; ++level) {
        c.actions[static_cast<std::size_t>(level)] = Action::kQuarantine;
      }
    }
  } catch (const ConfigError& e) {
    return Error{e.message};
  } catch (const YAML::Exception& e) {
    return Error{source_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                 std::to_string(e.mark.column + 1) + ": invalid YAML: " + e.msg};
  }
  return c;
}

Expected<AgentConfig> load_config_file(const std::filesystem::path& path) {
  // A folder reads as empty (every default: "configuration OK" for a typo), and /dev/zero or a
  // FIFO would never end: only a regular file of a sane size is a configuration.
  constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Error{"cannot read config file " + path_to_utf8(path) + ": no such file"};
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Error{"config file " + path_to_utf8(path) + " is not a regular file"};
  }
  if (std::filesystem::file_size(path, ec) > kMaxConfigBytes) {
    return Error{"config file " + path_to_utf8(path) + " is larger than 1 MiB"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read config file " + path_to_utf8(path)};
  std::ostringstream text;
  text << in.rdbuf();
  auto c = load_config_text(text.str(), path_to_utf8(path));
  if (c) c->config_file = path;
  return c;
}

Status validate_config(const AgentConfig& c) {
  for (int level = 0; level < 4; ++level) {
    if (c.actions[static_cast<std::size_t>(level)] == Action::kQuarantine &&
        !c.quarantine_enabled()) {
      return Error{"policy.actions." + std::to_string(level) +
                   " is quarantine but quarantine.dir is not set (or give --quarantine-dir)"};
    }
  }
  if (!c.airlock.empty() && c.airlock_flagged == AirlockFlagged::kQuarantine &&
      !c.quarantine_enabled()) {
    return Error{"policy.airlock_flagged is quarantine but quarantine.dir is not set"};
  }
  if (c.state_dir.empty()) return Error{"state.dir: not set"};
  if (c.log_file.empty() && !c.log_console)
    return Error{"log.file: not set and log.console is off"};
  if (c.quarantine_enabled()) {
    for (const auto& f : c.folders) {
      if (is_inside(c.quarantine_dir, f) ||
          c.quarantine_dir.lexically_normal() == f.lexically_normal()) {
        return Error{"quarantine.dir " + c.quarantine_dir.string() +
                     " must not be inside watched folder " + f.string()};
      }
    }
    for (const auto& a : c.airlock) {
      if (is_inside(c.quarantine_dir, a.target) || is_inside(c.quarantine_dir, a.outbox)) {
        return Error{"quarantine.dir must not be inside an airlock folder"};
      }
    }
  }
  for (const auto& a : c.airlock) {
    if (is_inside(a.target, a.outbox) || is_inside(a.outbox, a.target) || a.outbox == a.target) {
      return Error{"airlock: outbox " + a.outbox.string() + " and target " + a.target.string() +
                   " must be separate folders"};
    }
  }
  return Ok{};
}

}  // namespace vakt::agent
