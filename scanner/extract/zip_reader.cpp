// libzip adapter: turns libzip's error codes into vakt::Error at this edge (see zip_reader.h).
#include "extract/zip_reader.h"

#include <libdeflate.h>
#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "util/big_buffer.h"

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

struct ZipReader::WholeBuffers {
  struct Free {
    void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
  };
  std::unique_ptr<libdeflate_decompressor, Free> decompressor;
  BigBuffer raw;       // the member's deflate stream
  BigBuffer inflated;  // its text
  bool busy = false;   // a callback reading another member of this archive gets its own
};

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
    if ((st.valid & ZIP_STAT_COMP_METHOD) != 0) e.method = st.comp_method;
    if ((st.valid & ZIP_STAT_CRC) != 0) {
      e.crc = st.crc;
      e.has_crc = true;
    }
    e.is_dir = !e.name.empty() && e.name.back() == '/';
    reader.entries_.push_back(std::move(e));
  }
  return reader;
}

Expected<ZipReader> ZipReader::open_or_salvage(std::string_view bytes) {
  auto reader = open(bytes);
  if (reader || bytes.size() < 30 || bytes.substr(0, 4) != std::string_view("PK\x03\x04", 4))
    return reader;
  return salvage(bytes, reader.error());
}

namespace {

std::uint32_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8;
}

std::uint32_t le32(std::string_view b, std::size_t at) {
  return le16(b, at) | le16(b, at + 2) << 16;
}

constexpr std::string_view kLocalHeader("PK\x03\x04", 4);

}  // namespace

Expected<ZipReader> ZipReader::salvage(std::string_view bytes, const Error& why) {
  ZipReader reader(nullptr);
  reader.bytes_ = bytes;
  reader.salvaged_ = true;
  std::size_t pos = 0;
  while ((pos = bytes.find(kLocalHeader, pos)) != std::string_view::npos) {
    if (pos + 30 > bytes.size()) break;
    const std::uint32_t flags = le16(bytes, pos + 6);
    const std::uint32_t method = le16(bytes, pos + 8);
    std::uint64_t csize = le32(bytes, pos + 18);
    const std::uint64_t usize = le32(bytes, pos + 22);
    const std::size_t name_len = le16(bytes, pos + 26);
    const std::size_t extra_len = le16(bytes, pos + 28);
    const std::size_t data = pos + 30 + name_len + extra_len;
    if (data > bytes.size()) break;
    const bool sizes_known = (flags & 0x08) == 0 && csize != 0xFFFFFFFFu;
    if (!sizes_known || data + csize > bytes.size()) {
      // Sizes follow the data (or the file ends inside it): the member runs to the next header.
      const auto next = bytes.find(kLocalHeader, data);
      csize = (next == std::string_view::npos ? bytes.size() : next) - data;
    }
    ZipEntry e;
    e.name = std::string(bytes.substr(pos + 30, name_len));
    e.index = reader.entries_.size();
    e.size = sizes_known ? usize : 0;
    e.compressed_size = csize;
    e.encrypted = (flags & 0x01) != 0;
    e.is_dir = !e.name.empty() && e.name.back() == '/';
    e.data_offset = data;
    e.method = static_cast<std::uint16_t>(method);
    reader.entries_.push_back(std::move(e));
    pos = data + csize;
  }
  if (reader.entries_.empty()) return why;
  return reader;
}

