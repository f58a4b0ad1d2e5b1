// UTF-8 text <-> std::filesystem::path, the same on every platform. The agent keeps paths as
// UTF-8 text (ledger, logs, JSON); on Windows, std::filesystem::path(std::string) reads the bytes
// in the ANSI code page ("Närvaro" would become "NÃ¤rvaro"), so text goes through std::u8string.
// On Linux both are the bytes as they are.
//
//   entry.original_path = path_to_utf8(request.path);
//   auto p = path_from_utf8(entry.original_path);
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace vakt::agent {

inline std::filesystem::path path_from_utf8(std::string_view text) {
  return std::filesystem::path(std::u8string(text.begin(), text.end()));
}

inline std::string path_to_utf8(const std::filesystem::path& path) {
  const std::u8string text = path.u8string();
  return std::string(text.begin(), text.end());
}

}  // namespace vakt::agent
