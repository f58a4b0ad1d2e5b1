// Isolation for risky parsers on Windows: no fork, so the parent starts the running executable
// again as a worker (`<exe> --vakt-isolated-worker <section> <pipe>`), suspended, puts it in a Job
// Object (memory cap, kill on close, no child processes, no error dialogs), then resumes it.
//
//  - The document and the call travel in a read-only, inherited, pagefile-backed section:
//    "VAKTISO1", the parser's offset from the image base, the offset of
//    maybe_run_isolated_worker (proves the worker runs the same image), max_child_bytes, the name
//    and the bytes.
//  - Results come back through an inherited anonymous pipe in the frames of isolation_wire.h.
//  - The parent polls the pipe (PeekNamedPipe) and the worker: wall time, stop requests and the
//    worker's private memory (a backstop for systems such as wine that do not enforce the job's
//    memory limit). TerminateJobObject ends it; closing the job kills whatever is left.
//
// Inheritable handles are created, passed and closed under one mutex (and listed with
// PROC_THREAD_ATTRIBUTE_HANDLE_LIST) so a concurrently started worker never holds another scan's
// pipe end. See isolation.h for the protocol and the outcomes.
#include <windows.h>
// windows.h first: psapi.h needs its types.
#include <psapi.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "extract/isolation.h"
#include "extract/isolation_wire.h"

namespace vakt::extract {
namespace {

using wire::fail;
using wire::FrameReader;
using wire::kExitOutOfMemory;
using wire::kExitWriteFailed;
using wire::kHeaderSize;

constexpr char kWorkerFlag[] = "--vakt-isolated-worker";
constexpr char kSectionMagic[8] = {'V', 'A', 'K', 'T', 'I', 'S', 'O', '1'};
// magic, parser offset, anchor offset, max_child_bytes, name length (u64), bytes length
constexpr std::size_t kSectionHeader = 8 + 5 * 8;
constexpr int kExitBadWorkerArguments = 88;
constexpr int kExitBadSection = 89;
constexpr UINT kExitKilled = 0xDEAD;   // TerminateJobObject: we know why we killed it
constexpr DWORD kMsvcrtAbortExit = 3;  // abort() in the C runtime
// What the worker process itself commits before the parser runs (runtime, static data): added to
// the caller's memory budget, like the Linux child's current address space.
constexpr std::uint64_t kWorkerBaseline = 64ull << 20;
constexpr DWORD kPipeBuffer = 4u << 20;

std::atomic<bool> g_worker_entry_called{false};
std::mutex g_spawn_mutex;
HANDLE g_worker_pipe = nullptr;  // the worker's result pipe (for the out-of-memory handler)

class Handle {
 public:
  Handle() = default;
  explicit Handle(HANDLE h) : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : h_(other.h_) { other.h_ = nullptr; }
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = other.h_;
      other.h_ = nullptr;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  HANDLE get() const { return h_; }
  HANDLE* out() {
    reset();
    return &h_;
  }
  explicit operator bool() const { return h_ != nullptr; }
  void reset() {
    if (h_ != nullptr) CloseHandle(h_);
    h_ = nullptr;
  }

 private:
  HANDLE h_ = nullptr;
};

std::uintptr_t image_base() {
  return reinterpret_cast<std::uintptr_t>(GetModuleHandleW(nullptr));
}

std::uintptr_t anchor_address() {
  return reinterpret_cast<std::uintptr_t>(&maybe_run_isolated_worker);
}

void put_u64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

bool write_handle_all(HANDLE h, const char* data, std::size_t size) {
  while (size > 0) {
    const DWORD want = static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30));
    DWORD wrote = 0;
    if (!WriteFile(h, data, want, &wrote, nullptr) || wrote == 0) return false;
    data += wrote;
    size -= wrote;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Worker side.

void on_out_of_memory() {
  // Called by operator new when allocation fails; no allocation here.
  char header[kHeaderSize] = {static_cast<char>(wire::Frame::kOutOfMemory), 0, 0, 0, 0};
  if (g_worker_pipe != nullptr) write_handle_all(g_worker_pipe, header, kHeaderSize);
  TerminateProcess(GetCurrentProcess(), kExitOutOfMemory);
  std::_Exit(kExitOutOfMemory);
}

// A crash ends the worker at once with the exception code as its exit code: no debugger, no
// Windows Error Reporting dialog, no unwinding through a corrupted parser.
LONG WINAPI end_on_unhandled_exception(EXCEPTION_POINTERS* info) {
  const DWORD code = info != nullptr && info->ExceptionRecord != nullptr
                         ? info->ExceptionRecord->ExceptionCode
                         : static_cast<DWORD>(EXCEPTION_ACCESS_VIOLATION);
  TerminateProcess(GetCurrentProcess(), code);
  return EXCEPTION_EXECUTE_HANDLER;
}

class HandleOutput final : public wire::FrameWriter {
 public:
  HandleOutput(HANDLE pipe, std::uint64_t max_child) : FrameWriter(max_child), pipe_(pipe) {}

