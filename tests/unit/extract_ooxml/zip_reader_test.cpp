// ZipReader: listing, streaming in chunks, byte cap, ratio check, encrypted and corrupt input.
#include "extract/zip_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ooxml_test_support.h"

namespace vakt::extract {
namespace {

using testing::ZipBuilder;

// A zip written byte by byte: a stored member "open.txt" and a WinZip AES-256 member (method 99,
// flag bit 0, the 0x9901 "AE" extra field) whose data is only the right length, never real
// ciphertext. libzip needs no crypto backend to see the AES member, and so neither does the reader.
std::string zip_with_aes_member(const std::string& open_text) {
  std::string out;
  auto u16 = [&out](unsigned v) {
    out += static_cast<char>(v & 0xFF);
    out += static_cast<char>((v >> 8) & 0xFF);
  };
  auto u32 = [&u16](std::uint32_t v) {
    u16(v & 0xFFFF);
    u16(v >> 16);
  };
  auto crc32 = [](const std::string& data) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : data) {
      crc ^= c;
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
  };
  struct Member {
    std::string name, data;
    bool aes;
    std::uint32_t size, crc, offset;
  };
  const std::string aes_extra = std::string(
      "\x01\x99\x07\x00\x02\x00"
      "AE"
      "\x03\x08\x00",
      11);
  std::vector<Member> members = {
      {"open.txt", open_text, false, static_cast<std::uint32_t>(open_text.size()), crc32(open_text),
       0},
      // salt (16) + password check (2) + 7 "encrypted" bytes + authentication code (10)
      {"secret.txt", std::string(35, '\x5A'), true, 7, 0, 0}};
  auto header = [&](const Member& m, bool central) {
    u32(central ? 0x02014b50u : 0x04034b50u);
    if (central) u16(63);  // made by: 6.3
    u16(m.aes ? 51 : 10);  // version needed
    u16(m.aes ? 1 : 0);    // flags: bit 0 = encrypted
    u16(m.aes ? 99 : 0);   // method: 99 = WinZip AES, 0 = stored
    u32(0);                // time, date
    u32(m.crc);            // AE-2 stores no CRC
    u32(static_cast<std::uint32_t>(m.data.size()));
    u32(m.size);
    u16(static_cast<unsigned>(m.name.size()));
    u16(m.aes ? 11 : 0);
    if (central) {
      u16(0);  // comment
      u16(0);  // disk
      u16(0);  // internal attributes
      u32(0);  // external attributes
      u32(m.offset);
    }
    out += m.name;
    if (m.aes) out += aes_extra;
  };
  for (Member& m : members) {
    m.offset = static_cast<std::uint32_t>(out.size());
    header(m, false);
    out += m.data;
  }
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  for (const Member& m : members) header(m, true);
  const auto cd_size = static_cast<std::uint32_t>(out.size()) - cd_offset;
  u32(0x06054b50u);
  u32(0);  // disk numbers
  u16(static_cast<unsigned>(members.size()));
  u16(static_cast<unsigned>(members.size()));
  u32(cd_size);
  u32(cd_offset);
  u16(0);
  return out;
}

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

TEST(ZipReader, AesMemberIsAnErrorWithoutACryptoBackend) {
  const std::string zip = zip_with_aes_member("ok");  // the reader keeps a view of it
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->any_encrypted());
  const ZipEntry* e = r->find("secret.txt");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->encrypted);
  auto st = r->read_all(*e, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("encrypted member", 0), 0u);
  auto ok = r->read_all(*r->find("open.txt"), {});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
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

