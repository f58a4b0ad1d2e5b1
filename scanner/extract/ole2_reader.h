// Ole2Reader: a read-only tree of an OLE2 compound file ([MS-CFB]), read straight from the bytes.
//
//   auto file = Ole2Reader::open(bytes);                     // bytes must outlive `file`
//   if (!file) { ...corrupt... }
//   const Ole2Node* s = file->root().find("WordDocument");   // case-insensitive
//   std::string data = file->read(*s, 64 << 20);
//
// The tree is built once (at most kMaxEntries entries, kMaxDepth levels); streams are read on
// demand, each capped at a caller-given size. Corrupt input gives nullptr or a short read (with
// *truncated set), never a crash or hang: every sector chain is walked with a visited set and
// bounded by what the stream size needs, every sector index is checked against the file, and no
// allocation grows beyond the file size (or the caller's cap).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vakt::extract {

struct Ole2Node {
  std::string name;  // UTF-8
  bool storage = false;
  std::uint64_t size = 0;  // stream size in bytes as the directory claims it (0 for storages)
  std::vector<Ole2Node> children;
  std::uint32_t start_sector = 0;  // first sector of the stream's chain (the reader's business)

  // Direct child by name, ASCII case-insensitive; nullptr if absent.
  const Ole2Node* find(std::string_view child_name) const;
  const Ole2Node* find_stream(std::string_view child_name) const;
  const Ole2Node* find_storage(std::string_view child_name) const;
};

class Ole2Reader {
 public:
  static constexpr int kMaxDepth = 12;
  static constexpr std::size_t kMaxEntries = 20000;

  // nullptr when the bytes are not a readable compound file. The reader keeps a view of `bytes`.
  static std::unique_ptr<Ole2Reader> open(std::string_view bytes);
  ~Ole2Reader();
  Ole2Reader(const Ole2Reader&) = delete;
  Ole2Reader& operator=(const Ole2Reader&) = delete;

  const Ole2Node& root() const { return root_; }
  // The stream's bytes, at most max_bytes; *truncated (if given) says whether it was cut (by
  // max_bytes, or because the file holds fewer bytes than the directory claims).
  std::string read(const Ole2Node& stream, std::uint64_t max_bytes,
                   bool* truncated = nullptr) const;
  // True when the tree was cut short by kMaxEntries / kMaxDepth.
  bool tree_truncated() const { return tree_truncated_; }

 private:
  struct DirEntry;
  Ole2Reader() = default;
  bool load(std::string_view bytes);
  bool dir_entry(std::uint32_t id, DirEntry& out) const;
  void build(Ole2Node& node, std::uint32_t child_id, int depth, std::vector<bool>& seen);
  // Sector ids of the chain from `start` in `table`, at most max_len of them. Stops early at the
  // end-of-chain mark, at any id outside the table (free, special, past the file) or at a cycle.
  static std::vector<std::uint32_t> chain(const std::vector<std::uint32_t>& table,
                                          std::uint32_t start, std::uint64_t max_len);
  // Bytes [offset, offset + len) of regular sector `sector`, clipped at the end of the file.
  std::string_view sector_bytes(std::uint32_t sector, std::size_t offset, std::size_t len) const;

  std::string_view bytes_;
  unsigned sector_shift_ = 9;
  bool wide_sizes_ = false;             // version 4: stream sizes use all 64 bits
  std::vector<std::uint32_t> fat_;      // next-sector table, one entry per sector in the file
  std::vector<std::uint32_t> minifat_;  // next-mini-sector table, one per mini sector
  std::vector<std::uint32_t> dir_;      // sectors of the directory stream
  std::vector<std::uint32_t> mini_;     // sectors of the mini stream
  std::uint64_t mini_size_ = 0;         // usable bytes of the mini stream
  Ole2Node root_;
  std::size_t entries_ = 0;
  bool tree_truncated_ = false;
};

bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace vakt::extract
