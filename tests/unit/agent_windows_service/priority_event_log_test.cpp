// Background mode through the process-priority seam, the Event Log source registration and
// writes, and the Windows default paths.
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "config/agent_config.h"
#include "platform/windows/event_log_windows.h"
#include "platform/windows/registry_windows.h"
#include "runtime/process_priority.h"

namespace vakt::agent {
namespace {

TEST(ProcessPriority, LowersThePriorityClassAndSaysWhatItDid) {
  auto text = lower_process_priority(10, IoClass::kIdle);
  EXPECT_EQ(::GetPriorityClass(::GetCurrentProcess()),
            static_cast<DWORD>(BELOW_NORMAL_PRIORITY_CLASS))
      << text;
  EXPECT_EQ(text.rfind("priority below normal, background mode", 0), 0u) << text;
  EXPECT_EQ(current_process_id(), static_cast<long>(::GetCurrentProcessId()));
  ::SetPriorityClass(::GetCurrentProcess(), PROCESS_MODE_BACKGROUND_END);
  ::SetPriorityClass(::GetCurrentProcess(), NORMAL_PRIORITY_CLASS);
}

TEST(ProcessRunning, TellsALiveProcessFromAFinishedOne) {
  EXPECT_TRUE(process_running(current_process_id()));
  EXPECT_FALSE(process_running(0));
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  std::wstring cmd = L"cmd.exe /c exit 0";
  ASSERT_TRUE(::CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW,
                               nullptr, nullptr, &si, &pi))
      << ::GetLastError();
  ::WaitForSingleObject(pi.hProcess, 10000);
  long pid = static_cast<long>(pi.dwProcessId);
  ::CloseHandle(pi.hThread);
  ::CloseHandle(pi.hProcess);
  EXPECT_FALSE(process_running(pid));
}

TEST(EventLog, RegistersTheSourceAndWritesEvents) {
  std::filesystem::path exe = L"C:\\Program Files\\Vakt\\vakt.exe";
  ASSERT_TRUE(register_event_source(exe));
  auto key = RegKey::open(HKEY_LOCAL_MACHINE, kEventSourceKey);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->read_string(L"EventMessageFile"), exe.wstring());
  EXPECT_EQ(key->read_dword(L"TypesSupported"), 7u);

  EXPECT_TRUE(report_windows_event(WindowsEventKind::kStarted, "unit test: started"));
  EXPECT_TRUE(report_windows_event(WindowsEventKind::kError, "unit test: an error, åäö"));
  EXPECT_TRUE(report_windows_event(WindowsEventKind::kInfo, std::string(40000, 'x')));

  ASSERT_TRUE(unregister_event_source());
  EXPECT_FALSE(RegKey::open(HKEY_LOCAL_MACHINE, kEventSourceKey));
}

TEST(EventLog, IdsCarryTheSeverityTheMessageTableGivesThem) {
  EXPECT_EQ(windows_event_id(WindowsEventKind::kStarted), 0x40000001UL);
  EXPECT_EQ(windows_event_id(WindowsEventKind::kStopped), 0x40000002UL);
  EXPECT_EQ(windows_event_id(WindowsEventKind::kError), 0xC0000003UL);
  EXPECT_EQ(windows_event_id(WindowsEventKind::kWarning), 0x80000004UL);
  EXPECT_EQ(windows_event_id(WindowsEventKind::kInfo), 0x40000005UL);
}

TEST(EventLog, StreambufTurnsLinesIntoEvents) {
  std::vector<std::string> lines;
  {
    EventLogStreambuf buf([&](const std::string& line) { lines.push_back(line); });
    std::ostream out(&buf);
    out << "vakt run: cannot load rules: " << 42 << "\n\n"
        << "second\npartial";
    out.flush();
    EXPECT_EQ(lines, (std::vector<std::string>{"vakt run: cannot load rules: 42", "second"}));
  }
  EXPECT_EQ(lines.back(), "partial");
}

TEST(DefaultPaths, UseProgramDataForTheService) {
  // wine runs tests elevated, so the machine-wide folders apply.
  auto config = default_config_path().wstring();
  EXPECT_NE(config.find(L"ProgramData\\Vakt\\vakt.yaml"), std::wstring::npos) << narrow(config);
  auto c = default_agent_config();
  EXPECT_NE(c.state_dir.wstring().find(L"ProgramData\\Vakt\\state"), std::wstring::npos)
      << c.state_dir.string();
  EXPECT_NE(c.log_file.wstring().find(L"ProgramData\\Vakt\\log\\vakt.jsonl"), std::wstring::npos)
      << c.log_file.string();
}

}  // namespace
}  // namespace vakt::agent
