// Peer links facing misbehaving peers: raw sockets that speak the link
// protocol badly, and a peer that stops reading.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "server/quorum/codec.h"
#include "server/quorum/link_protocol.h"
#include "server/quorum/peer_transport.h"
#include "tests/unit/quorum/transport_test_util.h"

namespace zk::quorum {
namespace {

using boost::asio::ip::tcp;
using testing::Ensemble;
using testing::MakeMessage;
using testing::Node;
using testing::PickFreePorts;
using testing::RunUntil;
using testing::TestOptions;

constexpr size_t kFrameLimit = 1 << 20;

std::string Frame(std::string_view body) {
  std::string out(kFrameHeaderSize, '\0');
  WriteBigEndian32(static_cast<uint32_t>(body.size()), out.data());
  out.append(body);
  return out;
}

// A hand-driven connection to a transport's peer port.
class RawPeer {
 public:
  RawPeer(boost::asio::io_context& io, uint16_t port) : socket_(io) {
    socket_.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    Watch();
  }
  void Write(const std::string& bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
  }
  bool closed() const { return closed_; }

 private:
  void Watch() {
    socket_.async_read_some(boost::asio::buffer(buf_),
                            [this](const boost::system::error_code& ec, size_t) {
                              if (ec) {
                                closed_ = true;
                                return;
                              }
                              Watch();
                            });
  }
  tcp::socket socket_;
  char buf_[64];
  bool closed_ = false;
};

// Servers 1 and 2 run; id 4 is in the ensemble but only raw sockets speak for it.
class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TransportOptions options = TestOptions();
    options.max_frame_bytes = kFrameLimit;
    peers_ = Ensemble(PickFreePorts(4));
    for (zab::ServerId id : {1, 2}) {
      nodes_[id] = std::make_unique<Node>(io_, id, peers_, options);
      std::string error;
      ASSERT_TRUE(nodes_[id]->transport->Start(&error)) << error;
    }
    ASSERT_TRUE(RunUntil(io_, [&] { return T(1).Connected(2) && T(2).Connected(1); }));
  }
  PeerTransport& T(zab::ServerId id) { return *nodes_.at(id)->transport; }
  std::vector<zab::Message>& Received(zab::ServerId id) { return nodes_.at(id)->received; }

  // The link from 2 to 1 still carries messages.
  void ExpectServer1StillServes() {
    size_t before = Received(1).size();
    T(2).Send(MakeMessage(2, 1, "still here"));
    ASSERT_TRUE(RunUntil(io_, [&] { return Received(1).size() == before + 1; }));
    EXPECT_EQ(Received(1).back().payload, "still here");
  }
  // Connects to server 1 as server 4 and sends `bytes` after the hello.
  std::unique_ptr<RawPeer> SendAsServer4(const std::string& bytes) {
    auto raw = std::make_unique<RawPeer>(io_, peers_[0].port);
    raw->Write(EncodeHello(4) + bytes);
    return raw;
  }

  boost::asio::io_context io_;
  std::vector<PeerAddress> peers_;
  std::map<zab::ServerId, std::unique_ptr<Node>> nodes_;
};

TEST_F(BadInputTest, AWellBehavedRawPeerIsHeard) {
  // The baseline for the tests below: the raw peer speaks the protocol.
  auto raw = SendAsServer4(Frame(EncodeMessage(MakeMessage(4, 1, "hello from 4"))));
  ASSERT_TRUE(RunUntil(io_, [&] { return !Received(1).empty(); }));
  EXPECT_EQ(Received(1)[0].from, 4);
  EXPECT_EQ(Received(1)[0].payload, "hello from 4");
  testing::RunFor(io_, std::chrono::milliseconds(20));
  EXPECT_FALSE(raw->closed());
}

