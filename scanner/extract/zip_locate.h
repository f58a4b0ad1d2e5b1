// Where a zip archive sits in a file that does not simply start with one: a self-extracting
// program (a stub, then the archive), an archive appended to a text, a picture or a PDF, or two
// archives concatenated. Readers and unzip tools find such archives from the end-of-central-
// directory record at the file's end, so a scanner that trusts the first bytes alone would read
// the members as noise and call the file clean.
//
//   if (auto at = locate_trailing_zip(bytes)) {
//     before = bytes.substr(0, at->other_data_end);  // the stub/text/first archive: scan it too
//     archive = bytes.substr(at->archive_start);      // open with ZipReader
//   }
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace vakt::extract {

struct TrailingZip {
  // Where the archive's own offsets count from: > 0 when the archive was appended as it was
  // (offsets relative to its first local header), 0 when its offsets were adjusted to the whole
  // file (`zip -A`, self-extractors).
  std::size_t archive_start = 0;
  // The bytes before the archive's first member: the data the archive was appended to.
  std::size_t other_data_end = 0;
};

// nullopt for an ordinary zip (nothing before its first member), for files without an
// end-of-central-directory record in their last 64 KiB, and for records whose central directory
// does not check out (signature at the offset they name). Zip64 records are not followed.
std::optional<TrailingZip> locate_trailing_zip(std::string_view bytes);

}  // namespace vakt::extract
