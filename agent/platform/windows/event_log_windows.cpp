#include "platform/windows/event_log_windows.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

#include "platform/windows/registry_windows.h"

namespace vakt::agent {
namespace {

// Severity in the top two bits, as mc/windmc encode them (see vakt-messages.mc).
constexpr unsigned long kSeverityInformational = 0x40000000UL;
constexpr unsigned long kSeverityWarning = 0x80000000UL;
constexpr unsigned long kSeverityError = 0xC0000000UL;
constexpr std::size_t kMaxEventChars = 31000;  // ReportEventW's limit is 31 839 per string

WORD event_type(WindowsEventKind kind) {
  switch (kind) {
    case WindowsEventKind::kError:
      return EVENTLOG_ERROR_TYPE;
    case WindowsEventKind::kWarning:
      return EVENTLOG_WARNING_TYPE;
    case WindowsEventKind::kStarted:
    case WindowsEventKind::kStopped:
    case WindowsEventKind::kInfo:
      return EVENTLOG_INFORMATION_TYPE;
  }
  return EVENTLOG_INFORMATION_TYPE;
}

}  // namespace

unsigned long windows_event_id(WindowsEventKind kind) {
  switch (kind) {
    case WindowsEventKind::kStarted:
      return kSeverityInformational | 1;
    case WindowsEventKind::kStopped:
      return kSeverityInformational | 2;
    case WindowsEventKind::kError:
      return kSeverityError | 3;
    case WindowsEventKind::kWarning:
      return kSeverityWarning | 4;
    case WindowsEventKind::kInfo:
      return kSeverityInformational | 5;
  }
  return kSeverityInformational | 5;
}

Status register_event_source(const std::filesystem::path& message_file) {
  auto key = RegKey::create(HKEY_LOCAL_MACHINE, kEventSourceKey);
  if (!key) return key.error();
  if (auto st = key->write_string(L"EventMessageFile", message_file.wstring(), true); !st)
    return st;
  return key->write_dword(L"TypesSupported",
                          EVENTLOG_ERROR_TYPE | EVENTLOG_WARNING_TYPE | EVENTLOG_INFORMATION_TYPE);
}

Status unregister_event_source() {
  return RegKey::remove_tree(HKEY_LOCAL_MACHINE, kEventSourceKey);
}

bool report_windows_event(WindowsEventKind kind, const std::string& message) {
  HANDLE source = ::RegisterEventSourceW(nullptr, kEventSourceName);
  if (source == nullptr) return false;
  std::wstring text = widen(message);
  if (text.size() > kMaxEventChars) text.resize(kMaxEventChars);
  const wchar_t* strings[] = {text.c_str()};
  BOOL ok = ::ReportEventW(source, event_type(kind), 0, windows_event_id(kind), nullptr, 1, 0,
                           strings, nullptr);
  ::DeregisterEventSource(source);
  return ok != FALSE;
}

EventLogStreambuf::EventLogStreambuf()
    : sink_([](const std::string& line) { report_windows_event(WindowsEventKind::kError, line); }) {
}

EventLogStreambuf::~EventLogStreambuf() {
  std::lock_guard lock(mutex_);
  flush_line();
}

EventLogStreambuf::int_type EventLogStreambuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  char c = traits_type::to_char_type(ch);
  xsputn(&c, 1);
  return ch;
}

std::streamsize EventLogStreambuf::xsputn(const char* s, std::streamsize n) {
  std::lock_guard lock(mutex_);
  for (std::streamsize i = 0; i < n; ++i) {
    if (s[i] == '\n') {
      flush_line();
    } else {
      line_.push_back(s[i]);
    }
  }
  return n;
}

int EventLogStreambuf::sync() {
  return 0;  // lines go out when complete; a partial line waits for its newline or the end
}

void EventLogStreambuf::flush_line() {
  if (!line_.empty()) sink_(line_);
  line_.clear();
}

}  // namespace vakt::agent
