// Constants of Apache ZooKeeper's on-disk files (its "version-2" directory),
// as FileSnap, FileTxnLog, SnapStream and Util write them. README.md next to
// this file describes the layouts.
#pragma once

#include <cstdint>
#include <string_view>

namespace zk::storage::apache {

// Both files start with a Jute FileHeader { int magic; int version; long dbid; }.
inline constexpr int32_t kSnapshotMagic = 0x5a4b534e;  // "ZKSN"
inline constexpr int32_t kLogMagic = 0x5a4b4c47;       // "ZKLG"
inline constexpr int32_t kFormatVersion = 2;
inline constexpr size_t kFileHeaderSize = 16;

// The subdirectory of dataDir / dataLogDir holding the files.
inline constexpr std::string_view kVersionDir = "version-2";
inline constexpr std::string_view kSnapshotPrefix = "snapshot.";
inline constexpr std::string_view kLogPrefix = "log.";

// A snapshot's tree ends with the path "/"; so does each checksum seal.
inline constexpr std::string_view kEndPath = "/";
// The ACL reference meaning world:anyone:ALL without a cache entry.
inline constexpr int64_t kOpenUnsafeAclRef = -1;

// snapshot.<zxid>.snappy holds snappy-java's SnappyOutputStream format: this
// 8-byte magic, the writer's version int and the oldest compatible reader
// version int, then blocks of (length int, raw snappy block).
inline constexpr std::string_view kSnappyMagic{"\x82SNAPPY\0", 8};
inline constexpr size_t kSnappyHeaderSize = 16;
inline constexpr int32_t kSnappyStreamVersion = 1;
// A block length equal to the magic's first four bytes starts the header of
// another stream appended to this one.
inline constexpr uint32_t kSnappyMagicHead = 0x82534e41;
// No raw snappy block expands more than this: its best element, a copy of 64
// bytes, takes 3 bytes.
inline constexpr size_t kSnappyMaxExpansion = 22;

// Every log record ends with this byte; a record without it is torn.
inline constexpr char kEndOfRecord = 'B';
// checksum long + length int, before the txn bytes.
inline constexpr size_t kRecordHeaderSize = 12;

}  // namespace zk::storage::apache
