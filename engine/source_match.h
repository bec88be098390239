// Which data files a source reads: the files under the paths a data lead gives,
// matched against each source's `files "GLOB"` patterns.
#pragma once

#include "diagnostics.h"

#include <string>
#include <string_view>
#include <vector>

namespace tr {

// `*` matches any run of characters except '/', `?` any one character.
bool glob_match(std::string_view pattern, std::string_view text);

struct DataPath {
  std::string path;      // as it will be shown: the folder given plus the relative path
  std::string relative;  // relative to the folder given (the file name for a file given directly)
};

// Every regular file under `paths` (folders are searched recursively; hidden
// files and folders are skipped), in a stable sorted order, each once. A path
// that does not exist is an error.
std::vector<DataPath> list_data_files(const std::vector<std::string>& paths, Diagnostics& diags);

// True when one of the globs matches the file: a glob without '/' is matched
// against the file name, a glob with '/' against the relative path.
bool source_matches(const std::vector<std::string>& globs, const DataPath& file);

}  // namespace tr
