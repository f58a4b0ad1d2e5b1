// read_pseudonym_key_file: the secret for keyed pseudonyms (HMAC-SHA256) of matched values, read
// the same way by `vakt scan --pseudonym-key-file` and the agent's rules.pseudonym_key_file.
//
//   auto key = read_pseudonym_key_file("/etc/vakt/pseudonym.key");   // Expected<std::string>
//
// The file's raw bytes. Refused: a folder, a FIFO or device (it would block), more than 64 KiB,
// and fewer than 16 bytes — the personnummer space is small, so a short key would let anyone who
// guesses it turn pseudonyms back into numbers. `openssl rand -out FILE 32` makes a good one.
#pragma once

#include <filesystem>
#include <string>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

inline constexpr std::size_t kMinPseudonymKeyBytes = 16;

Expected<std::string> read_pseudonym_key_file(const std::filesystem::path& path);

}  // namespace vakt::agent