TEST_F(BadInputTest, AnOversizedFrameClosesTheLink) {
  std::string header(kFrameHeaderSize, '\0');
  WriteBigEndian32(kFrameLimit + 1, header.data());
  auto raw = SendAsServer4(header);
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, AZeroLengthFrameClosesTheLink) {
  auto raw = SendAsServer4(std::string(kFrameHeaderSize, '\0'));
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, AGarbageFrameClosesTheLinkWithoutDelivering) {
  auto raw = SendAsServer4(Frame("this is not a message at all"));
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  EXPECT_TRUE(Received(1).empty());
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, AMessageClaimingAnotherSenderClosesTheLink) {
  auto raw = SendAsServer4(Frame(EncodeMessage(MakeMessage(2, 1, "spoofed"))));
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  EXPECT_TRUE(Received(1).empty());
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, ABadMagicClosesTheLink) {
  auto raw = std::make_unique<RawPeer>(io_, peers_[0].port);
  std::string hello = EncodeHello(4);
  hello[0] = 'X';
  raw->Write(hello);
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, AnUnknownServerIdClosesTheLink) {
  auto raw = std::make_unique<RawPeer>(io_, peers_[0].port);
  raw->Write(EncodeHello(99) + Frame(EncodeMessage(MakeMessage(99, 1, "who"))));
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  EXPECT_TRUE(Received(1).empty());
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, AHelloClaimingOurOwnIdClosesTheLink) {
  auto raw = std::make_unique<RawPeer>(io_, peers_[0].port);
  raw->Write(EncodeHello(1));
  ASSERT_TRUE(RunUntil(io_, [&] { return raw->closed(); }));
  ExpectServer1StillServes();
}

TEST_F(BadInputTest, AFrameSplitIntoSingleBytesIsStillDelivered) {
  std::string bytes = EncodeHello(4) + Frame(EncodeMessage(MakeMessage(4, 1, "dribbled")));
  auto raw = std::make_unique<RawPeer>(io_, peers_[0].port);
  for (char c : bytes) {
    raw->Write(std::string(1, c));
    testing::RunFor(io_, std::chrono::milliseconds(0));
  }
  ASSERT_TRUE(RunUntil(io_, [&] { return !Received(1).empty(); }));
  EXPECT_EQ(Received(1)[0].payload, "dribbled");
}

TEST(StalledPeerTest, TheQueueToAPeerThatStopsReadingStaysBounded) {
  boost::asio::io_context io;
  std::vector<PeerAddress> peers = Ensemble(PickFreePorts(2));
  // Server 2 is a socket that accepts and never reads.
  tcp::acceptor acceptor(io,
                         tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), peers[1].port));
  tcp::socket stalled(io);
  bool accepted = false;
  acceptor.async_accept(stalled, [&](const boost::system::error_code& ec) { accepted = !ec; });

  TransportOptions options = TestOptions();
  options.max_queue_bytes = 1 << 20;
  Node node(io, 1, peers, options);
  std::string error;
  ASSERT_TRUE(node.transport->Start(&error)) << error;
  PeerTransport& t = *node.transport;
  ASSERT_TRUE(RunUntil(io, [&] { return accepted && t.Connected(2); }));

  constexpr int kMessages = 1000;
  const std::string payload(64 << 10, 'x');  // 64 MB in all, far beyond socket buffers
  size_t max_queued = 0;
  for (int i = 0; i < kMessages; i++) {
    t.Send(MakeMessage(1, 2, payload));
    if (i % 10 == 0) io.poll();
    max_queued = std::max(max_queued, t.Stats(2).queued_bytes);
  }
  PeerLinkStats stats = t.Stats(2);
  EXPECT_LE(max_queued, options.max_queue_bytes);
  EXPECT_GT(stats.dropped_messages, 0u);
  EXPECT_EQ(stats.sent_messages + stats.queued_messages + stats.dropped_messages,
            static_cast<uint64_t>(kMessages));
  EXPECT_TRUE(t.Connected(2));  // slow is not dead: the link stays up
}

}  // namespace
}  // namespace zk::quorum
