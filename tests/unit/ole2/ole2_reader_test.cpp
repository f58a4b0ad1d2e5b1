// Ole2Reader on compound files built by the test (cfb_writer.h): the tree, mini and regular
// streams, version 4, the DIFAT chain, and one corruption at a time (FAT and mini FAT cycles,
// directory cycles, out-of-range ids, chains past the end, huge sizes, bad names, bad headers),
// each with the exact result the reader must give.
#include <gtest/gtest.h>

#include <random>

#include "cfb_writer.h"
#include "extract/ole2_reader.h"

namespace vakt::extract {
namespace {

using testing::CfbEntry;
using testing::CfbImage;
using testing::CfbWriter;

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

// A document shaped like a Word file with an embedded object: regular and mini streams, storages
// two deep, names with control characters.
CfbWriter word_like(unsigned shift = 9) {
  CfbWriter w;
  w.shift = shift;
  w.root.children = {
      CfbEntry::stream("WordDocument", pattern(5000, 1)),
      CfbEntry::stream("1Table", pattern(100, 2)),
      CfbEntry::stream("\x05SummaryInformation", pattern(4095, 3)),
      CfbEntry::stream("Data", pattern(4096, 4)),
      CfbEntry::stream("Empty", ""),
      CfbEntry::dir("ObjectPool",
                    {CfbEntry::dir("_1234", {CfbEntry::stream("\x01Ole10Native", pattern(300, 5)),
                                             CfbEntry::stream("\x03ObjInfo", pattern(6, 6))})}),
  };
  return w;
}

std::vector<std::string> names(const Ole2Node& n) {
  std::vector<std::string> out;
  for (const auto& c : n.children) out.push_back(c.name);
  return out;
}

void expect_word_like_tree(const Ole2Reader& r) {
  const Ole2Node& root = r.root();
  EXPECT_TRUE(root.storage);
  // [MS-CFB] order: shorter names first, then case-insensitively.
  EXPECT_EQ(names(root), (std::vector<std::string>{"Data", "Empty", "1Table", "ObjectPool",
                                                   "WordDocument", "\x05SummaryInformation"}));
  const Ole2Node* pool = root.find_storage("objectpool");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ(pool->size, 0u);
  const Ole2Node* obj = pool->find_storage("_1234");
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(names(*obj), (std::vector<std::string>{"\x03ObjInfo", "\x01Ole10Native"}));
  EXPECT_EQ(root.find_stream("ObjectPool"), nullptr);
  EXPECT_EQ(root.find_storage("WordDocument"), nullptr);
  EXPECT_FALSE(r.tree_truncated());
}

TEST(Ole2Reader, ReadsTheTreeAndEveryStream) {
  CfbImage img = word_like().build();
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  expect_word_like_tree(*r);
  const Ole2Node& root = r->root();
  struct Case {
    const Ole2Node* node;
    std::string data;
  } cases[] = {
      {root.find("WORDDOCUMENT"), pattern(5000, 1)},
      {root.find("1table"), pattern(100, 2)},
      {root.find("\x05SummaryInformation"), pattern(4095, 3)},  // largest mini stream
      {root.find("data"), pattern(4096, 4)},                    // smallest regular stream
      {root.find("Empty"), ""},
      {root.find("ObjectPool")->find("_1234")->find("\x01Ole10Native"), pattern(300, 5)},
      {root.find("ObjectPool")->find("_1234")->find("\x03ObjInfo"), pattern(6, 6)},
  };
  for (const auto& c : cases) {
    ASSERT_NE(c.node, nullptr);
    EXPECT_EQ(c.node->size, c.data.size()) << c.node->name;
    bool cut = true;
    EXPECT_EQ(r->read(*c.node, 1 << 20, &cut), c.data) << c.node->name;
    EXPECT_FALSE(cut) << c.node->name;
  }
}

TEST(Ole2Reader, ReadStopsAtTheCallersCap) {
  CfbImage img = word_like().build();
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  bool cut = false;
  EXPECT_EQ(r->read(*r->root().find("WordDocument"), 1000, &cut), pattern(5000, 1).substr(0, 1000));
  EXPECT_TRUE(cut);
  EXPECT_EQ(r->read(*r->root().find("1Table"), 65, &cut), pattern(100, 2).substr(0, 65));
  EXPECT_TRUE(cut);
  EXPECT_EQ(r->read(*r->root().find("1Table"), 100, &cut), pattern(100, 2));
  EXPECT_FALSE(cut);
  // A storage has no bytes.
  EXPECT_EQ(r->read(*r->root().find("ObjectPool"), 100, &cut), "");
  EXPECT_FALSE(cut);
}

TEST(Ole2Reader, Version4With4096ByteSectors) {
  CfbImage img = word_like(12).build();
  ASSERT_EQ(img.bytes.size() % 4096, 0u);
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  expect_word_like_tree(*r);
  EXPECT_EQ(r->read(*r->root().find("WordDocument"), 1 << 20), pattern(5000, 1));
  EXPECT_EQ(r->read(*r->root().find("1Table"), 1 << 20), pattern(100, 2));
  EXPECT_EQ(r->read(*r->root().find("Data"), 1 << 20), pattern(4096, 4));
}

TEST(Ole2Reader, StreamSizeHighHalfCountsOnlyInVersion4) {
  // Version 3: the high 32 bits are garbage to ignore.
  CfbImage v3 = word_like().build();
  v3.put32(v3.entry_offset("WordDocument") + CfbImage::kSize + 4, 0xDEADBEEF);
  auto r3 = Ole2Reader::open(v3.bytes);
  ASSERT_NE(r3, nullptr);
  EXPECT_EQ(r3->root().find("WordDocument")->size, 5000u);
  EXPECT_EQ(r3->read(*r3->root().find("WordDocument"), 1 << 20), pattern(5000, 1));
  // Version 4: they are part of the size, which the chain then cannot satisfy: a short read.
  CfbImage v4 = word_like(12).build();
  v4.put32(v4.entry_offset("WordDocument") + CfbImage::kSize + 4, 1);
  auto r4 = Ole2Reader::open(v4.bytes);
  ASSERT_NE(r4, nullptr);
  EXPECT_EQ(r4->root().find("WordDocument")->size, (std::uint64_t{1} << 32) + 5000);
  bool cut = false;
  std::string s = r4->read(*r4->root().find("WordDocument"), std::uint64_t{1} << 40, &cut);
  EXPECT_TRUE(cut);
  EXPECT_EQ(s.size(), 8192u);  // both sectors of the chain, padding included
  EXPECT_EQ(s.substr(0, 5000), pattern(5000, 1));
}

TEST(Ole2Reader, DifatChainBeyondTheHeader) {
  // 7.5 MB in one stream needs more than the header's 109 FAT sectors.
  CfbWriter w;
  std::string big = pattern(7'500'000, 7);
  w.root.children = {CfbEntry::stream("Big", big), CfbEntry::stream("Small", pattern(10, 8))};
  CfbImage img = w.build();
  ASSERT_GT(img.fat_sectors.size(), 109u);
  ASSERT_NE(img.get32(0x44), 0xFFFFFFFEu);
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  bool cut = true;
  EXPECT_EQ(r->read(*r->root().find("Big"), 1 << 24, &cut), big);
  EXPECT_FALSE(cut);
  EXPECT_EQ(r->read(*r->root().find("Small"), 1 << 24), pattern(10, 8));

  // The DIFAT sector pointing at itself, with the header claiming more FAT sectors than exist:
  // the walk stops at the repeat and the file still reads.
  std::size_t difat = img.sector_offset(img.get32(0x44));
  img.put32(difat + img.sector_size() - 4, img.get32(0x44));
  img.put32(0x2C, 0x7FFFFFFF);
  auto again = Ole2Reader::open(img.bytes);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->read(*again->root().find("Big"), 1 << 24), big);
}

TEST(Ole2Reader, FatCycleGivesAShortRead) {
  CfbImage img = word_like().build();
  std::uint32_t s0 = img.first_sector("WordDocument");
  img.put32(img.fat_offset(s0 + 1), s0);  // second sector links back to the first
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  bool cut = false;
  EXPECT_EQ(r->read(*r->root().find("WordDocument"), 1 << 20, &cut),
            pattern(5000, 1).substr(0, 1024));
  EXPECT_TRUE(cut);
  // A sector linking to itself.
  img.put32(img.fat_offset(s0), s0);
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->read(*r->root().find("WordDocument"), 1 << 20, &cut),
            pattern(5000, 1).substr(0, 512));
  EXPECT_TRUE(cut);
}

