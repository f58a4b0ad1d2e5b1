// Frame encoding and decoding for isolated parsers; see isolation_wire.h.
#include "extract/isolation_wire.h"

#include <algorithm>

namespace vakt::extract::wire {

void put_u32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

FrameWriter::FrameWriter(std::uint64_t max_child) : max_child_(max_child) {
  buffer_.reserve(kTextBuffer);
}

void FrameWriter::text(std::string_view utf8) {
  while (!utf8.empty()) {
    std::size_t take = std::min(utf8.size(), kTextBuffer - buffer_.size());
    buffer_.append(utf8.substr(0, take));
    utf8.remove_prefix(take);
    if (buffer_.size() >= kTextBuffer) flush();
  }
}

void FrameWriter::child(std::string_view bytes, std::string_view name) {
  flush();
  if (bytes.size() > max_child_ || bytes.size() > 0xFFFFFFF0u - name.size()) {
    partial("embedded file too large: " + std::string(name) + " (" + std::to_string(bytes.size()) +
            " bytes, limit " + std::to_string(max_child_) + ")");
    return;
  }
  char len[4];
  put_u32(len, static_cast<std::uint32_t>(name.size()));
  std::string head(len, 4);
  head.append(name);
  write_frame(Frame::kChild, head, bytes);
}

void FrameWriter::flush() {
  if (buffer_.empty()) return;
  write_frame(Frame::kText, buffer_);
  buffer_.clear();
}

void FrameWriter::send(Frame type, std::string_view payload) {
  flush();
  write_frame(type, payload);
}

void FrameWriter::write_frame(Frame type, std::string_view a, std::string_view b) {
  char header[kHeaderSize];
  header[0] = static_cast<char>(type);
  put_u32(header + 1, static_cast<std::uint32_t>(a.size() + b.size()));
  if (!write_all(header, kHeaderSize) || !write_all(a.data(), a.size()) ||
      !write_all(b.data(), b.size())) {
    write_failed();
  }
}

bool FrameReader::feed(std::chrono::steady_clock::duration& child_time) {
  std::size_t pos = 0;
  bool good = true;
  while (buf_.size() - pos >= kHeaderSize) {
    auto type = static_cast<std::uint8_t>(buf_[pos]);
    std::uint32_t len = get_u32(buf_.data() + pos + 1);
    if (type < 1 || type > 8 || len > max_frame_) {
      good = false;
      break;
    }
    if (buf_.size() - pos - kHeaderSize < len) break;
    std::string_view payload(buf_.data() + pos + kHeaderSize, len);
    pos += kHeaderSize + len;
    if (!dispatch(static_cast<Frame>(type), payload, child_time)) {
      good = false;
      break;
    }
  }
  buf_.erase(0, pos);
  return good;
}

void FrameReader::close_part() {
  if (in_part_) out_.end_part();
  in_part_ = false;
}

bool FrameReader::dispatch(Frame type, std::string_view payload,
                           std::chrono::steady_clock::duration& child_time) {
  if (done_) return false;  // nothing may follow kDone
  switch (type) {
    case Frame::kBegin:
      close_part();
      out_.begin_part(payload);
      in_part_ = true;
      return true;
    case Frame::kText:
      if (!in_part_) {
        out_.begin_part("text");
        in_part_ = true;
      }
      if (!payload.empty()) any_text_ = true;
      out_.text(payload);
      return true;
    case Frame::kEnd:
      close_part();
      return true;
    case Frame::kChild: {
      if (payload.size() < 4) return false;
      close_part();
      std::uint32_t name_len = get_u32(payload.data());
      if (name_len > payload.size() - 4) return false;
      auto start = std::chrono::steady_clock::now();
      any_text_ = true;
      out_.child(payload.substr(4 + name_len), payload.substr(4, name_len));
      child_time += std::chrono::steady_clock::now() - start;
      return true;
    }
    case Frame::kPartial:
      out_.partial(payload);
      return true;
    case Frame::kUnscannable:
      out_.unscannable(payload);
      return true;
    case Frame::kDone:
      done_ = true;
      return true;
    case Frame::kOutOfMemory:
      oom_ = true;
      return true;
  }
  return false;
}

IsolationResult fail(IsolationEnd end, std::string reason, bool any_text, int sig) {
  IsolationResult r;
  r.end = end;
  r.reason = std::move(reason);
  r.any_text = any_text;
  r.signal = sig;
  return r;
}

}  // namespace vakt::extract::wire
