#include "server/net/client_connection.h"

#include <glog/logging.h>

#include "protocol/framing.h"

namespace zk::net {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

bool LooksLikeFourLetterWord(const char* p) {
  for (int i = 0; i < 4; i++) {
    if (p[i] < 'a' || p[i] > 'z') return false;
  }
  return true;
}

}  // namespace

ClientConnection::ClientConnection(boost::asio::ip::tcp::socket socket, ConnectionHandler* handler,
                                   int32_t max_buffer)
    : socket_(std::move(socket)), handler_(handler), max_buffer_(max_buffer) {
  boost::system::error_code ec;
  auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) {
    remote_address_ = endpoint.address().to_string();
    remote_port_ = endpoint.port();
  }
  socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
  read_buf_.resize(kReadChunk);
}

void ClientConnection::Start() { DoRead(); }

void ClientConnection::DoRead() {
  if (reading_ || closed_ || closing_ || awaiting_session_) return;
  if (queued_bytes_ > ConnectionHandler::kPauseReadingBytes) return;  // resumed by DoWrite
  if (read_buf_.size() - read_len_ < kReadChunk / 2) read_buf_.resize(read_len_ + kReadChunk);
  reading_ = true;
  socket_.async_read_some(
      boost::asio::buffer(read_buf_.data() + read_len_, read_buf_.size() - read_len_),
      [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        self->reading_ = false;
        if (ec) {
          if (ec != boost::asio::error::eof && ec != boost::asio::error::operation_aborted) {
            VLOG(1) << "Read from " << self->remote_address_ << " failed: " << ec.message();
          }
          self->Close();
          return;
        }
        self->OnRead(n);
      });
}

void ClientConnection::OnRead(size_t n) {
  read_len_ += n;
  if (!ParseFrames()) {
    CloseAfterWrites();
    return;
  }
  DoRead();
}

bool ClientConnection::ParseFrames() {
  size_t pos = 0;
  while (!closing_ && !closed_ && !awaiting_session_ && read_len_ - pos >= 4) {
    const char* p = read_buf_.data() + pos;
    if (first_bytes_ && LooksLikeFourLetterWord(p)) {
      std::string answer = handler_->FourLetterWord(std::string(p, 4));
      if (!answer.empty()) {
        Send(std::move(answer));
        return false;
      }
    }
    first_bytes_ = false;
    int32_t len = ReadFrameLength(reinterpret_cast<const unsigned char*>(p));
    if (!IsValidFrameLength(len, max_buffer_)) {
      LOG(WARNING) << "Closing connection from " << remote_address_ << ":" << remote_port_
                   << ": frame length " << len << " is out of range (jute.maxbuffer " << max_buffer_
                   << ")";
      return false;
    }
    if (read_len_ - pos - 4 < static_cast<size_t>(len)) {
      if (read_buf_.size() < static_cast<size_t>(len) + 4) {
        // Make room for the whole frame; len is bounded by jute.maxbuffer.
        std::copy(read_buf_.begin() + pos, read_buf_.begin() + read_len_, read_buf_.begin());
        read_len_ -= pos;
        pos = 0;
        read_buf_.resize(len + 4 + kReadChunk);
      }
      break;
    }
    std::string_view frame(p + 4, len);
    pos += 4 + len;
    packets_received_++;
    if (!established()) {
      awaiting_session_ = true;
      handler_->Handshake(shared_from_this(), frame);
    } else if (!handler_->Request(shared_from_this(), frame)) {
      return false;
    }
  }
  if (pos > 0) {
    std::copy(read_buf_.begin() + pos, read_buf_.begin() + read_len_, read_buf_.begin());
    read_len_ -= pos;
  }
  return true;
}

void ClientConnection::SessionEstablished(int64_t id) {
  session_id_ = id;
  // Resume later: the handshake may be answered from inside ParseFrames.
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->awaiting_session_ = false;
    if (self->closed_ || self->closing_) return;
    if (!self->ParseFrames()) {
      self->CloseAfterWrites();
      return;
    }
    self->DoRead();
  });
}

void ClientConnection::Send(std::string frame) {
  if (closed_) return;
  queued_bytes_ += frame.size();
  write_queue_.push_back(std::move(frame));
  if (queued_bytes_ > ConnectionHandler::kDropBytes) {
    LOG(WARNING) << "Closing connection from " << remote_address_ << ":" << remote_port_ << ": "
                 << queued_bytes_ << " bytes queued for a client that does not read";
    Close();
    return;
  }
  // Write once the current handler is done, so that the replies one commit
  // batch produces for this client leave in one sendmsg rather than one each.
  if (write_posted_ || writing_) return;
  write_posted_ = true;
  boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->write_posted_ = false;
    self->DoWrite();
  });
}

void ClientConnection::DoWrite() {
  if (writing_ || closed_) return;
  if (write_queue_.empty()) {
    if (closing_) Close();
    return;
  }
  in_flight_.clear();
  std::vector<boost::asio::const_buffer> buffers;
  while (!write_queue_.empty() && buffers.size() < 64) {
    in_flight_.push_back(std::move(write_queue_.front()));
    write_queue_.pop_front();
  }
  for (const std::string& s : in_flight_) buffers.emplace_back(s.data(), s.size());
  writing_ = true;
  boost::asio::async_write(
      socket_, buffers, [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
        self->writing_ = false;
        if (ec) {
          self->Close();
          return;
        }
        self->packets_sent_ += self->in_flight_.size();
        self->queued_bytes_ -= n;
        self->in_flight_.clear();
        self->DoWrite();
        self->DoRead();  // resumes reading if it had paused for the queue to drain
      });
}

void ClientConnection::CloseAfterWrites() {
  if (closed_) return;
  closing_ = true;
  if (!writing_ && write_queue_.empty()) Close();
}

void ClientConnection::Close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  write_queue_.clear();
  handler_->Closed(this);
}

}  // namespace zk::net