TEST(Ole2Reader, MiniFatCycleGivesAShortRead) {
  CfbImage img = word_like().build();
  std::uint32_t m0 = img.first_sector("1Table");
  img.put32(img.minifat_offset(m0), m0);
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  bool cut = false;
  EXPECT_EQ(r->read(*r->root().find("1Table"), 1 << 20, &cut), pattern(100, 2).substr(0, 64));
  EXPECT_TRUE(cut);
  // The other streams are untouched.
  EXPECT_EQ(r->read(*r->root().find("\x05SummaryInformation"), 1 << 20, &cut), pattern(4095, 3));
  EXPECT_FALSE(cut);
}

TEST(Ole2Reader, ChainPastTheEndOfTheFile) {
  CfbImage img = word_like().build();
  std::uint32_t s0 = img.first_sector("WordDocument");
  img.put32(img.fat_offset(s0 + 2), 5000);  // third link points far past the end
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  bool cut = false;
  EXPECT_EQ(r->read(*r->root().find("WordDocument"), 1 << 20, &cut),
            pattern(5000, 1).substr(0, 1536));
  EXPECT_TRUE(cut);
  // A start sector past the end, and a special id (FATSECT) as start.
  img.put32(img.entry_offset("Data") + CfbImage::kStart, 0x00FFFFFF);
  img.put32(img.entry_offset("\x05SummaryInformation") + CfbImage::kStart, 0xFFFFFFFD);
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->read(*r->root().find("Data"), 1 << 20, &cut), "");
  EXPECT_TRUE(cut);
  EXPECT_EQ(r->read(*r->root().find("\x05SummaryInformation"), 1 << 20, &cut), "");
  EXPECT_TRUE(cut);
}

