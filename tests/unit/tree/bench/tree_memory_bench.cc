// Measures the memory a DataTree spends per znode.
//
// Usage: tree_memory_bench [znodes=1000000] [data_bytes=100] [fanout=1000]
// Creates `znodes` leaves of `data_bytes` each, `fanout` per parent directory
// (paths like /bench/d000123/n0000123456), then prints the heap in use
// (mallinfo2) and the resident set growth per znode.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "server/tree/data_tree.h"

namespace {

size_t HeapInUse() { return mallinfo2().uordblks + mallinfo2().hblkhd; }

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

std::string Numbered(const char* prefix, long n, int width) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%0*ld", prefix, width, n);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  long znodes = argc > 1 ? std::atol(argv[1]) : 1000000;
  long data_bytes = argc > 2 ? std::atol(argv[2]) : 100;
  long fanout = argc > 3 ? std::atol(argv[3]) : 1000;
  if (znodes <= 0 || data_bytes < 0 || fanout <= 0) {
    std::fprintf(stderr, "usage: %s [znodes] [data_bytes] [fanout]\n", argv[0]);
    return 2;
  }
  std::vector<zk::data::ACL> acl(1);
  acl[0].perms = zk::perms::kAll;
  acl[0].id.scheme = "world";
  acl[0].id.id = "anyone";
  std::string data(static_cast<size_t>(data_bytes), 'v');

  size_t heap_before = HeapInUse();
  size_t rss_before = ResidentBytes();
  zk::tree::DataTree tree;
  int64_t zxid = 1;
  tree.CreateNode("/bench", "", acl, 0, -1, zxid++, 0);
  std::string dir;
  long path_bytes = 0;
  for (long i = 0; i < znodes; ++i) {
    if (i % fanout == 0) {
      dir = Numbered("/bench/d", i / fanout, 6);
      tree.CreateNode(dir, "", acl, 0, -1, zxid++, 1700000000000);
    }
    std::string path = dir + Numbered("/n", i, 10);
    path_bytes += static_cast<long>(path.size());
    zk::Err err = tree.CreateNode(path, data, acl, 0, -1, zxid++, 1700000000000 + i);
    if (err != zk::Err::kOk) {
      std::fprintf(stderr, "create %s failed: %d\n", path.c_str(), static_cast<int>(err));
      return 1;
    }
  }
  size_t heap = HeapInUse() - heap_before;
  size_t rss = ResidentBytes() - rss_before;
  std::printf("znodes: %ld leaves + %zu others, data %ld B, average path %.1f B, fanout %ld\n",
              znodes, tree.NodeCount() - static_cast<size_t>(znodes), data_bytes,
              static_cast<double>(path_bytes) / static_cast<double>(znodes), fanout);
  std::printf("heap in use: %.1f bytes/znode\n",
              static_cast<double>(heap) / static_cast<double>(tree.NodeCount()));
  std::printf("rss growth:  %.1f bytes/znode\n",
              static_cast<double>(rss) / static_cast<double>(tree.NodeCount()));
  return 0;
}
