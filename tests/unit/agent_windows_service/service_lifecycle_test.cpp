// The service end to end with the real service control manager: this test executable installs
// itself as a service (command line `"<this.exe>" --vakt-test-service <name> <marker file>`), and
// when the SCM starts it, the hook below runs run_as_service_or_console() with a small agent that
// uses the real SignalSource and notify_ready()/notify_stopping(), writing what it receives to
// the marker file. Under wine, wineserver must be persistent (`wineserver -p`) so the service
// outlives the test's own process tree; the test runner script takes care of that.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <windows.h>
// After windows.h:
#include <shellapi.h>

#include "platform/windows/event_log_windows.h"
#include "platform/windows/registry_windows.h"
#include "platform/windows/service_control_windows.h"
#include "platform/windows/service_host_windows.h"
#include "platform/windows/service_manager_windows.h"
#include "runtime/service_notify.h"
#include "runtime/signal_source.h"

namespace vakt::agent {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void append_marker(const fs::path& file, const std::string& line) {
  std::ofstream out(file, std::ios::app);
  out << line << "\n";
}

// The stand-in agent: ready at once, records reload/stop, returns `exit_code` when stopped.
int fake_agent(const fs::path& marker, int exit_code) {
  if (exit_code != 0) {
    append_marker(marker, "failing");
    return exit_code;  // like Agent::run when start() fails: never reports ready
  }
  std::mutex mutex;
  std::condition_variable cv;
  bool stop = false;
  SignalSource signals;
  signals.start([&](SignalKind kind) {
    append_marker(marker, kind == SignalKind::kStop     ? "stop"
                          : kind == SignalKind::kReload ? "reload"
                                                        : "other");
    if (kind == SignalKind::kStop) {
      std::lock_guard lock(mutex);
      stop = true;
      cv.notify_all();
    }
  });
  append_marker(marker, std::string("started service=") + (running_as_service() ? "yes" : "no") +
                            " pid=" + std::to_string(::GetCurrentProcessId()));
  notify_ready("fake agent watching nothing");
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return stop; });
  }
  notify_stopping();
  std::this_thread::sleep_for(300ms);  // a little shutdown work, under STOP_PENDING
  signals.stop();
  append_marker(marker, "stopped");
  return 0;
}

// Runs before main(): when started by the SCM, be the service and exit.
const bool kServiceHook = [] {
  int argc = 0;
  wchar_t** argv = ::CommandLineToArgvW(::GetCommandLineW(), &argc);
  if (argv == nullptr || argc < 5 || std::wstring(argv[1]) != L"--vakt-test-service") return false;
  std::wstring name = argv[2];
  fs::path marker = argv[3];
  int exit_code = std::stoi(argv[4]);
  int rc = run_as_service_or_console(name, [&] { return fake_agent(marker, exit_code); });
  append_marker(marker, "exit " + std::to_string(rc));
  ::ExitProcess(static_cast<UINT>(rc));
}();

