#include "server/admin/server_stats_view.h"

#include "protocol/opcodes.h"
#include "server/config/server_config.h"

namespace zk::admin {

std::string_view LastOperationName(int32_t opcode) {
  switch (static_cast<OpCode>(opcode)) {
    case OpCode::kPing:
      return "PING";
    case OpCode::kCreateSession:
      return "SESS";
    case OpCode::kMulti:
      return "MULT";
    case OpCode::kMultiRead:
      return "MLTR";
    case OpCode::kCreate:
    case OpCode::kCreate2:
    case OpCode::kCreateTtl:
    case OpCode::kCreateContainer:
      return "CREA";
    case OpCode::kDelete:
    case OpCode::kDeleteContainer:
      return "DELE";
    case OpCode::kSetData:
      return "SETD";
    case OpCode::kReconfig:
      return "RECO";
    case OpCode::kSetAcl:
      return "SETA";
    case OpCode::kCloseSession:
      return "CLOS";
    case OpCode::kSync:
      return "SYNC";
    case OpCode::kCheck:
      return "CHEC";
    case OpCode::kExists:
      return "EXIS";
    case OpCode::kGetData:
      return "GETD";
    case OpCode::kSetWatches:
      return "SETW";
    case OpCode::kSetWatches2:
      return "STW2";
    case OpCode::kAddWatch:
      return "ADDW";
    case OpCode::kGetAcl:
      return "GETA";
    case OpCode::kGetChildren:
    case OpCode::kGetChildren2:
      return "GETC";
    case OpCode::kGetAllChildrenNumber:
      return "GETACN";
    case OpCode::kCheckWatches:
      return "CHKW";
    case OpCode::kRemoveWatches:
      return "REMW";
    case OpCode::kWhoAmI:
      return "HOMI";
    case OpCode::kGetEphemerals:
      return "GETE";
    default:
      return "NA";
  }
}

ConfView MakeConfView(const config::ServerConfig& config) {
  ConfView view;
  view.client_port = config.client_port;
  view.data_dir = config.data_dir;
  view.data_log_dir = config.data_log_dir;
  view.tick_time = config.tick_time;
  view.max_client_cnxns = config.max_client_cnxns;
  view.min_session_timeout = config.min_session_timeout;
  view.max_session_timeout = config.max_session_timeout;
  view.server_id = config.server_id < 0 ? 0 : config.server_id;
  if (config.IsDistributed()) {
    QuorumConfView quorum;
    quorum.init_limit = config.init_limit;
    quorum.sync_limit = config.sync_limit;
    if (auto self = config.servers.find(config.server_id); self != config.servers.end()) {
      quorum.election_port = self->second.election_port;
      quorum.quorum_port = self->second.peer_port;
    }
    quorum.peer_type = config.peer_type == config::LearnerType::kObserver ? 1 : 0;
    quorum.membership = config.MembershipString();
    view.quorum = std::move(quorum);
  }
  return view;
}

}  // namespace zk::admin
