#include "test_support.h"

#include <archive.h>
#include <archive_entry.h>
#include <zip.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "extract/dispatcher.h"

namespace vakt::extract::testing {

void RecordingSink::begin_part(std::string_view name) {
  if (open) ++nesting_errors;
  parts.push_back({std::string(name), {}});
  open = true;
}

void RecordingSink::text(std::string_view utf8) {
  largest_piece = std::max(largest_piece, utf8.size());
  if (!open) {
    ++orphan_text;
    return;
  }
  parts.back().text.append(utf8);
}

void RecordingSink::end_part() {
  open = false;
}

std::string RecordingSink::all() const {
  std::string out;
  for (const auto& p : parts) {
    out += p.text;
    out += '\n';
  }
  return out;
}

const RecordingSink::Part* RecordingSink::find(std::string_view name) const {
  for (const auto& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> RecordingSink::names() const {
  std::vector<std::string> out;
  for (const auto& p : parts) out.push_back(p.name);
  return out;
}

Outcome extract_bytes(std::string_view bytes, const std::string& name, const Limits& limits) {
  Outcome out;
  Context ctx(out.sink, limits, false);
  dispatch(Input{bytes, name, nullptr, {}}, ctx);
  ctx.end_part();
  out.status = ctx.status();
  out.reason = ctx.reason();
  out.type = ctx.top_type();
  out.text_bytes = ctx.text_bytes();
  return out;
}

TempDir::TempDir() {
  // Portable mkdtemp: create_directory fails on a name that exists, so the directory is ours.
  std::random_device random;
  const auto base = std::filesystem::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto candidate = base / ("vakt-test-" + std::to_string(random()));
    std::error_code ec;
    if (std::filesystem::create_directory(candidate, ec)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
  for (auto& e : std::filesystem::recursive_directory_iterator(path_, ec)) {
    std::filesystem::permissions(e.path(), std::filesystem::perms::owner_all, ec);
  }
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, std::string_view bytes) const {
  const auto p = path_ / name;
  std::ofstream f(p, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return p;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string make_zip(const std::vector<Member>& members) {
  TempDir dir;
  const auto path = dir.path() / "out.zip";
  int err = 0;
  zip_t* za = zip_open(path.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (za == nullptr) throw std::runtime_error("zip_open failed");
  for (const auto& m : members) {
    zip_source_t* src = zip_source_buffer(za, m.data.data(), m.data.size(), 0);
    const zip_int64_t idx = zip_file_add(za, m.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) throw std::runtime_error("zip_file_add failed");
    if (m.store &&
        zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0) != 0) {
      throw std::runtime_error("zip_set_file_compression failed");
    }
    if (m.encrypt && zip_file_set_encryption(za, static_cast<zip_uint64_t>(idx), ZIP_EM_TRAD_PKWARE,
                                             "hemligt") != 0) {
      throw std::runtime_error("zip_file_set_encryption failed");
    }
  }
  if (zip_close(za) != 0) throw std::runtime_error("zip_close failed");
  return read_file(path);
}

std::string make_archive(const std::vector<Member>& members, const std::string& format,
                         const std::string& filter) {
  TempDir dir;
  const auto path = dir.path() / "out.bin";
  archive* a = archive_write_new();
  if (archive_write_set_format_by_name(a, format.c_str()) != ARCHIVE_OK ||
      (filter != "none" && archive_write_add_filter_by_name(a, filter.c_str()) != ARCHIVE_OK) ||
      archive_write_open_filename(a, path.string().c_str()) != ARCHIVE_OK) {
    std::string msg = archive_error_string(a) ? archive_error_string(a) : "?";
    archive_write_free(a);
    throw std::runtime_error("archive writer: " + msg);
  }
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return read_file(path);
}

}  // namespace vakt::extract::testing
