#include "server/quorum/peer_transport.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "tests/unit/quorum/transport_test_util.h"

namespace zk::quorum {
namespace {

using testing::Ensemble;
using testing::MakeMessage;
using testing::Node;
using testing::PickFreePorts;
using testing::RunUntil;
using testing::TestOptions;

class PeerTransportTest : public ::testing::Test {
 protected:
  // Starts servers 1..n of an ensemble of `size` (the rest stay down).
  void StartEnsemble(size_t n, size_t size, TransportOptions options = TestOptions()) {
    peers_ = Ensemble(PickFreePorts(size));
    for (size_t i = 1; i <= n; i++) StartNode(static_cast<zab::ServerId>(i), options);
  }
  Node& StartNode(zab::ServerId id, TransportOptions options = TestOptions()) {
    auto node = std::make_unique<Node>(io_, id, peers_, options);
    std::string error;
    EXPECT_TRUE(node->transport->Start(&error)) << error;
    nodes_[id] = std::move(node);
    return *nodes_[id];
  }
  void StopNode(zab::ServerId id) {
    nodes_[id]->transport->Stop();
    nodes_.erase(id);
  }
  bool AllConnected() {
    for (auto& [from, node] : nodes_) {
      for (auto& [to, other] : nodes_) {
        if (from != to && !node->transport->Connected(to)) return false;
      }
    }
    return true;
  }
  PeerTransport& T(zab::ServerId id) { return *nodes_.at(id)->transport; }
  std::vector<zab::Message>& Received(zab::ServerId id) { return nodes_.at(id)->received; }

