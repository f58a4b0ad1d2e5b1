// libzip adapter: turns libzip's error codes into vakt::Error at this edge (see zip_reader.h).
#include "extract/zip_reader.h"

#include <zip.h>

#include <array>
#include <string>
#include <utility>

namespace vakt::extract {
namespace {

std::string libzip_message(int code) {
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  std::string msg = zip_error_strerror(&err);
  zip_error_fini(&err);
  return msg;
}

Error member_error(int code, const ZipEntry& entry) {
  switch (code) {
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
    case ZIP_ER_ENCRNOTSUPP:
      return Error{"encrypted member: " + entry.name};
    case ZIP_ER_COMPNOTSUPP:
      return Error{"unsupported compression: " + entry.name};
    default:
      return Error{"corrupt member: " + entry.name + " (" + libzip_message(code) + ")"};
  }
}

}  // namespace

void ZipReader::Closer::operator()(zip* archive) const {
  if (archive != nullptr) zip_discard(archive);  // read-only: never write anything back
}

ZipReader::ZipReader(zip* archive) : archive_(archive) {}
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;
ZipReader::~ZipReader() = default;

Expected<ZipReader> ZipReader::open(std::string_view bytes) {
  if (bytes.empty()) return Error{"corrupt zip: empty input"};
  zip_error_t err;
  zip_error_init(&err);
  // freep = 0: libzip reads the caller's buffer in place and never frees it.
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) {
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    return Error{"corrupt zip: " + msg};
  }
  zip_t* archive = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (archive == nullptr) {
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    zip_source_free(src);
    return Error{"corrupt zip: " + msg};
  }
  zip_error_fini(&err);
  ZipReader reader(archive);

  const zip_int64_t count = zip_get_num_entries(archive, 0);
  if (count < 0) return Error{"corrupt zip: no central directory"};
  reader.entries_.reserve(static_cast<std::size_t>(count));
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    const auto index = static_cast<zip_uint64_t>(i);
    if (zip_stat_index(archive, index, 0, &st) != 0) continue;  // deleted/unreadable slot
    ZipEntry e;
    e.index = index;
    if ((st.valid & ZIP_STAT_NAME) != 0 && st.name != nullptr) e.name = st.name;
    if ((st.valid & ZIP_STAT_SIZE) != 0) e.size = st.size;
    if ((st.valid & ZIP_STAT_COMP_SIZE) != 0) e.compressed_size = st.comp_size;
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0)
      e.encrypted = st.encryption_method != ZIP_EM_NONE;
    e.is_dir = !e.name.empty() && e.name.back() == '/';
    reader.entries_.push_back(std::move(e));
  }
  return reader;
}

const ZipEntry* ZipReader::find(std::string_view name) const {
  for (const ZipEntry& e : entries_) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

bool ZipReader::any_encrypted() const {
  for (const ZipEntry& e : entries_) {
    if (e.encrypted) return true;
  }
  return false;
}

Expected<ZipReadStats> ZipReader::read(const ZipEntry& entry, const ZipReadOptions& options,
                                       const ZipChunkFn& on_chunk) const {
  if (entry.encrypted) return Error{"encrypted member: " + entry.name};
  if (options.max_ratio > 0.0 && entry.size > 0) {
    // Checked on the declared sizes before inflating anything; the byte cap below still holds
    // if the declared size lies.
    const double compressed =
        entry.compressed_size == 0 ? 1.0 : static_cast<double>(entry.compressed_size);
    if (static_cast<double>(entry.size) / compressed > options.max_ratio)
      return Error{"limit: max_compression_ratio (" + entry.name + ")"};
  }
  zip_file_t* file = zip_fopen_index(archive_.get(), entry.index, 0);
  if (file == nullptr)
    return member_error(zip_error_code_zip(zip_get_error(archive_.get())), entry);

  ZipReadStats stats;
  std::array<char, kChunkBytes> buffer;
  for (;;) {
    std::uint64_t want = buffer.size();
    if (options.max_bytes - stats.bytes < want) want = options.max_bytes - stats.bytes;
    if (want == 0) {
      // Cap reached: find out whether the member really had more to give.
      char probe = 0;
      if (zip_fread(file, &probe, 1) > 0) stats.truncated = true;
      break;
    }
    const zip_int64_t got = zip_fread(file, buffer.data(), want);
    if (got < 0) {
      const int code = zip_error_code_zip(zip_file_get_error(file));
      zip_fclose(file);
      return member_error(code, entry);
    }
    if (got == 0) break;
    stats.bytes += static_cast<std::uint64_t>(got);
    if (!on_chunk(std::string_view(buffer.data(), static_cast<std::size_t>(got)))) {
      stats.stopped = true;
      break;
    }
  }
  zip_fclose(file);
  return stats;
}

Expected<std::string> ZipReader::read_all(const ZipEntry& entry,
                                          const ZipReadOptions& options) const {
  std::string out;
  auto st = read(entry, options, [&out](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  if (!st) return st.error();
  return out;
}

}  // namespace vakt::extract
