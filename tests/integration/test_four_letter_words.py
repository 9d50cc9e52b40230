"""Four-letter-word admin commands on the client port."""

import re

import pytest

from harness.fourlw import parse_colon_lines, parse_mntr, send_word

SRVR_KEYS = ["Zookeeper version", "Latency min/avg/max", "Received", "Sent", "Connections",
             "Outstanding", "Zxid", "Mode", "Node count"]


def word(server, w):
    return send_word(server.host, server.port, w)


def test_ruok_answers_imok(zk_server):
    assert word(zk_server, "ruok") == "imok"


def test_srvr_reports_version_mode_and_counts(zk_server):
    text = word(zk_server, "srvr")
    fields = parse_colon_lines(text)
    assert list(fields) == SRVR_KEYS
    assert re.match(r"^\d+\.\d+\.\d+", fields["Zookeeper version"])
    assert re.fullmatch(r"\d+/[\d.]+/\d+", fields["Latency min/avg/max"])
    assert re.fullmatch(r"0x[0-9a-f]+", fields["Zxid"])
    assert fields["Mode"] == "standalone"
    assert int(fields["Connections"]) >= 1  # this one
    assert int(fields["Outstanding"]) == 0
    assert int(fields["Node count"]) >= 3  # /, /zookeeper, /zookeeper/quota


def test_node_count_follows_creates_and_deletes(zk_server, zk, base_path):
    def count():
        return int(parse_colon_lines(word(zk_server, "srvr"))["Node count"])

    before = count()
    zk.create(base_path + "/a")
    zk.create(base_path + "/b")
    assert count() == before + 2
    zk.delete(base_path + "/a")
    assert count() == before + 1
    assert int(parse_mntr(word(zk_server, "mntr"))["zk_znode_count"]) == before + 1


def test_zxid_in_srvr_is_the_last_committed_one(zk_server, zk, base_path):
    zk.create(base_path + "/z")
    stat = zk.exists(base_path + "/z")
    assert int(parse_colon_lines(word(zk_server, "srvr"))["Zxid"], 16) == stat.czxid


def test_stat_lists_clients_then_the_srvr_fields(zk_server, zk):
    text = word(zk_server, "stat")
    lines = text.splitlines()
    assert lines[0].startswith("Zookeeper version: ")
    assert lines[1] == "Clients:"
    clients = []
    for line in lines[2:]:
        if not line.strip():
            break
        clients.append(line)
    assert len(clients) >= 2  # the kazoo client and this connection
    for line in clients:
        assert re.fullmatch(r" /127\.0\.0\.1:\d+\[\d+\]\(queued=\d+,recved=\d+,sent=\d+\)", line)
    fields = parse_colon_lines(text)
    assert fields["Mode"] == "standalone"
    assert "Node count" in fields


def test_mntr_has_the_standard_keys(zk_server, zk):
    stats = parse_mntr(word(zk_server, "mntr"))
    for key in ("zk_version", "zk_avg_latency", "zk_max_latency", "zk_min_latency",
                "zk_packets_received", "zk_packets_sent", "zk_num_alive_connections",
                "zk_outstanding_requests", "zk_server_state", "zk_znode_count",
                "zk_watch_count", "zk_ephemerals_count", "zk_approximate_data_size",
                "zk_open_file_descriptor_count", "zk_max_file_descriptor_count"):
        assert key in stats, key
    assert stats["zk_server_state"] == "standalone"
    assert int(stats["zk_num_alive_connections"]) >= 1
    for key in ("zk_znode_count", "zk_watch_count", "zk_ephemerals_count",
                "zk_packets_received", "zk_packets_sent", "zk_approximate_data_size"):
        assert re.fullmatch(r"\d+", stats[key]), key


def test_mntr_counts_ephemerals(zk_server, zk, base_path):
    def ephemerals():
        return int(parse_mntr(word(zk_server, "mntr"))["zk_ephemerals_count"])

    before = ephemerals()
    zk.create(base_path + "/e1", ephemeral=True)
    zk.create(base_path + "/e2", ephemeral=True)
    assert ephemerals() == before + 2


def test_conf_shows_the_configuration(zk_server):
    conf = {}
    for line in word(zk_server, "conf").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            conf[key] = value
    assert conf["clientPort"] == str(zk_server.port)
    assert conf["tickTime"] == "2000"
    assert conf["maxClientCnxns"] == "60"
    assert conf["minSessionTimeout"] == "4000"
    assert conf["maxSessionTimeout"] == "40000"
    assert conf["serverId"] == "0"
    assert conf["dataDir"].startswith(zk_server.data_dir)


