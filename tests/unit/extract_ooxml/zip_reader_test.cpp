// ZipReader: listing, streaming in chunks, byte cap, ratio check, encrypted and corrupt input.
#include "extract/zip_reader.h"

#include <gtest/gtest.h>

#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::ZipBuilder;

TEST(ZipReader, ListsMembersWithSizes) {
  const std::string zip =
      ZipBuilder().add("a.txt", "hello").add("dir/b.xml", std::string(1000, 'x')).build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->entries().size(), 2u);
  const ZipEntry* b = r->find("dir/b.xml");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->size, 1000u);
  EXPECT_LT(b->compressed_size, 1000u);
  EXPECT_FALSE(b->encrypted);
  EXPECT_EQ(r->find("missing"), nullptr);
}

TEST(ZipReader, StreamsLargeMemberInBoundedChunks) {
  std::string big;
  for (int i = 0; i < 50000; ++i) big += "rad " + std::to_string(i) + "\n";
  const std::string zip = ZipBuilder().add("big.txt", big).build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  std::string got;
  int chunks = 0;
  auto st = r->read(*r->find("big.txt"), {}, [&](std::string_view c) {
    EXPECT_LE(c.size(), ZipReader::kChunkBytes);
    got.append(c);
    ++chunks;
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(got, big);
  EXPECT_GT(chunks, 1);
  EXPECT_FALSE(st->truncated);
}

TEST(ZipReader, ByteCapTruncates) {
  const std::string zip = ZipBuilder().add("a.txt", std::string(100000, 'a')).build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  auto st = r->read(*r->find("a.txt"), {.max_bytes = 1000, .max_ratio = 0},
                    [](std::string_view) { return true; });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->bytes, 1000u);
  EXPECT_TRUE(st->truncated);
}

TEST(ZipReader, RatioRefusedBeforeInflating) {
  const std::string zip = ZipBuilder().add("bomb.txt", std::string(10 << 20, '\0')).build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  bool called = false;
  auto st = r->read(*r->find("bomb.txt"), {.max_bytes = UINT64_MAX, .max_ratio = 100},
                    [&](std::string_view) { return called = true; });
  ASSERT_FALSE(st.ok());
  EXPECT_FALSE(called);
  EXPECT_NE(st.error().message.find("limit: max_compression_ratio"), std::string::npos);
}

TEST(ZipReader, EncryptedMemberIsAnError) {
  const std::string zip =
      ZipBuilder().add("open.txt", "ok").add("secret.txt", "hemligt", false, "lösen").build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->any_encrypted());
  const ZipEntry* e = r->find("secret.txt");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->encrypted);
  auto st = r->read_all(*e, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("encrypted member", 0), 0u);
  auto ok = r->read_all(*r->find("open.txt"), {});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "ok");
}

TEST(ZipReader, CorruptInputIsAnError) {
  EXPECT_FALSE(ZipReader::open("").ok());
  EXPECT_FALSE(ZipReader::open("PK\x03\x04 not really a zip").ok());
  std::string zip = ZipBuilder().add("a.txt", std::string(5000, 'q')).build();
  zip.resize(zip.size() / 2);  // central directory gone
  auto r = ZipReader::open(zip);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("corrupt zip", 0), 0u);
}

TEST(ZipReader, CorruptMemberDataIsAnError) {
  std::string data;
  for (int i = 0; i < 4000; ++i) data += std::to_string(i * 7919) + ",";
  std::string zip = ZipBuilder().add("a.txt", data).build();
  // Damage the deflate stream in the middle of the local file data; the directory stays intact.
  for (std::size_t i = 60; i < 200; ++i) zip[i] = static_cast<char>(zip[i] ^ 0x5a);
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto st = r->read_all(*r->find("a.txt"), {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("corrupt member", 0), 0u) << st.error().message;
}

TEST(ZipReader, SalvagesATruncatedArchiveFromLocalHeaders) {
  std::string second;
  for (int i = 0; i < 3000; ++i) second += "rad " + std::to_string(i * 7919 % 10007) + "\n";
  std::string zip = ZipBuilder()
                        .add("first.txt", "FÖRSTA-MEDLEMMEN")
                        .add("stored.txt", "LAGRAD", true)
                        .add("second.txt", second)
                        .build();
  // Cut inside the last member's data: the central directory and the tail are gone.
  const auto third = zip.find("second.txt");
  ASSERT_NE(third, std::string::npos);
  zip.resize(third + 10 + 200);
  EXPECT_FALSE(ZipReader::open(zip).ok());
  auto r = ZipReader::open_or_salvage(zip);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->salvaged());
  ASSERT_EQ(r->entries().size(), 3u);
  auto first = r->read_all(*r->find("first.txt"), {});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(*first, "FÖRSTA-MEDLEMMEN");
  auto stored = r->read_all(*r->find("stored.txt"), {});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, "LAGRAD");
  std::string got;
  auto cut = r->read(*r->find("second.txt"), {}, [&](std::string_view c) {
    got.append(c);
    return true;
  });
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().message, "corrupt member: second.txt (truncated)");
  EXPECT_EQ(second.compare(0, got.size(), got), 0);  // what was there came out intact
}

TEST(ZipReader, SalvageNeedsALocalHeader) {
  auto r = ZipReader::open_or_salvage("not a zip at all, just text");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("corrupt zip", 0), 0u);
}

}  // namespace
}  // namespace vakt::extract
