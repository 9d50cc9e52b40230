// Properties every generated ZooKeeper record must have, plus the wire layout
// of the records whose bytes other code depends on most.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <sstream>
#include <string>

#include "jute/archive.h"
#include "jute/zookeeper.h"
#include "jute/zookeeper_testing.h"

namespace zk {
namespace {

using ::testing::StartsWith;

template <class T>
T Sample() {
  T record;
  int counter = 0;
  jute::testing::FillSample(&record, &counter);
  return record;
}

template <class T>
class EveryRecordTest : public ::testing::Test {};

class RecordNames {
 public:
  template <class T>
  static std::string GetName(int) {
    return std::string(T::kJuteName.substr(T::kJuteName.rfind('.') + 1));
  }
};

using AllRecords = ::testing::Types<JUTE_ZOOKEEPER_RECORDS>;
TYPED_TEST_SUITE(EveryRecordTest, AllRecords, RecordNames);

TYPED_TEST(EveryRecordTest, RoundTripsASampleWithEveryFieldSet) {
  const TypeParam sample = Sample<TypeParam>();
  const std::string bytes = jute::Encode(sample);
  TypeParam decoded;
  ASSERT_TRUE(jute::Decode(bytes, &decoded));
  EXPECT_EQ(decoded, sample);
  EXPECT_EQ(jute::Encode(decoded), bytes);
}

TYPED_TEST(EveryRecordTest, RoundTripsDefaultValues) {
  const std::string bytes = jute::Encode(TypeParam());
  TypeParam decoded = Sample<TypeParam>();
  ASSERT_TRUE(jute::Decode(bytes, &decoded));
  EXPECT_EQ(decoded, TypeParam());
}

TYPED_TEST(EveryRecordTest, SampleDiffersFromDefault) {
  // Guards the round-trip test against a sample generator that sets nothing.
  EXPECT_NE(Sample<TypeParam>(), TypeParam());
}

TYPED_TEST(EveryRecordTest, RejectsInputTruncatedAtEveryCutPoint) {
  const std::string bytes = jute::Encode(Sample<TypeParam>());
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    TypeParam decoded;
    EXPECT_FALSE(jute::Decode(std::string_view(bytes).substr(0, cut), &decoded))
        << "cut at " << cut << " of " << bytes.size();
  }
}

TYPED_TEST(EveryRecordTest, IgnoresTrailingBytes) {
  const TypeParam sample = Sample<TypeParam>();
  TypeParam decoded;
  ASSERT_TRUE(jute::Decode(jute::Encode(sample) + "trailing", &decoded));
  EXPECT_EQ(decoded, sample);
}

TYPED_TEST(EveryRecordTest, SurvivesAnyWordOverwrittenWithAHostileLength) {
  // Each overwritten word may land on a length, a count or plain data; the
  // decoder must return (either way) without crashing or allocating wildly.
  const std::string bytes = jute::Encode(Sample<TypeParam>());
  const std::string hostile[] = {"\xff\xff\xff\xfe", "\xff\xff\xff\xff", "\x7f\xff\xff\xff",
                                 "\x00\x10\x00\x00", std::string("\x00\x00\x00\x00", 4)};
  for (size_t pos = 0; pos + 4 <= bytes.size(); ++pos) {
    for (const std::string& word : hostile) {
      std::string corrupt = bytes;
      corrupt.replace(pos, 4, word);
      TypeParam decoded;
      jute::Decode(corrupt, &decoded);
    }
  }
}

TYPED_TEST(EveryRecordTest, PrintsItsNameAndFields) {
  std::ostringstream os;
  os << Sample<TypeParam>();
  const std::string name = RecordNames::GetName<TypeParam>(0);
  EXPECT_EQ(os.str().substr(0, name.size() + 1), name + "{");
  EXPECT_EQ(os.str().back(), '}');
}

template <class... T>
std::set<std::string_view> NamesOf(::testing::Types<T...>*) {
  return {T::kJuteName...};
}

TEST(RecordListTest, CoversEveryModuleOfTheClientProtocolAndTxnLog) {
  const std::set<std::string_view> names = NamesOf(static_cast<AllRecords*>(nullptr));
  EXPECT_EQ(names.size(), 74u);
  // Not the full list: a spot check that each module made it through.
  for (std::string_view name :
       {"org.apache.zookeeper.data.ClientInfo", "org.apache.zookeeper.proto.WhoAmIResponse",
        "org.apache.zookeeper.proto.SetWatches2", "org.apache.zookeeper.server.quorum.QuorumPacket",
        "org.apache.zookeeper.server.persistence.FileHeader",
        "org.apache.zookeeper.txn.MultiTxn"}) {
    EXPECT_EQ(names.count(name), 1u) << name;
  }
}

TEST(StatTest, EncodesElevenFieldsInWireOrder) {
  data::Stat stat;
  stat.czxid = 1;
  stat.mzxid = 2;
  stat.ctime = 3;
  stat.mtime = 4;
  stat.version = 5;
  stat.cversion = 6;
  stat.aversion = 7;
  stat.ephemeralOwner = 8;
  stat.dataLength = 9;
  stat.numChildren = 10;
  stat.pzxid = 11;
  std::string expected;
  jute::OutputArchive out(&expected);
  for (int64_t v : {1, 2, 3, 4}) out.WriteLong(v);
  for (int32_t v : {5, 6, 7}) out.WriteInt(v);
  out.WriteLong(8);
  for (int32_t v : {9, 10}) out.WriteInt(v);
  out.WriteLong(11);
  EXPECT_EQ(jute::Encode(stat), expected);
  EXPECT_EQ(expected.size(), 68u);
}

TEST(StatPersistedTest, IsStatWithoutDataLengthAndNumChildren) {
  EXPECT_EQ(jute::Encode(data::StatPersisted()).size(), 60u);
}

TEST(ReplyHeaderTest, EncodesXidZxidErr) {
  proto::ReplyHeader header;
  header.xid = -1;
  header.zxid = 0x0000000100000002;
  header.err = -101;
  EXPECT_EQ(jute::Encode(header), std::string("\xff\xff\xff\xff"
                                              "\x00\x00\x00\x01\x00\x00\x00\x02"
                                              "\xff\xff\xff\x9b",
                                              16));
}

TEST(RecordDecodeTest, ReadsHeaderAndBodyFromOneBuffer) {
  proto::RequestHeader header;
  header.xid = 7;
  header.type = 4;
  proto::GetDataRequest body;
  body.path = "/a";
  body.watch = true;
  const std::string frame = jute::Encode(header) + jute::Encode(body);

  jute::InputArchive in(frame);
  proto::RequestHeader header2;
  proto::GetDataRequest body2;
  ASSERT_TRUE(header2.Deserialize(in));
  ASSERT_TRUE(body2.Deserialize(in));
  EXPECT_EQ(header2, header);
  EXPECT_EQ(body2, body);
  EXPECT_EQ(in.Remaining(), 0u);
}

TEST(RecordDecodeTest, ReadsNullDataAndNullAclAsEmpty) {
  std::string bytes;
  jute::OutputArchive out(&bytes);
  out.WriteString("/node");
  out.WriteInt(-1);  // data
  out.WriteInt(-1);  // acl
  out.WriteInt(0);   // flags
  proto::CreateRequest request;
  ASSERT_TRUE(jute::Decode(bytes, &request));
  EXPECT_EQ(request.path, "/node");
  EXPECT_EQ(request.data, "");
  EXPECT_TRUE(request.acl.empty());
}

TEST(RecordDecodeTest, RejectsAclCountLargerThanTheRemainingBytesAllow) {
  std::string bytes;
  jute::OutputArchive out(&bytes);
  out.WriteString("/node");
  out.WriteBuffer("");
  out.WriteInt(2);  // two ACLs need at least 24 bytes; 16 follow
  out.WriteInt(31);
  out.WriteString("");
  out.WriteString("");
  out.WriteInt(0);
  proto::CreateRequest request;
  EXPECT_FALSE(jute::Decode(bytes, &request));
}

TEST(RecordDecodeTest, RejectsMaximalVectorCountWithoutAllocating) {
  std::string bytes;
  jute::OutputArchive out(&bytes);
  out.WriteInt(0x7fffffff);
  proto::GetChildrenResponse response;
  EXPECT_FALSE(jute::Decode(bytes, &response));
  EXPECT_EQ(response.children.capacity(), 0u);
}

TEST(RecordDecodeTest, RejectsNegativeVectorCount) {
  std::string bytes;
  jute::OutputArchive(&bytes).WriteInt(-2);
  proto::GetChildrenResponse response;
  EXPECT_FALSE(jute::Decode(bytes, &response));
}

TEST(RecordDecodeTest, AppliesMaxBufferToEveryString) {
  proto::SetDataRequest request;
  request.path = "/p";
  request.data = std::string(100, 'd');
  const std::string bytes = jute::Encode(request);
  proto::SetDataRequest decoded;
  EXPECT_FALSE(jute::Decode(bytes, &decoded, 99));
  EXPECT_TRUE(jute::Decode(bytes, &decoded, 100));
}

TEST(RecordPrintTest, QuotesStringsAndHexesBuffers) {
  proto::SetDataRequest request;
  request.path = "/a\"b";
  request.data = std::string("\x00\xff", 2);
  request.version = -1;
  std::ostringstream os;
  os << request;
  EXPECT_EQ(os.str(), R"(SetDataRequest{path="/a\"b", data=0x00ff, version=-1})");
}

TEST(RecordPrintTest, PrintsNestedRecordsAndVectors) {
  proto::GetACLResponse response;
  response.acl.push_back({31, {"world", "anyone"}});
  std::ostringstream os;
  os << response;
  EXPECT_THAT(os.str(), StartsWith(R"(GetACLResponse{acl=[ACL{perms=31, id=Id{scheme="world", )"
                                   R"(id="anyone"}}], stat=Stat{czxid=0, mzxid=0,)"));
}

}  // namespace
}  // namespace zk
