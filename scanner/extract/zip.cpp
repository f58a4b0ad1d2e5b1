// Zip through libzip, straight from the mapped bytes. Every member re-enters the dispatcher as a
// child; sizes and compression ratio are checked from the central directory BEFORE inflating.
#include <zip.h>

#include <string>

#include "extract/formats.h"
#include "extract/member_buffer.h"
#include "extract/zip_salvage.h"

namespace vakt::extract {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;

std::string zip_error_text(zip_error_t* err) {
  const char* s = zip_error_strerror(err);
  return s == nullptr ? "unknown error" : s;
}

// Inflates one member into `buf`; "" on success, else why not.
std::string read_member(zip_t* za, zip_uint64_t index, std::uint64_t declared, MemberBuffer& buf,
                        Context& ctx) {
  zip_file_t* f = zip_fopen_index(za, index, 0);
  if (f == nullptr) return zip_error_text(zip_get_error(za));
  std::string chunk(kReadChunk, '\0');
  std::string failure;
  while (true) {
    const zip_int64_t n = zip_fread(f, chunk.data(), chunk.size());
    if (n < 0) {
      failure = zip_error_text(zip_file_get_error(f));
      break;
    }
    if (n == 0) break;
    // A member larger than its directory entry says is a lie; stop reading at the declared size.
    if (buf.size() + static_cast<std::uint64_t>(n) > declared) {
      failure = "member larger than declared";
      break;
    }
    if (!buf.append(std::string_view(chunk.data(), static_cast<std::size_t>(n)))) {
      failure = buf.error();
      break;
    }
    if (ctx.deadline_passed()) {
      failure = "time limit";
      break;
    }
  }
  zip_fclose(f);
  return failure;
}

}  // namespace

void extract_zip(const Input& input, Context& ctx) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(input.bytes.data(), input.bytes.size(), 0, &err);
  zip_t* za = src == nullptr ? nullptr : zip_open_from_source(src, ZIP_RDONLY, &err);
  if (za == nullptr) {
    // No usable central directory: recover what the local headers still hold.
    const std::string why = "corrupt zip: " + zip_error_text(&err);
    zip_error_fini(&err);
    if (src != nullptr) zip_source_free(src);
    const std::uint64_t recovered = salvage_zip_members(input, ctx);
    if (recovered == 0) {
      ctx.mark_unscannable(why);
    } else {
      ctx.mark_partial(why + " (" + std::to_string(recovered) +
                       " members recovered from local headers)");
    }
    return;
  }
  zip_error_fini(&err);

  const zip_int64_t count = zip_get_num_entries(za, 0);
  std::uint64_t files = 0, read_ok = 0, encrypted = 0;
  for (zip_int64_t i = 0; i < count; ++i) {
    if (ctx.stopped() || ctx.deadline_passed()) break;
    const auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, index, 0, &st) != 0) {
      ctx.mark_partial("corrupt zip entry #" + std::to_string(i));
      continue;
    }
    const std::string name = (st.valid & ZIP_STAT_NAME) != 0 && st.name != nullptr
                                 ? std::string(st.name)
                                 : "#" + std::to_string(i);
    // A folder entry; one that holds bytes anyway (a hand-made zip can) is read like a file.
    const bool holds_bytes = (st.valid & ZIP_STAT_SIZE) != 0 && st.size > 0;
    if (name.ends_with("/") && !holds_bytes) continue;
    ++files;
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE) {
      ++encrypted;
      ctx.unread_member(name, "encrypted member: " + name);
      continue;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) != 0 &&
        !zip_compression_method_supported(static_cast<zip_int32_t>(st.comp_method), 0)) {
      ctx.unread_member(name, "unsupported compression in member: " + name);
      continue;
    }
    const std::uint64_t size = (st.valid & ZIP_STAT_SIZE) != 0 ? st.size : 0;
    const std::uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) != 0 ? st.comp_size : 0;
    if (size > ctx.limits().max_file_bytes) {
      ctx.unread_member(name, "member too large: " + name);
      continue;
    }
    if (!ctx.check_ratio(comp, size)) {  // the reason is recorded by check_ratio
      ctx.add_entry();
      ctx.scan_member_name(name);
      continue;
    }
    if (!ctx.add_expanded(size)) break;

    MemberBuffer buf(size);
    const std::string failure = read_member(za, index, size, buf, ctx);
    if (!failure.empty()) {
      ctx.unread_member(name, "unreadable member: " + name + " (" + failure + ")");
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
  if (files > 0 && read_ok == 0 && encrypted == files) {
    ctx.mark_unscannable("encrypted: all " + std::to_string(files) + " members");
  }
  zip_discard(za);
}

}  // namespace vakt::extract
