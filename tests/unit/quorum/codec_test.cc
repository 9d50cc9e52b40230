#include "server/quorum/codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace zk::quorum {
namespace {

using zab::MessageType;

constexpr int kFirstType = static_cast<int>(MessageType::kNotification);
constexpr int kLastType = static_cast<int>(MessageType::kSyncReply);

// Every field set to a value distinct from its default and from the others.
zab::Message MessageWithEveryField(MessageType type) {
  zab::Message m;
  m.type = type;
  m.from = 3;
  m.to = 5;
  m.epoch = 0x1234;
  m.nonce = 0xfedcba9876543210ULL;
  m.zxid = zab::MakeZxid(7, 11);
  m.prev_zxid = zab::MakeZxid(7, 10);
  m.commit = zab::MakeZxid(6, 99);
  m.accepted_epoch = 8;
  m.current_epoch = 6;
  m.granted = true;
  m.vote = {4, zab::MakeZxid(5, 1), 5};
  m.state = zab::Role::kObserving;
  m.sync_mode = zab::SyncMode::kSnap;
  m.has_snapshot = true;
  m.snapshot = {zab::MakeZxid(6, 50), std::string("snap\0shot\xff", 10)};
  m.entries = {{zab::MakeZxid(6, 51), "first"},
               {zab::MakeZxid(6, 52), ""},
               {zab::MakeZxid(7, 1), std::string(1000, '\x80')}};
  m.epoch_ends = {zab::MakeZxid(5, 3), zab::MakeZxid(6, 52)};
  m.payload = std::string("client\0write", 12);
  m.request_id = 0x0102030405060708ULL;
  return m;
}

void ExpectSameMessage(const zab::Message& a, const zab::Message& b) {
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.from, b.from);
  EXPECT_EQ(a.to, b.to);
  EXPECT_EQ(a.epoch, b.epoch);
  EXPECT_EQ(a.nonce, b.nonce);
  EXPECT_EQ(a.zxid, b.zxid);
  EXPECT_EQ(a.prev_zxid, b.prev_zxid);
  EXPECT_EQ(a.commit, b.commit);
  EXPECT_EQ(a.accepted_epoch, b.accepted_epoch);
  EXPECT_EQ(a.current_epoch, b.current_epoch);
  EXPECT_EQ(a.granted, b.granted);
  EXPECT_EQ(a.vote, b.vote);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.sync_mode, b.sync_mode);
  EXPECT_EQ(a.has_snapshot, b.has_snapshot);
  EXPECT_EQ(a.snapshot, b.snapshot);
  EXPECT_EQ(a.entries, b.entries);
  EXPECT_EQ(a.epoch_ends, b.epoch_ends);
  EXPECT_EQ(a.payload, b.payload);
  EXPECT_EQ(a.request_id, b.request_id);
}

TEST(CodecTest, EveryMessageTypeRoundTripsWithEveryFieldSet) {
  for (int t = kFirstType; t <= kLastType; t++) {
    SCOPED_TRACE(zab::MessageTypeName(static_cast<MessageType>(t)));
    zab::Message in = MessageWithEveryField(static_cast<MessageType>(t));
    std::string bytes = EncodeMessage(in);
    EXPECT_EQ(bytes.size(), EncodedSize(in));
    zab::Message out;
    ASSERT_TRUE(DecodeMessage(bytes, &out));
    ExpectSameMessage(in, out);
  }
}

TEST(CodecTest, DefaultMessageRoundTrips) {
  zab::Message out = MessageWithEveryField(MessageType::kSync);
  ASSERT_TRUE(DecodeMessage(EncodeMessage(zab::Message()), &out));
  ExpectSameMessage(zab::Message(), out);
}

TEST(CodecTest, EveryRoleAndSyncModeRoundTrips) {
  for (zab::Role role :
       {zab::Role::kLooking, zab::Role::kFollowing, zab::Role::kLeading, zab::Role::kObserving}) {
    for (zab::SyncMode mode : {zab::SyncMode::kDiff, zab::SyncMode::kTrunc, zab::SyncMode::kSnap}) {
      zab::Message in;
      in.state = role;
      in.sync_mode = mode;
      zab::Message out;
      ASSERT_TRUE(DecodeMessage(EncodeMessage(in), &out));
      EXPECT_EQ(out.state, role);
      EXPECT_EQ(out.sync_mode, mode);
    }
  }
}

TEST(CodecTest, ExtremeIntegersRoundTrip) {
  zab::Message in;
  in.from = std::numeric_limits<int64_t>::min();
  in.to = std::numeric_limits<int64_t>::max();
  in.zxid = -1;
  in.nonce = std::numeric_limits<uint64_t>::max();
  in.epoch_ends = {std::numeric_limits<int64_t>::min(), 0, -1};
  zab::Message out;
  ASSERT_TRUE(DecodeMessage(EncodeMessage(in), &out));
  ExpectSameMessage(in, out);
}

TEST(CodecTest, AppendMessageAddsToWhatIsThere) {
  zab::Message in = MessageWithEveryField(MessageType::kProposal);
  std::string out = "head";
  AppendMessage(in, &out);
  EXPECT_EQ(out, "head" + EncodeMessage(in));
}

