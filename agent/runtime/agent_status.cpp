#include "runtime/agent_status.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace vakt::agent {

nlohmann::json AgentCounters::to_json() const {
  return {{"events", events.load()},           {"scanned", scanned.load()},
          {"reused", reused.load()},           {"unchanged", unchanged.load()},
          {"flagged", flagged.load()},         {"incomplete", incomplete.load()},
          {"quarantined", quarantined.load()}, {"held", held.load()},
          {"forwarded", forwarded.load()},     {"errors", errors.load()},
          {"vanished", vanished.load()},       {"requeued", requeued.load()},
          {"deferred", deferred.load()},       {"rescans", rescans.load()}};
}

std::filesystem::path status_file_path(const std::filesystem::path& state_dir) {
  return state_dir / "status.json";
}

Status write_status_file(const std::filesystem::path& path, const nlohmann::json& status) {
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{"cannot write " + tmp.string()};
    out << status.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!out.flush()) return Error{"cannot write " + tmp.string()};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Error{"cannot replace " + path.string() + ": " + ec.message()};
  return Ok{};
}

Expected<nlohmann::json> read_status_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error{"no status file at " + path.string() +
                 " (is `vakt run` running with this state dir?)"};
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded()) return Error{"status file " + path.string() + " is not valid JSON"};
  return parsed;
}

}  // namespace vakt::agent
