#include "server/storage/import/apache_txn_log.h"

#include <zlib.h>

#include <climits>

#include "jute/archive.h"
#include "protocol/opcodes.h"
#include "server/storage/byte_order.h"
#include "server/storage/hex_zxid.h"
#include "server/storage/import/apache_format.h"

namespace zk::storage::apache {
namespace {

// ZooKeeper's OpCode.reconfig: its txn body is a SetDataTxn on /zookeeper/config.
constexpr int32_t kReconfigType = 16;

uint32_t Adler32(std::string_view bytes) {
  uLong sum = adler32(0L, Z_NULL, 0);
  return static_cast<uint32_t>(
      adler32(sum, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

}  // namespace

bool ParseLogName(std::string_view name, int64_t* first_zxid) {
  if (name.substr(0, kLogPrefix.size()) != kLogPrefix) return false;
  return ParseHexZxid(name.substr(kLogPrefix.size()), first_zxid, /*allow_upper=*/true);
}

Status ScanLog(std::string_view file, const std::function<bool(std::string_view txn)>& fn,
               LogScan* scan) {
  *scan = LogScan();
  if (file.size() < kFileHeaderSize) return Status::Corruption("apache log", "file too short");
  auto magic = static_cast<int32_t>(GetBigEndian32(file.data()));
  auto version = static_cast<int32_t>(GetBigEndian32(file.data() + 4));
  if (magic != kLogMagic) return Status::Corruption("apache log", "bad magic (not a txn log)");
  if (version != kFormatVersion) {
    return Status::Corruption("apache log", "unsupported version " + std::to_string(version));
  }
  scan->dbid = static_cast<int64_t>(GetBigEndian64(file.data() + 8));

  size_t pos = kFileHeaderSize;
  auto stop = [&](const char* problem) {
    scan->torn = true;
    scan->problem = problem;
  };
  while (true) {
    scan->end_offset = pos;
    size_t left = file.size() - pos;
    if (left < kRecordHeaderSize) {
      // The file ends inside a record header: torn unless it is all padding.
      if (file.substr(pos).find_first_not_of('\0') != std::string_view::npos) {
        stop("truncated record header");
      }
      return Status::OK();
    }
    uint64_t checksum = GetBigEndian64(file.data() + pos);
    auto length = static_cast<int32_t>(GetBigEndian32(file.data() + pos + 8));
    if (length == 0) return Status::OK();  // the preallocated zeros: the end
    if (length < 0 || static_cast<size_t>(length) + 1 > left - kRecordHeaderSize) {
      stop("truncated record");
      return Status::OK();
    }
    std::string_view txn = file.substr(pos + kRecordHeaderSize, static_cast<size_t>(length));
    if (checksum != Adler32(txn)) {
      stop("checksum mismatch");
      return Status::OK();
    }
    if (file[pos + kRecordHeaderSize + static_cast<size_t>(length)] != kEndOfRecord) {
      stop("missing end-of-record byte");
      return Status::OK();
    }
    pos += kRecordHeaderSize + static_cast<size_t>(length) + 1;
    scan->records++;
    if (!fn(txn)) {
      scan->end_offset = pos;
      return Status::OK();
    }
  }
}

bool DecodeLoggedTxn(std::string_view bytes, pipeline::Txn* txn) {
  jute::InputArchive in(bytes, INT32_MAX);
  if (!txn->header.Deserialize(in)) return false;
  std::string_view body = bytes.substr(in.Position());
  int32_t type = txn->header.type;
  if (type == static_cast<int32_t>(OpCode::kCloseSession) && body.empty()) {
    txn->body = txn::CloseSessionTxn{};
    return true;
  }
  if (type == kReconfigType) {
    txn->header.type = static_cast<int32_t>(OpCode::kSetData);
    type = txn->header.type;
  }
  return pipeline::DecodeTxnBody(type, body, &txn->body);
}

}  // namespace zk::storage::apache