def test_cons_shows_each_connection_with_its_session(zk_server, zk):
    session_hex = "0x%x" % zk.client_id[0]
    lines = word(zk_server, "cons").splitlines()
    mine = [l for l in lines if "sid=%s," % session_hex in l]
    assert len(mine) == 1
    assert re.match(r"^ /127\.0\.0\.1:\d+\[1\]\(queued=\d+,recved=\d+,sent=\d+,sid=0x[0-9a-f]+,",
                    mine[0])
    assert ",to=10000," in mine[0]


def test_envi_lists_the_environment(zk_server):
    lines = word(zk_server, "envi").splitlines()
    assert lines[0] == "Environment:"
    env = dict(l.split("=", 1) for l in lines[1:] if "=" in l)
    assert re.match(r"^\d+\.\d+\.\d+", env["zookeeper.version"])
    for key in ("host.name", "os.name", "os.arch", "os.version", "user.name", "user.dir"):
        assert key in env, key


def test_kazoo_server_version_parses_envi(zk):
    version = zk.server_version()
    assert all(isinstance(v, int) for v in version)
    assert version[:2] >= (3, 5)
    assert zk.command(b"ruok") == "imok"


def test_wchs_counts_connections_and_watched_paths(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport)
    c.create("/a")
    c.get("/a", watch=lambda e: None)
    c.exists("/b", watch=lambda e: None)
    assert word(srv, "wchs") == "1 connections watching 2 paths\nTotal watches:2\n"
    other = client_factory(srv.hostport)
    other.get("/a", watch=lambda e: None)
    assert word(srv, "wchs") == "2 connections watching 2 paths\nTotal watches:3\n"


def test_wchs_leaves_out_child_watches_but_mntr_counts_them(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport)
    c.create("/a")
    c.get("/a", watch=lambda e: None)
    c.get_children("/a", watch=lambda e: None)
    c.get_children("/", watch=lambda e: None)
    assert word(srv, "wchs") == "1 connections watching 1 paths\nTotal watches:1\n"
    assert parse_mntr(word(srv, "mntr"))["zk_watch_count"] == "3"


def test_dump_lists_sessions_with_their_ephemerals(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport)
    c.create("/eph", ephemeral=True)
    text = word(srv, "dump")
    assert "SessionTracker dump:" in text
    assert "ephemeral nodes dump:" in text
    lines = text.splitlines()
    assert "Sessions with Ephemerals (1):" in lines
    i = lines.index("0x%x:" % c.client_id[0])
    assert lines[i + 1] == "\t/eph"


def test_a_word_outside_the_whitelist_is_refused(server_factory):
    srv = server_factory({"4lw.commands.whitelist": "srvr, ruok"})
    assert word(srv, "ruok") == "imok"
    assert word(srv, "srvr").startswith("Zookeeper version: ")
    for w in ("stat", "mntr", "conf", "envi", "cons", "dump", "wchs"):
        assert word(srv, w) == "%s is not executed because it is not in the whitelist.\n" % w


def test_only_srvr_is_whitelisted_by_default(server_factory):
    srv = server_factory({"4lw.commands.whitelist": None})
    assert word(srv, "srvr").startswith("Zookeeper version: ")
    assert word(srv, "ruok") == "ruok is not executed because it is not in the whitelist.\n"


@pytest.mark.parametrize("w", ["xyzw", "RUOK"])
def test_an_unknown_word_gets_no_answer(zk_server, w):
    assert word(zk_server, w) == ""
    assert word(zk_server, "ruok") == "imok"


def test_wchc_and_wchp_list_watches_by_session_and_by_path(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport)
    c.create("/a")
    c.get("/a", watch=lambda e: None)
    session = "0x%x" % c.client_id[0]
    assert word(srv, "wchc") == "%s\n\t/a\n\n" % session
    assert word(srv, "wchp") == "/a\n\t%s\n\n" % session


def test_isro_answers_rw_on_a_writable_server(zk_server):
    assert word(zk_server, "isro") == "rw"


def test_dirs_reports_the_data_sizes(zk_server):
    text = word(zk_server, "dirs")
    assert re.fullmatch(r"datadir_size: \d+\nlogdir_size: \d+\n", text), text


def test_srst_resets_server_statistics(server_factory, client_factory):
    srv = server_factory()
    c = client_factory(srv.hostport)
    c.create("/a")
    assert word(srv, "srst") == "Server stats reset.\n"
    latency = parse_colon_lines(word(srv, "srvr"))["Latency min/avg/max"]
    assert re.fullmatch(r"0/0(\.0+)?/0", latency), latency


def test_crst_resets_connection_statistics(zk_server):
    assert word(zk_server, "crst") == "Connection stats reset.\n"
