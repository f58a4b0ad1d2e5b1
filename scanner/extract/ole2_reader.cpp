// Ole2Reader: an own [MS-CFB] compound file reader; see ole2_reader.h.
//
// Layout in brief: a 512-byte header (padded to the sector size in version 4) is followed by
// sectors of 2^sector_shift bytes; sector n starts at (n + 1) << sector_shift. The FAT (a next-
// sector table) is itself stored in sectors listed by the DIFAT (109 ids in the header, the rest in
// a chain of DIFAT sectors). The directory is a FAT chain of 128-byte entries forming, per storage,
// a red-black tree of siblings. Streams under 4096 bytes live in the mini stream (the root entry's
// FAT chain), cut into 64-byte mini sectors chained by the mini FAT.
//
// Hardening: the FAT and mini FAT are trimmed to the sectors that exist, so a table never holds
// more entries than the file holds sectors; every chain walk carries a visited set and a length
// bound; the directory walk carries a visited set over entry ids and uses an explicit stack for
// siblings, so cycles, shared subtrees and degenerate trees cost at most one visit per entry.
#include "extract/ole2_reader.h"

#include <algorithm>
#include <utility>

namespace vakt::extract {

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const Ole2Node* Ole2Node::find(std::string_view child_name) const {
  for (const auto& c : children) {
    if (ascii_iequals(c.name, child_name)) return &c;
  }
  return nullptr;
}
const Ole2Node* Ole2Node::find_stream(std::string_view child_name) const {
  for (const auto& c : children) {
    if (!c.storage && ascii_iequals(c.name, child_name)) return &c;
  }
  return nullptr;
}
const Ole2Node* Ole2Node::find_storage(std::string_view child_name) const {
  for (const auto& c : children) {
    if (c.storage && ascii_iequals(c.name, child_name)) return &c;
  }
  return nullptr;
}

namespace {

constexpr std::size_t kHeaderSize = 512;
constexpr std::size_t kHeaderDifatEntries = 109;
constexpr std::size_t kDirEntrySize = 128;
constexpr std::size_t kMiniSectorSize = 64;
constexpr std::uint64_t kMiniStreamCutoff = 4096;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kFreeSector = 0xFFFFFFFF;
constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
constexpr std::uint8_t kTypeStorage = 1;
constexpr std::uint8_t kTypeStream = 2;
constexpr std::uint8_t kTypeRoot = 5;

// Little-endian reads; the caller has checked the bounds.
std::uint32_t le16(std::string_view b, std::size_t off) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(b[off])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[off + 1])) << 8;
}
std::uint32_t le32(std::string_view b, std::size_t off) {
  return le16(b, off) | le16(b, off + 2) << 16;
}
std::uint64_t le64(std::string_view b, std::size_t off) {
  return static_cast<std::uint64_t>(le32(b, off)) | static_cast<std::uint64_t>(le32(b, off + 4))
                                                        << 32;
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return a / b + (a % b != 0 ? 1 : 0);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = cp << 6 | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// The entry name: UTF-16LE up to the first NUL, lone surrogates as U+FFFD. Like other readers,
// accept the rare writer that stored a NUL-terminated 8-bit (UTF-8/ASCII) name instead.
std::string entry_name(std::string_view field, std::uint32_t name_len, std::u16string& units) {
  units.clear();
  std::string out;
  if (name_len == 0 || name_len > 64) return out;
  std::size_t nul = field.substr(0, name_len).find('\0');
  if (nul != std::string_view::npos && nul + 1 == name_len && valid_utf8(field.substr(0, nul))) {
    for (char c : field.substr(0, nul)) units.push_back(static_cast<unsigned char>(c));
    return std::string(field.substr(0, nul));
  }
  for (std::size_t i = 0; i < name_len; i += 2) {
    auto u = static_cast<char16_t>(le16(field, i));
    if (u == 0) break;
    units.push_back(u);
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    std::uint32_t u = units[i];
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units.size() && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (units[i + 1] - 0xDC00u));
      ++i;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      append_utf8(out, 0xFFFD);
    } else {
      append_utf8(out, u);
    }
  }
  return out;
}