TEST(Ole2Reader, TruncatedFileReadsWhatIsThere) {
  CfbWriter w;
  w.root.children = {CfbEntry::stream("Tail", pattern(5000, 9))};
  CfbImage img = w.build();
  // The stream is the last thing in the file; cut it 700 bytes into its last sector.
  std::size_t start = img.sector_offset(img.first_sector("Tail"));
  std::string cut_file = img.bytes.substr(0, start + 4608 + 300);
  auto r = Ole2Reader::open(cut_file);
  ASSERT_NE(r, nullptr);
  bool cut = false;
  EXPECT_EQ(r->read(*r->root().find("Tail"), 1 << 20, &cut), pattern(5000, 9).substr(0, 4908));
  EXPECT_TRUE(cut);
}

TEST(Ole2Reader, HugeClaimedSizeAllocatesNoMoreThanTheFile) {
  CfbImage img = word_like().build();
  img.put32(img.entry_offset("WordDocument") + CfbImage::kSize, 0xFFFFFFF0);
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  const Ole2Node* n = r->root().find("WordDocument");
  EXPECT_EQ(n->size, 0xFFFFFFF0u);
  bool cut = false;
  std::string s = r->read(*n, std::uint64_t{1} << 40, &cut);
  EXPECT_TRUE(cut);
  EXPECT_EQ(s.size(), 10u * 512);  // the ten sectors of the chain
  EXPECT_EQ(s.substr(0, 5000), pattern(5000, 1));
  EXPECT_LE(s.capacity(), img.bytes.size());
  // A stream the directory says is mini-sized but whose mini stream is gone.
  img.put32(img.dir_offset(0) + CfbImage::kSize, 0);
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->read(*r->root().find("1Table"), 1 << 20, &cut), "");
  EXPECT_TRUE(cut);
}

