// BIFF12 records and fields; see xlsb_records.h.
#include "extract/xlsb_records.h"

#include <charconv>
#include <cmath>
#include <cstring>

#include "extract/text_decoder.h"
#include "extract/xlsx_number.h"

namespace vakt::extract {
namespace {

// A 7-bits-per-byte little-endian number of at most `max_bytes` bytes at the start of `b`: the
// value and the bytes it took; {0, 0} when `b` ends first, {0, SIZE_MAX} when it is too long.
struct Varint {
  std::uint32_t value = 0;
  std::size_t bytes = 0;
};
constexpr std::size_t kTooLong = static_cast<std::size_t>(-1);

Varint read_varint(std::string_view b, std::size_t at, std::size_t max_bytes) {
  Varint v;
  for (std::size_t i = 0; i < max_bytes; ++i) {
    if (at + i >= b.size()) return {};
    const auto byte = static_cast<unsigned char>(b[at + i]);
    v.value |= static_cast<std::uint32_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      v.bytes = i + 1;
      return v;
    }
  }
  return {0, kTooLong};
}

}  // namespace

Status Biff12Stream::feed(std::string_view chunk) {
  if (pending_.empty()) {
    auto used = parse(chunk);
    if (!used) return used.error();
    pending_.assign(chunk.substr(*used));
    return Ok{};
  }
  pending_.append(chunk);
  auto used = parse(pending_);
  if (!used) return used.error();
  pending_.erase(0, *used);
  return Ok{};
}

Status Biff12Stream::finish() const {
  if (!pending_.empty()) return Error{"corrupt xlsb: the part ends inside a record"};
  return Ok{};
}

Expected<std::size_t> Biff12Stream::parse(std::string_view b) {
  std::size_t at = 0;
  while (at < b.size()) {
    const Varint type = read_varint(b, at, 2);
    if (type.bytes == kTooLong) return Error{"corrupt xlsb: record type longer than 2 bytes"};
    if (type.bytes == 0) break;
    const Varint size = read_varint(b, at + type.bytes, 4);
    if (size.bytes == kTooLong) return Error{"corrupt xlsb: record size longer than 4 bytes"};
    if (size.bytes == 0) break;
    if (size.value > kMaxRecordBytes) {
      return Error{"corrupt xlsb: record of " + std::to_string(size.value) + " bytes"};
    }
    const std::size_t data_at = at + type.bytes + size.bytes;
    if (b.size() - data_at < size.value) break;  // the rest comes with the next chunk
    on_record_(type.value, b.substr(data_at, size.value));
    at = data_at + size.value;
  }
  return at;
}

std::optional<std::string_view> Biff12Fields::take(std::size_t bytes) {
  if (failed_ || data_.size() - at_ < bytes) {
    failed_ = true;
    return std::nullopt;
  }
  const std::string_view out = data_.substr(at_, bytes);
  at_ += bytes;
  return out;
}

std::optional<std::uint32_t> Biff12Fields::u8() {
  const auto b = take(1);
  if (!b) return std::nullopt;
  return static_cast<unsigned char>((*b)[0]);
}

std::optional<std::uint32_t> Biff12Fields::u16() {
  const auto b = take(2);
  if (!b) return std::nullopt;
  return static_cast<std::uint32_t>(static_cast<unsigned char>((*b)[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>((*b)[1])) << 8;
}

std::optional<std::uint32_t> Biff12Fields::u32() {
  const auto lo = u16();
  const auto hi = u16();
  if (!lo || !hi) return std::nullopt;
  return *lo | *hi << 16;
}

std::optional<double> Biff12Fields::f64() {
  const auto b = take(8);
  if (!b) return std::nullopt;
  std::uint64_t bits = 0;
  for (int i = 7; i >= 0; --i) bits = (bits << 8) | static_cast<unsigned char>((*b)[i]);
  double value = 0;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

bool Biff12Fields::skip(std::size_t bytes) {
  return take(bytes).has_value();
}

std::optional<std::string> Biff12Fields::nullable_wide_string() {
  const auto units = u32();
  if (!units) return std::nullopt;
  if (*units == 0xFFFFFFFFu) return std::string();
  if (*units > (data_.size() - at_) / 2) {
    failed_ = true;
    return std::nullopt;
  }
  const auto bytes = take(std::size_t{*units} * 2);
  std::string out;
  out.reserve(bytes->size() / 2);
  char32_t high = 0;
  for (std::size_t i = 0; i + 1 < bytes->size(); i += 2) {
    const char32_t unit = static_cast<unsigned char>((*bytes)[i]) |
                          static_cast<char32_t>(static_cast<unsigned char>((*bytes)[i + 1])) << 8;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (high != 0) append_code_point(out, 0xFFFD);
      high = unit;
      continue;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      append_code_point(
          out, high != 0 ? 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00) : char32_t{0xFFFD});
      high = 0;
      continue;
    }
    if (high != 0) append_code_point(out, 0xFFFD);
    high = 0;
    append_code_point(out, unit);
  }
  if (high != 0) append_code_point(out, 0xFFFD);
  return out;
}

std::optional<std::string> Biff12Fields::wide_string() {
  // The same layout; a null marker in a field that may not be null is simply an empty string.
  return nullable_wide_string();
}

double rk_number_value(std::uint32_t rk) {
  double value = 0;
  if ((rk & 0x2) != 0) {
    value = static_cast<double>(static_cast<std::int32_t>(rk) >> 2);
  } else {
    const std::uint64_t bits = static_cast<std::uint64_t>(rk & 0xFFFFFFFCu) << 32;
    std::memcpy(&value, &bits, sizeof value);
  }
  return (rk & 0x1) != 0 ? value / 100 : value;
}

std::string number_text(double value) {
  if (!std::isfinite(value)) return {};
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  if (res.ec != std::errc()) return {};
  return plain_number(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)));
}

}  // namespace vakt::extract