char16_t upper_unit(char16_t u) {
  if ((u >= u'a' && u <= u'z') || (u >= 0xE0 && u <= 0xFE && u != 0xF7)) {
    return static_cast<char16_t>(u - 0x20);
  }
  return u;
}

// [MS-CFB] 2.6.4 sibling order: shorter names first, then code unit by code unit, upper-cased.
bool cfb_less(const std::u16string& a, const std::u16string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {
    char16_t x = upper_unit(a[i]);
    char16_t y = upper_unit(b[i]);
    if (x != y) return x < y;
  }
  return false;
}

}  // namespace

struct Ole2Reader::DirEntry {
  std::string name;
  std::u16string units;
  std::uint8_t type = 0;
  std::uint32_t left = kNoStream;
  std::uint32_t right = kNoStream;
  std::uint32_t child = kNoStream;
  std::uint32_t start = 0;
  std::uint64_t size = 0;
};

std::unique_ptr<Ole2Reader> Ole2Reader::open(std::string_view bytes) {
  std::unique_ptr<Ole2Reader> r(new Ole2Reader());
  if (!r->load(bytes)) return nullptr;
  return r;
}

Ole2Reader::~Ole2Reader() = default;

std::string_view Ole2Reader::sector_bytes(std::uint32_t sector, std::size_t offset,
                                          std::size_t len) const {
  std::uint64_t at = ((static_cast<std::uint64_t>(sector) + 1) << sector_shift_) + offset;
  if (at >= bytes_.size()) return {};
  return bytes_.substr(static_cast<std::size_t>(at),
                       std::min<std::uint64_t>(len, bytes_.size() - at));
}

std::vector<std::uint32_t> Ole2Reader::chain(const std::vector<std::uint32_t>& table,
                                             std::uint32_t start, std::uint64_t max_len) {
  std::vector<std::uint32_t> out;
  max_len = std::min<std::uint64_t>(max_len, table.size());
  if (max_len == 0) return out;
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(max_len, 4096)));
  std::vector<bool> seen(table.size());
  std::uint32_t s = start;
  while (out.size() < max_len) {
    if (s >= table.size() || seen[s]) break;  // end of chain, special id, past the file, cycle
    seen[s] = true;
    out.push_back(s);
    s = table[s];
  }
  return out;
}

