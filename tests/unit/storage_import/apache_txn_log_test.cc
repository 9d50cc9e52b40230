#include "server/storage/import/apache_txn_log.h"

#include <gtest/gtest.h>

#include "jute/archive.h"
#include "protocol/opcodes.h"
#include "tests/unit/storage_import/apache_files.h"

namespace zk::storage::apache {
namespace {

pipeline::Txn Txn(OpCode type, int64_t zxid, pipeline::TxnBody body, int64_t session = 0x77) {
  pipeline::Txn txn;
  txn.header.clientId = session;
  txn.header.cxid = 1;
  txn.header.zxid = zxid;
  txn.header.time = 1700000000000 + zxid;
  txn.header.type = static_cast<int32_t>(type);
  txn.body = std::move(body);
  return txn;
}

pipeline::Txn SetData(int64_t zxid, const std::string& path, int32_t version) {
  txn::SetDataTxn body;
  body.path = path;
  body.data = "v" + std::to_string(version);
  body.version = version;
  return Txn(OpCode::kSetData, zxid, body);
}

std::vector<int64_t> ScanZxids(const std::string& file, LogScan* scan) {
  std::vector<int64_t> zxids;
  Status s = ScanLog(
      file,
      [&](std::string_view bytes) {
        pipeline::Txn txn;
        EXPECT_TRUE(DecodeLoggedTxn(bytes, &txn));
        zxids.push_back(txn.header.zxid);
        return true;
      },
      scan);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return zxids;
}

TEST(ApacheTxnLogTest, ReadsEveryRecordUpToThePreallocatedZeros) {
  std::string file = testing::BuildLog({SetData(5, "/a", 1), SetData(6, "/a", 2)}, 4096);
  LogScan scan;
  EXPECT_EQ(ScanZxids(file, &scan), (std::vector<int64_t>{5, 6}));
  EXPECT_FALSE(scan.torn);
  EXPECT_EQ(scan.records, 2u);
}

TEST(ApacheTxnLogTest, ReadsAFileThatEndsRightAfterItsLastRecord) {
  LogScan scan;
  EXPECT_EQ(ScanZxids(testing::BuildLog({SetData(5, "/a", 1)}, 0), &scan), std::vector<int64_t>{5});
  EXPECT_FALSE(scan.torn);
}

TEST(ApacheTxnLogTest, StopsAtATornRecordWhereverTheFileWasCut) {
  std::string whole = testing::BuildLog({SetData(5, "/a", 1), SetData(6, "/a", 2)}, 0);
  std::string first = testing::BuildLog({SetData(5, "/a", 1)}, 0);
  for (size_t len = first.size() + 1; len < whole.size(); ++len) {
    LogScan scan;
    EXPECT_EQ(ScanZxids(whole.substr(0, len), &scan), std::vector<int64_t>{5}) << len;
    // A cut that leaves only zero bytes (the checksum's high half is always
    // zero) looks like the padding, the end of the file.
    std::string_view tail = std::string_view(whole).substr(first.size(), len - first.size());
    EXPECT_EQ(scan.torn, tail.find_first_not_of('\0') != std::string_view::npos) << len;
    EXPECT_EQ(scan.end_offset, first.size());
  }
}

TEST(ApacheTxnLogTest, StopsAtAChecksumMismatch) {
  std::string file = testing::BuildLog({SetData(5, "/a", 1), SetData(6, "/b", 2)});
  file[file.rfind("/b")] = 'X';
  LogScan scan;
  EXPECT_EQ(ScanZxids(file, &scan), std::vector<int64_t>{5});
  EXPECT_TRUE(scan.torn);
  EXPECT_EQ(scan.problem, "checksum mismatch");
}

TEST(ApacheTxnLogTest, StopsAtARecordWithoutItsEndByte) {
  std::string file = testing::BuildLog({SetData(5, "/a", 1)}, 0);
  file.back() = 'X';
  LogScan scan;
  EXPECT_TRUE(ScanZxids(file, &scan).empty());
  EXPECT_TRUE(scan.torn);
  EXPECT_EQ(scan.problem, "missing end-of-record byte");
}

TEST(ApacheTxnLogTest, RejectsAFileThatIsNotAVersion2Log) {
  std::string file = testing::BuildLog({SetData(5, "/a", 1)});
  LogScan scan;
  auto ignore = [](std::string_view) { return true; };
  std::string snap = file;
  snap.replace(0, 4, "ZKSN");
  EXPECT_TRUE(ScanLog(snap, ignore, &scan).IsCorruption());
  EXPECT_TRUE(ScanLog(file.substr(0, 10), ignore, &scan).IsCorruption());
}

TEST(ApacheTxnLogTest, DecodesTxnsFollowedByADigest) {
  txn::CreateTxn create;
  create.path = "/n";
  create.data = "x";
  create.acl = {data::ACL{perms::kAll, data::Id{"world", "anyone"}}};
  create.parentCVersion = 3;
  std::string file = testing::BuildLog({Txn(OpCode::kCreate, 9, create)}, 16, true);
  std::vector<pipeline::Txn> txns;
  LogScan scan;
  ASSERT_TRUE(ScanLog(
                  file,
                  [&](std::string_view bytes) {
                    txns.emplace_back();
                    EXPECT_TRUE(DecodeLoggedTxn(bytes, &txns.back()));
                    return true;
                  },
                  &scan)
                  .ok());
  ASSERT_EQ(txns.size(), 1u);
  EXPECT_EQ(std::get<txn::CreateTxn>(txns[0].body), create);
}

TEST(ApacheTxnLogTest, DecodesACloseSessionWithoutBodyAsOneWithNoPaths) {
  txn::TxnHeader header;
  header.clientId = 0x55;
  header.zxid = 12;
  header.type = static_cast<int32_t>(OpCode::kCloseSession);
  pipeline::Txn txn;
  ASSERT_TRUE(DecodeLoggedTxn(jute::Encode(header), &txn));
  EXPECT_TRUE(std::get<txn::CloseSessionTxn>(txn.body).paths2Delete.empty());
  EXPECT_EQ(txn.header.clientId, 0x55);
}

TEST(ApacheTxnLogTest, DecodesReconfigAsTheSetDataOfTheConfigNode) {
  txn::SetDataTxn body;
  body.path = "/zookeeper/config";
  body.data = "server.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nversion=100000000";
  body.version = 1;
  pipeline::Txn logged = Txn(OpCode::kSetData, 0x100000000, body);
  logged.header.type = 16;
  pipeline::Txn txn;
  ASSERT_TRUE(DecodeLoggedTxn(pipeline::EncodeTxn(logged), &txn));
  EXPECT_EQ(txn.header.type, static_cast<int32_t>(OpCode::kSetData));
  EXPECT_EQ(std::get<txn::SetDataTxn>(txn.body), body);
}

TEST(ApacheTxnLogTest, RefusesATxnOfAnUnknownType) {
  pipeline::Txn logged = SetData(3, "/a", 1);
  logged.header.type = 99;
  pipeline::Txn txn;
  EXPECT_FALSE(DecodeLoggedTxn(pipeline::EncodeTxn(logged), &txn));
}

TEST(ApacheTxnLogTest, ParsesLogFileNames) {
  int64_t zxid = 0;
  ASSERT_TRUE(ParseLogName("log.100000001", &zxid));
  EXPECT_EQ(zxid, 0x100000001);
  EXPECT_FALSE(ParseLogName("log.", &zxid));
  EXPECT_FALSE(ParseLogName("snapshot.1", &zxid));
  EXPECT_FALSE(ParseLogName("log.1.gz", &zxid));
}

}  // namespace
}  // namespace zk::storage::apache