 private:
  bool write_all(const char* data, std::size_t size) override {
    return write_handle_all(pipe_, data, size);
  }
  [[noreturn]] void write_failed() override {
    // The parent is gone or killed us on purpose: nothing to report to.
    TerminateProcess(GetCurrentProcess(), kExitWriteFailed);
    std::_Exit(kExitWriteFailed);
  }
  HANDLE pipe_;
};

bool parse_handle(const char* text, HANDLE& out) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) return false;
  out = reinterpret_cast<HANDLE>(static_cast<std::uintptr_t>(v));
  return true;
}

[[noreturn]] void worker_main(HANDLE section, HANDLE pipe) {
  SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
  SetUnhandledExceptionFilter(end_on_unhandled_exception);

  const void* view = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0);
  MEMORY_BASIC_INFORMATION info{};
  if (view == nullptr || VirtualQuery(view, &info, sizeof info) == 0 ||
      info.RegionSize < kSectionHeader) {
    std::_Exit(kExitBadSection);
  }
  const char* p = static_cast<const char*>(view);
  const std::uint64_t parser_offset = get_u64(p + 8);
  const std::uint64_t anchor_offset = get_u64(p + 16);
  const std::uint64_t max_child = get_u64(p + 24);
  const std::uint64_t name_size = get_u64(p + 32);
  const std::uint64_t bytes_size = get_u64(p + 40);
  const std::uint64_t room = info.RegionSize - kSectionHeader;
  if (std::memcmp(p, kSectionMagic, sizeof kSectionMagic) != 0 || name_size > room ||
      bytes_size > room - name_size || anchor_offset != anchor_address() - image_base()) {
    std::_Exit(kExitBadSection);
  }
  const std::string_view name(p + kSectionHeader, static_cast<std::size_t>(name_size));
  const std::string_view bytes(p + kSectionHeader + name_size,
                               static_cast<std::size_t>(bytes_size));
  const auto fn = reinterpret_cast<ParseFn>(image_base() + parser_offset);

  g_worker_pipe = pipe;
  std::set_new_handler(on_out_of_memory);
  HandleOutput out(pipe, max_child);
  try {
    fn(bytes, name, out);
    out.flush();
    out.done();
  } catch (const std::bad_alloc&) {
    on_out_of_memory();
  } catch (...) {
    out.unscannable("parser error");
    out.done();
  }
  // As the Linux child's _exit(0): no static destructors, no atexit handlers of the host program.
  TerminateProcess(GetCurrentProcess(), 0);
  std::_Exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent side.

std::wstring own_executable() {
  std::wstring path(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (n == 0) return {};
    if (n < path.size()) {
      path.resize(n);
      return path;
    }
    if (path.size() >= 32768) return {};
    path.resize(path.size() * 2);
  }
}

std::string hex32(DWORD v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kDigits[(v >> shift) & 0xF]);
  return out;
}

