// libFuzzer target: arbitrary bytes as an OLE2 compound file (our [MS-CFB] reader, every stream of
// the tree read in full and capped, then the Word/Excel/PowerPoint/Outlook readers), plus the raw
// record readers fed directly so they see bytes the compound file reader would reject.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "extract/ole2_formats.h"
#include "extract/ole2_reader.h"
#include "fuzz_null_output.h"

namespace {

// Every stream of the tree, read whole and cut short; a read never yields more than the file.
void read_every_stream(const vakt::extract::Ole2Reader& r, const vakt::extract::Ole2Node& n,
                       std::size_t file_size) {
  for (const auto& c : n.children) {
    if (c.storage) {
      read_every_stream(r, c, file_size);
      continue;
    }
    bool cut = false;
    if (r.read(c, std::uint64_t{1} << 40, &cut).size() > file_size) __builtin_trap();
    if (r.read(c, 100, &cut).size() > 100) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vakt::extract;
  fuzzing::NullOutput out;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  if (auto reader = Ole2Reader::open(bytes)) read_every_stream(*reader, reader->root(), size);
  parse_ole2(bytes, "fuzz.doc", out);
  // The stream readers on their own: the first byte picks one, the rest is the stream.
  if (size > 1) {
    std::string_view s = bytes.substr(1);
    switch (data[0] % 5) {
      case 0:
        parse_word(s, s, s, out, "");
        break;
      case 1:
        parse_biff(s, out, "");
        break;
      case 2:
        parse_ppt(s, s.substr(0, 16), out, "");
        break;
      case 3:
        (void)decompress_rtf(s, 1 << 20);
        break;
      default: {
        std::string text;
        append_property_set(s, data[0] & 0x80, text);
        break;
      }
    }
  }
  return 0;
}
