// Ole2Reader over libgsf; see ole2_reader.h.
#include "extract/ole2_reader.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-utils.h>

#include <algorithm>
#include <mutex>

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

std::unique_ptr<Ole2Reader> Ole2Reader::open(std::string_view bytes) {
  static std::once_flag once;
  std::call_once(once, [] { gsf_init(); });
  if (bytes.size() < 512) return nullptr;
  std::unique_ptr<Ole2Reader> r(new Ole2Reader());
  GsfInput* src = gsf_input_memory_new(reinterpret_cast<const guint8*>(bytes.data()),
                                       static_cast<gsf_off_t>(bytes.size()), FALSE);
  if (src == nullptr) return nullptr;
  r->source_ = src;
  GError* err = nullptr;
  GsfInfile* ole = gsf_infile_msole_new(src, &err);
  if (err != nullptr) g_error_free(err);
  if (ole == nullptr) return nullptr;
  r->infile_ = ole;
  r->root_.storage = true;
  r->build(r->root_, ole, 0);
  return r;
}

void Ole2Reader::build(Ole2Node& node, void* infile_ptr, int depth) {
  auto* infile = static_cast<GsfInfile*>(infile_ptr);
  int n = gsf_infile_num_children(infile);
  for (int i = 0; i < n; ++i) {
    if (entries_ >= kMaxEntries) {
      tree_truncated_ = true;
      return;
    }
    GsfInput* child = gsf_infile_child_by_index(infile, i);
    if (child == nullptr) continue;
    ++entries_;
    Ole2Node c;
    const char* nm = gsf_infile_name_by_index(infile, i);
    c.name = nm != nullptr ? nm : "";
    c.input = child;
    // libgsf reports storages as infiles; an empty stream is also an infile with no children.
    c.storage = GSF_IS_INFILE(child) && gsf_infile_num_children(GSF_INFILE(child)) > 0;
    c.size = static_cast<std::uint64_t>(std::max<gsf_off_t>(0, gsf_input_size(child)));
    if (c.storage) {
      if (depth + 1 >= kMaxDepth) {
        tree_truncated_ = true;
      } else {
        build(c, child, depth + 1);
      }
    }
    node.children.push_back(std::move(c));
  }
}

std::string Ole2Reader::read(const Ole2Node& stream, std::uint64_t max_bytes,
                             bool* truncated) const {
  std::string out;
  if (truncated != nullptr) *truncated = false;
  auto* in = static_cast<GsfInput*>(stream.input);
  if (in == nullptr || stream.storage) return out;
  if (!gsf_input_seek(in, 0, G_SEEK_SET)) {
    std::uint64_t want = std::min(stream.size, max_bytes);
    out.reserve(static_cast<std::size_t>(want));
    char buf[65536];
    while (out.size() < want) {
      std::size_t n =
          static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf, want - out.size()));
      if (gsf_input_read(in, n, reinterpret_cast<guint8*>(buf)) == nullptr) {
        if (truncated != nullptr) *truncated = true;
        break;
      }
      out.append(buf, n);
    }
    if (stream.size > max_bytes && truncated != nullptr) *truncated = true;
  } else if (truncated != nullptr) {
    *truncated = true;
  }
  return out;
}

void Ole2Reader::release(Ole2Node& node) {
  for (auto& c : node.children) release(c);
  if (node.input != nullptr) g_object_unref(static_cast<GsfInput*>(node.input));
  node.input = nullptr;
}

Ole2Reader::~Ole2Reader() {
  release(root_);
  if (infile_ != nullptr) g_object_unref(static_cast<GsfInfile*>(infile_));
  if (source_ != nullptr) g_object_unref(static_cast<GsfInput*>(source_));
}

}  // namespace vakt::extract
