// The extraction seam: every format's extractor is a function from an Input to text in a Context.
//
// The dispatcher (dispatcher.h) detects a document's type by content and calls one extractor.
// An extractor emits text through the Context (begin_part/text/end_part) and hands every child
// (zip member, attachment, embedded object) back to the dispatcher with extract_child(), which
// checks the limits (depth, expanded bytes, entries, time) at each step. Anything an extractor
// cannot read is recorded with mark_partial()/mark_unscannable() — never silently dropped.
//
// Counting rules (context.cpp):
//  - text() counts toward max_expanded_bytes; containers also call add_expanded() with a member's
//    uncompressed size BEFORE inflating it (so a bomb is refused, not inflated).
//  - extract_child() counts the child as one entry (add_entry) and refuses it past max_depth;
//    call add_entry() yourself only for members you do not hand to extract_child().
//  - check_ratio() ignores members under 1 MiB uncompressed (small files compress very well).
//  - A child's mark_unscannable() makes the container `partial` (the rest was read); reasons
//    from children name where they happened: "encrypted (in bilaga.zip/brev.docx)".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "vakt/scanner/limits.h"
#include "vakt/scanner/scan_result.h"
#include "vakt/scanner/text_sink.h"

namespace vakt::extract {

// The part a name is scanned as: a file's own name, and each member's or attachment's name under
// its container ("paket.zip/Patient 19121212-****.txt/(filename)").
inline constexpr std::string_view kFileNamePart = "(filename)";
// The part for the bytes in front of a zip that was appended to something (zip_locate.h).
inline constexpr std::string_view kDataBeforeArchivePart = "(data before the archive)";

class ZipReader;

// A read-only view of one document's bytes. `file` is set when the bytes are a whole file on disk
// (an isolated parser can then reopen it by path instead of copying the bytes).
struct Input {
  std::string_view bytes;
  std::string name;  // file name or member name, for display and type hints
  const std::filesystem::path* file = nullptr;
  // Set by the dispatcher for zip-based formats: the archive type detection already opened over
  // `bytes` (see DetectedType::zip). Extractors use it instead of opening the bytes again.
  std::shared_ptr<const ZipReader> zip;
};

class Context;
using ExtractFn = void (*)(const Input& input, Context& ctx);

class Context {
 public:
  Context(TextSink& sink, const Limits& limits, bool isolate_risky_parsers);

  // Text output. Part names are prefixed with the container path ("mail.eml/bilaga.zip/a.txt").
  void begin_part(std::string_view name);
  void text(std::string_view utf8);  // counts toward max_expanded_bytes
  // text() for complete, valid UTF-8 (what TextDecoder emits); see TextSink::valid_text.
  void valid_text(std::string_view utf8);
  void end_part();

  // Re-enters the dispatcher for a child document; limits are checked here. The member's name
  // is scanned too (kFileNamePart under the member), as a file's own name is.
  void extract_child(std::string_view bytes, std::string_view member_name);
  // A member that is not read (encrypted, too large, unsupported, damaged): counted as an entry,
  // `reason` recorded as partial, and its name still scanned — a name is readable when its
  // content is not.
  void unread_member(std::string_view member_name, std::string_view reason);
  // Only the member's name, scanned as extract_child scans it.
  void scan_member_name(std::string_view member_name);

  // Outcomes. The worst one wins: unscannable > partial > scanned. Reasons accumulate.
  void mark_partial(std::string_view reason);
  void mark_unscannable(std::string_view reason);

  // Budgets; each returns false (and records the limit as partial) once exceeded.
  bool add_expanded(std::uint64_t bytes);
  // Bytes left before max_expanded_bytes (0 once exceeded).
  std::uint64_t expanded_room() const {
    return expanded_ < limits_.max_expanded_bytes ? limits_.max_expanded_bytes - expanded_ : 0;
  }
  bool add_entry();
  bool check_ratio(std::uint64_t compressed, std::uint64_t uncompressed);
  bool deadline_passed();                 // records "limit: max_time" the first time it is true
  bool stopped() const { return stop_; }  // a hard limit was hit: extractors should return

  int depth() const { return depth_; }
  const Limits& limits() const { return limits_; }
  bool isolate_risky_parsers() const { return isolate_; }
  const std::string& prefix() const { return prefix_; }

  ScanStatus status() const { return status_; }
  const std::string& reason() const { return reason_; }
  const std::string& top_type() const { return top_type_; }
  void set_type(std::string_view type);  // the first call (top-level document) wins

  // The detected type of the document being extracted right now (set by the dispatcher).
  const std::string& current_type() const { return current_type_; }
  void set_current_type(std::string_view type) { current_type_ = type; }
  // UTF-8 bytes passed to text() so far (all documents of this scan).
  std::uint64_t text_bytes() const { return text_bytes_; }

 private:
  void add_reason(std::string_view reason);
  void put_text(std::string_view utf8, bool valid);

  TextSink& sink_;
  const Limits& limits_;
  bool isolate_;
  int depth_ = 0;
  std::string prefix_;
  std::uint64_t expanded_ = 0;
  std::uint64_t entries_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  bool stop_ = false;
  bool time_reported_ = false;
  bool in_part_ = false;
  ScanStatus status_ = ScanStatus::kScanned;
  std::string reason_;
  std::string top_type_;
  std::string current_type_;
  std::string part_name_;           // full name of the open part, reopened after a child
  std::string typography_scratch_;  // text after normalize_typography (typography.h)
  std::uint64_t text_bytes_ = 0;
  std::size_t reason_count_ = 0;
};

}  // namespace vakt::extract
