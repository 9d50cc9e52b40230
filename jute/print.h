// Readable renderings of ustring and buffer fields for logs and test failures.
#pragma once

#include <ostream>
#include <string_view>

namespace jute {

// Writes value in double quotes, escaping quotes, backslashes and bytes
// outside printable ASCII (as \xNN).
void PrintString(std::ostream& os, std::string_view value);

// Writes value as hex, e.g. 0x00ff; long buffers are cut short with their
// length noted, so a 1 MB payload does not flood a log.
void PrintBuffer(std::ostream& os, std::string_view value);

}  // namespace jute