bool Ole2Reader::load(std::string_view bytes) {
  static constexpr unsigned char kSignature[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (bytes.size() < kHeaderSize) return false;
  for (std::size_t i = 0; i < sizeof kSignature; ++i) {
    if (static_cast<unsigned char>(bytes[i]) != kSignature[i]) return false;
  }
  const std::uint32_t major = le16(bytes, 0x1A);
  const std::uint32_t byte_order = le16(bytes, 0x1C);
  const std::uint32_t sector_shift = le16(bytes, 0x1E);
  const std::uint32_t mini_shift = le16(bytes, 0x20);
  if (byte_order != 0xFFFE || (sector_shift != 9 && sector_shift != 12) || mini_shift != 6) {
    return false;
  }
  bytes_ = bytes;
  sector_shift_ = sector_shift;
  wide_sizes_ = major == 4;
  const std::size_t sector_size = std::size_t{1} << sector_shift_;
  // Sectors that start inside the file (the last one may be cut short).
  const std::uint64_t sector_count =
      bytes.size() > sector_size ? ceil_div(bytes.size() - sector_size, sector_size) : 0;
  const std::size_t ids_per_sector = sector_size / 4;

  // DIFAT: the FAT's own sectors. Never more of them than the file has sectors.
  const std::uint64_t fat_sector_count = std::min<std::uint64_t>(le32(bytes, 0x2C), sector_count);
  std::vector<std::uint32_t> fat_sectors;
  fat_sectors.reserve(static_cast<std::size_t>(fat_sector_count));
  for (std::size_t i = 0; i < kHeaderDifatEntries && fat_sectors.size() < fat_sector_count; ++i) {
    fat_sectors.push_back(le32(bytes, 0x4C + 4 * i));
  }
  {
    std::vector<bool> seen(static_cast<std::size_t>(sector_count));
    std::uint32_t s = le32(bytes, 0x44);
    while (fat_sectors.size() < fat_sector_count && s < sector_count && !seen[s]) {
      seen[s] = true;
      std::string_view b = sector_bytes(s, 0, sector_size);
      for (std::size_t k = 0; k + 1 < ids_per_sector && fat_sectors.size() < fat_sector_count;
           ++k) {
        fat_sectors.push_back(4 * k + 4 <= b.size() ? le32(b, 4 * k) : kFreeSector);
      }
      s = b.size() == sector_size ? le32(b, sector_size - 4) : kEndOfChain;
    }
  }

  // FAT: one next-sector id per sector of the file; missing FAT sectors read as free.
  fat_.reserve(static_cast<std::size_t>(
      std::min<std::uint64_t>(sector_count, fat_sectors.size() * ids_per_sector)));
  for (std::uint32_t fs : fat_sectors) {
    std::string_view b = fs < sector_count ? sector_bytes(fs, 0, sector_size) : std::string_view{};
    for (std::size_t k = 0; k < ids_per_sector && fat_.size() < sector_count; ++k) {
      fat_.push_back(4 * k + 4 <= b.size() ? le32(b, 4 * k) : kFreeSector);
    }
  }

  dir_ = chain(fat_, le32(bytes, 0x30), fat_.size());
  DirEntry root;
  if (!dir_entry(0, root)) return false;
  if (root.type != kTypeRoot && root.type != kTypeStorage && root.type != kTypeStream) {
    return false;
  }

  // The mini stream (the root entry's chain) and the mini FAT, trimmed to the mini sectors in it.
  mini_ = chain(fat_, root.start, ceil_div(root.size, sector_size));
  mini_size_ = std::min<std::uint64_t>(root.size, std::uint64_t{mini_.size()} << sector_shift_);
  const std::uint64_t mini_sector_count = ceil_div(mini_size_, kMiniSectorSize);
  std::vector<std::uint32_t> minifat_sectors = chain(fat_, le32(bytes, 0x3C), fat_.size());
  for (std::uint32_t ms : minifat_sectors) {
    std::string_view b = sector_bytes(ms, 0, sector_size);
    for (std::size_t k = 0; k < ids_per_sector && minifat_.size() < mini_sector_count; ++k) {
      minifat_.push_back(4 * k + 4 <= b.size() ? le32(b, 4 * k) : kFreeSector);
    }
  }

  root_.storage = true;
  std::vector<bool> seen(dir_.size() * (sector_size / kDirEntrySize));
  seen[0] = true;
  build(root_, root.child, 0, seen);
  return true;
}

bool Ole2Reader::dir_entry(std::uint32_t id, DirEntry& out) const {
  const std::size_t per_sector = (std::size_t{1} << sector_shift_) / kDirEntrySize;
  if (id / per_sector >= dir_.size()) return false;
  std::string_view e =
      sector_bytes(dir_[id / per_sector], (id % per_sector) * kDirEntrySize, kDirEntrySize);
  if (e.size() < kDirEntrySize) return false;
  out.name = entry_name(e, le16(e, 0x40), out.units);
  out.type = static_cast<std::uint8_t>(e[0x42]);
  out.left = le32(e, 0x44);
  out.right = le32(e, 0x48);
  out.child = le32(e, 0x4C);
  out.start = le32(e, 0x74);
  // Version 3 writers may leave garbage in the high half; [MS-CFB] says to ignore it.
  out.size = wide_sizes_ ? le64(e, 0x78) : le32(e, 0x78);
  return true;
}

void Ole2Reader::build(Ole2Node& node, std::uint32_t child_id, int depth, std::vector<bool>& seen) {
  std::vector<std::pair<std::u16string, Ole2Node>> kids;
  std::vector<std::uint32_t> pending{child_id};
  DirEntry e;
  while (!pending.empty()) {
    std::uint32_t id = pending.back();
    pending.pop_back();
    // Absent, out of range, or already in the tree (a cycle or a shared subtree): skip.
    if (id == kNoStream || id >= seen.size() || seen[id]) continue;
    seen[id] = true;
    if (!dir_entry(id, e)) continue;
    pending.push_back(e.right);
    pending.push_back(e.left);
    // An unallocated or unknown entry is left out, with whatever its child link says; its sibling
    // links are still followed, so one damaged type byte does not hide the other streams.
    if (e.type != kTypeStorage && e.type != kTypeStream && e.type != kTypeRoot) continue;
    if (entries_ >= kMaxEntries) {
      tree_truncated_ = true;
      break;
    }
    ++entries_;
    Ole2Node c;
    c.name = std::move(e.name);
    c.storage = e.type != kTypeStream;
    c.start_sector = e.start;
    if (c.storage) {
      if (e.child != kNoStream) {
        if (depth + 1 >= kMaxDepth) {
          tree_truncated_ = true;
        } else {
          build(c, e.child, depth + 1, seen);
        }
      }
    } else {
      c.size = e.size;
    }
    kids.emplace_back(std::move(e.units), std::move(c));
  }
  std::stable_sort(kids.begin(), kids.end(),
                   [](const auto& a, const auto& b) { return cfb_less(a.first, b.first); });
  node.children.reserve(kids.size());
  for (auto& k : kids) node.children.push_back(std::move(k.second));
}

std::string Ole2Reader::read(const Ole2Node& stream, std::uint64_t max_bytes,
                             bool* truncated) const {
  std::string out;
  if (truncated != nullptr) *truncated = false;
  if (stream.storage) return out;
  const std::uint64_t want = std::min(stream.size, max_bytes);
  if (stream.size < kMiniStreamCutoff) {
    std::vector<std::uint32_t> secs =
        chain(minifat_, stream.start_sector, ceil_div(want, kMiniSectorSize));
    out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(want, secs.size() * 64)));
    const std::uint64_t mask = (std::uint64_t{1} << sector_shift_) - 1;
    for (std::uint32_t m : secs) {
      std::uint64_t at = std::uint64_t{m} * kMiniSectorSize;
      auto take =
          static_cast<std::size_t>(std::min<std::uint64_t>(kMiniSectorSize, want - out.size()));
      if (take == 0 || at + take > mini_size_) break;
      // A mini sector never straddles two regular sectors (64 divides 512 and 4096).
      std::string_view b = sector_bytes(mini_[static_cast<std::size_t>(at >> sector_shift_)],
                                        static_cast<std::size_t>(at & mask), take);
      out.append(b);
      if (b.size() < take) break;
    }
  } else {
    const std::size_t sector_size = std::size_t{1} << sector_shift_;
    std::vector<std::uint32_t> secs = chain(fat_, stream.start_sector, ceil_div(want, sector_size));
    out.reserve(static_cast<std::size_t>(
        std::min<std::uint64_t>(want, std::uint64_t{secs.size()} << sector_shift_)));
    for (std::uint32_t s : secs) {
      auto take = static_cast<std::size_t>(std::min<std::uint64_t>(sector_size, want - out.size()));
      std::string_view b = sector_bytes(s, 0, take);
      out.append(b);
      if (b.size() < take) break;
    }
  }
  if (truncated != nullptr) *truncated = out.size() < want || stream.size > max_bytes;
  return out;
}

}  // namespace vakt::extract
