// Reads a file of the shared real-world corpus (empty string when the corpus is not there).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace vakt::extract::testing {

inline std::string corpus_path(const std::string& rel) {
  return std::string(VAKT_SHARED_DIR) + "/corpus/realworld/" + rel;
}

inline std::string read_corpus(const std::string& rel) {
  std::ifstream in(corpus_path(rel), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace vakt::extract::testing