// The section the worker reads its call from: header, name, bytes.
Handle make_section(std::string_view bytes, std::string_view name, std::uint64_t parser_offset,
                    std::uint64_t max_child) {
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  const std::uint64_t size = kSectionHeader + name.size() + bytes.size();
  Handle section(CreateFileMappingW(INVALID_HANDLE_VALUE, &inherit, PAGE_READWRITE,
                                    static_cast<DWORD>(size >> 32), static_cast<DWORD>(size),
                                    nullptr));
  if (!section) return section;
  char* view = static_cast<char*>(MapViewOfFile(section.get(), FILE_MAP_WRITE, 0, 0, 0));
  if (view == nullptr) {
    section.reset();
    return section;
  }
  std::memcpy(view, kSectionMagic, sizeof kSectionMagic);
  put_u64(view + 8, parser_offset);
  put_u64(view + 16, anchor_address() - image_base());
  put_u64(view + 24, max_child);
  put_u64(view + 32, name.size());
  put_u64(view + 40, bytes.size());
  if (!name.empty()) std::memcpy(view + kSectionHeader, name.data(), name.size());
  if (!bytes.empty()) std::memcpy(view + kSectionHeader + name.size(), bytes.data(), bytes.size());
  UnmapViewOfFile(view);
  return section;
}

// A job that caps committed memory, allows one process, kills it on close, and keeps crashes
// silent (no WER dialog waiting for a click nobody makes).
Handle make_job(std::uint64_t memory_limit) {
  Handle job(CreateJobObjectW(nullptr, nullptr));
  if (!job) return job;
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags =
      JOB_OBJECT_LIMIT_PROCESS_MEMORY | JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE |
      JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION | JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
  limits.BasicLimitInformation.ActiveProcessLimit = 1;
  limits.ProcessMemoryLimit = static_cast<SIZE_T>(memory_limit);
  if (!SetInformationJobObject(job.get(), JobObjectExtendedLimitInformation, &limits,
                               sizeof limits)) {
    job.reset();
  }
  return job;
}

struct Spawned {
  Handle process;
  Handle thread;
  Handle read_end;
  std::string error;  // empty when started
};

Spawned spawn_worker(const std::wstring& exe, std::string_view bytes, std::string_view name,
                     std::uint64_t parser_offset, std::uint64_t max_child, HANDLE job) {
  Spawned s;
  std::lock_guard<std::mutex> lock(g_spawn_mutex);
  Handle section = make_section(bytes, name, parser_offset, max_child);
  if (!section) {
    s.error = "parser could not start: shared memory";
    return s;
  }
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  Handle write_end;
  if (!CreatePipe(s.read_end.out(), write_end.out(), &inherit, kPipeBuffer) ||
      !SetHandleInformation(s.read_end.get(), HANDLE_FLAG_INHERIT, 0)) {
    s.error = "parser could not start: pipe";
    return s;
  }
  // The worker's stdin/stdout/stderr: NUL, so library chatter goes nowhere.
  Handle null_device(CreateFileW(L"NUL", GENERIC_READ | GENERIC_WRITE,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0,
                                 nullptr));
  if (!null_device) {
    s.error = "parser could not start: NUL";
    return s;
  }

  std::vector<HANDLE> inherited = {section.get(), write_end.get(), null_device.get()};
  SIZE_T list_size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &list_size);
  std::vector<char> list_storage(list_size);
  auto* list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(list_storage.data());
  bool have_list = list_size > 0 && InitializeProcThreadAttributeList(list, 1, 0, &list_size);
  if (have_list &&
      !UpdateProcThreadAttribute(list, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited.data(),
                                 inherited.size() * sizeof(HANDLE), nullptr, nullptr)) {
    DeleteProcThreadAttributeList(list);
    have_list = false;  // the mutex alone keeps other workers from inheriting these handles
  }

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = null_device.get();
  startup.StartupInfo.hStdOutput = null_device.get();
  startup.StartupInfo.hStdError = null_device.get();
  startup.lpAttributeList = have_list ? list : nullptr;

  std::wstring command = L"\"" + exe + L"\" ";
  for (char c : std::string_view(kWorkerFlag)) command.push_back(static_cast<wchar_t>(c));
  command += L" " + std::to_wstring(reinterpret_cast<std::uintptr_t>(section.get())) + L" " +
             std::to_wstring(reinterpret_cast<std::uintptr_t>(write_end.get()));

  PROCESS_INFORMATION pi{};
  const DWORD flags = CREATE_SUSPENDED | CREATE_NO_WINDOW | CREATE_UNICODE_ENVIRONMENT |
                      (have_list ? EXTENDED_STARTUPINFO_PRESENT : 0);
  const BOOL created = CreateProcessW(exe.c_str(), command.data(), nullptr, nullptr, TRUE, flags,
                                      nullptr, nullptr, &startup.StartupInfo, &pi);
  if (have_list) DeleteProcThreadAttributeList(list);
  if (!created) {
    s.error = "parser could not start: CreateProcess error " + std::to_string(GetLastError());
    return s;
  }
  *s.process.out() = pi.hProcess;
  *s.thread.out() = pi.hThread;
  // In the job before it runs a single instruction of its own.
  if (!AssignProcessToJobObject(job, pi.hProcess)) {
    TerminateProcess(pi.hProcess, kExitKilled);
    WaitForSingleObject(pi.hProcess, INFINITE);
    s.error = "parser could not start: job object error " + std::to_string(GetLastError());
    return s;
  }
  return s;  // section, write end and NUL close here: the worker holds its own copies
}

