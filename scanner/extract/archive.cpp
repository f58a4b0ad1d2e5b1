// Every other archive and compressor through libarchive (tar, gzip, bzip2, xz, 7z, rar, cab, cpio,
// iso …), read from the mapped bytes. Members re-enter the dispatcher as children. Sizes in archive
// headers cannot be trusted (and a bare .gz has none), so the expanded budget and the compression
// ratio are checked while inflating, and a member stops at the first limit.
#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

#include "extract/formats.h"
#include "extract/member_buffer.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;
constexpr int kMaxRetries = 16;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

std::string archive_error_text(archive* a) {
  const char* s = archive_error_string(a);
  return s == nullptr ? "unknown error" : s;
}

bool mentions_encryption(std::string_view msg) {
  return msg.find("ncrypt") != std::string_view::npos ||
         msg.find("assphrase") != std::string_view::npos;
}

// The name of a bare compressed stream's content: "brev.txt.gz" → "brev.txt".
std::string raw_member_name(std::string_view archive_name) {
  const auto slash = archive_name.find_last_of('/');
  if (slash != std::string_view::npos) archive_name.remove_prefix(slash + 1);
  for (std::string_view ext : {".gz", ".tgz", ".bz2", ".xz", ".lzma", ".zst", ".z", ".Z"}) {
    if (archive_name.size() > ext.size() && archive_name.ends_with(ext)) {
      archive_name.remove_suffix(ext.size());
      return std::string(archive_name);
    }
  }
  return archive_name.empty() ? std::string("data") : std::string(archive_name) + ".data";
}

enum class ReadOutcome { kOk, kLimit, kFailed };

// Reads the current entry's data into `buf`, checking budgets as bytes arrive.
ReadOutcome read_entry(archive* a, MemberBuffer& buf, Context& ctx, std::string& failure) {
  std::string chunk(kReadChunk, '\0');
  int warnings = 0;
  while (true) {
    const la_ssize_t n = archive_read_data(a, chunk.data(), chunk.size());
    if (n == 0) return ReadOutcome::kOk;
    if (n < 0) {
      // A warning may repeat; a reader that only warns is treated as failed, never spun on.
      if (n == ARCHIVE_WARN && ++warnings < kMaxRetries) continue;
      failure = archive_error_text(a);
      return ReadOutcome::kFailed;
    }
    if (!ctx.add_expanded(static_cast<std::uint64_t>(n))) return ReadOutcome::kLimit;
    // Whole-stream ratio so far: compressed bytes consumed vs bytes produced.
    const la_int64_t in = archive_filter_bytes(a, -1);
    const la_int64_t out = archive_filter_bytes(a, 0);
    if (in > 0 && out > 0 &&
        !ctx.check_ratio(static_cast<std::uint64_t>(in), static_cast<std::uint64_t>(out))) {
      return ReadOutcome::kLimit;
    }
    if (buf.size() + static_cast<std::uint64_t>(n) > ctx.limits().max_file_bytes) {
      failure = "member too large";
      return ReadOutcome::kFailed;
    }
    if (!buf.append(std::string_view(chunk.data(), static_cast<std::size_t>(n)))) {
      failure = buf.error();
      return ReadOutcome::kFailed;
    }
    if (ctx.stopped() || ctx.deadline_passed()) return ReadOutcome::kLimit;
  }
}

}  // namespace

void extract_archive(const Input& input, Context& ctx) {
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  if (!a) {
    ctx.mark_unscannable("archive reader unavailable");
    return;
  }
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  archive_read_support_format_raw(a.get());  // a bare .gz/.bz2/.xz stream
  if (archive_read_open_memory(a.get(), input.bytes.data(), input.bytes.size()) != ARCHIVE_OK) {
    const std::string msg = archive_error_text(a.get());
    ctx.mark_unscannable(mentions_encryption(msg) ? "encrypted"
                                                  : "unsupported or corrupt archive: " + msg);
    return;
  }

  std::uint64_t files = 0, read_ok = 0, encrypted = 0;
  bool broken = false;
  int retries = 0;
  while (!ctx.stopped() && !ctx.deadline_passed()) {
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r == ARCHIVE_RETRY && ++retries < kMaxRetries) continue;
    if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY || entry == nullptr) {
      const std::string msg = archive_error_text(a.get());
      if (mentions_encryption(msg) || archive_read_has_encrypted_entries(a.get()) > 0) {
        ctx.mark_unscannable("encrypted");
        ++encrypted;
      } else if (files == 0) {
        ctx.mark_unscannable("unsupported or corrupt archive: " + msg);
      } else {
        ctx.mark_partial("corrupt archive after " + std::to_string(files) + " members: " + msg);
      }
      broken = true;
      break;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    ++files;
    const bool is_raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
    const char* path = archive_entry_pathname_utf8(entry);
    if (path == nullptr) path = archive_entry_pathname(entry);
    const std::string name = is_raw || path == nullptr ? raw_member_name(input.name) : path;

    if (archive_entry_is_encrypted(entry) != 0) {
      ++encrypted;
      ctx.unread_member(name, "encrypted member: " + name);
      continue;
    }
    if (archive_entry_size_is_set(entry) != 0 &&
        static_cast<std::uint64_t>(archive_entry_size(entry)) > ctx.limits().max_file_bytes) {
      ctx.unread_member(name, "member too large: " + name);
      continue;
    }
    MemberBuffer buf(archive_entry_size_is_set(entry) != 0
                         ? static_cast<std::uint64_t>(archive_entry_size(entry))
                         : 0);
    std::string failure;
    const ReadOutcome outcome = read_entry(a.get(), buf, ctx, failure);
    if (outcome == ReadOutcome::kLimit) break;
    if (outcome == ReadOutcome::kFailed) {
      if (mentions_encryption(failure)) {
        ++encrypted;
        ctx.unread_member(name, "encrypted member: " + name);
      } else {
        ctx.unread_member(name, "unreadable member: " + name + " (" + failure + ")");
      }
      // A failed read of a compressed stream usually leaves the reader unusable.
      if (is_raw || archive_errno(a.get()) != 0) {
        broken = true;
        break;
      }
      continue;
    }
    auto bytes = buf.view();
    if (!bytes) {
      ctx.unread_member(name, "unreadable member: " + name + " (" + bytes.error().message + ")");
      continue;
    }
    ++read_ok;
    ctx.extract_child(*bytes, name);
  }
  if (files > 0 && read_ok == 0 && encrypted == files && !broken) {
    ctx.mark_unscannable("encrypted: all " + std::to_string(files) + " members");
  }
}

}  // namespace vakt::extract
