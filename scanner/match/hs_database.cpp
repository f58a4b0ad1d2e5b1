#include "match/hs_database.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "util/big_buffer.h"

namespace vakt::match {
namespace {

std::string platform_key() {
  hs_platform_info_t p{};
  hs_populate_platform(&p);
  std::ostringstream s;
  s << hs_version() << '|' << p.tune << '|' << p.cpu_features << '|' << sizeof(void*);
  return s.str();
}

std::string database_key(const std::vector<HsPattern>& patterns) {
  return patterns_key(platform_key(), patterns);
}

// Cache file: "VAKTHS1\n", one line of pattern indices compiled without SOM, then the database.
constexpr std::string_view kMagic = "VAKTHS1\n";

// The database is deserialised into `storage` (huge pages where the OS offers them) rather than
// into a block Hyperscan allocates: each fresh 4 KiB page of the ~2 MB database is a page fault
// at start-up, and on a virtual machine 500 of them took ~6 ms of the 80.
hs_database_t* load_cached(const std::filesystem::path& file, std::vector<unsigned>& no_som,
                           BigBuffer& storage) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  // One read into a buffer of the file's size: streaming it through an ostringstream grew and
  // copied the database three times.
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > (1ull << 31)) return nullptr;
  BigBuffer data;
  data.resize(static_cast<std::size_t>(size));
  if (!in.read(data.data(), static_cast<std::streamsize>(data.size()))) return nullptr;
  const std::string_view bytes(data.data(), data.size());
  if (bytes.substr(0, kMagic.size()) != kMagic) return nullptr;
  const auto eol = bytes.find('\n', kMagic.size());
  if (eol == std::string_view::npos) return nullptr;
  std::istringstream list(std::string(bytes.substr(kMagic.size(), eol - kMagic.size())));
  for (unsigned i; list >> i;) no_som.push_back(i);
  const char* serialized = bytes.data() + eol + 1;
  const std::size_t serialized_size = bytes.size() - eol - 1;
  std::size_t db_size = 0;
  if (hs_serialized_database_size(serialized, serialized_size, &db_size) != HS_SUCCESS) {
    return nullptr;
  }
  storage.resize(db_size);
  auto* db = reinterpret_cast<hs_database_t*>(storage.data());
  if (hs_deserialize_database_at(serialized, serialized_size, db) != HS_SUCCESS) {
    storage.resize(0);  // the destructor tells a cached database from a compiled one by this
    return nullptr;
  }
  return db;
}

void store_cached(const std::filesystem::path& dir, const std::filesystem::path& file,
                  const hs_database_t* db, const std::vector<unsigned>& no_som) {
  char* bytes = nullptr;
  size_t n = 0;
  if (hs_serialize_database(db, &bytes, &n) != HS_SUCCESS) return;
  write_cache_file(dir, file, [&](std::ostream& out) {
    out << kMagic;
    for (auto i : no_som) out << i << ' ';
    out << '\n';
    out.write(bytes, static_cast<std::streamsize>(n));
  });
  std::free(bytes);
}

}  // namespace

Expected<std::shared_ptr<HsDatabase>> HsDatabase::build(const std::vector<HsPattern>& patterns,
                                                        const std::filesystem::path& cache_dir) {
  std::shared_ptr<HsDatabase> out(new HsDatabase());
  out->key_ = database_key(patterns);
  std::filesystem::path cache_file;
  std::vector<unsigned> no_som;
  if (!cache_dir.empty()) {
    cache_file = cache_dir / ("vakt-" + out->key_.substr(0, 32) + ".hsdb");
    out->db_ = load_cached(cache_file, no_som, out->db_storage_);
    out->from_cache_ = out->db_ != nullptr;
    if (!out->db_) no_som.clear();
  }
  std::vector<unsigned> flags;
  for (const auto& p : patterns) flags.push_back(p.flags);
  for (auto i : no_som) {
    if (i < flags.size()) flags[i] &= ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST);
  }
  while (!out->db_) {
    std::vector<const char*> exprs;
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      exprs.push_back(patterns[i].expression.c_str());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(
            exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()),
            HS_MODE_STREAM | HS_MODE_SOM_HORIZON_LARGE, nullptr, &out->db_, &err) == HS_SUCCESS) {
      if (!cache_file.empty()) store_cached(cache_dir, cache_file, out->db_, no_som);
      break;
    }
    std::string msg = err ? err->message : "unknown Hyperscan compile error";
    const int which = err ? err->expression : -1;
    hs_free_compile_error(err);
    // A pattern Hyperscan cannot track the start of is compiled without SOM and confirmed by RE2.
    if (which >= 0 && (flags[static_cast<std::size_t>(which)] & HS_FLAG_SOM_LEFTMOST)) {
      flags[static_cast<std::size_t>(which)] &= ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST);
      no_som.push_back(static_cast<unsigned>(which));
      continue;
    }
    return Error{"pattern " + std::to_string(which) + ": " + msg};
  }
  for (auto f : flags) out->som_.push_back((f & HS_FLAG_SOM_LEFTMOST) != 0);
  if (hs_alloc_scratch(out->db_, &out->prototype_) != HS_SUCCESS) {
    return Error{"cannot allocate Hyperscan scratch space"};
  }
  return out;
}

HsDatabase::~HsDatabase() {
  if (prototype_) hs_free_scratch(prototype_);
  if (db_ && db_storage_.size() == 0) hs_free_database(db_);  // else it lives in db_storage_
}

hs_scratch_t* HsDatabase::clone_scratch() const {
  hs_scratch_t* s = nullptr;
  if (hs_clone_scratch(prototype_, &s) != HS_SUCCESS) return nullptr;
  return s;
}

int HsDatabase::failing_pattern(const Error& e) {
  constexpr std::string_view kPrefix = "pattern ";
  if (e.message.rfind(kPrefix, 0) != 0) return -1;
  try {
    return std::stoi(e.message.substr(kPrefix.size()));
  } catch (...) {
    return -1;
  }
}

}  // namespace vakt::match