  boost::asio::io_context io_;
  std::vector<PeerAddress> peers_;
  std::map<zab::ServerId, std::unique_ptr<Node>> nodes_;
};

TEST_F(PeerTransportTest, ThreeServersExchangeMessagesBothWays) {
  StartEnsemble(3, 3);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  for (zab::ServerId from = 1; from <= 3; from++) {
    for (zab::ServerId to = 1; to <= 3; to++) {
      if (from != to) {
        T(from).Send(MakeMessage(from, to, std::to_string(from) + "->" + std::to_string(to)));
      }
    }
  }
  ASSERT_TRUE(RunUntil(io_, [&] {
    return Received(1).size() == 2 && Received(2).size() == 2 && Received(3).size() == 2;
  }));
  for (zab::ServerId to = 1; to <= 3; to++) {
    for (const zab::Message& m : Received(to)) {
      EXPECT_EQ(m.to, to);
      EXPECT_EQ(m.type, zab::MessageType::kRequest);
      EXPECT_EQ(m.payload, std::to_string(m.from) + "->" + std::to_string(to));
    }
  }
  EXPECT_EQ(T(1).Stats(2).sent_messages, 1u);
  EXPECT_EQ(T(1).Stats(2).connects, 1u);
}

TEST_F(PeerTransportTest, MessagesOnOneLinkArriveInTheOrderSent) {
  StartEnsemble(2, 2);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  constexpr uint64_t kCount = 2000;
  for (uint64_t i = 0; i < kCount; i++) T(1).Send(MakeMessage(1, 2, "x", i));
  ASSERT_TRUE(RunUntil(io_, [&] { return Received(2).size() == kCount; }));
  for (uint64_t i = 0; i < kCount; i++) ASSERT_EQ(Received(2)[i].request_id, i);
  EXPECT_EQ(T(1).Stats(2).dropped_messages, 0u);
}

TEST_F(PeerTransportTest, ASnapshotLargerThanTheReadBufferArrivesWhole) {
  StartEnsemble(2, 2);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  zab::Message m = MakeMessage(1, 2, "");
  m.type = zab::MessageType::kSync;
  m.has_snapshot = true;
  m.snapshot.zxid = zab::MakeZxid(3, 7);
  m.snapshot.data.resize(6 << 20);
  for (size_t i = 0; i < m.snapshot.data.size(); i++)
    m.snapshot.data[i] = static_cast<char>(i * 31);
  for (int i = 0; i < 1000; i++) m.entries.push_back({zab::MakeZxid(3, 8 + i), "txn"});
  T(1).Send(m);
  T(1).Send(MakeMessage(1, 2, "after"));
  ASSERT_TRUE(RunUntil(io_, [&] { return Received(2).size() == 2; }));
  EXPECT_EQ(Received(2)[0].snapshot, m.snapshot);
  EXPECT_EQ(Received(2)[0].entries, m.entries);
  EXPECT_EQ(Received(2)[1].payload, "after");
}

TEST_F(PeerTransportTest, ARestartedPeerIsReconnectedAndMessagesFlowAgain) {
  StartEnsemble(3, 3);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  StopNode(2);
  ASSERT_TRUE(RunUntil(io_, [&] { return !T(1).Connected(2) && !T(3).Connected(2); }));
  T(1).Send(MakeMessage(1, 2, "lost"));
  EXPECT_EQ(T(1).Stats(2).dropped_messages, 1u);

  StartNode(2);  // same port
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  EXPECT_EQ(T(1).Stats(2).connects, 2u);
  T(1).Send(MakeMessage(1, 2, "to the new 2"));
  T(2).Send(MakeMessage(2, 1, "from the new 2"));
  ASSERT_TRUE(RunUntil(io_, [&] { return !Received(2).empty() && !Received(1).empty(); }));
  ASSERT_EQ(Received(2).size(), 1u);
  EXPECT_EQ(Received(2)[0].payload, "to the new 2");
  ASSERT_EQ(Received(1).size(), 1u);
  EXPECT_EQ(Received(1)[0].payload, "from the new 2");
}

TEST_F(PeerTransportTest, MessagesToADownPeerAreDroppedNotQueued) {
  StartEnsemble(1, 2);
  testing::RunFor(io_, std::chrono::milliseconds(50));  // a few failed dials
  EXPECT_FALSE(T(1).Connected(2));
  for (int i = 0; i < 100; i++) T(1).Send(MakeMessage(1, 2, std::string(1000, 'x')));
  PeerLinkStats stats = T(1).Stats(2);
  EXPECT_EQ(stats.queued_messages, 0u);
  EXPECT_EQ(stats.queued_bytes, 0u);
  EXPECT_EQ(stats.dropped_messages, 100u);
  EXPECT_EQ(stats.sent_messages, 0u);
}

TEST_F(PeerTransportTest, APeerThatComesUpLateIsDialledWithinTheBackoffLimit) {
  StartEnsemble(1, 2);
  testing::RunFor(io_, std::chrono::milliseconds(200));  // backoff has reached its limit
  StartNode(2);
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(PeerTransportTest, MessagesTooLargeForAFrameAreDroppedBySender) {
  TransportOptions options = TestOptions();
  options.max_frame_bytes = 4096;
  StartEnsemble(2, 2, options);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  T(1).Send(MakeMessage(1, 2, std::string(5000, 'x')));
  T(1).Send(MakeMessage(1, 2, "small"));
  ASSERT_TRUE(RunUntil(io_, [&] { return !Received(2).empty(); }));
  testing::RunFor(io_, std::chrono::milliseconds(20));
  ASSERT_EQ(Received(2).size(), 1u);
  EXPECT_EQ(Received(2)[0].payload, "small");
  EXPECT_EQ(T(1).Stats(2).dropped_messages, 1u);
  EXPECT_TRUE(T(1).Connected(2));  // the link itself stays up
}

TEST_F(PeerTransportTest, MessagesToSelfOrUnknownServersAreIgnored) {
  StartEnsemble(2, 2);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  T(1).Send(MakeMessage(1, 1, "self"));
  T(1).Send(MakeMessage(1, 9, "nobody"));
  T(1).Send(MakeMessage(1, 2, "real"));
  ASSERT_TRUE(RunUntil(io_, [&] { return !Received(2).empty(); }));
  testing::RunFor(io_, std::chrono::milliseconds(20));
  EXPECT_TRUE(Received(1).empty());
  ASSERT_EQ(Received(2).size(), 1u);
  EXPECT_EQ(Received(2)[0].payload, "real");
}

TEST_F(PeerTransportTest, StartFailsWhenSelfIsNotInThePeerList) {
  boost::asio::io_context io;
  PeerTransport transport(io, 7, Ensemble(PickFreePorts(2)), [](zab::Message) {});
  std::string error;
  EXPECT_FALSE(transport.Start(&error));
  EXPECT_NE(error.find("not in the peer list"), std::string::npos) << error;
}

TEST_F(PeerTransportTest, StartFailsWhenThePortIsTaken) {
  StartEnsemble(1, 2);
  PeerTransport second(io_, 1, peers_, [](zab::Message) {});
  std::string error;
  EXPECT_FALSE(second.Start(&error));
  EXPECT_NE(error.find("cannot listen"), std::string::npos) << error;
}

TEST_F(PeerTransportTest, PortZeroListensOnAFreePort) {
  std::vector<PeerAddress> peers = {{1, "127.0.0.1", 0}};
  PeerTransport transport(io_, 1, peers, [](zab::Message) {});
  std::string error;
  ASSERT_TRUE(transport.Start(&error)) << error;
  EXPECT_NE(transport.listen_port(), 0);
}

TEST_F(PeerTransportTest, NothingIsDeliveredAfterStop) {
  StartEnsemble(2, 2);
  ASSERT_TRUE(RunUntil(io_, [&] { return AllConnected(); }));
  T(1).Send(MakeMessage(1, 2, "in flight"));
  T(2).Stop();
  testing::RunFor(io_, std::chrono::milliseconds(50));
  EXPECT_TRUE(Received(2).empty());
  T(2).Send(MakeMessage(2, 1, "after stop"));
  testing::RunFor(io_, std::chrono::milliseconds(20));
  EXPECT_TRUE(Received(1).empty());
}

}  // namespace
}  // namespace zk::quorum
