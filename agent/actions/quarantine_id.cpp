#include "actions/quarantine_id.h"

#include <cstdio>

namespace vakt::agent {
namespace {

// Consonants only: no digits (see the header) and no accidental words in a helpdesk ticket.
constexpr std::string_view kSuffixLetters = "bcdfghjkmnpqrstvwxz";
constexpr std::size_t kSuffixLength = 6;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

}  // namespace

std::string make_quarantine_id(std::chrono::sys_seconds now, std::uint64_t random) {
  using namespace std::chrono;
  const auto day = floor<days>(now);
  const year_month_day ymd{day};
  const hh_mm_ss hms{now - day};
  char stamp[32];
  std::snprintf(stamp, sizeof(stamp), "%04d%02u%02uT%02d%02d%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  std::string id = std::string("Q") + stamp + "-";
  for (std::size_t i = 0; i < kSuffixLength; ++i) {
    id += kSuffixLetters[random % kSuffixLetters.size()];
    random /= kSuffixLetters.size();
  }
  return id;
}

bool is_quarantine_id(std::string_view id) {
  if (id.size() != 23 || id[0] != 'Q' || id[16] != '-') return false;
  if (!all_digits(id.substr(1, 8)) || !all_digits(id.substr(10, 6))) return false;
  const std::string_view suffix = id.substr(17);
  if (id[9] == 'T') {
    return suffix.find_first_not_of(kSuffixLetters) == std::string_view::npos;
  }
  // The first format: Q<yyyymmdd>-<hhmmss>-<6 hex>.
  if (id[9] != '-') return false;
  return suffix.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace vakt::agent
