// Local-header walk with raw inflate (zlib). No central directory is trusted or needed.
#include "extract/zip_salvage.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "extract/member_buffer.h"

namespace vakt::extract {
namespace {

constexpr std::string_view kLocalSig("PK\x03\x04", 4);
constexpr std::size_t kLocalHeaderBytes = 30;
constexpr std::size_t kInflateChunk = 256 * 1024;
constexpr std::uint16_t kFlagEncrypted = 1;
constexpr std::uint16_t kFlagDataDescriptor = 8;

std::uint16_t u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) |
                                    (static_cast<unsigned char>(b[at + 1]) << 8));
}
std::uint32_t u32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(u16(b, at)) |
         (static_cast<std::uint32_t>(u16(b, at + 2)) << 16);
}

struct Inflated {
  std::size_t consumed = 0;  // compressed bytes used
  bool complete = false;     // reached the end of the deflate stream
  bool limit = false;        // a budget stopped it
  std::string error;
};

Inflated inflate_member(std::string_view data, MemberBuffer& out, Context& ctx) {
  Inflated r;
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
    r.error = "inflate init failed";
    return r;
  }
  std::string chunk(kInflateChunk, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(data.size(), 1u << 30));
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
    zs.avail_out = static_cast<uInt>(chunk.size());
    const int rc = inflate(&zs, Z_NO_FLUSH);
    const std::size_t produced = chunk.size() - zs.avail_out;
    if (produced > 0) {
      if (!ctx.add_expanded(produced) || !ctx.check_ratio(zs.total_in, zs.total_out) ||
          ctx.deadline_passed()) {
        r.limit = true;
        break;
      }
      if (out.size() + produced > ctx.limits().max_file_bytes) {
        r.error = "member too large";
        break;
      }
      if (!out.append(std::string_view(chunk.data(), produced))) {
        r.error = out.error();
        break;
      }
    }
    if (rc == Z_STREAM_END) {
      r.complete = true;
      break;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      r.error = "truncated";
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      r.error = zs.msg != nullptr ? zs.msg : "inflate error";
      break;
    }
  }
  r.consumed = zs.total_in;
  inflateEnd(&zs);
  return r;
}

}  // namespace

std::uint64_t salvage_zip_members(const Input& input, Context& ctx) {
  const std::string_view b = input.bytes;
  std::uint64_t recovered = 0;
  std::size_t pos = b.find(kLocalSig);
  while (pos != std::string_view::npos && pos + kLocalHeaderBytes <= b.size()) {
    if (ctx.stopped() || ctx.deadline_passed()) break;
    const std::uint16_t flags = u16(b, pos + 6);
    const std::uint16_t method = u16(b, pos + 8);
    const std::uint32_t csize = u32(b, pos + 18);
    const std::size_t name_len = u16(b, pos + 26);
    const std::size_t extra_len = u16(b, pos + 28);
    const std::size_t data_start = pos + kLocalHeaderBytes + name_len + extra_len;
    if (data_start > b.size()) break;
    const std::string name(b.substr(pos + kLocalHeaderBytes, name_len));
    // With a data descriptor (or zip64) the local sizes are not known: find the end by content.
    const bool size_known = (flags & kFlagDataDescriptor) == 0 && csize != 0xFFFFFFFFu;
    std::size_t next = size_known ? std::min(b.size(), data_start + csize) : data_start;
    auto advance = [&](std::size_t from) { pos = b.find(kLocalSig, std::max(from, pos + 1)); };

    if (name.empty() || name.ends_with("/")) {
      advance(next);
      continue;
    }
    if ((flags & kFlagEncrypted) != 0) {
      ctx.unread_member(name, "encrypted member: " + name);
      advance(next);
      continue;
    }
    MemberBuffer buf(size_known ? csize : 0);
    std::string problem;
    if (method == 0) {
      // Stored: without a known size, the member runs to the next local header.
      std::size_t end = size_known ? next : b.find(kLocalSig, data_start);
      if (end == std::string_view::npos) end = b.size();
      if (size_known && data_start + csize > b.size()) problem = "truncated";
      if (!ctx.add_expanded(end - data_start)) break;
      if (!buf.append(b.substr(data_start, end - data_start))) problem = buf.error();
      next = end;
    } else if (method == 8) {
      const std::string_view comp =
          size_known ? b.substr(data_start, next - data_start) : b.substr(data_start);
      Inflated r = inflate_member(comp, buf, ctx);
      if (r.limit) break;
      if (!r.complete) problem = r.error.empty() ? "truncated" : r.error;
      next = data_start + r.consumed;
    } else {
      ctx.unread_member(name, "unsupported compression in member: " + name);
      advance(next);
      continue;
    }
    if (!problem.empty()) ctx.mark_partial("damaged member: " + name + " (" + problem + ")");
    auto bytes = buf.view();
    if (bytes && !bytes->empty()) {
      ++recovered;
      ctx.extract_child(*bytes, name);
    }
    advance(next);
  }
  return recovered;
}

}  // namespace vakt::extract
