#include "extract/text_decoder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "util/simd_text.h"
#include "util/utf8_guard.h"

namespace vakt::extract {
namespace {

std::string decode_in_pieces(std::string_view bytes, std::size_t piece,
                             TextEncoding enc = TextEncoding::kAuto) {
  std::string out;
  TextDecoder dec([&](std::string_view s) { out.append(s); }, enc);
  for (std::size_t i = 0; i < bytes.size(); i += piece) dec.feed(bytes.substr(i, piece));
  dec.finish();
  return out;
}

std::string utf16le(std::u16string_view s) {
  std::string out;
  for (char16_t c : s) {
    out += static_cast<char>(c & 0xFF);
    out += static_cast<char>(c >> 8);
  }
  return out;
}

std::string utf16be(std::u16string_view s) {
  std::string out;
  for (char16_t c : s) {
    out += static_cast<char>(c >> 8);
    out += static_cast<char>(c & 0xFF);
  }
  return out;
}

std::string utf32(std::u32string_view s, bool little) {
  std::string out;
  for (char32_t c : s) {
    for (int k = 0; k < 4; ++k) {
      const int shift = little ? 8 * k : 8 * (3 - k);
      out += static_cast<char>((c >> shift) & 0xFF);
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  std::string round = decode_to_utf8(std::string("\xEF\xBB\xBF") + std::string(s));
  return round == s && round.find("\xEF\xBF\xBD") == std::string::npos;
}

TEST(TextDecoder, Utf8PassesThrough) {
  const std::string text = "Åsa Öberg, Ängsvägen 3, 19990604-2388 €";
  EXPECT_EQ(decode_to_utf8(text), text);
}

TEST(TextDecoder, Utf8SplitAtEveryBoundaryAndPieceSize) {
  const std::string text = "xåäö€𝄞 19121212-1212 ÅÄÖ";
  for (std::size_t piece = 1; piece <= text.size(); ++piece) {
    EXPECT_EQ(decode_in_pieces(text, piece), text) << "piece size " << piece;
  }
}

TEST(TextDecoder, Windows1252FallbackForSwedishLetters) {
  // "ÅÄÖÉ åäö é" in Windows-1252, plus € (0x80) and a curly quote (0x94).
  const std::string cp1252 = "\xC5\xC4\xD6\xC9 \xE5\xE4\xF6 \xE9 \x80 \x94";
  EXPECT_EQ(decode_to_utf8(cp1252), "ÅÄÖÉ åäö é € ”");
  EXPECT_EQ(decode_in_pieces(cp1252, 1), "ÅÄÖÉ åäö é € ”");
}

TEST(TextDecoder, MixedUtf8AndStrayCp1252ByteAfterSniffWindow) {
  std::string text(5000, 'a');
  text += "G\xF6teborg och Malmö";
  EXPECT_EQ(decode_in_pieces(text, 1000).substr(5000), "Göteborg och Malmö");
}

TEST(TextDecoder, Utf8BomMakesInvalidBytesReplacementCharacters) {
  EXPECT_EQ(decode_to_utf8("\xEF\xBB\xBF"
                           "a\xFF"
                           "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(TextDecoder, TruncatedSequenceAtEndIsReplacedNotDropped) {
  EXPECT_EQ(decode_to_utf8("\xEF\xBB\xBF"
                           "ok\xE2\x82"),
            "ok\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TextDecoder, Utf16LeWithBom) {
  const std::string bytes = "\xFF\xFE" + utf16le(u"Åsa 990604-2388");
  EXPECT_EQ(decode_to_utf8(bytes), "Åsa 990604-2388");
  EXPECT_EQ(decode_in_pieces(bytes, 3), "Åsa 990604-2388");
}

TEST(TextDecoder, Utf16BeWithBom) {
  const std::string bytes = "\xFE\xFF" + utf16be(u"Örebro län");
  EXPECT_EQ(decode_in_pieces(bytes, 1), "Örebro län");
}

TEST(TextDecoder, Utf16LeWithoutBomDetectedByNulPattern) {
  const std::string bytes = utf16le(u"Personnummer 19121212-1212 i Västerås");
  TextDecoder probe([](std::string_view) {});
  probe.feed(bytes);
  probe.finish();
  EXPECT_EQ(probe.encoding(), TextEncoding::kUtf16Le);
  EXPECT_EQ(decode_in_pieces(bytes, 7), "Personnummer 19121212-1212 i Västerås");
}

TEST(TextDecoder, Utf16BeWithoutBomDetectedByNulPattern) {
  EXPECT_EQ(decode_to_utf8(utf16be(u"Kalmar kommun")), "Kalmar kommun");
}

TEST(TextDecoder, Utf16SurrogatePairsAndLoneSurrogates) {
  std::u16string s = u"a";
  s += static_cast<char16_t>(0xD834);
  s += static_cast<char16_t>(0xDD1E);  // U+1D11E
  s += static_cast<char16_t>(0xDC00);  // lone low surrogate
  s += u"b";
  EXPECT_EQ(decode_in_pieces("\xFF\xFE" + utf16le(s), 1),
            "a𝄞\xEF\xBF\xBD"
            "b");
}

// PowerShell's Out-File -Encoding UTF32 writes FF FE 00 00: read as UTF-16 it was the text with a
// NUL after every letter, "scanned" and clean. Every split point, both byte orders.
TEST(TextDecoder, Utf32WithBomAtEverySplit) {
  const std::u32string text = U"Patient 19121212-1212 i Västerås 𝄞";
  const std::string expected = "Patient 19121212-1212 i Västerås 𝄞";
  for (bool little : {true, false}) {
    const std::string bytes = std::string(little ? std::string_view("\xFF\xFE\0\0", 4)
                                                 : std::string_view("\0\0\xFE\xFF", 4)) +
                              utf32(text, little);
    for (std::size_t piece = 1; piece <= 9; ++piece) {
      EXPECT_EQ(decode_in_pieces(bytes, piece), expected) << little << " " << piece;
    }
    TextDecoder probe([](std::string_view) {});
    probe.feed(bytes);
    probe.finish();
    EXPECT_EQ(probe.encoding(), little ? TextEncoding::kUtf32Le : TextEncoding::kUtf32Be);
  }
  // Out-of-range units and surrogates become U+FFFD; a cut unit at the end too.
  EXPECT_EQ(decode_to_utf8(std::string("\xFF\xFE\0\0", 4) + utf32(U"a", true) +
                           std::string("\0\0\x11\0", 4) + std::string("\0\xD8\0\0", 4) + "b"),
            "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TextDecoder, Utf16OddTrailingByteBecomesReplacement) {
  EXPECT_EQ(decode_to_utf8("\xFF\xFE" + utf16le(u"ab") + "x"), "ab\xEF\xBF\xBD");
}

TEST(TextDecoder, PiecesAreBoundedAndEndOnCharacterBoundaries) {
  std::string text;
  for (int i = 0; i < 300000; ++i) text += i % 3 == 0 ? "å" : (i % 3 == 1 ? "€" : "a");
  std::size_t total = 0;
  bool all_valid = true;
  std::size_t largest = 0;
  TextDecoder dec([&](std::string_view s) {
    total += s.size();
    largest = std::max(largest, s.size());
    all_valid = all_valid && valid_utf8(s);
  });
  for (std::size_t i = 0; i < text.size(); i += 100001)
    dec.feed(std::string_view(text).substr(i, 100001));
  dec.finish();
  EXPECT_EQ(total, text.size());
  EXPECT_LE(largest, TextDecoder::kMaxPiece);
  EXPECT_TRUE(all_valid);
}

// The scanner trusts every emitted piece to be complete, valid UTF-8 (TextSink::valid_text):
// random bytes of every kind, in every encoding, fed in random pieces — long valid runs that go
// out in place and broken bytes between them — never emit anything else.
TEST(TextDecoder, EveryPieceIsValidUtf8WhateverTheInput) {
  std::mt19937 rng(5);
  const std::string words[] = {"personnummer ", "orosanmälan ", "€", "\xF0\x9F\x98\x80", "\n"};
  for (TextEncoding enc :
       {TextEncoding::kAuto, TextEncoding::kUtf8, TextEncoding::kUtf16Le, TextEncoding::kUtf16Be,
        TextEncoding::kUtf32Le, TextEncoding::kUtf32Be, TextEncoding::kWindows1252}) {
    for (int round = 0; round < 20; ++round) {
      std::string bytes;
      const std::size_t target = 1000 + rng() % 150000;
      while (bytes.size() < target) {
        if (rng() % 8 == 0) {
          bytes += static_cast<char>(rng() % 256);  // anything: stray, NUL, lead without tail
        } else {
          bytes += words[rng() % std::size(words)];
        }
      }
      bool ok = true;
      std::size_t largest = 0;
      TextDecoder dec(
          [&](std::string_view piece) {
            ok = ok && utf8_valid_scalar(piece);
            largest = std::max(largest, piece.size());
          },
          enc);
      for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t n = 1 + rng() % 40000;
        dec.feed(std::string_view(bytes).substr(i, n));
        i += n;
      }
      dec.finish();
      ASSERT_TRUE(ok) << "encoding " << static_cast<int>(enc) << " round " << round;
      EXPECT_LE(largest, TextDecoder::kMaxPiece);
    }
  }
}

TEST(TextDecoder, ExplicitWindows1252) {
  EXPECT_EQ(decode_to_utf8("\xC3\xA5", TextEncoding::kWindows1252), "Ã¥");
}

// An independent reading of "UTF-8, any byte that is not valid UTF-8 read as Windows-1252".
std::string reference_lenient_utf8(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    const auto c = static_cast<unsigned char>(in[i]);
    const int n = c < 0x80 ? 1 : utf8_sequence_length(in.substr(i));
    if (n > 0) {
      out.append(in.substr(i, static_cast<std::size_t>(n)));
      i += static_cast<std::size_t>(n);
    } else {
      append_code_point(out, windows1252_to_unicode(c));
      ++i;
    }
  }
  return out;
}

// Valid blocks go out through a SIMD-checked fast path, others byte by byte: on large Swedish text
// with stray bytes and 4-byte characters, fed in random pieces, the output equals the reference.
TEST(TextDecoder, LargeMixedInputEqualsAReferenceDecodingAtAnySplit) {
  std::mt19937 rng(7);
  const std::vector<std::string> words = {"personnummer ",
                                          "\xC3\xA5tg\xC3\xA4rd ",
                                          "\xC3\x84rende ",
                                          "\xC3\x96stersund\n",
                                          "\xE2\x82\xAC ",
                                          "\xF0\x9F\x98\x80 ",
                                          "x"};
  for (int round = 0; round < 12; ++round) {
    std::string in = "Start ";
    const std::size_t stray_per_mille = round < 4 ? 0 : (round < 8 ? 2 : 300);
    while (in.size() < 150000) {
      if (rng() % 1000 < stray_per_mille) {
        in += static_cast<char>(0x80 + rng() % 0x80);  // a Windows-1252 letter or a broken sequence
      } else {
        in += words[rng() % words.size()];
      }
    }
    in += " slut";
    const std::string expected = reference_lenient_utf8(in);
    std::string got;
    TextDecoder dec([&](std::string_view piece) { got.append(piece); });
    for (std::size_t at = 0; at < in.size();) {
      const std::size_t len = 1 + rng() % 40000;
      dec.feed(std::string_view(in).substr(at, len));
      at += len;
    }
    dec.finish();
    ASSERT_EQ(got, expected) << "round " << round;
  }
}

}  // namespace
}  // namespace vakt::extract