// The worker's committed private memory (wine reports resident anonymous memory here).
std::uint64_t private_memory(HANDLE process) {
  PROCESS_MEMORY_COUNTERS_EX counters{};
  counters.cb = sizeof counters;
  if (!GetProcessMemoryInfo(process, reinterpret_cast<PROCESS_MEMORY_COUNTERS*>(&counters),
                            sizeof counters)) {
    return 0;
  }
  return std::max<std::uint64_t>(counters.PrivateUsage, counters.PagefileUsage);
}

std::uint64_t job_peak_memory(HANDLE job) {
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION info{};
  if (!QueryInformationJobObject(job, JobObjectExtendedLimitInformation, &info, sizeof info,
                                 nullptr)) {
    return 0;
  }
  return static_cast<std::uint64_t>(info.PeakProcessMemoryUsed);
}

}  // namespace

std::optional<int> maybe_run_isolated_worker(int argc, char** argv) {
  if (argc < 2 || argv == nullptr || argv[1] == nullptr || std::strcmp(argv[1], kWorkerFlag) != 0) {
    g_worker_entry_called.store(true);
    return std::nullopt;
  }
  HANDLE section = nullptr;
  HANDLE pipe = nullptr;
  if (argc != 4 || !parse_handle(argv[2], section) || !parse_handle(argv[3], pipe)) {
    return kExitBadWorkerArguments;
  }
  worker_main(section, pipe);
}