bool under_wine() {
  HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
  return ntdll != nullptr && ::GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool wait_for_text(const fs::path& file, const std::string& text, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_file(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

class ServiceLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pid = std::to_wstring(::GetCurrentProcessId());
    name_ = L"VaktTest" + pid;
    dir_ = fs::temp_directory_path() / ("vakt-service-" + narrow(pid));
    fs::create_directories(dir_);
    marker_ = dir_ / "marker.txt";
  }
  void TearDown() override {
    (void)uninstall_service(name_, 20s);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  ServiceSpec spec(int exit_code) {
    ServiceSpec s;
    s.name = name_;
    s.display_name = L"Vakt unit test " + name_;
    s.description = L"Installed by vakt_unit_agent_windows_service";
    s.command_line = L"\"" + current_executable().wstring() + L"\" --vakt-test-service " + name_ +
                     L" \"" + marker_.wstring() + L"\" " + std::to_wstring(exit_code);
    s.event_message_file = current_executable();
    return s;
  }
  static ::testing::AssertionResult installed(const ServiceSpec& s) {
    auto r = install_service(s);
    if (r.ok()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << r.message;
  }
  std::wstring name_;
  fs::path dir_, marker_;
};

TEST_F(ServiceLifecycle, InstallStartReloadStopUninstall) {
  ASSERT_TRUE(installed(spec(0)));
  ServiceState s;
  ASSERT_TRUE(query_service(name_, s).ok());
  EXPECT_TRUE(s.installed);
  EXPECT_EQ(s.state, static_cast<unsigned long>(SERVICE_STOPPED));
  EXPECT_NE(s.command_line.find(L"--vakt-test-service"), std::wstring::npos);
  if (!under_wine()) {  // wine accepts recovery actions but does not keep them
    EXPECT_EQ(s.restart_delays_ms, (std::vector<unsigned long>{5000, 30000, 60000}));
    EXPECT_EQ(s.failure_reset_seconds, 86400u);
  }
  auto source = RegKey::open(HKEY_LOCAL_MACHINE, kEventSourceKey);
  ASSERT_TRUE(source) << "install registers the Event Log source";
  EXPECT_EQ(source->read_string(L"EventMessageFile"), current_executable().wstring());

  // Installing again updates instead of failing.
  ASSERT_TRUE(installed(spec(0)));

  // Installed some other way (the MSI): the service registers its Event Log source itself.
  ASSERT_TRUE(RegKey::remove_tree(HKEY_LOCAL_MACHINE, kEventSourceKey));
  auto started = start_service(name_, 30s);
  ASSERT_TRUE(started.ok()) << started.message;
  ASSERT_TRUE(wait_for_text(marker_, "started service=yes", 10s)) << read_file(marker_);
  auto registered = RegKey::open(HKEY_LOCAL_MACHINE, kEventSourceKey);
  ASSERT_TRUE(registered) << "the service registers a missing Event Log source at start";
  EXPECT_EQ(registered->read_string(L"EventMessageFile"), current_executable().wstring());
  ASSERT_TRUE(query_service(name_, s).ok());
  EXPECT_EQ(s.state, static_cast<unsigned long>(SERVICE_RUNNING));
  EXPECT_NE(s.pid, 0u);
  EXPECT_NE(read_file(marker_).find("pid=" + std::to_string(s.pid)), std::string::npos)
      << read_file(marker_);
  EXPECT_TRUE(start_service(name_, 5s).ok()) << "starting a running service is not an error";

  ASSERT_TRUE(reload_service(name_).ok());
  EXPECT_TRUE(wait_for_text(marker_, "reload", 10s)) << read_file(marker_);

  auto stopped = stop_service(name_, 30s);
  ASSERT_TRUE(stopped.ok()) << stopped.message;
  EXPECT_TRUE(wait_for_text(marker_, "exit 0", 10s)) << read_file(marker_);
  auto text = read_file(marker_);
  EXPECT_LT(text.find("reload"), text.find("stop\n"));
  EXPECT_LT(text.find("stop\n"), text.find("stopped"));
  ASSERT_TRUE(query_service(name_, s).ok());
  EXPECT_EQ(s.state, static_cast<unsigned long>(SERVICE_STOPPED));
  EXPECT_EQ(s.win32_exit_code, 0u);
  EXPECT_TRUE(stop_service(name_, 5s).ok()) << "stopping a stopped service is not an error";

  ASSERT_TRUE(uninstall_service(name_, 20s).ok());
  ASSERT_TRUE(query_service(name_, s).ok());
  EXPECT_FALSE(s.installed);
  EXPECT_FALSE(RegKey::open(HKEY_LOCAL_MACHINE, kEventSourceKey));
  auto again = uninstall_service(name_, 5s);
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.message.find("is not installed"), std::string::npos) << again.message;
}

TEST_F(ServiceLifecycle, UninstallStopsARunningServiceFirst) {
  ASSERT_TRUE(installed(spec(0)));
  ASSERT_TRUE(start_service(name_, 30s).ok());
  ASSERT_TRUE(wait_for_text(marker_, "started", 10s));
  auto removed = uninstall_service(name_, 30s);
  ASSERT_TRUE(removed.ok()) << removed.message;
  EXPECT_TRUE(wait_for_text(marker_, "exit 0", 10s)) << read_file(marker_);
  ServiceState s;
  ASSERT_TRUE(query_service(name_, s).ok());
  EXPECT_FALSE(s.installed);
}

TEST_F(ServiceLifecycle, StartReportsAnAgentThatFailsToStart) {
  ASSERT_TRUE(installed(spec(2)));
  auto started = start_service(name_, 30s);
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.message.find("stopped while starting (exit code 2)"), std::string::npos)
      << started.message;
  ServiceState s;
  ASSERT_TRUE(query_service(name_, s).ok());
  EXPECT_EQ(s.state, static_cast<unsigned long>(SERVICE_STOPPED));
  EXPECT_EQ(s.win32_exit_code, static_cast<unsigned long>(ERROR_SERVICE_SPECIFIC_ERROR));
  EXPECT_EQ(s.service_exit_code, 2u);
}

TEST(ServiceHost, FallsBackToConsoleModeWhenNotStartedByTheScm) {
  reset_pending_controls();
  bool ran = false;
  int rc = run_as_service_or_console(L"VaktConsoleTest", [&] {
    ran = true;
    return running_as_service() ? 9 : 5;
  });
  EXPECT_TRUE(ran);
  EXPECT_EQ(rc, 5);
}

TEST(ServiceCommandLine, QuotesPathsAndFindsTheConfigAgain) {
  auto line = service_command_line(L"C:\\Program Files\\Vakt\\vakt.exe",
                                   L"C:\\ProgramData\\Vakt\\vakt.yaml");
  EXPECT_EQ(line,
            L"\"C:\\Program Files\\Vakt\\vakt.exe\" service run --config "
            L"\"C:\\ProgramData\\Vakt\\vakt.yaml\"");
  EXPECT_EQ(config_from_command_line(line), fs::path(L"C:\\ProgramData\\Vakt\\vakt.yaml"));
  EXPECT_EQ(config_from_command_line(L"vakt.exe service run --config=D:\\v.yaml"),
            fs::path(L"D:\\v.yaml"));
  EXPECT_FALSE(config_from_command_line(L"vakt.exe service run").has_value());
  EXPECT_EQ(service_state_name(SERVICE_RUNNING), "running");
  EXPECT_EQ(service_state_name(SERVICE_STOP_PENDING), "stop pending");
}

}  // namespace
}  // namespace vakt::agent
