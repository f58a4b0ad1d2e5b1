// A small [MS-CFB] writer for tests: lays out header, DIFAT, FAT, directory, mini FAT, mini stream
// and regular streams for a tree of storages and streams, then tells where each structure landed
// so a test can corrupt exactly one field (a FAT link, a directory link, a size) and check how the
// reader copes.
//
//   CfbWriter w;                       // version 3, 512-byte sectors (w.shift = 12 for version 4)
//   w.root.children = {CfbEntry::stream("WordDocument", bytes), CfbEntry::storage("ObjectPool",
//   {...})}; CfbImage img = w.build(); img.put32(img.fat_offset(img.first_sector("WordDocument")),
//   0xFFFFFFFE);   // cut the chain
//
// Streams under 4096 bytes go to the mini stream. Siblings form a balanced binary search tree in
// [MS-CFB] order (shorter names first, then upper-cased code units), so left and right links are
// both used.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vakt::extract::testing {

struct CfbEntry {
  std::string name;  // ASCII/Latin-1 only in tests: one UTF-16 unit per byte
  bool storage = false;
  std::string data;
  std::vector<CfbEntry> children;

  static CfbEntry stream(std::string n, std::string d) {
    return CfbEntry{std::move(n), false, std::move(d), {}};
  }
  static CfbEntry dir(std::string n, std::vector<CfbEntry> kids) {
    return CfbEntry{std::move(n), true, {}, std::move(kids)};
  }
};

struct CfbImage {
  std::string bytes;
  unsigned shift = 9;
  std::vector<std::uint32_t> fat_sectors;
  std::uint32_t dir_start = 0;
  std::uint32_t minifat_start = 0;
  std::map<std::string, std::uint32_t> ids;    // "/"-joined path -> directory entry id
  std::map<std::string, std::uint32_t> first;  // path -> first (mini) sector of the stream

  std::size_t sector_size() const { return std::size_t{1} << shift; }
  std::size_t sector_offset(std::uint32_t s) const { return (std::size_t{s} + 1) << shift; }
  std::size_t fat_offset(std::uint32_t s) const {
    std::size_t per = sector_size() / 4;
    return sector_offset(fat_sectors[s / per]) + (s % per) * 4;
  }
  std::size_t minifat_offset(std::uint32_t m) const {
    std::size_t per = sector_size() / 4;  // the mini FAT is contiguous in this writer
    return sector_offset(minifat_start + static_cast<std::uint32_t>(m / per)) + (m % per) * 4;
  }
  std::size_t dir_offset(std::uint32_t id) const {
    std::size_t per = sector_size() / 128;  // the directory is contiguous in this writer
    return sector_offset(dir_start + static_cast<std::uint32_t>(id / per)) + (id % per) * 128;
  }
  std::size_t entry_offset(const std::string& path) const { return dir_offset(ids.at(path)); }
  std::uint32_t first_sector(const std::string& path) const { return first.at(path); }

  void put16(std::size_t off, std::uint16_t v) {
    bytes[off] = static_cast<char>(v & 0xFF);
    bytes[off + 1] = static_cast<char>(v >> 8);
  }
  void put32(std::size_t off, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[off + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  std::uint32_t get32(std::size_t off) const {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes[off + i]);
    return v;
  }
  // Directory entry fields.
  static constexpr std::size_t kLeft = 0x44, kRight = 0x48, kChild = 0x4C, kStart = 0x74,
                               kSize = 0x78, kNameLen = 0x40, kType = 0x42;
};

class CfbWriter {
 public:
  unsigned shift = 9;  // 9: version 3; 12: version 4
  CfbEntry root = CfbEntry::dir("Root Entry", {});

