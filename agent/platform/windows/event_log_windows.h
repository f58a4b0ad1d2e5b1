// The Windows Event Log side of the agent's report: service start, stop and errors go to the
// Application log under the source "Vakt" (the ECS JSON-lines log stays the full record). The
// source is registered by `vakt service install` (register_event_source: EventMessageFile =
// vakt.exe, whose message table comes from packaging/windows/vakt-messages.mc) and removed by
// `vakt service uninstall`. Reporting never fails the caller: without a registered source the
// Event Viewer still shows the text, only without the message template.
//
//   report_windows_event(WindowsEventKind::kError, "cannot load rules: ...");
//   EventLogStreambuf buf; std::cerr.rdbuf(&buf);   // each stderr line becomes an error event
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <streambuf>
#include <string>

#include "vakt/scanner/expected.h"

namespace vakt::agent {

inline constexpr wchar_t kEventSourceName[] = L"Vakt";
inline constexpr wchar_t kEventSourceKey[] =
    L"SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\Vakt";

enum class WindowsEventKind { kStarted, kStopped, kError, kWarning, kInfo };

// Event ids as packaging/windows/vakt-messages.mc assigns them (severity bits included; the
// Event Viewer shows the low 16 bits: 1 started, 2 stopped, 3 error, 4 warning, 5 information).
unsigned long windows_event_id(WindowsEventKind kind);

Status register_event_source(const std::filesystem::path& message_file);
Status unregister_event_source();
// Writes one event; returns false when the Event Log refused it (the reason is not reported).
bool report_windows_event(WindowsEventKind kind, const std::string& message);

// A streambuf that turns every complete line written to it into an error event (or hands it to
// `sink`); a last line without a newline goes out when the buffer is destroyed.
class EventLogStreambuf : public std::streambuf {
 public:
  using Sink = std::function<void(const std::string&)>;
  EventLogStreambuf();
  explicit EventLogStreambuf(Sink sink) : sink_(std::move(sink)) {}
  ~EventLogStreambuf() override;

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void flush_line();
  Sink sink_;
  std::mutex mutex_;
  std::string line_;
};

}  // namespace vakt::agent
