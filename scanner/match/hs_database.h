// HsDatabase: one streaming-mode Hyperscan database for every pattern of every rule, compiled
// once, shared read-only, and cached on disk under a hash of the patterns, the Hyperscan version
// and the CPU platform (Suricata's util-mpm-hs-cache) so a service starts fast.
//
// Patterns that ask for HS_FLAG_SOM_LEFTMOST get it when Hyperscan can compile it; the others
// lose the flag (and the engine confirms them with RE2 instead). Which ones lost it is stored
// beside the cached database, so a cache hit needs no trial compile.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <hs/hs.h>

#include "match/cache_file.h"  // HsPattern
#include "util/big_buffer.h"
#include "vakt/scanner/expected.h"

namespace vakt::match {

struct HsCompileFailure {
  int expression = -1;  // index into the patterns, -1 when not one pattern's fault
  std::string message;
};

class HsDatabase {
 public:
  // Compiles (or loads from cache_dir when it holds a database for exactly these patterns).
  // On a pattern error the Error message is "pattern N: <hyperscan message>".
  static Expected<std::shared_ptr<HsDatabase>> build(const std::vector<HsPattern>& patterns,
                                                     const std::filesystem::path& cache_dir);
  ~HsDatabase();
  HsDatabase(const HsDatabase&) = delete;
  HsDatabase& operator=(const HsDatabase&) = delete;

  const hs_database_t* db() const { return db_; }
  // A scratch for one worker, cloned from the prototype grown for this database.
  hs_scratch_t* clone_scratch() const;
  bool from_cache() const { return from_cache_; }
  // Whether pattern i reports its leftmost start (Hyperscan could compile it with SOM).
  bool reports_start(std::size_t i) const { return i < som_.size() && som_[i]; }
  const std::string& cache_key() const { return key_; }

  // The index of the failing pattern in the last compile error message, or -1.
  static int failing_pattern(const Error& e);

 private:
  HsDatabase() = default;
  hs_database_t* db_ = nullptr;
  BigBuffer db_storage_;  // holds db_ when it was loaded from the cache
  hs_scratch_t* prototype_ = nullptr;
  bool from_cache_ = false;
  std::string key_;
  std::vector<bool> som_;
};

}  // namespace vakt::match