IsolationResult run_isolated(std::string_view bytes, std::string_view name, ParseFn fn,
                             DocOutput& out, const IsolationOptions& options) {
  // A program whose main() does not hand workers to maybe_run_isolated_worker would start a copy
  // of itself running its own main(): refuse instead.
  if (!g_worker_entry_called.load()) {
    return fail(IsolationEnd::kSpawnFailed,
                "parser could not start: this program does not host isolated parsers", false);
  }
  HMODULE fn_module = nullptr;
  if (!GetModuleHandleExW(
          GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
          reinterpret_cast<LPCWSTR>(reinterpret_cast<std::uintptr_t>(fn)), &fn_module) ||
      reinterpret_cast<std::uintptr_t>(fn_module) != image_base()) {
    return fail(IsolationEnd::kSpawnFailed, "parser could not start: parser is not in the program",
                false);
  }
  const std::wstring exe = own_executable();
  if (exe.empty()) {
    return fail(IsolationEnd::kSpawnFailed, "parser could not start: own path unknown", false);
  }
  const std::uint64_t memory_limit = options.memory_bytes + kWorkerBaseline;
  Handle job = make_job(memory_limit);
  if (!job) return fail(IsolationEnd::kSpawnFailed, "parser could not start: job object", false);
  const std::uint64_t parser_offset = reinterpret_cast<std::uintptr_t>(fn) - image_base();
  Spawned worker =
      spawn_worker(exe, bytes, name, parser_offset, options.max_child_bytes, job.get());
  if (!worker.error.empty()) return fail(IsolationEnd::kSpawnFailed, worker.error, false);
  ResumeThread(worker.thread.get());
  worker.thread.reset();

  using Clock = std::chrono::steady_clock;
  // One frame is at most an embedded file plus its name (children are checked in the worker), or
  // a 64 KiB text frame: the parent never buffers more than that per scan.
  FrameReader reader(out, options.max_child_bytes + 4 + 64 * 1024);
  auto deadline = Clock::now() + options.wall_time;
  bool eof = false;
  bool garbage = false;
  bool timed_out = false;
  bool stopped = false;
  bool over_memory = false;
  bool exited = false;
  std::uint64_t peak = 0;
  std::vector<char> chunk(64 * 1024);

  // Reads whatever the pipe holds without blocking; sets eof once every writer has closed it.
  auto read_available = [&]() {
    for (;;) {
      DWORD available = 0;
      if (!PeekNamedPipe(worker.read_end.get(), nullptr, 0, nullptr, &available, nullptr)) {
        eof = true;  // ERROR_BROKEN_PIPE: the worker ended and everything was read
        return;
      }
      if (available == 0) return;
      DWORD got = 0;
      const DWORD want = std::min<DWORD>(available, static_cast<DWORD>(chunk.size()));
      if (!ReadFile(worker.read_end.get(), chunk.data(), want, &got, nullptr) || got == 0) {
        eof = true;
        return;
      }
      reader.buffer().append(chunk.data(), got);
      Clock::duration child_time{};
      if (!reader.feed(child_time)) {
        garbage = true;
        return;
      }
      deadline += child_time;
    }
  };

  while (!eof && !garbage) {
    read_available();
    if (eof || garbage) break;
    if (options.should_stop && options.should_stop()) {
      stopped = true;
      break;
    }
    if (out.stopped()) {
      stopped = true;
      break;
    }
    const std::uint64_t used = private_memory(worker.process.get());
    peak = std::max(peak, used);
    if (used > memory_limit) {
      over_memory = true;
      break;
    }
    if (exited) break;  // exited on the previous round and the pipe has been drained since
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    // A worker that exited is noticed here even if some other process still holds the pipe open;
    // one more round drains what it wrote.
    const DWORD wait_ms = static_cast<DWORD>(std::min<std::int64_t>(left.count(), 2));
    if (WaitForSingleObject(worker.process.get(), wait_ms) == WAIT_OBJECT_0) exited = true;
  }

  if (timed_out || stopped || garbage || over_memory) {
    TerminateJobObject(job.get(), kExitKilled);
    WaitForSingleObject(worker.process.get(), INFINITE);
  } else if (WaitForSingleObject(worker.process.get(), 0) != WAIT_OBJECT_0) {
    // EOF: the worker is exiting. Give it until the deadline, then kill it.
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const DWORD wait_ms = static_cast<DWORD>(std::max<std::int64_t>(left.count(), 0));
    if (WaitForSingleObject(worker.process.get(), wait_ms) != WAIT_OBJECT_0) {
      timed_out = true;
      TerminateJobObject(job.get(), kExitKilled);
      WaitForSingleObject(worker.process.get(), INFINITE);
    }
  }
  DWORD code = 0;
  GetExitCodeProcess(worker.process.get(), &code);
  peak = std::max(peak, job_peak_memory(job.get()));
  worker.read_end.reset();
  job.reset();  // kills anything the job still holds
  reader.close_part();

  bool any = reader.any_text();
  if (stopped) return fail(IsolationEnd::kStopped, "", any);
  if (garbage) return fail(IsolationEnd::kProtocolError, "parser protocol error", any);
  if (timed_out) return fail(IsolationEnd::kTimeLimit, "parser time limit", any);
  if (over_memory || reader.out_of_memory() || code == static_cast<DWORD>(kExitOutOfMemory) ||
      code == static_cast<DWORD>(STATUS_NO_MEMORY)) {
    return fail(IsolationEnd::kMemoryLimit, "parser memory limit", any);
  }
  // poppler's allocator aborts on a failed allocation: an abort near the memory cap is the cap.
  if (code == kMsvcrtAbortExit && peak >= options.memory_bytes / 2) {
    return fail(IsolationEnd::kMemoryLimit, "parser memory limit", any);
  }
  if ((code & 0xC0000000u) == 0xC0000000u) {  // NTSTATUS error: an exception ended the worker
    return fail(IsolationEnd::kCrashed, "parser crashed: exception " + hex32(code), any,
                static_cast<int>(code));
  }
  if (code == kMsvcrtAbortExit && !reader.done()) {
    return fail(IsolationEnd::kCrashed, "parser crashed: abort", any);
  }
  if (!reader.done()) {
    return fail(IsolationEnd::kProtocolError, "parser protocol error: exited without a result",
                any);
  }
  IsolationResult ok;
  ok.any_text = any;
  return ok;
}

}  // namespace vakt::extract
