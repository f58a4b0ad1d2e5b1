#include "match/hs_database.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

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

hs_database_t* load_cached(const std::filesystem::path& file, std::vector<unsigned>& no_som) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  // One read into a buffer of the file's size: streaming it through an ostringstream grew and
  // copied the ~3 MB database three times, and each fresh page is a page fault at start-up.
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > (1ull << 31)) return nullptr;
  std::string data(static_cast<std::size_t>(size), '\0');
  if (!in.read(data.data(), static_cast<std::streamsize>(data.size()))) return nullptr;
  if (data.compare(0, kMagic.size(), kMagic) != 0) return nullptr;
  const auto eol = data.find('\n', kMagic.size());
  if (eol == std::string::npos) return nullptr;
  std::istringstream list(data.substr(kMagic.size(), eol - kMagic.size()));
  for (unsigned i; list >> i;) no_som.push_back(i);
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(data.data() + eol + 1, data.size() - eol - 1, &db) != HS_SUCCESS) {
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
    out->db_ = load_cached(cache_file, no_som);
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
  if (db_) hs_free_database(db_);
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
