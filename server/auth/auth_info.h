// The identities one client connection has proven: ZooKeeper's per-connection
// authInfo.
//
// ZooKeeper 3.8 keeps these in a set backed by java.util.concurrent.
// ConcurrentHashMap, so the order in which whoAmI lists them and in which an
// "auth" ACL entry expands is the map's bucket order, not insertion order. This
// class reproduces that order exactly (bucket index from Id.hashCode(), list
// order within a bucket, the map's resize and tree-bin rules), so clients see
// the same lists as from a Java server.
//
// A plain value: copy it to snapshot a connection's identities for a request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jute/zookeeper.h"

namespace zk::auth {

class AuthInfo {
 public:
  AuthInfo() = default;

  // What every connection starts with: the id ip:<host_address>, where
  // host_address is the peer address as Java prints it (see host_address.h).
  static AuthInfo ForConnection(std::string host_address);

  // Adds `id` unless an equal one is present; returns whether it was added.
  bool Add(data::Id id);

  bool Contains(const data::Id& id) const;
  bool HasScheme(std::string_view scheme) const;

  // Every id, in the order a Java server iterates them.
  const std::vector<data::Id>& ids() const { return ordered_; }
  size_t size() const { return ordered_.size(); }
  bool empty() const { return ordered_.empty(); }

  // Id.hashCode() of the generated Java record.
  static int32_t JavaHash(const data::Id& id);

 private:
  struct Node {
    uint32_t hash;  // the map's spread() of the key's hashCode
    data::Id id;
  };
  struct Bin {
    std::vector<Node> nodes;  // in iteration order
    bool tree = false;
  };

  void Transfer();  // doubles the table
  void TryPresize(size_t size);
  void Reorder();

  std::vector<Bin> table_;
  size_t count_ = 0;
  int64_t size_ctl_ = 0;
  std::vector<data::Id> ordered_;
};

}  // namespace zk::auth