  CfbImage build() const {
    static constexpr std::uint32_t kEnd = 0xFFFFFFFE, kFree = 0xFFFFFFFF, kFatSect = 0xFFFFFFFD,
                                   kDifSect = 0xFFFFFFFC, kNone = 0xFFFFFFFF;
    const std::size_t ss = std::size_t{1} << shift;
    const std::size_t ids_per = ss / 4;

    // Flatten: entry 0 is the root; ids in depth-first order.
    std::vector<Flat> flat;
    flatten(root, "", flat);

    // Streams: mini (< 4096) or regular.
    std::string mini;
    std::vector<std::uint32_t> mini_fat;
    std::vector<std::size_t> big;  // flat indexes of regular streams
    for (std::size_t i = 1; i < flat.size(); ++i) {
      Flat& f = flat[i];
      if (f.entry->storage || f.entry->data.empty()) continue;
      if (f.entry->data.size() < 4096) {
        auto n = static_cast<std::uint32_t>((f.entry->data.size() + 63) / 64);
        f.start = static_cast<std::uint32_t>(mini.size() / 64);
        for (std::uint32_t k = 0; k < n; ++k) {
          mini_fat.push_back(k + 1 < n ? f.start + k + 1 : kEnd);
        }
        mini += f.entry->data;
        mini.resize(mini.size() + (64 - mini.size() % 64) % 64, '\0');
      } else {
        big.push_back(i);
      }
    }
    auto sectors_for = [&](std::size_t bytes) { return (bytes + ss - 1) / ss; };
    const std::size_t n_dir = sectors_for(flat.size() * 128);
    const std::size_t n_minifat = sectors_for(mini_fat.size() * 4);
    const std::size_t n_mini = sectors_for(mini.size());
    std::size_t n_rest = n_dir + n_minifat + n_mini;
    for (std::size_t i : big) n_rest += sectors_for(flat[i].entry->data.size());
    std::size_t n_fat = 1, n_difat = 0;
    for (;;) {
      n_difat = n_fat > 109 ? (n_fat - 109 + ids_per - 2) / (ids_per - 1) : 0;
      if (n_fat * ids_per >= n_fat + n_difat + n_rest) break;
      ++n_fat;
    }
    const std::size_t total = n_fat + n_difat + n_rest;

    CfbImage img;
    img.shift = shift;
    std::vector<std::uint32_t> fat(n_fat * ids_per, kFree);
    std::uint32_t next = 0;
    auto alloc = [&](std::size_t n, std::uint32_t mark) {
      std::uint32_t first = next;
      for (std::size_t k = 0; k < n; ++k) {
        fat[next] = mark != 0 ? mark : (k + 1 < n ? next + 1 : kEnd);
        ++next;
      }
      return n == 0 ? kEnd : first;
    };
    for (std::size_t k = 0; k < n_fat; ++k) img.fat_sectors.push_back(alloc(1, kFatSect));
    std::uint32_t difat_start = n_difat > 0 ? next : kEnd;
    alloc(n_difat, kDifSect);
    img.dir_start = alloc(n_dir, 0);
    img.minifat_start = alloc(n_minifat, 0);
    std::uint32_t mini_start = alloc(n_mini, 0);
    for (std::size_t i : big) {
      flat[i].start = alloc(sectors_for(flat[i].entry->data.size()), 0);
    }

    std::string& out = img.bytes;
    out.assign(std::max<std::size_t>(512, ss) + total * ss, '\0');
    // Header.
    const unsigned char sig[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(sig[i]);
    img.put16(0x18, 0x3E);
    img.put16(0x1A, shift == 12 ? 4 : 3);
    img.put16(0x1C, 0xFFFE);
    img.put16(0x1E, static_cast<std::uint16_t>(shift));
    img.put16(0x20, 6);
    img.put32(0x28, shift == 12 ? static_cast<std::uint32_t>(n_dir) : 0);
    img.put32(0x2C, static_cast<std::uint32_t>(n_fat));
    img.put32(0x30, img.dir_start);
    img.put32(0x38, 4096);
    img.put32(0x3C, n_minifat > 0 ? img.minifat_start : kEnd);
    img.put32(0x40, static_cast<std::uint32_t>(n_minifat));
    img.put32(0x44, difat_start);
    img.put32(0x48, static_cast<std::uint32_t>(n_difat));
    for (std::size_t k = 0; k < 109; ++k) {
      img.put32(0x4C + 4 * k, k < n_fat ? img.fat_sectors[k] : kFree);
    }
    // DIFAT sectors.
    for (std::size_t d = 0; d < n_difat; ++d) {
      std::size_t base = img.sector_offset(difat_start + static_cast<std::uint32_t>(d));
      for (std::size_t k = 0; k + 1 < ids_per; ++k) {
        std::size_t idx = 109 + d * (ids_per - 1) + k;
        img.put32(base + 4 * k, idx < n_fat ? img.fat_sectors[idx] : kFree);
      }
      img.put32(base + ss - 4,
                d + 1 < n_difat ? difat_start + static_cast<std::uint32_t>(d) + 1 : kEnd);
    }
    // FAT.
    for (std::size_t s = 0; s < fat.size(); ++s) {
      img.put32(img.sector_offset(img.fat_sectors[s / ids_per]) + (s % ids_per) * 4, fat[s]);
    }
    // Mini FAT (rest of its last sector stays free), mini stream, regular streams.
    for (std::size_t k = 0; k < n_minifat * ids_per; ++k) {
      img.put32(img.sector_offset(img.minifat_start) + 4 * k,
                k < mini_fat.size() ? mini_fat[k] : kFree);
    }
    if (n_mini > 0) out.replace(img.sector_offset(mini_start), mini.size(), mini);
    for (std::size_t i : big) {
      out.replace(img.sector_offset(flat[i].start), flat[i].entry->data.size(),
                  flat[i].entry->data);
    }
    // Directory: unused slots are type 0 with no links.
    for (std::size_t id = 0; id < n_dir * (ss / 128); ++id) {
      std::size_t e = img.dir_offset(static_cast<std::uint32_t>(id));
      img.put32(e + CfbImage::kLeft, kNone);
      img.put32(e + CfbImage::kRight, kNone);
      img.put32(e + CfbImage::kChild, kNone);
    }
    for (std::size_t id = 0; id < flat.size(); ++id) {
      const Flat& f = flat[id];
      std::size_t e = img.dir_offset(static_cast<std::uint32_t>(id));
      for (std::size_t k = 0; k < f.entry->name.size() && k < 31; ++k) {
        img.put16(e + 2 * k, static_cast<unsigned char>(f.entry->name[k]));
      }
      img.put16(
          e + CfbImage::kNameLen,
          static_cast<std::uint16_t>(2 * std::min<std::size_t>(f.entry->name.size(), 31) + 2));
      out[e + CfbImage::kType] = static_cast<char>(id == 0 ? 5 : (f.entry->storage ? 1 : 2));
      out[e + 0x43] = 1;  // black
      img.put32(e + CfbImage::kLeft, f.left);
      img.put32(e + CfbImage::kRight, f.right);
      img.put32(e + CfbImage::kChild, f.child);
      if (id == 0) {
        img.put32(e + CfbImage::kStart, mini_start);
        img.put32(e + CfbImage::kSize, static_cast<std::uint32_t>(mini.size()));
      } else if (!f.entry->storage) {
        img.put32(e + CfbImage::kStart, f.entry->data.empty() ? kEnd : f.start);
        img.put32(e + CfbImage::kSize, static_cast<std::uint32_t>(f.entry->data.size()));
        img.first[f.path] = f.start;
      }
      img.ids[f.path] = static_cast<std::uint32_t>(id);
    }
    return img;
  }

  static bool cfb_less(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return a.size() < b.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
      auto up = [](unsigned char c) { return c >= 'a' && c <= 'z' ? c - 32 : c; };
      if (up(a[i]) != up(b[i])) return up(a[i]) < up(b[i]);
    }
    return false;
  }

