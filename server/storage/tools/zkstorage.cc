// zkstorage: inspect and check a server's durable state.
//
//   zkstorage snapshot <file> [--data]      print a snapshot (like SnapshotFormatter)
//   zkstorage log <dir> [from [to]]         print log entries (like TxnLogToolkit)
//   zkstorage check <dataDir> [dataLogDir]  verify every snapshot and the log
//   zkstorage import <apacheDataDir> <dataDir> [--apache-log-dir=DIR] [--data-log-dir=DIR]
//                                           convert Apache ZooKeeper's data (import/README.md)
//
// <dir> is a dataLogDir (or dataDir) or the log's leveldb directory itself.
// Zxids may be given in decimal or as 0x-prefixed hex. Run it while the
// server is stopped: the server holds the log's lock.
#include <glog/logging.h>
#include <sys/stat.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "server/pipeline/txn.h"
#include "server/storage/file_env.h"
#include "server/storage/import/import_command.h"
#include "server/storage/layout.h"
#include "server/storage/snapshot.h"
#include "server/storage/tools/txn_printer.h"
#include "server/storage/txn_log.h"

namespace zk::storage {
namespace {

std::string Hex(int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

int Usage() {
  std::cerr << "usage:\n"
               "  zkstorage snapshot <file> [--data]\n"
               "  zkstorage log <dataLogDir> [from_zxid [to_zxid]]\n"
               "  zkstorage check <dataDir> [dataLogDir]\n"
            << apache::kImportUsage;
  return 2;
}

bool ParseZxid(const std::string& text, int64_t* zxid) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 0);
  if (errno != 0 || end == text.c_str() || *end != '\0' || v < 0) return false;
  *zxid = v;
  return true;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// The leveldb directory for `dir`: itself if it holds a database, otherwise
// the layout's log directory below it.
std::string LogDirFor(const std::string& dir) {
  if (Exists(dir + "/CURRENT")) return dir;
  return DirsFor(dir).log_dir;
}

std::string Printable(std::string_view data) {
  std::string out;
  for (unsigned char c : data) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

class SnapshotPrinter : public SnapshotVisitor {
 public:
  explicit SnapshotPrinter(bool with_data) : with_data_(with_data) {}
  Status Header(int64_t zxid) override {
    std::cout << "Snapshot at zxid " << Hex(zxid) << "\n";
    return Status::OK();
  }
  Status Session(const SessionEntry& s) override {
    if (sessions_++ == 0) std::cout << "Sessions:\n";
    std::cout << "  " << Hex(s.id) << " timeout " << s.timeout_ms << "\n";
    return Status::OK();
  }
  Status Acl(int64_t ref, const std::vector<data::ACL>& acl) override {
    if (acls_++ == 0) std::cout << "ACLs:\n";
    std::cout << "  " << ref << ":";
    for (const data::ACL& a : acl) {
      std::cout << " " << a.id.scheme << ":" << a.id.id << ":" << a.perms;
    }
    std::cout << "\n";
    return Status::OK();
  }
  Status Node(std::string_view path, std::string_view data, bool data_null, int64_t acl_ref,
              const data::StatPersisted& st) override {
    if (nodes_++ == 0) std::cout << "Nodes:\n";
    std::cout << path << "\n  cZxid = " << Hex(st.czxid) << "\n  ctime = " << st.ctime
              << "\n  mZxid = " << Hex(st.mzxid) << "\n  mtime = " << st.mtime
              << "\n  pZxid = " << Hex(st.pzxid) << "\n  cversion = " << st.cversion
              << "\n  dataVersion = " << st.version << "\n  aclVersion = " << st.aversion
              << "\n  ephemeralOwner = " << Hex(st.ephemeralOwner)
              << "\n  dataLength = " << data.size() << "\n  acl = " << acl_ref << "\n";
    if (with_data_) std::cout << "  data = " << (data_null ? "null" : Printable(data)) << "\n";
    return Status::OK();
  }
  void Summary() const {
    std::cout << "Summary: " << sessions_ << " sessions, " << acls_ << " ACL lists, " << nodes_
              << " nodes\n";
  }

 private:
  bool with_data_;
  uint64_t sessions_ = 0, acls_ = 0, nodes_ = 0;
};

int PrintSnapshot(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  bool with_data = args.size() > 1 && args[1] == "--data";
  std::string bytes;
  Status s = FileEnv::Default()->ReadFile(args[0], &bytes);
  SnapshotPrinter printer(with_data);
  if (s.ok()) s = ParseSnapshot(bytes, &printer);
  if (!s.ok()) {
    std::cerr << args[0] << ": " << s.ToString() << "\n";
    return 1;
  }
  printer.Summary();
  return 0;
}

Status OpenExistingLog(const std::string& dir, std::unique_ptr<TxnLog>* log) {
  if (!Exists(dir + "/CURRENT")) return Status::NotFound(dir, "no transaction log here");
  TxnLogOptions options;
  options.dir = dir;
  return TxnLog::Open(options, log);
}

int PrintLog(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  int64_t from = 0, to = INT64_MAX;
  if ((args.size() > 1 && !ParseZxid(args[1], &from)) ||
      (args.size() > 2 && !ParseZxid(args[2], &to))) {
    return Usage();
  }
  std::unique_ptr<TxnLog> log;
  Status s = OpenExistingLog(LogDirFor(args[0]), &log);
  if (!s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  uint64_t count = 0, bad = 0;
  pipeline::Txn txn;
  s = log->Read(from, to, [&](int64_t zxid, std::string_view bytes) {
    ++count;
    if (pipeline::DecodeTxn(bytes, &txn)) {
      std::cout << DescribeTxn(txn) << "\n";
    } else {
      ++bad;
      std::cout << "zxid " << Hex(zxid) << " UNDECODABLE (" << bytes.size() << " bytes)\n";
    }
    return true;
  });
  std::cout << count << " entries";
  if (bad > 0) std::cout << ", " << bad << " undecodable";
  std::cout << "\n";
  if (!s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  return bad > 0 ? 1 : 0;
}

// Verifies every snapshot and the whole log; reports what recovery would do.
int Check(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  StorageDirs dirs = DirsFor(args[0], args.size() > 1 ? args[1] : "");
  FileEnv* env = FileEnv::Default();
  bool healthy = true;

  std::vector<SnapshotFile> files;
  Status s = ListSnapshots(env, dirs.snap_dir, &files);
  if (!s.ok()) {
    std::cout << "snapshots: " << s.ToString() << "\n";
    return 1;
  }
  int64_t usable_snapshot = -1;
  std::string bytes;
  for (const SnapshotFile& f : files) {
    s = env->ReadFile(f.path, &bytes);
    SnapshotVisitor counter;
    if (s.ok()) s = ParseSnapshot(bytes, &counter);
    std::cout << "snapshot " << f.path << " (" << bytes.size()
              << " bytes): " << (s.ok() ? "OK" : s.ToString()) << "\n";
    if (s.ok() && usable_snapshot < 0) usable_snapshot = f.zxid;
    if (!s.ok()) healthy = false;
  }
  if (files.empty()) std::cout << "no snapshots in " << dirs.snap_dir << "\n";

  std::unique_ptr<TxnLog> log;
  s = OpenExistingLog(dirs.log_dir, &log);
  if (!s.ok()) {
    std::cout << "log: " << s.ToString() << "\n";
    return 1;
  }
  uint64_t count = 0;
  int64_t prev = 0;
  std::string problem;
  pipeline::Txn txn;
  int64_t bad_zxid = 0;
  s = log->Read(
      0, INT64_MAX,
      [&](int64_t zxid, std::string_view entry) {
        if (!pipeline::DecodeTxn(entry, &txn) || txn.header.zxid != zxid) {
          problem = "undecodable entry at zxid " + Hex(zxid);
          return false;
        }
        bool new_epoch = (zxid >> 32) > (prev >> 32);
        if (count > 0 && !new_epoch && zxid != prev + 1) {
          problem = "gap between " + Hex(prev) + " and " + Hex(zxid);
          return false;
        }
        prev = zxid;
        ++count;
        return true;
      },
      &bad_zxid);
  if (!s.ok()) problem = s.ToString();
  std::cout << "log " << dirs.log_dir << ": " << count << " valid entries";
  if (count > 0) std::cout << ", zxids " << Hex(log->FirstZxid()) << " .. " << Hex(prev);
  std::cout << "\n";
  if (!problem.empty()) {
    healthy = false;
    std::cout << "log damaged: " << problem << "; recovery truncates after " << Hex(prev) << "\n";
  }
  if (usable_snapshot >= 0 && count > 0 && log->FirstZxid() > usable_snapshot + 1) {
    healthy = false;
    std::cout << "log starts at " << Hex(log->FirstZxid()) << ", after the newest usable snapshot "
              << Hex(usable_snapshot) << ": txns are missing\n";
  }
  std::cout << (healthy ? "OK" : "PROBLEMS FOUND") << "\n";
  return healthy ? 0 : 1;
}

}  // namespace
}  // namespace zk::storage

int main(int argc, char** argv) {
  google::InitGoogleLogging(argv[0]);
  FLAGS_logtostderr = true;
  if (argc < 2) return zk::storage::Usage();
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "snapshot") return zk::storage::PrintSnapshot(args);
  if (command == "log") return zk::storage::PrintLog(args);
  if (command == "check") return zk::storage::Check(args);
  if (command == "import") return zk::storage::apache::RunImportCommand(args);
  return zk::storage::Usage();
}
