#include "server/storage/fork_snapshot.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "server/storage/byte_order.h"
#include "server/storage/crc32c.h"
#include "server/storage/snapshot_encoder.h"

namespace zk::storage {
namespace {

// Exit codes of the child besides errno values (which stay below 200).
constexpr int kExitTreeMismatch = 200;
constexpr int kExitParentGone = 201;
constexpr int kExitUnknown = 202;

// Buffered writes to a file descriptor, checksumming as they go.
class FdSink : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) { buffer_.reserve(kBufferSize); }

  bool Append(std::string_view bytes) override {
    crc_ = crc32c::Extend(crc_, bytes.data(), bytes.size());
    length_ += bytes.size();
    buffer_.append(bytes);
    return buffer_.size() < kBufferSize || Flush();
  }
  bool Flush() {
    const char* p = buffer_.data();
    size_t left = buffer_.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      left -= static_cast<size_t>(n);
    }
    buffer_.clear();
    return true;
  }
  // The trailer covers everything appended so far.
  bool AppendTrailer() {
    std::string trailer;
    PutBigEndian64(&trailer, length_);
    PutBigEndian32(&trailer, crc_);
    buffer_.append(trailer);
    return Flush();
  }

 private:
  static constexpr size_t kBufferSize = 1 << 20;
  int fd_;
  std::string buffer_;
  uint32_t crc_ = 0;
  uint64_t length_ = 0;
};

int ErrnoExitCode() { return errno > 0 && errno < kExitTreeMismatch ? errno : kExitUnknown; }

// The child's whole life; returns its exit code.
int RunChild(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions, int64_t zxid,
             const char* temp_path, pid_t parent) {
  // Die with the server rather than finish a snapshot nobody will rename.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) return kExitParentGone;
  // A signal meant for the server must not run its handlers here.
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGHUP, SIG_DFL);
  int fd = ::open(temp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoExitCode();
  FdSink sink(fd);
  uint64_t nodes = 0;
  if (!EncodeSnapshot(tree, sessions, zxid, &sink, &nodes)) {
    return errno != 0 ? ErrnoExitCode() : kExitTreeMismatch;
  }
  if (!sink.AppendTrailer() || ::fsync(fd) != 0 || ::close(fd) != 0) return ErrnoExitCode();
  return 0;
}

}  // namespace

Status StartForkedSnapshot(const tree::DataTree& tree, const std::vector<SessionEntry>& sessions,
                           int64_t zxid, const std::string& temp_path, pid_t* child) {
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return Status::IOError("fork for snapshot", std::strerror(errno));
  if (pid == 0) {
    errno = 0;
    ::_exit(RunChild(tree, sessions, zxid, temp_path.c_str(), parent));
  }
  *child = pid;
  return Status::OK();
}

Status WaitForkedSnapshot(pid_t child) {
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return Status::IOError("waiting for the snapshot writer", strerror(errno));
  }
  if (WIFSIGNALED(status)) {
    return Status::IOError("snapshot writer killed by signal " + std::to_string(WTERMSIG(status)));
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : kExitUnknown;
  switch (code) {
    case 0: return Status::OK();
    case kExitTreeMismatch:
      return Status::Corruption("snapshot writer", "the tree did not hold the nodes it counts");
    case kExitParentGone: return Status::IOError("snapshot writer", "the server went away");
    case kExitUnknown: return Status::IOError("snapshot writer", "failed");
    default: return Status::IOError("snapshot writer", std::strerror(code));
  }
}

}  // namespace zk::storage
