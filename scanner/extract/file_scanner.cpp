// FileScanner: open (private snapshot) → scan the name → dispatch → TextScanner verdict →
// ScanResult.
#include "vakt/scanner/file_scanner.h"

#include "vakt/scanner/mask_text.h"

#include <chrono>
#include <exception>
#include <new>

#include "extract/dispatcher.h"
#include "extract/extractor.h"
#include "extract/mapped_file.h"
#include "extract/member_buffer.h"
#include "extract/streamed_text.h"
#include "extract/type_detect.h"
#include "util/os.h"
#include "vakt/scanner/engine.h"
#include "vakt/scanner/text_scanner.h"

namespace vakt {

struct FileScanner::State {
  State(std::shared_ptr<const Engine> e, FileScanOptions o)
      : engine(std::move(e)), options(o), scanner(engine, o.explain) {}
  std::shared_ptr<const Engine> engine;
  FileScanOptions options;
  TextScanner scanner;
};

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void fill_verdict(ScanResult& r, DocumentVerdict v) {
  r.info_class = v.info_class;
  r.class_name = std::move(v.class_name);
  r.conditions = std::move(v.conditions);
  r.findings = std::move(v.findings);
  r.rejections = std::move(v.rejections);
  r.findings_total = v.findings_total;
  r.rule_counts = std::move(v.rule_counts);
  r.text_bytes = v.text_bytes;
}

void scan_name(TextScanner& scanner, std::string_view name) {
  scanner.begin_part(extract::kFileNamePart);
  scanner.text(name);
  scanner.end_part();
}

}  // namespace

FileScanner::FileScanner(std::shared_ptr<const Engine> engine, FileScanOptions options)
    : state_(std::make_unique<State>(std::move(engine), options)) {}

FileScanner::~FileScanner() = default;

namespace {

// Everything after the bytes are in memory; shared by scan_file and scan_buffer.
void scan_bytes(TextScanner& scanner, const FileScanOptions& options, const Limits& limits,
                const extract::Input& input, ScanResult& r) {
  r.size = input.bytes.size();
  if (r.size > limits.max_file_bytes) {
    r.status = ScanStatus::kUnscannable;
    r.reason = "too large: " + std::to_string(r.size) + " bytes (max_file_bytes " +
               std::to_string(limits.max_file_bytes) + ")";
    if (options.scan_file_name) scan_name(scanner, input.name);
    fill_verdict(r, scanner.finish());
    return;
  }
  if (options.scan_file_name) scan_name(scanner, input.name);
  extract::Context ctx(scanner, limits, options.isolate_risky_parsers);
  extract::dispatch(input, ctx);
  ctx.end_part();
  r.status = ctx.status();
  r.reason = ctx.reason();
  r.type = ctx.top_type().empty() ? "empty" : ctx.top_type();
  const bool known_text = r.type == "empty" || r.type.starts_with("text/");
  if (r.status == ScanStatus::kScanned && ctx.text_bytes() == 0 && !known_text) {
    r.status = ScanStatus::kPartial;
    r.reason = "no text extracted";
  }
  fill_verdict(r, scanner.finish());
}

// A large plain-text file read in pieces (no snapshot; see StreamChoice in mapped_file.h).
void scan_streamed(TextScanner& scanner, const FileScanOptions& options, const Limits& limits,
                   const std::string& name, const std::string& type,
                   const extract::StreamedFile& file, ScanResult& r) {
  r.size = file.size();
  if (options.scan_file_name) scan_name(scanner, name);
  extract::Context ctx(scanner, limits, options.isolate_risky_parsers);
  ctx.set_type(type);
  ctx.set_current_type(type);
  const extract::StreamedText read = extract::extract_streamed_text(file, ctx);
  ctx.end_part();
  r.status = ctx.status();
  r.reason = ctx.reason();
  r.type = type;
  if (!read.error.empty()) {  // what was read is reported, but the file is not scanned
    r.status = ScanStatus::kError;
    r.reason = read.error;
  }
  r.sha256 = read.sha256;
  fill_verdict(r, scanner.finish());
}

// Scan code never lets an exception out: a failure becomes a status with a reason.
template <typename Fn>
void guarded(TextScanner& scanner, ScanResult& r, Fn&& fn) {
  try {
    fn();
    return;
  } catch (const std::bad_alloc&) {
    r.status = ScanStatus::kError;
    r.reason = "out of memory";
  } catch (const std::exception& e) {
    r.status = ScanStatus::kError;
    r.reason = std::string("internal error: ") + e.what();
  } catch (...) {
    r.status = ScanStatus::kError;
    r.reason = "internal error";
  }
  try {
    (void)scanner.finish();  // reset for the next document
  } catch (...) {
  }
}

}  // namespace

ScanResult FileScanner::scan_file(const std::filesystem::path& path) {
  const auto t0 = std::chrono::steady_clock::now();
  ScanResult r;
  r.path = os::path_utf8(path);
  guarded(state_->scanner, r, [&] {
    const Limits& limits = state_->engine->options().limits;
    const std::string name = os::path_utf8(path.filename());
    // Plain text past the snapshot's in-memory size is read in pieces: it needs no random access,
    // and a snapshot would first copy a GB-sized log or CSV export to a temporary file.
    std::string streamed_type;
    extract::StreamChoice stream;
    stream.above = extract::MemberBuffer::kHeapLimit;
    stream.wants = [&](std::string_view head) {
      extract::DetectedType t = extract::detect_type(head, name);
      if (t.format != extract::Format::kPlainText) return false;
      streamed_type = std::move(t.name);
      return true;
    };
    extract::OpenedFile f = extract::open_for_scan(path, limits.max_file_bytes, stream);
    if (!f.ok()) {
      r.status = f.status;
      r.reason = f.reason;
      r.type = f.type;
      r.size = f.size;
      // A personnummer in the name of a file we cannot read is still a finding.
      if (f.exists && state_->options.scan_file_name) {
        scan_name(state_->scanner, name);
        fill_verdict(r, state_->scanner.finish());
      }
      return;
    }
    if (f.stream) {
      scan_streamed(state_->scanner, state_->options, limits, name, streamed_type, *f.stream, r);
      return;
    }
    r.sha256 = f.sha256;  // the snapshot that was scanned, for callers that hash the file
    extract::Input input{f.bytes(), name, &path, {}};
    scan_bytes(state_->scanner, state_->options, limits, input, r);
  });
  r.reason = mask_identity_numbers(r.reason);  // reasons name members: never a clear value
  r.seconds = seconds_since(t0);
  return r;
}

ScanResult FileScanner::scan_name_only(std::string_view name) {
  ScanResult r;
  r.path = std::string(name);
  r.type = "name";
  scan_name(state_->scanner, name);
  fill_verdict(r, state_->scanner.finish());
  return r;
}

ScanResult FileScanner::scan_buffer(std::string_view bytes, std::string_view name) {
  const auto t0 = std::chrono::steady_clock::now();
  ScanResult r;
  r.path = std::string(name);
  guarded(state_->scanner, r, [&] {
    extract::Input input{bytes, std::string(name), nullptr, {}};
    scan_bytes(state_->scanner, state_->options, state_->engine->options().limits, input, r);
  });
  r.reason = mask_identity_numbers(r.reason);
  r.seconds = seconds_since(t0);
  return r;
}

}  // namespace vakt
