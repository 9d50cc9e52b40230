// The core's view of the transaction log: a snapshot point (`base`) followed by
// entries in strictly increasing zxid order. It mirrors what the shell stores;
// the core changes it only through Ready (append, truncate, snapshot install).
#pragma once

#include <deque>
#include <optional>
#include <vector>

#include "server/zab/types.h"

namespace zk::zab {

class Log {
 public:
  Log() = default;
  // REQUIRES: entries sorted by zxid, all > base.
  Log(Zxid base, std::vector<Entry> entries);

  Zxid base() const { return base_; }
  Zxid last_zxid() const { return entries_.empty() ? base_ : entries_.back().zxid; }
  size_t size() const { return entries_.size(); }

  // True if an entry with exactly this zxid is held (not counting base).
  bool Contains(Zxid zxid) const { return Find(zxid) != nullptr; }
  // True if the log's history reaches exactly this point (an entry or base).
  bool HasPoint(Zxid zxid) const { return zxid == base_ || Contains(zxid); }
  const Entry* Find(Zxid zxid) const;
  // The zxid just before `zxid` in this log (an entry or base).
  // REQUIRES: Contains(zxid).
  Zxid PrevOf(Zxid zxid) const;

  // REQUIRES: entry.zxid > last_zxid().
  void Append(Entry entry);
  // Drops every entry with zxid > `zxid`. REQUIRES: zxid >= base().
  void TruncateAfter(Zxid zxid);
  // Forgets everything; the history now starts at a snapshot taken at `base`.
  void Reset(Zxid base);
  // Drops entries <= zxid (they are in a snapshot). REQUIRES: zxid <= last_zxid().
  void CompactTo(Zxid zxid);

  // Entries in (after, upto], in order.
  std::vector<Entry> EntriesBetween(Zxid after, Zxid upto) const;
  // Highest zxid of `epoch` this log holds (an entry or base), if any.
  std::optional<Zxid> LastInEpoch(Epoch epoch) const;
  // The last zxid of every epoch present (base included), ascending. A compact
  // summary a leader can find the common point with (see README "Sync").
  std::vector<Zxid> EpochEnds() const;

 private:
  // Index of the first entry with zxid >= `zxid`.
  size_t LowerBound(Zxid zxid) const;

  Zxid base_ = 0;
  std::deque<Entry> entries_;
};

}  // namespace zk::zab
