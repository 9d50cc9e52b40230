#include "server/config/quorum_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace zk::config {
namespace {

using ::testing::HasSubstr;

QuorumServer MustParse(std::string_view value, int64_t id = 1) {
  QuorumServer server;
  std::string error;
  EXPECT_TRUE(ParseQuorumServer(id, value, &server, &error)) << error;
  return server;
}

std::string ParseError(std::string_view value) {
  QuorumServer server;
  std::string error;
  EXPECT_FALSE(ParseQuorumServer(1, value, &server, &error));
  return error;
}

TEST(QuorumServerTest, ParsesHostAndBothPortsAsAParticipant) {
  QuorumServer s = MustParse("zk1.example.com:2888:3888", 7);
  EXPECT_EQ(s.id, 7);
  EXPECT_EQ(s.host, "zk1.example.com");
  EXPECT_EQ(s.peer_port, 2888);
  EXPECT_EQ(s.election_port, 3888);
  EXPECT_EQ(s.type, LearnerType::kParticipant);
  EXPECT_EQ(s.client_port, 0);
}

TEST(QuorumServerTest, ParsesTheObserverAndParticipantTypesInAnyCase) {
  EXPECT_EQ(MustParse("h:1:2:observer").type, LearnerType::kObserver);
  EXPECT_EQ(MustParse("h:1:2:OBSERVER").type, LearnerType::kObserver);
  EXPECT_EQ(MustParse("h:1:2:participant").type, LearnerType::kParticipant);
}

TEST(QuorumServerTest, ParsesAClientPortAlone) {
  QuorumServer s = MustParse("h:2888:3888;2181");
  EXPECT_EQ(s.client_host, "");
  EXPECT_EQ(s.client_port, 2181);
}

TEST(QuorumServerTest, ParsesAClientHostAndPort) {
  QuorumServer s = MustParse("h:2888:3888:participant;127.0.0.1:2182");
  EXPECT_EQ(s.client_host, "127.0.0.1");
  EXPECT_EQ(s.client_port, 2182);
}

TEST(QuorumServerTest, ParsesBracketedIpv6Hosts) {
  QuorumServer s = MustParse("[::1]:2888:3888;[::1]:2181");
  EXPECT_EQ(s.host, "::1");
  EXPECT_EQ(s.client_host, "::1");
  EXPECT_EQ(s.ToString(), "[::1]:2888:3888:participant;[::1]:2181");
}

TEST(QuorumServerTest, TrimsSurroundingWhitespace) { EXPECT_EQ(MustParse("  h:1:2  ").host, "h"); }

TEST(QuorumServerTest, PrintsLikeApacheMembershipLines) {
  EXPECT_EQ(MustParse("127.0.0.1:22888:23888").ToString(), "127.0.0.1:22888:23888:participant");
  EXPECT_EQ(MustParse("h:1:2:observer;2181").ToString(), "h:1:2:observer;0.0.0.0:2181");
  EXPECT_EQ(MustParse("h:1:2;10.0.0.1:2181").ToString(), "h:1:2:participant;10.0.0.1:2181");
}

TEST(QuorumServerTest, RejectsTooFewParts) {
  EXPECT_THAT(ParseError("h:2888"), HasSubstr("does not have the form"));
  EXPECT_THAT(ParseError("h"), HasSubstr("does not have the form"));
}

TEST(QuorumServerTest, RejectsTooManyParts) {
  EXPECT_THAT(ParseError("h:1:2:observer:extra"), HasSubstr("does not have the form"));
  EXPECT_THAT(ParseError("h:1:2;3;4"), HasSubstr("does not have the form"));
}

TEST(QuorumServerTest, RejectsNonNumericAndOutOfRangePorts) {
  EXPECT_THAT(ParseError("h:abc:3888"), HasSubstr("peer port"));
  EXPECT_THAT(ParseError("h:2888:70000"), HasSubstr("election port"));
  EXPECT_THAT(ParseError("h:2888:3888;x"), HasSubstr("client address"));
  EXPECT_THAT(ParseError("h:0:3888"), HasSubstr("peer port"));
}

TEST(QuorumServerTest, RejectsAnUnknownPeerType) {
  EXPECT_THAT(ParseError("h:1:2:voter"), HasSubstr("Unrecognised peertype: voter"));
}

TEST(QuorumServerTest, RejectsAnUnclosedIpv6Bracket) {
  EXPECT_THAT(ParseError("[::1:2888:3888"), HasSubstr("no matching ']:'"));
}

TEST(QuorumServerTest, RejectsMultipleAddresses) {
  EXPECT_THAT(ParseError("a:1:2|b:1:2"), HasSubstr("not supported"));
}

TEST(HostPortTest, ParsesPortOrHostAndPort) {
  std::string host;
  int32_t port = 0;
  std::string error;
  ASSERT_TRUE(ParseHostPort("2181", &host, &port, &error));
  EXPECT_EQ(host, "");
  EXPECT_EQ(port, 2181);
  ASSERT_TRUE(ParseHostPort("localhost:2182", &host, &port, &error));
  EXPECT_EQ(host, "localhost");
  EXPECT_EQ(port, 2182);
  EXPECT_FALSE(ParseHostPort("a:b:c", &host, &port, &error));
}

}  // namespace
}  // namespace zk::config
