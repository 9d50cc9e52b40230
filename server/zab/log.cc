#include "server/zab/log.h"

#include <glog/logging.h>

#include <algorithm>

namespace zk::zab {

Log::Log(Zxid base, std::vector<Entry> entries) : base_(base) {
  for (auto& e : entries) Append(std::move(e));
}

size_t Log::LowerBound(Zxid zxid) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), zxid,
                             [](const Entry& e, Zxid z) { return e.zxid < z; });
  return static_cast<size_t>(it - entries_.begin());
}

const Entry* Log::Find(Zxid zxid) const {
  size_t i = LowerBound(zxid);
  if (i < entries_.size() && entries_[i].zxid == zxid) return &entries_[i];
  return nullptr;
}

Zxid Log::PrevOf(Zxid zxid) const {
  size_t i = LowerBound(zxid);
  return i == 0 ? base_ : entries_[i - 1].zxid;
}

void Log::Append(Entry entry) {
  CHECK_GT(entry.zxid, last_zxid()) << "log append out of order";
  entries_.push_back(std::move(entry));
}

void Log::TruncateAfter(Zxid zxid) {
  CHECK_GE(zxid, base_) << "cannot truncate into the snapshot";
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(LowerBound(zxid + 1)),
                 entries_.end());
}

void Log::Reset(Zxid base) {
  entries_.clear();
  base_ = base;
}

void Log::CompactTo(Zxid zxid) {
  if (zxid <= base_) return;
  CHECK_LE(zxid, last_zxid());
  entries_.erase(entries_.begin(),
                 entries_.begin() + static_cast<std::ptrdiff_t>(LowerBound(zxid + 1)));
  base_ = zxid;
}

std::vector<Entry> Log::EntriesBetween(Zxid after, Zxid upto) const {
  std::vector<Entry> out;
  for (size_t i = LowerBound(after + 1); i < entries_.size() && entries_[i].zxid <= upto; ++i) {
    out.push_back(entries_[i]);
  }
  return out;
}

std::optional<Zxid> Log::LastInEpoch(Epoch epoch) const {
  size_t i = LowerBound(MakeZxid(epoch + 1, 0));
  if (i > 0 && EpochOf(entries_[i - 1].zxid) == epoch) return entries_[i - 1].zxid;
  if (EpochOf(base_) == epoch) return base_;  // no entries of `epoch` after base
  return std::nullopt;
}

std::vector<Zxid> Log::EpochEnds() const {
  std::vector<Zxid> ends{base_};
  for (size_t i = 0; i < entries_.size(); ++i) {
    bool last_of_epoch =
        i + 1 == entries_.size() || EpochOf(entries_[i + 1].zxid) != EpochOf(entries_[i].zxid);
    if (last_of_epoch) ends.push_back(entries_[i].zxid);
  }
  return ends;
}

}  // namespace zk::zab