// Overwrites a 32-bit field of the central directory record of the first member (offset 16: CRC,
// 24: uncompressed size), as a damaged or lying archive would carry it.
void patch_central_u32(std::string& zip, std::size_t field, std::uint32_t value) {
  const auto at = zip.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(at, std::string::npos);
  for (int i = 0; i < 4; ++i) zip[at + field + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::string numbered_lines(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) text += "rad " + std::to_string(i * 7919LL) + "\n";
  return text;
}

Expected<std::string> read_in_chunks(const ZipReader& r, const ZipEntry& e,
                                     const ZipReadOptions& o = {}) {
  std::string got;
  auto st = r.read(e, o, [&](std::string_view c) {
    EXPECT_LE(c.size(), ZipReader::kChunkBytes);
    got.append(c);
    return true;
  });
  if (!st) return st.error();
  return got;
}

TEST(ZipReader, MembersAboveTheWholeInflateSizeStream) {
  const std::string block = numbered_lines(6000);
  std::string big;
  big.reserve(ZipReader::kWholeMemberBytes + 2 * block.size());
  for (int i = 0; big.size() <= ZipReader::kWholeMemberBytes; ++i) {
    big += block;
    big += std::to_string(i);  // no two blocks alike
  }
  const std::string zip = ZipBuilder().add("big.txt", big).add("small.txt", "liten").build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  auto got = read_in_chunks(*r, *r->find("big.txt"));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(*got == big);
  auto small = read_in_chunks(*r, *r->find("small.txt"));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(*small, "liten");
}

TEST(ZipReader, ADeclaredSizeTooSmallStillYieldsTheWholeMember) {
  const std::string text = numbered_lines(20000);
  std::string zip = ZipBuilder().add("a.txt", text).build();
  patch_central_u32(zip, 24, 1000);  // the directory claims 1000 bytes
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->find("a.txt")->size, 1000u);
  auto got = read_in_chunks(*r, *r->find("a.txt"));
  // The one-call inflate runs out of room and hands over to the streaming path: every byte,
  // never a silent cut at the declared size.
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_TRUE(*got == text);
  // And the caller's byte cap still holds.
  std::uint64_t seen = 0;
  auto capped = r->read(*r->find("a.txt"), {.max_bytes = 5000, .max_ratio = 0},
                        [&](std::string_view c) { return seen += c.size(), true; });
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(seen, 5000u);
  EXPECT_TRUE(capped->truncated);
}

TEST(ZipReader, AWrongCrcIsACorruptMember) {
  std::string zip = ZipBuilder().add("a.txt", numbered_lines(3000)).build();
  patch_central_u32(zip, 16, 0x12345678u);
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  bool delivered = false;
  auto st = r->read(*r->find("a.txt"), {}, [&](std::string_view) { return delivered = true; });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.rfind("corrupt member: a.txt", 0), 0u) << st.error().message;
  EXPECT_FALSE(delivered)
      << "a member inflated in one call is checked before any byte is handed on";
}

TEST(ZipReader, ACallbackMayReadAnotherMemberOfTheSameArchive) {
  const std::string outer = numbered_lines(30000);  // several chunks
  const std::string inner = numbered_lines(500);
  const std::string zip = ZipBuilder().add("outer.xml", outer).add("inner.xml", inner).build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  std::string got_outer;
  int nested = 0;
  auto st = r->read(*r->find("outer.xml"), {}, [&](std::string_view c) {
    got_outer.append(c);
    auto in = r->read_all(*r->find("inner.xml"), {});
    EXPECT_TRUE(in.ok() && *in == inner);
    ++nested;
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_GT(nested, 1);
  EXPECT_TRUE(got_outer == outer) << "the outer member's buffer was overwritten by the inner read";
}

TEST(ZipReader, StoppingMidMemberIsReported) {
  const std::string zip = ZipBuilder().add("a.txt", numbered_lines(30000)).build();
  auto r = ZipReader::open(zip);
  ASSERT_TRUE(r.ok());
  int calls = 0;
  auto st = r->read(*r->find("a.txt"), {}, [&](std::string_view) { return ++calls < 2; });
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->stopped);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(st->bytes, 2 * ZipReader::kChunkBytes);
}

TEST(ZipReader, SalvageNeedsALocalHeader) {
  auto r = ZipReader::open_or_salvage("not a zip at all, just text");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("corrupt zip", 0), 0u);
}

}  // namespace
}  // namespace vakt::extract
