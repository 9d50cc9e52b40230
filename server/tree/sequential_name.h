// Names of sequential znodes: the requested path plus the parent's counter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zk::tree {

// `path` followed by `counter` formatted as ZooKeeper's String.format("%010d"):
// ten digits, zero padded; a negative counter (after the int32 wraps) keeps its
// sign inside the ten characters, e.g. -5 -> "-000000005".
// `counter` is the parent's raw cversion (NodeView::cversion()), not Stat.cversion.
std::string SequentialPath(std::string_view path, int32_t counter);

}  // namespace zk::tree
