#include "server/tree/node_store.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

namespace zk::tree {
namespace {

Znode* MakeNode(const std::string& path) { return znode::Create(NodeFields{}, path, "d"); }

TEST(NodeStoreTest, FindsWhatWasAddedAndNothingElse) {
  NodeStore store;
  NodeId a = store.Add(MakeNode("/a"));
  NodeId b = store.Add(MakeNode("/a/b"));
  EXPECT_EQ(store.Find("/a"), a);
  EXPECT_EQ(store.Find("/a/b"), b);
  EXPECT_EQ(store.Find("/b"), kNoId);
  EXPECT_EQ(store.Find(""), kNoId);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(znode::Path(store.Get(b)), "/a/b");
}

TEST(NodeStoreTest, RemovedNodesAreNotFoundAndTheirIdsAreReused) {
  NodeStore store;
  NodeId a = store.Add(MakeNode("/a"));
  store.Remove(a);
  EXPECT_EQ(store.Find("/a"), kNoId);
  EXPECT_EQ(store.size(), 0u);
  NodeId c = store.Add(MakeNode("/c"));
  EXPECT_EQ(c, a);
  EXPECT_EQ(store.Find("/c"), c);
}

TEST(NodeStoreTest, ReplacePointsAnIdAtAMovedBlock) {
  NodeStore store;
  NodeId a = store.Add(MakeNode("/a"));
  NodeFields f = znode::Fields(store.Get(a));
  f.version = 3;
  std::string_view bigger = "a much longer value";
  store.Replace(a, znode::Update(store.Get(a), f, &bigger));
  EXPECT_EQ(store.Find("/a"), a);
  EXPECT_EQ(znode::Data(store.Get(a)), bigger);
}

// Random adds and removes checked against std::unordered_map exercise
// growth and backward-shift deletion across wrapped probe runs.
TEST(NodeStoreTest, StaysConsistentWithAReferenceMapUnderRandomChurn) {
  NodeStore store;
  std::unordered_map<std::string, NodeId> reference;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> key(0, 3000);
  for (int step = 0; step < 60000; ++step) {
    std::string path = "/k" + std::to_string(key(rng));
    auto it = reference.find(path);
    if (it == reference.end()) {
      reference[path] = store.Add(MakeNode(path));
    } else {
      ASSERT_EQ(store.Find(path), it->second);
      store.Remove(it->second);
      reference.erase(it);
    }
    if (step % 5000 == 0) {
      for (const auto& [p, id] : reference) ASSERT_EQ(store.Find(p), id) << p;
    }
  }
  ASSERT_EQ(store.size(), reference.size());
  for (const auto& [p, id] : reference) ASSERT_EQ(store.Find(p), id) << p;
  for (int k = 0; k <= 3000; ++k) {
    std::string path = "/k" + std::to_string(k);
    EXPECT_EQ(store.Find(path) != kNoId, reference.count(path) == 1) << path;
  }
}

TEST(NodeStoreTest, ClearEmptiesTheStore) {
  NodeStore store;
  for (int i = 0; i < 100; ++i) store.Add(MakeNode("/n" + std::to_string(i)));
  store.Clear();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(store.Find("/n1"), kNoId);
  NodeId id = store.Add(MakeNode("/n1"));
  EXPECT_EQ(store.Find("/n1"), id);
}

}  // namespace
}  // namespace zk::tree
