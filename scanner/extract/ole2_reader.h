// Ole2Reader: a read-only tree of an OLE2 compound file (libgsf's MS-OLE reader underneath).
//
//   auto file = Ole2Reader::open(bytes);
//   if (!file) { ...corrupt... }
//   const Ole2Node* s = file->root().find("WordDocument");   // case-insensitive
//   std::string data = file->read(*s, 64 << 20);
//
// The tree is built once (at most kMaxEntries entries, kMaxDepth levels); streams are read on
// demand, each capped at a caller-given size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vakt::extract {

struct Ole2Node {
  std::string name;
  bool storage = false;
  std::uint64_t size = 0;  // stream size in bytes
  std::vector<Ole2Node> children;
  void* input = nullptr;  // GsfInput*, owned by the reader

  // Direct child by name, ASCII case-insensitive; nullptr if absent.
  const Ole2Node* find(std::string_view child_name) const;
  const Ole2Node* find_stream(std::string_view child_name) const;
  const Ole2Node* find_storage(std::string_view child_name) const;
};

class Ole2Reader {
 public:
  static constexpr int kMaxDepth = 12;
  static constexpr std::size_t kMaxEntries = 20000;

  // nullptr when the bytes are not a readable compound file.
  static std::unique_ptr<Ole2Reader> open(std::string_view bytes);
  ~Ole2Reader();
  Ole2Reader(const Ole2Reader&) = delete;
  Ole2Reader& operator=(const Ole2Reader&) = delete;

  const Ole2Node& root() const { return root_; }
  // The stream's bytes, at most max_bytes; *truncated (if given) says whether it was cut.
  std::string read(const Ole2Node& stream, std::uint64_t max_bytes,
                   bool* truncated = nullptr) const;
  // True when the tree was cut short by kMaxEntries / kMaxDepth.
  bool tree_truncated() const { return tree_truncated_; }

 private:
  Ole2Reader() = default;
  void build(Ole2Node& node, void* infile, int depth);
  void release(Ole2Node& node);

  void* source_ = nullptr;  // GsfInput* over the bytes
  void* infile_ = nullptr;  // GsfInfile*
  Ole2Node root_;
  std::size_t entries_ = 0;
  bool tree_truncated_ = false;
};

bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace vakt::extract