Expected<ZipReadStats> ZipReader::read_salvaged(const ZipEntry& entry,
                                                const ZipReadOptions& options,
                                                const ZipChunkFn& on_chunk) const {
  const std::string_view raw = bytes_.substr(entry.data_offset, entry.compressed_size);
  ZipReadStats stats;
  auto deliver = [&](std::string_view chunk) {
    if (options.max_bytes - stats.bytes < chunk.size()) {
      chunk = chunk.substr(0, options.max_bytes - stats.bytes);
      stats.truncated = true;
    }
    stats.bytes += chunk.size();
    if (!chunk.empty() && !on_chunk(chunk)) stats.stopped = true;
    return !stats.truncated && !stats.stopped;
  };
  if (entry.method == 0) {
    for (std::size_t i = 0; i < raw.size(); i += kChunkBytes) {
      if (!deliver(raw.substr(i, kChunkBytes))) break;
    }
    return stats;
  }
  if (entry.method != 8) return Error{"unsupported compression: " + entry.name};
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return Error{"corrupt member: " + entry.name};
  std::array<char, kChunkBytes> buffer;
  // zlib's API takes a non-const input pointer but does not write through it.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer.data());
    z.avail_out = static_cast<uInt>(buffer.size());
    rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t got = buffer.size() - z.avail_out;
    if (got > 0 && !deliver(std::string_view(buffer.data(), got))) break;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;  // the data ends early: truncated member
  }
  inflateEnd(&z);
  if (stats.truncated || stats.stopped || rc == Z_STREAM_END) return stats;
  return Error{"corrupt member: " + entry.name + " (truncated)"};
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
  if (salvaged_) return read_salvaged(entry, options, on_chunk);
  if (entry.method == ZIP_CM_DEFLATE && entry.has_crc && entry.size > 0 &&
      entry.size <= kWholeMemberBytes && entry.size <= options.max_bytes) {
    if (auto whole = read_whole(entry, on_chunk)) return std::move(*whole);
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

std::optional<Expected<ZipReadStats>> ZipReader::read_whole(const ZipEntry& entry,
                                                            const ZipChunkFn& on_chunk) const {
  WholeBuffers local;
  if (!whole_) whole_ = std::make_unique<WholeBuffers>();
  WholeBuffers& buffers = whole_->busy ? local : *whole_;
  if (!buffers.decompressor) buffers.decompressor.reset(libdeflate_alloc_decompressor());
  if (!buffers.decompressor) return std::nullopt;

  // libzip still parses the archive (zip64, data descriptors); it hands over the raw stream.
  zip_file_t* file = zip_fopen_index(archive_.get(), entry.index, ZIP_FL_COMPRESSED);
  if (file == nullptr)
    return member_error(zip_error_code_zip(zip_get_error(archive_.get())), entry);
  buffers.raw.resize(static_cast<std::size_t>(entry.compressed_size));
  std::size_t have = 0;
  while (have < buffers.raw.size()) {
    const zip_int64_t got = zip_fread(file, buffers.raw.data() + have, buffers.raw.size() - have);
    if (got < 0) {
      const int code = zip_error_code_zip(zip_file_get_error(file));
      zip_fclose(file);
      return member_error(code, entry);
    }
    if (got == 0) break;
    have += static_cast<std::size_t>(got);
  }
  zip_fclose(file);

  buffers.inflated.resize(static_cast<std::size_t>(entry.size));
  std::size_t out = 0;
  const libdeflate_result rc =
      libdeflate_deflate_decompress(buffers.decompressor.get(), buffers.raw.data(), have,
                                    buffers.inflated.data(), buffers.inflated.size(), &out);
  // The declared size was too small (it may lie): stream it, under the caller's byte cap.
  if (rc == LIBDEFLATE_INSUFFICIENT_SPACE) return std::nullopt;
  if (rc != LIBDEFLATE_SUCCESS)
    return Error{"corrupt member: " + entry.name + " (bad deflate data)"};
  if (libdeflate_crc32(0, buffers.inflated.data(), out) != entry.crc)
    return Error{"corrupt member: " + entry.name + " (" + libzip_message(ZIP_ER_CRC) + ")"};

  ZipReadStats stats;
  buffers.busy = true;
  for (std::size_t at = 0; at < out; at += kChunkBytes) {
    const std::size_t n = std::min(kChunkBytes, out - at);
    stats.bytes += n;
    if (!on_chunk(std::string_view(buffers.inflated.data() + at, n))) {
      stats.stopped = true;
      break;
    }
  }
  buffers.busy = false;
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
