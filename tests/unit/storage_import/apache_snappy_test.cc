// Snapshots compressed with snappy (snapshot.<zxid>.snappy): snappy-java's
// SnappyOutputStream format, decoded by Decompress before the usual parse.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "protocol/opcodes.h"
#include "server/storage/byte_order.h"
#include "server/storage/import/apache_format.h"
#include "server/storage/import/apache_snapshot.h"
#include "server/tree/data_tree.h"
#include "tests/unit/storage_import/apache_files.h"

namespace zk::storage::apache {
namespace {

using testing::DigestAcl;
using testing::MakeStat;
using testing::SnappyJava;
using testing::SnapshotBuilder;

// Written by Apache ZooKeeper 3.8 itself; testdata/make_snappy_snapshot.py
// says how, and which tree it holds.
std::string GoldenFile() {
  std::ifstream in(
      std::string(ZK_SOURCE_DIR) + "/tests/unit/storage_import/testdata/apache38.snapshot.snappy",
      std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The data of /golden/big: periodic, so the file stays small.
std::string BigData() {
  std::string data;
  for (int i = 0; i < 280 * 256; ++i) data.push_back(static_cast<char>(i % 256));
  return data;
}

// A tree with a node large enough to span several 32 KiB blocks.
std::string LargeStream() {
  SnapshotBuilder b;
  b.Session(0x1000000aa, 30000);
  b.SystemNodes();
  b.Node({"/big", BigData(), -1, MakeStat(2, 2, 2, 0, 0)});
  b.Node({"/small", "tail", -1, MakeStat(3, 3, 3, 0, 0)});
  return b.LastProcessedZxid(3).Build();
}

// Decompress, then the parse that verifies Apache's checksum.
Status DecodeAndParse(std::string_view file) {
  std::string stream;
  Status s = Decompress(file, Compression::kSnappy, &stream);
  if (!s.ok()) return s;
  SnapshotVisitor ignore;
  return ParseApacheSnapshot(stream, &ignore);
}

TEST(ApacheSnappyTest, LoadsASnapshotApacheWroteWithSnappyCompression) {
  std::string file = GoldenFile();
  ASSERT_GT(file.size(), kSnappyHeaderSize) << "missing golden file";
  std::string stream;
  ASSERT_TRUE(Decompress(file, Compression::kSnappy, &stream).ok());
  EXPECT_GT(stream.size(), 2 * 32 * 1024u);  // three blocks

  tree::DataTree tree;
  std::vector<SessionEntry> sessions;
  SnapshotTrailer trailer;
  Status s = LoadApacheSnapshot(stream, &tree, &sessions, &trailer);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(trailer.has_digest);  // 3.8.0 writes no last-zxid section
  EXPECT_GT(trailer.digest_zxid, 0);

  auto golden = tree.Find("/golden");
  ASSERT_TRUE(golden.has_value());
  EXPECT_EQ(golden->data(), "snappy");
  EXPECT_EQ(golden->num_children(), 5);
  auto big = tree.Find("/golden/big");
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->data(), BigData());
  auto secure = tree.Find("/golden/secure");
  ASSERT_TRUE(secure.has_value());
  EXPECT_EQ(secure->data(), "alice only");
  EXPECT_EQ(secure->acl(), DigestAcl("alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=", perms::kAll));
  std::string data;
  bool data_null = false;
  ASSERT_EQ(tree.GetData("/golden/null", &data, nullptr, &data_null), Err::kOk);
  EXPECT_TRUE(data_null);

  // The ephemeral's owner is the one client session the snapshot lists.
  auto ephemeral = tree.Find("/golden/ephemeral");
  ASSERT_TRUE(ephemeral.has_value());
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(ephemeral->ephemeral_owner(), sessions[0].id);
  EXPECT_EQ(sessions[0].timeout_ms, 10000);
}

TEST(ApacheSnappyTest, DecodesAStreamOfManyBlocksOfAnySize) {
  std::string stream = LargeStream();
  for (size_t block_size : {1u, 100u, 32u * 1024, 64u * 1024, 1u << 20}) {
    std::string out;
    ASSERT_TRUE(Decompress(SnappyJava(stream, block_size), Compression::kSnappy, &out).ok())
        << "block size " << block_size;
    EXPECT_EQ(out, stream) << "block size " << block_size;
  }
}

TEST(ApacheSnappyTest, DecodesStreamsAppendedToEachOther) {
  std::string stream = LargeStream();
  size_t half = stream.size() / 2;
  std::string file = SnappyJava(stream.substr(0, half)) + SnappyJava(stream.substr(half));
  std::string out;
  ASSERT_TRUE(Decompress(file, Compression::kSnappy, &out).ok());
  EXPECT_EQ(out, stream);
}

TEST(ApacheSnappyTest, RejectsTheApacheFileTruncatedAtEveryLength) {
  std::string file = GoldenFile();
  ASSERT_GT(file.size(), kSnappyHeaderSize);
  for (size_t len = 0; len < file.size(); ++len) {
    Status s = DecodeAndParse(std::string_view(file).substr(0, len));
    EXPECT_TRUE(s.IsCorruption()) << "length " << len << ": " << s.ToString();
  }
}

// A flipped byte either fails (bad block, or Apache's checksum) or, when it
// only moves a copy's offset by a multiple of the data's period, still
// decodes to the very same bytes. It never yields a different snapshot.
TEST(ApacheSnappyTest, NeverAcceptsAFlippedByteOfTheApacheFileThatChangesTheSnapshot) {
  std::string file = GoldenFile();
  ASSERT_GT(file.size(), kSnappyHeaderSize);
  std::string original;
  ASSERT_TRUE(Decompress(file, Compression::kSnappy, &original).ok());
  size_t refused = 0;
  for (size_t at = kSnappyHeaderSize; at < file.size(); ++at) {
    std::string damaged = file;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
    std::string stream;
    Status s = Decompress(damaged, Compression::kSnappy, &stream);
    SnapshotVisitor ignore;
    if (s.ok()) s = ParseApacheSnapshot(stream, &ignore);
    if (s.ok()) {
      EXPECT_TRUE(stream == original) << "byte " << at;
    } else {
      EXPECT_TRUE(s.IsCorruption()) << "byte " << at << ": " << s.ToString();
      ++refused;
    }
  }
  EXPECT_GT(refused, (file.size() - kSnappyHeaderSize) / 2);
}

TEST(ApacheSnappyTest, CatchesADamagedBlockThroughApachesChecksum) {
  // The literal bytes of "alice only" decode fine; only the Adler32 sees the change.
  std::string file = GoldenFile();
  size_t at = file.find("alice only");
  ASSERT_NE(at, std::string::npos);
  file[at] = 'A';
  std::string stream;
  ASSERT_TRUE(Decompress(file, Compression::kSnappy, &stream).ok());
  SnapshotVisitor ignore;
  Status s = ParseApacheSnapshot(stream, &ignore);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.ToString().find("checksum"), std::string::npos) << s.ToString();
}

TEST(ApacheSnappyTest, RejectsABlockLengthPastTheEnd) {
  std::string file = SnappyJava(LargeStream());
  for (uint32_t length : {static_cast<uint32_t>(file.size()), 0x7fffffffu, 0xffffffffu}) {
    std::string damaged = file;
    std::string be;
    PutBigEndian32(&be, length);
    damaged.replace(kSnappyHeaderSize, 4, be);
    std::string out;
    Status s = Decompress(damaged, Compression::kSnappy, &out);
    EXPECT_TRUE(s.IsCorruption()) << length;
    EXPECT_NE(s.ToString().find("past the end"), std::string::npos) << s.ToString();
  }
  // The last block cut short by a byte.
  std::string out;
  Status s = Decompress(file.substr(0, file.size() - 1), Compression::kSnappy, &out);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.ToString().find("past the end"), std::string::npos) << s.ToString();
}

TEST(ApacheSnappyTest, RejectsAWrongMagicOrVersionInTheHeader) {
  std::string file = SnappyJava(LargeStream());
  std::string out;
  ASSERT_TRUE(Decompress(file, Compression::kSnappy, &out).ok());

  std::string magic = file;
  magic[1] = 's';
  EXPECT_TRUE(Decompress(magic, Compression::kSnappy, &out).IsCorruption());
  std::string old_version = file;
  old_version[11] = 0;  // version 0
  EXPECT_TRUE(Decompress(old_version, Compression::kSnappy, &out).IsCorruption());
  std::string newer_reader = file;
  newer_reader[15] = 2;  // only readers of version 2 may read it
  EXPECT_TRUE(Decompress(newer_reader, Compression::kSnappy, &out).IsCorruption());

  // An uncompressed snapshot, or the standard snappy framing format, named .snappy.
  EXPECT_TRUE(Decompress(LargeStream(), Compression::kSnappy, &out).IsCorruption());
  EXPECT_TRUE(Decompress(std::string("\xff\x06\x00\x00sNaPpY", 10), Compression::kSnappy, &out)
                  .IsCorruption());
  EXPECT_TRUE(Decompress("", Compression::kSnappy, &out).IsCorruption());
}

TEST(ApacheSnappyTest, RejectsADamagedHeaderOfAnAppendedStream) {
  std::string part = SnappyJava("abc");
  std::string second = part;
  second[6] = 'X';  // still starts with the marker, but the magic is wrong
  std::string out;
  EXPECT_TRUE(Decompress(part + second, Compression::kSnappy, &out).IsCorruption());
  EXPECT_TRUE(Decompress(part + part.substr(0, 10), Compression::kSnappy, &out).IsCorruption());
}

TEST(ApacheSnappyTest, RefusesABlockClaimingMoreThanItCanHoldWithoutAllocatingIt) {
  std::string file = SnappyJava("");
  // Preamble varint 0xffffffff (4 GiB - 1), then a few literal bytes.
  std::string block("\xff\xff\xff\xff\x0f\x08xyz", 8);
  PutBigEndian32(&file, static_cast<uint32_t>(block.size()));
  file += block;
  std::string out;
  Status s = Decompress(file, Compression::kSnappy, &out);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_NE(s.ToString().find("claims"), std::string::npos) << s.ToString();
  EXPECT_LT(out.capacity(), 1024u);
}

TEST(ApacheSnappyTest, RejectsAnEmptyBlockAndAGarbageBlock) {
  std::string out;
  std::string empty = SnappyJava("");
  PutBigEndian32(&empty, 0);
  EXPECT_TRUE(Decompress(empty, Compression::kSnappy, &out).IsCorruption());

  std::string garbage = SnappyJava("");
  std::string block("\x40\xff\xff\xff\xff\xff", 6);  // 64 bytes, then copies from nowhere
  PutBigEndian32(&garbage, static_cast<uint32_t>(block.size()));
  garbage += block;
  EXPECT_TRUE(Decompress(garbage, Compression::kSnappy, &out).IsCorruption());
}

}  // namespace
}  // namespace zk::storage::apache
