// Quarantine ids: what the helpdesk reads off a note or the log and types into
// `vakt quarantine restore ID`.
//
//   make_quarantine_id(now, random)  -> "Q20261128T021205-kbxmqt"
//   is_quarantine_id("Q20261128T021205-kbxmqt") -> true
//
// Every text Vakt prints goes through mask_identity_numbers, so an id must never look like a
// personnummer: the time is joined to the date by 'T' and the suffix has no digits. (The first
// format, "Q20261128-021205-1234ab", read as "021205-1234" now and then and was printed masked.)
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace vakt::agent {

std::string make_quarantine_id(std::chrono::sys_seconds now, std::uint64_t random);

// True for ids this version makes and for the first format, which older ledgers and notes hold.
bool is_quarantine_id(std::string_view id);

}  // namespace vakt::agent