 private:
  struct Flat {
    const CfbEntry* entry = nullptr;
    std::string path;
    std::uint32_t left = 0xFFFFFFFF, right = 0xFFFFFFFF, child = 0xFFFFFFFF;
    std::uint32_t start = 0xFFFFFFFE;
  };

  // Adds `e` (already placed at flat[self]) and its subtree.
  static void flatten_children(std::size_t self, std::vector<Flat>& flat) {
    const CfbEntry* e = flat[self].entry;
    std::vector<const CfbEntry*> kids;
    for (const auto& c : e->children) kids.push_back(&c);
    std::stable_sort(kids.begin(), kids.end(), [](const CfbEntry* a, const CfbEntry* b) {
      return cfb_less(a->name, b->name);
    });
    std::vector<std::uint32_t> ids;
    for (const CfbEntry* k : kids) {
      ids.push_back(static_cast<std::uint32_t>(flat.size()));
      std::string prefix = flat[self].path.empty() ? "" : flat[self].path + "/";
      flat.push_back(Flat{k, prefix + k->name});
    }
    flat[self].child = balance(ids, 0, ids.size(), flat);
    for (std::uint32_t id : ids) flatten_children(id, flat);
  }
  static std::uint32_t balance(const std::vector<std::uint32_t>& ids, std::size_t lo,
                               std::size_t hi, std::vector<Flat>& flat) {
    if (lo >= hi) return 0xFFFFFFFF;
    std::size_t mid = lo + (hi - lo) / 2;
    flat[ids[mid]].left = balance(ids, lo, mid, flat);
    flat[ids[mid]].right = balance(ids, mid + 1, hi, flat);
    return ids[mid];
  }
  static void flatten(const CfbEntry& root, const std::string&, std::vector<Flat>& flat) {
    flat.push_back(Flat{&root, ""});
    flatten_children(0, flat);
  }
};

}  // namespace vakt::extract::testing
