// Differential test: Ole2Reader against libgsf's MS-OLE reader (the oracle, Linux only) on every
// compound file of the real-world corpus (found by the D0 CF 11 E0 signature, listed in
// MANIFEST.tsv) and on the files the writer in cfb_writer.h builds. Where libgsf opens a file,
// every entry it lists must be in our tree at the same place, in the same order, with the same
// name, kind and size, and every stream it reads in full must read to the same bytes.
//
// Known, intended differences (ours reads more, never less): libgsf drops a stream whose size is
// larger than the file together with the sibling subtrees below it, and an entry of unknown type
// together with its siblings; ours keeps them. libgsf shows an empty storage as an empty stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>

#include "cfb_writer.h"
#include "extract/ole2_reader.h"

#if VAKT_HAVE_LIBGSF
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>
#endif

namespace vakt::extract {
namespace {

#if VAKT_HAVE_LIBGSF

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Corpus files that are compound files, by content.
std::vector<std::string> corpus_ole2_files() {
  const std::string base = std::string(VAKT_SHARED_DIR) + "/corpus/realworld/";
  std::ifstream manifest(base + "MANIFEST.tsv");
  std::vector<std::string> out;
  std::string line;
  std::getline(manifest, line);  // header
  while (std::getline(manifest, line)) {
    std::string rel = line.substr(0, line.find('\t'));
    std::ifstream f(base + rel, std::ios::binary);
    char sig[4] = {};
    if (f.read(sig, 4) && static_cast<unsigned char>(sig[0]) == 0xD0 &&
        static_cast<unsigned char>(sig[1]) == 0xCF && static_cast<unsigned char>(sig[2]) == 0x11 &&
        static_cast<unsigned char>(sig[3]) == 0xE0) {
      out.push_back(base + rel);
    }
  }
  return out;
}

void quiet_log(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

// libgsf, once, with its warnings about broken files silenced (they are the point of the test).
void init_libgsf() {
  static std::once_flag once;
  std::call_once(once, [] {
    gsf_init();
    g_log_set_default_handler(quiet_log, nullptr);
    g_log_set_handler("libgsf:msole", G_LOG_LEVEL_MASK, quiet_log, nullptr);
  });
}

struct Stats {
  int files = 0, libgsf_rejected = 0, entries = 0, streams_compared = 0, extra_entries = 0;
  std::uint64_t bytes_compared = 0;
};

// libgsf's whole stream, or false when it cannot read all of it.
bool gsf_read_all(GsfInput* in, std::string& out) {
  gsf_off_t size = gsf_input_size(in);
  out.clear();
  if (gsf_input_seek(in, 0, G_SEEK_SET)) return false;
  char buf[65536];
  while (static_cast<gsf_off_t>(out.size()) < size) {
    auto n = static_cast<std::size_t>(
        std::min<gsf_off_t>(sizeof buf, size - static_cast<gsf_off_t>(out.size())));
    if (gsf_input_read(in, n, reinterpret_cast<guint8*>(buf)) == nullptr) return false;
    out.append(buf, n);
  }
  return true;
}

void compare(GsfInfile* gsf, const Ole2Reader& ours, const Ole2Node& node, const std::string& where,
             Stats& st) {
  int n = gsf_infile_num_children(gsf);
  std::size_t pos = 0;  // ours, in order: libgsf's entries must appear as a subsequence
  int matched = 0;
  for (int i = 0; i < n; ++i) {
    const char* nm = gsf_infile_name_by_index(gsf, i);
    std::string name = nm != nullptr ? nm : "";
    std::string path = where + "/" + name;
    while (pos < node.children.size() && node.children[pos].name != name) ++pos;
    ASSERT_LT(pos, node.children.size()) << "missing or out of order: " << path;
    const Ole2Node& mine = node.children[pos++];
    ++matched;
    ++st.entries;
    GsfInput* child = gsf_infile_child_by_index(gsf, i);
    if (child == nullptr) continue;  // libgsf lists it but cannot open it
    bool gsf_storage = GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) > 0;
    bool our_storage = mine.storage && !mine.children.empty();
    EXPECT_EQ(our_storage, gsf_storage) << path;
    if (gsf_storage) {
      compare(GSF_INFILE(child), ours, mine, path, st);
    } else {
      EXPECT_EQ(mine.size, static_cast<std::uint64_t>(gsf_input_size(child))) << path;
      std::string theirs;
      if (gsf_read_all(child, theirs)) {
        bool cut = true;
        std::string got = ours.read(mine, std::uint64_t{1} << 32, &cut);
        EXPECT_FALSE(cut) << path;
        EXPECT_EQ(got.size(), theirs.size()) << path;
        EXPECT_TRUE(got == theirs) << "bytes differ: " << path;
        ++st.streams_compared;
        st.bytes_compared += got.size();
      }
    }
    g_object_unref(child);
  }
  st.extra_entries += static_cast<int>(node.children.size()) - matched;
}

void differential(const std::string& label, const std::string& bytes, Stats& st) {
  SCOPED_TRACE(label);
  ++st.files;
  GsfInput* src = gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                       static_cast<gsf_off_t>(bytes.size()), FALSE);
  ASSERT_NE(src, nullptr);
  GError* err = nullptr;
  GsfInfile* gsf = gsf_infile_msole_new(src, &err);
  if (err != nullptr) g_error_free(err);
  auto ours = Ole2Reader::open(bytes);
  if (gsf == nullptr) {
    ++st.libgsf_rejected;
    std::printf("  libgsf rejects %s; ours %s\n", label.c_str(),
                ours ? "opens it" : "rejects it too");
  } else {
    ASSERT_NE(ours, nullptr) << "libgsf opens it, we do not";
    int extra_before = st.extra_entries;
    compare(gsf, *ours, ours->root(), "", st);
    if (st.extra_entries != extra_before) {
      std::printf("  %s: %d entries only we list\n", label.c_str(),
                  st.extra_entries - extra_before);
    }
    g_object_unref(gsf);
  }
  g_object_unref(src);
}

TEST(Ole2Differential, RealWorldCorpusMatchesLibgsf) {
  init_libgsf();
  std::vector<std::string> files = corpus_ole2_files();
  if (files.empty()) GTEST_SKIP() << "corpus not available";
  Stats st;
  for (const auto& f : files) differential(f, slurp(f), st);
  std::printf(
      "corpus: %d OLE2 files, %d rejected by libgsf, %d entries, %d streams / %llu bytes "
      "identical, %d entries only we list\n",
      st.files, st.libgsf_rejected, st.entries, st.streams_compared,
      static_cast<unsigned long long>(st.bytes_compared), st.extra_entries);
  EXPECT_GE(st.files, 90);
  EXPECT_GE(st.streams_compared, 1000);
}

TEST(Ole2Differential, WrittenFilesMatchLibgsf) {
  init_libgsf();
  using testing::CfbEntry;
  Stats st;
  for (unsigned shift : {9u, 12u}) {
    testing::CfbWriter w;
    w.shift = shift;
    std::string big(70'000, 'b');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 7 + i / 251);
    w.root.children = {
        CfbEntry::stream("WordDocument", big),
        CfbEntry::stream("1Table", big.substr(3, 4095)),
        CfbEntry::stream("Data", big.substr(5, 4096)),
        CfbEntry::stream("Tiny", "x"),
        CfbEntry::stream("Empty", ""),
        CfbEntry::dir(
            "ObjectPool",
            {CfbEntry::dir("_1", {CfbEntry::stream("\x01Ole10Native", big.substr(9, 77))}),
             CfbEntry::dir("_2", {CfbEntry::stream("CONTENTS", big.substr(1, 9000))})}),
    };
    for (char c = 'a'; c <= 'z'; ++c) {
      w.root.children.push_back(
          CfbEntry::stream(std::string("__substg1.0_") + c, big.substr(c, c)));
    }
    differential(shift == 9 ? "written v3" : "written v4", w.build().bytes, st);
  }
  EXPECT_EQ(st.libgsf_rejected, 0);
  EXPECT_EQ(st.extra_entries, 0);
  EXPECT_EQ(st.streams_compared, 2 * (7 + 26));
}

#else

TEST(Ole2Differential, NeedsLibgsf) {
  GTEST_SKIP() << "libgsf not found at configure time: no oracle to compare with";
}

#endif

}  // namespace
}  // namespace vakt::extract