TEST(Ole2Reader, DirectoryCyclesAndBadIdsAreSkipped) {
  CfbImage img = word_like().build();
  std::uint32_t pool = img.ids.at("ObjectPool");
  std::uint32_t obj = img.ids.at("ObjectPool/_1234");
  std::uint32_t info = img.ids.at("ObjectPool/_1234/\x03ObjInfo");
  // Only links that were empty are bent, so the true tree stays reachable: the storage's own
  // child subtree links back to the storage, to the root and to itself.
  ASSERT_EQ(img.get32(img.dir_offset(info) + CfbImage::kLeft), 0xFFFFFFFFu);
  ASSERT_EQ(img.get32(img.dir_offset(obj) + CfbImage::kLeft), 0xFFFFFFFFu);
  ASSERT_EQ(img.get32(img.entry_offset("Data") + CfbImage::kLeft), 0xFFFFFFFFu);
  img.put32(img.dir_offset(info) + CfbImage::kLeft, pool);
  img.put32(img.dir_offset(info) + CfbImage::kRight, info);
  img.put32(img.dir_offset(obj) + CfbImage::kLeft, 0);
  // Out-of-range ids, on a storage and on a sibling link.
  img.put32(img.dir_offset(obj) + CfbImage::kRight, 0x7FFFFFFF);
  img.put32(img.entry_offset("Data") + CfbImage::kLeft, 100000);
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  expect_word_like_tree(*r);
  // A storage whose child is itself: an empty storage, no recursion.
  img.put32(img.dir_offset(obj) + CfbImage::kChild, obj);
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  const Ole2Node* o = r->root().find("ObjectPool")->find("_1234");
  ASSERT_NE(o, nullptr);
  EXPECT_TRUE(o->storage);
  EXPECT_TRUE(o->children.empty());
}

TEST(Ole2Reader, UnusedEntriesInTheTreeAreSkipped) {
  CfbImage img = word_like().build();
  std::uint32_t pool = img.ids.at("ObjectPool");
  img.bytes[img.dir_offset(pool) + CfbImage::kType] = 0;  // unallocated: its links mean nothing
  img.bytes[img.entry_offset("1Table") + CfbImage::kType] = 7;  // no such type
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  // ObjectPool is the root of the sibling tree: its siblings are still found, its child is not.
  EXPECT_EQ(names(r->root()),
            (std::vector<std::string>{"Data", "Empty", "WordDocument", "\x05SummaryInformation"}));
  EXPECT_EQ(r->read(*r->root().find("Data"), 1 << 20), pattern(4096, 4));
}

TEST(Ole2Reader, NamesAreDecodedDefensively) {
  CfbImage img = word_like().build();
  std::size_t e = img.entry_offset("Empty");
  img.put16(e + CfbImage::kNameLen, 0);  // no name
  std::size_t d = img.entry_offset("Data");
  img.put16(d + CfbImage::kNameLen, 200);  // longer than the field
  std::size_t t = img.entry_offset("1Table");
  img.put16(t + 0, 0xD800);  // lone high surrogate, then "Table"
  std::size_t w = img.entry_offset("WordDocument");
  const char ascii[] = "Wörd";  // an 8-bit (UTF-8) name, NUL-terminated
  for (std::size_t k = 0; k < sizeof ascii; ++k) img.bytes[w + k] = ascii[k];
  img.put16(w + CfbImage::kNameLen, sizeof ascii);
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  std::vector<std::string> got = names(r->root());
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = {"",           "",     "\xEF\xBF\xBDTable",
                                   "ObjectPool", "Wörd", "\x05SummaryInformation"};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(r->read(*r->root().find("Wörd"), 1 << 20), pattern(5000, 1));
  // A name without a terminator inside the 64-byte field still ends at the field's end.
  for (std::size_t k = 0; k < 32; ++k) img.put16(e + 2 * k, 'A');
  img.put16(e + CfbImage::kNameLen, 64);
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->root().find(std::string(32, 'A')), nullptr);
}

