// zkserver <zoo.cfg>: starts a server from an Apache-style configuration file.
#include <gflags/gflags.h>
#include <glog/logging.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "server/config/server_config.h"
#include "server/net/asio.h"
#include "server/zookeeper_server.h"

DEFINE_int32(client_port, 0, "Overrides clientPort of the configuration file");

namespace {

zk::ServerOptions ToOptions(const zk::config::ServerConfig& config) {
  zk::ServerOptions options;
  options.client_address =
      config.client_port_address.empty() ? "0.0.0.0" : config.client_port_address;
  options.client_port = FLAGS_client_port != 0 ? FLAGS_client_port : config.client_port;
  options.tick_ms = config.tick_time;
  options.min_session_timeout_ms = config.min_session_timeout;
  options.max_session_timeout_ms = config.max_session_timeout;
  options.max_client_cnxns = config.max_client_cnxns;
  options.max_buffer = config.jute_max_buffer;
  options.server_id = config.server_id > 0 ? config.server_id : 0;
  options.extended_types_enabled = config.extended_types_enabled;
  options.config = config;
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  gflags::SetUsageMessage("zkserver <zoo.cfg>");
  gflags::ParseCommandLineFlags(&argc, &argv, true);
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);
  if (argc != 2) {
    std::cerr << "usage: zkserver <zoo.cfg>\n";
    return 2;
  }
  zk::config::ServerConfig config;
  std::string error;
  if (!zk::config::LoadServerConfig(argv[1], &config, &error)) {
    std::cerr << "Invalid configuration " << argv[1] << ": " << error << "\n";
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    std::cerr << "Cannot create dataDir " << config.data_dir << ": " << ec.message() << "\n";
    return 2;
  }

  boost::asio::io_context io;
  try {
    zk::ZooKeeperServer server(io, ToOptions(config));
    if (!server.Open(&error)) {
      LOG(ERROR) << "Cannot start: " << error;
      return 1;
    }
    server.Start();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int signo) {
      LOG(INFO) << "Shutting down on signal " << signo;
      server.Stop();
      io.stop();
    });
    io.run();
  } catch (const boost::system::system_error& e) {
    LOG(ERROR) << "Cannot serve: " << e.what();
    return 1;
  }
  return 0;
}
