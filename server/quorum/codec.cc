#include "server/quorum/codec.h"

#include <glog/logging.h>

#include <limits>

namespace zk::quorum {
namespace {

// version, type, 9 integers, granted, vote (3 integers), state, sync_mode,
// has_snapshot, request_id, snapshot zxid, then four u32 lengths/counts.
constexpr size_t kFixedSize = 1 + 1 + 9 * 8 + 1 + 3 * 8 + 1 + 1 + 1 + 8 + 8 + 4 * 4;
constexpr size_t kEntryOverhead = 8 + 4;  // zxid + payload length

uint32_t CheckedLength(size_t n) {
  // REQUIRES: callers keep messages under the frame limit, far below 4 GiB.
  CHECK_LE(n, std::numeric_limits<uint32_t>::max()) << "field too large to encode";
  return static_cast<uint32_t>(n);
}

// Appends to a string whose capacity already holds the whole message, so
// nothing reallocates and no byte is written twice.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    char b[4];
    for (int i = 0; i < 4; i++) b[i] = static_cast<char>(v >> (24 - 8 * i));
    out_->append(b, 4);
  }
  void U64(uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; i++) b[i] = static_cast<char>(v >> (56 - 8 * i));
    out_->append(b, 8);
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void Bytes(const std::string& s) {
    U32(CheckedLength(s.size()));
    out_->append(s);
  }

 private:
  std::string* out_;
};

// Reads with a bounds check on every access; any failure sticks.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  size_t remaining() const { return in_.size() - pos_; }
  bool done() const { return ok_ && pos_ == in_.size(); }

  uint8_t U8() {
    if (!Need(1)) return 0;
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
    return v;
  }
  uint64_t U64() {
    if (!Need(8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
    return v;
  }
  int64_t I64() { return static_cast<int64_t>(U64()); }
  bool Bool() {
    uint8_t v = U8();
    if (v > 1) ok_ = false;
    return v == 1;
  }
  void Bytes(std::string* out) {
    uint32_t n = U32();
    if (!Need(n)) return;
    out->assign(in_.data() + pos_, n);
    pos_ += n;
  }
  // A count of items each at least `min_size` bytes long: checked against what
  // is left before anyone reserves memory for it.
  uint32_t Count(size_t min_size) {
    uint32_t n = U32();
    if (ok_ && n > remaining() / min_size) ok_ = false;
    return ok_ ? n : 0;
  }
  void Fail() { ok_ = false; }

 private:
  bool Need(size_t n) {
    if (!ok_ || remaining() < n) ok_ = false;
    return ok_;
  }

  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

bool ValidType(uint8_t v) {
  return v >= static_cast<uint8_t>(zab::MessageType::kNotification) &&
         v <= static_cast<uint8_t>(zab::MessageType::kSyncReply);
}

}  // namespace

size_t EncodedSize(const zab::Message& m) {
  size_t n = kFixedSize + m.snapshot.data.size() + m.payload.size() + 8 * m.epoch_ends.size();
  for (const zab::Entry& e : m.entries) n += kEntryOverhead + e.payload.size();
  return n;
}

void AppendMessage(const zab::Message& m, std::string* out) {
  size_t start = out->size();
  size_t size = EncodedSize(m);
  out->reserve(start + size);
  Writer w(out);
  w.U8(kCodecVersion);
  w.U8(static_cast<uint8_t>(m.type));
  w.I64(m.from);
  w.I64(m.to);
  w.I64(m.epoch);
  w.U64(m.nonce);
  w.I64(m.zxid);
  w.I64(m.prev_zxid);
  w.I64(m.commit);
  w.I64(m.accepted_epoch);
  w.I64(m.current_epoch);
  w.U8(m.granted ? 1 : 0);
  w.I64(m.vote.leader);
  w.I64(m.vote.zxid);
  w.I64(m.vote.epoch);
  w.U8(static_cast<uint8_t>(m.state));
  w.U8(static_cast<uint8_t>(m.sync_mode));
  w.U8(m.has_snapshot ? 1 : 0);
  w.U64(m.request_id);
  w.I64(m.snapshot.zxid);
  w.Bytes(m.snapshot.data);
  w.U32(CheckedLength(m.entries.size()));
  for (const zab::Entry& e : m.entries) {
    w.I64(e.zxid);
    w.Bytes(e.payload.str());
  }
  w.U32(CheckedLength(m.epoch_ends.size()));
  for (zab::Zxid z : m.epoch_ends) w.I64(z);
  w.Bytes(m.payload);
  DCHECK_EQ(out->size(), start + size);
}

std::string EncodeMessage(const zab::Message& m) {
  std::string out;
  AppendMessage(m, &out);
  return out;
}

bool DecodeMessage(std::string_view bytes, zab::Message* m) {
  Reader r(bytes);
  if (r.U8() != kCodecVersion) return false;
  uint8_t type = r.U8();
  if (!ValidType(type)) return false;
  *m = zab::Message();
  m->type = static_cast<zab::MessageType>(type);
  m->from = r.I64();
  m->to = r.I64();
  m->epoch = r.I64();
  m->nonce = r.U64();
  m->zxid = r.I64();
  m->prev_zxid = r.I64();
  m->commit = r.I64();
  m->accepted_epoch = r.I64();
  m->current_epoch = r.I64();
  m->granted = r.Bool();
  m->vote.leader = r.I64();
  m->vote.zxid = r.I64();
  m->vote.epoch = r.I64();
  uint8_t state = r.U8();
  if (state > static_cast<uint8_t>(zab::Role::kObserving)) r.Fail();
  m->state = static_cast<zab::Role>(state);
  uint8_t mode = r.U8();
  if (mode > static_cast<uint8_t>(zab::SyncMode::kSnap)) r.Fail();
  m->sync_mode = static_cast<zab::SyncMode>(mode);
  m->has_snapshot = r.Bool();
  m->request_id = r.U64();
  m->snapshot.zxid = r.I64();
  r.Bytes(&m->snapshot.data);
  uint32_t entries = r.Count(kEntryOverhead);
  m->entries.resize(entries);
  for (zab::Entry& e : m->entries) {
    e.zxid = r.I64();
    std::string payload;
    r.Bytes(&payload);
    e.payload = std::move(payload);
  }
  uint32_t ends = r.Count(8);
  m->epoch_ends.resize(ends);
  for (zab::Zxid& z : m->epoch_ends) z = r.I64();
  r.Bytes(&m->payload);
  return r.done();
}

}  // namespace zk::quorum