TEST(Ole2Reader, EntryAndDepthLimitsAreReported) {
  CfbWriter wide;
  for (std::size_t i = 0; i <= Ole2Reader::kMaxEntries; ++i) {
    wide.root.children.push_back(CfbEntry::stream("s" + std::to_string(100000 + i), ""));
  }
  CfbImage img = wide.build();
  auto r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->tree_truncated());
  EXPECT_EQ(r->root().children.size(), Ole2Reader::kMaxEntries);

  CfbWriter deep;
  CfbEntry inner = CfbEntry::stream("leaf", "x");
  for (int d = 0; d < Ole2Reader::kMaxDepth + 1; ++d) inner = CfbEntry::dir("d", {inner});
  deep.root.children = {inner};
  img = deep.build();
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_TRUE(r->tree_truncated());
  int depth = 0;
  for (const Ole2Node* n = &r->root(); !n->children.empty(); n = &n->children[0]) ++depth;
  EXPECT_EQ(depth, Ole2Reader::kMaxDepth);

  CfbWriter fits;
  inner = CfbEntry::stream("leaf", "x");
  for (int d = 0; d < Ole2Reader::kMaxDepth - 1; ++d) inner = CfbEntry::dir("d", {inner});
  fits.root.children = {inner};
  img = fits.build();
  r = Ole2Reader::open(img.bytes);
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->tree_truncated());
}

TEST(Ole2Reader, BadHeadersAreRejected) {
  const std::string good = word_like().build().bytes;
  ASSERT_NE(Ole2Reader::open(good), nullptr);
  auto with16 = [&](std::size_t off, std::uint16_t v) {
    std::string b = good;
    b[off] = static_cast<char>(v & 0xFF);
    b[off + 1] = static_cast<char>(v >> 8);
    return b;
  };
  EXPECT_EQ(Ole2Reader::open(with16(0, 0xCFD1)), nullptr);     // signature
  EXPECT_EQ(Ole2Reader::open(with16(0x1C, 0xFEFF)), nullptr);  // byte order
  EXPECT_EQ(Ole2Reader::open(with16(0x1E, 10)), nullptr);      // sector shift
  EXPECT_EQ(Ole2Reader::open(with16(0x1E, 31)), nullptr);
  EXPECT_EQ(Ole2Reader::open(with16(0x20, 7)), nullptr);  // mini sector shift
  EXPECT_EQ(Ole2Reader::open(good.substr(0, 511)), nullptr);
  EXPECT_EQ(Ole2Reader::open(good.substr(0, 512)), nullptr);  // header only: no directory
  EXPECT_EQ(Ole2Reader::open(""), nullptr);
  EXPECT_EQ(Ole2Reader::open(std::string(4096, 'x')), nullptr);
  // The directory chain starting nowhere, and the root entry unallocated.
  CfbImage img = word_like().build();
  img.put32(0x30, 0xFFFFFFFE);
  EXPECT_EQ(Ole2Reader::open(img.bytes), nullptr);
  img = word_like().build();
  img.bytes[img.dir_offset(0) + CfbImage::kType] = 0;
  EXPECT_EQ(Ole2Reader::open(img.bytes), nullptr);
  // A version 4 header on a file too short for one 4096-byte sector.
  EXPECT_EQ(Ole2Reader::open(word_like(12).build().bytes.substr(0, 4096)), nullptr);
}

TEST(Ole2Reader, RandomCorruptionNeverReadsMoreThanTheFile) {
  const std::string good = word_like().build().bytes;
  std::mt19937 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    std::string b = good;
    int flips = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < flips; ++k) {
      // Aim most flips at the header, FAT and directory, where the structure lives.
      std::size_t at =
          rng() % 4 == 0 ? rng() % b.size() : rng() % std::min<std::size_t>(2048, b.size());
      b[at] = static_cast<char>(rng());
    }
    if (rng() % 5 == 0) b.resize(rng() % b.size());
    auto r = Ole2Reader::open(b);
    if (!r) continue;
    std::vector<const Ole2Node*> todo{&r->root()};
    std::size_t total = 0;
    while (!todo.empty()) {
      const Ole2Node* n = todo.back();
      todo.pop_back();
      for (const auto& c : n->children) todo.push_back(&c);
      if (n->storage) continue;
      std::string s = r->read(*n, std::uint64_t{1} << 40);
      ASSERT_LE(s.size(), b.size());
      total += s.size();
    }
    (void)total;
  }
}

}  // namespace
}  // namespace vakt::extract
