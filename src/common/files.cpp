#include "common/files.hpp"

#include <fstream>
#include <sstream>

namespace pratu {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::internal("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error::internal("cannot read " + path.string());
  return text.str();
}

}  // namespace pratu
