#include "actions/safe_move.h"

#include <cstdio>

#include <cerrno>
#include <vector>

#include "runtime/sha256.h"

namespace vakt::agent {
namespace {

Error op_error(const std::string& what, const std::filesystem::path& path, int err) {
  return Error{what + " " + path.string() + ": " + file_error_text(err)};
}

std::filesystem::path parent_or_dot(const std::filesystem::path& p) {
  auto parent = p.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// Copies from -> partial, returns the hash of the bytes read.
Expected<std::string> copy_to_partial(FileOps& ops, const std::filesystem::path& from,
                                      const std::filesystem::path& partial, std::uint64_t& size) {
  FileHandle in = kNoHandle;
  if (int err = ops.open_read(from, in)) return op_error("cannot open", from, err);
  FileHandle out = kNoHandle;
  if (int err = ops.create_exclusive(partial, out)) {
    ops.close_file(in);
    return op_error("cannot create", partial, err);
  }
  Sha256 hash;
  std::vector<char> buf(1 << 16);
  size = 0;
  int err = 0;
  std::string failed_step;
  for (;;) {
    std::size_t got = 0;
    if ((err = ops.read_some(in, buf.data(), buf.size(), got)) != 0) {
      failed_step = "cannot read";
      break;
    }
    if (got == 0) break;
    hash.update(std::string_view(buf.data(), got));
    if ((err = ops.write_all(out, buf.data(), got)) != 0) {
      failed_step = "cannot write";
      break;
    }
    size += got;
  }
  // The copy is made by root with 0600: it gets the original's owner, mode and mtime (before
  // the fsync, so they are as durable as the bytes). Content is what is verified; a failure
  // here is not worth refusing the move over, so it only leaves the copy root-owned.
  if (err == 0) (void)copy_file_metadata(in, out);
  if (err == 0 && (err = ops.sync_file(out)) != 0) failed_step = "cannot fsync";
  ops.close_file(in);
  int close_err = ops.close_file(out);
  if (err == 0 && close_err != 0) {
    err = close_err;
    failed_step = "cannot close";
  }
  if (err != 0) {
    ops.remove_file(partial);
    return op_error(failed_step, failed_step == "cannot read" ? from : partial, err);
  }
  return hash.hex_digest();
}

}  // namespace

std::filesystem::path partial_path_for(const std::filesystem::path& to) {
  constexpr std::string_view kSuffix = ".vakt-partial";
  // 255 is the longest name on ext4, NTFS (UTF-16 units) and the rest; native() counts in the
  // file system's own units on both platforms.
  if (to.filename().native().size() + kSuffix.size() <= 255) {
    auto p = to;
    p += std::string(kSuffix);
    return p;
  }
  // A name near the limit gets a short one that is still the same for the same target, so
  // recovery finds the leftover of an interrupted copy (FNV-1a of the name).
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : to.filename().u8string()) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  char name[48];
  std::snprintf(name, sizeof(name), ".%016llx", static_cast<unsigned long long>(h));
  return to.parent_path() / (std::string(name) + std::string(kSuffix));
}

Expected<std::string> hash_with(FileOps& ops, const std::filesystem::path& path,
                                std::uint64_t* size) {
  FileHandle h = kNoHandle;
  if (int err = ops.open_read(path, h)) return op_error("cannot open", path, err);
  Sha256 hash;
  std::vector<char> buf(1 << 16);
  std::uint64_t total = 0;
  for (;;) {
    std::size_t got = 0;
    if (int err = ops.read_some(h, buf.data(), buf.size(), got)) {
      ops.close_file(h);
      return op_error("cannot read", path, err);
    }
    if (got == 0) break;
    hash.update(std::string_view(buf.data(), got));
    total += got;
  }
  ops.close_file(h);
  if (size != nullptr) *size = total;
  return hash.hex_digest();
}

Expected<MoveResult> safe_move(FileOps& ops, const std::filesystem::path& from,
                               const std::filesystem::path& to, bool replace,
                               std::string_view expected_sha256, bool copy) {
  MoveResult result;
  if (!expected_sha256.empty()) {
    // Checked just before the rename: a rename moves the inode, so what lands is what was hashed
    // unless it is written in the microseconds between (the target folder is watched for that).
    auto now = hash_with(ops, from);
    if (!now) return now.error();
    if (*now != expected_sha256) {
      return Error{std::string(kContentChanged) + ": " + from.string() + " not moved"};
    }
  }
  int err = copy ? FileOps::kCrossDevice : ops.rename_file(from, to, replace);
  if (err == 0) {
    if (int sync_err = ops.sync_dir(parent_or_dot(to)); sync_err != 0) {
      result.sync_warning = "fsync of the target folder failed: " + file_error_text(sync_err);
    }
    if (parent_or_dot(to) != parent_or_dot(from)) {
      if (int sync_err = ops.sync_dir(parent_or_dot(from)); sync_err != 0) {
        result.sync_warning = "fsync of the source folder failed: " + file_error_text(sync_err);
      }
    }
    result.method = MoveMethod::kRename;
    // The move is done whatever happens next; a file this process may not read (permission
    // denied) moves with an empty hash rather than being reported as not moved.
    auto digest = hash_with(ops, to, &result.size);
    if (digest) result.sha256 = *digest;
    return result;
  }
  if (err != FileOps::kCrossDevice) return op_error("cannot move", from, err);

  result.method = MoveMethod::kCopyVerify;
  auto partial = partial_path_for(to);
  ops.remove_file(partial);  // a leftover from an interrupted earlier attempt is never whole
  auto copied = copy_to_partial(ops, from, partial, result.size);
  if (!copied) return copied.error();
  std::uint64_t verify_size = 0;
  auto verified = hash_with(ops, partial, &verify_size);
  if (!verified || *verified != *copied || verify_size != result.size) {
    ops.remove_file(partial);
    return Error{"copy of " + from.string() + " did not verify (SHA-256 mismatch)"};
  }
  if (!expected_sha256.empty() && *copied != expected_sha256) {
    ops.remove_file(partial);
    return Error{std::string(kContentChanged) + ": " + from.string() + " not moved"};
  }
  if ((err = ops.rename_file(partial, to, replace)) != 0) {
    ops.remove_file(partial);
    return op_error("cannot rename into place", to, err);
  }
  if ((err = ops.sync_dir(parent_or_dot(to))) != 0) {
    return op_error("cannot fsync directory of", to, err);
  }
  // Both copies are whole now; the original goes only if it is still what was copied. The copy
  // at `to` is deleted only when the original is still there AND provably different: if the
  // original vanished (another process finished this move) or cannot be read, `to` may be the
  // only whole copy left, so it stays.
  FileHandle probe = kNoHandle;
  err = ops.open_read(from, probe);
  if (err == ENOENT) {
    result.sha256 = *copied;
    return result;  // someone else removed the original; the verified copy is the file now
  }
  if (err != 0) {
    return Error{"copied " + from.string() + " but cannot re-read the original (" +
                 file_error_text(err) + "); both copies kept"};
  }
  ops.close_file(probe);
  auto source_now = hash_with(ops, from);
  if (!source_now) {
    return Error{"copied " + from.string() + " but cannot re-read the original (" +
                 source_now.error().message + "); both copies kept"};
  }
  if (*source_now != *copied) {
    ops.remove_file(to);
    ops.sync_dir(parent_or_dot(to));
    return Error{"source " + from.string() + " changed while it was copied; not moved"};
  }
  if ((err = ops.remove_file(from)) != 0) return op_error("cannot delete original", from, err);
  if (int sync_err = ops.sync_dir(parent_or_dot(from)); sync_err != 0) {
    result.sync_warning = "fsync of the source folder failed: " + file_error_text(sync_err);
  }
  result.sha256 = *copied;
  return result;
}

}  // namespace vakt::agent