TEST(CodecTest, EncodingStartsWithTheFormatVersion) {
  std::string bytes = EncodeMessage(zab::Message());
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), kCodecVersion);
  bytes[0] = static_cast<char>(kCodecVersion + 1);
  zab::Message out;
  EXPECT_FALSE(DecodeMessage(bytes, &out));
}

TEST(CodecTest, UnknownTypeIsRejected) {
  zab::Message out;
  for (int type : {0, kLastType + 1, 255}) {
    std::string bytes = EncodeMessage(zab::Message());
    bytes[1] = static_cast<char>(type);
    EXPECT_FALSE(DecodeMessage(bytes, &out)) << type;
  }
}

// Offsets of single-byte fields, from the format in README.md.
constexpr size_t kGrantedOffset = 2 + 9 * 8;
constexpr size_t kStateOffset = kGrantedOffset + 1 + 3 * 8;

TEST(CodecTest, OutOfRangeEnumsAndBooleansAreRejected) {
  zab::Message out;
  std::string good = EncodeMessage(zab::Message());
  ASSERT_TRUE(DecodeMessage(good, &out));
  struct Case {
    size_t offset;
    uint8_t value;
  };
  for (Case c : {Case{kGrantedOffset, 2}, Case{kStateOffset, 4}, Case{kStateOffset + 1, 3},
                 Case{kStateOffset + 2, 2}}) {
    std::string bytes = good;
    bytes[c.offset] = static_cast<char>(c.value);
    EXPECT_FALSE(DecodeMessage(bytes, &out)) << "offset " << c.offset;
  }
}

TEST(CodecTest, TrailingBytesAreRejected) {
  zab::Message out;
  EXPECT_FALSE(DecodeMessage(EncodeMessage(zab::Message()) + '\0', &out));
}

TEST(CodecTest, EveryTruncationIsRejected) {
  std::string bytes = EncodeMessage(MessageWithEveryField(MessageType::kSync));
  zab::Message out;
  for (size_t n = 0; n < bytes.size(); n++) {
    ASSERT_FALSE(DecodeMessage(std::string_view(bytes).substr(0, n), &out)) << n;
  }
}

TEST(CodecTest, HugeCountsAndLengthsFailWithoutAllocating) {
  // A default message ends with: snapshot length, entry count, epoch_ends count, payload length.
  std::string good = EncodeMessage(zab::Message());
  size_t tail = good.size() - 16;
  zab::Message out;
  for (size_t field = 0; field < 4; field++) {
    std::string bytes = good;
    for (size_t i = 0; i < 4; i++) bytes[tail + 4 * field + i] = '\xff';
    EXPECT_FALSE(DecodeMessage(bytes, &out)) << "field " << field;
  }
}

// A decoder that accepts damaged input must at least be canonical: what it
// accepted re-encodes to the very same bytes.
void ExpectRejectedOrCanonical(const std::string& bytes, int* accepted) {
  zab::Message out;
  if (DecodeMessage(bytes, &out)) {
    ++*accepted;
    ASSERT_EQ(EncodeMessage(out), bytes);
  }
}

TEST(CodecTest, BitFlipsNeverCrashAndAcceptOnlyCanonicalBytes) {
  std::mt19937 rng(20240601);
  int accepted = 0;
  int cases = 0;
  for (int t = kFirstType; t <= kLastType; t++) {
    std::string good = EncodeMessage(MessageWithEveryField(static_cast<MessageType>(t)));
    for (int i = 0; i < 300; i++) {
      std::string bytes = good;
      int flips = 1 + static_cast<int>(rng() % 3);
      for (int f = 0; f < flips; f++) {
        size_t bit = rng() % (bytes.size() * 8);
        bytes[bit / 8] = static_cast<char>(bytes[bit / 8] ^ (1 << (bit % 8)));
      }
      ExpectRejectedOrCanonical(bytes, &accepted);
      cases++;
    }
  }
  EXPECT_EQ(cases, 16 * 300);
  // Flips in integer fields stay valid messages; flips in lengths and enums do not.
  EXPECT_GT(accepted, 0);
  EXPECT_LT(accepted, cases);
}

TEST(CodecTest, RandomTruncationsAndGarbageNeverCrash) {
  std::mt19937 rng(7);
  std::string good = EncodeMessage(MessageWithEveryField(MessageType::kSync));
  int accepted = 0;
  for (int i = 0; i < 2000; i++) {
    std::string bytes = good.substr(0, rng() % good.size());
    // Keep a valid version and type so the decoder goes deep.
    for (size_t j = 2; j < bytes.size(); j++) {
      if (rng() % 8 == 0) bytes[j] = static_cast<char>(rng());
    }
    ExpectRejectedOrCanonical(bytes, &accepted);
  }
  for (int i = 0; i < 2000; i++) {
    std::string bytes(rng() % 300, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    if (!bytes.empty()) bytes[0] = static_cast<char>(kCodecVersion);
    ExpectRejectedOrCanonical(bytes, &accepted);
  }
  EXPECT_EQ(accepted, 0);
}

}  // namespace
}  // namespace zk::quorum
