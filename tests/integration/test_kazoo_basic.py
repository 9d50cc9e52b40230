"""Data operations through kazoo: create modes, versions, errors, Stat fields."""

import time

import pytest
from kazoo.exceptions import (BadVersionError, NoAuthError, NoChildrenForEphemeralsError,
                              NodeExistsError, NoNodeError, NotEmptyError)
from kazoo.security import make_digest_acl


def test_create_persistent_returns_the_path_and_stores_the_data(zk, base_path):
    path = zk.create(base_path + "/a", b"hello")
    assert path == base_path + "/a"
    data, stat = zk.get(path)
    assert data == b"hello"
    assert stat.ephemeralOwner == 0


def test_create_ephemeral_is_owned_by_the_session(zk, base_path):
    path = zk.create(base_path + "/e", b"x", ephemeral=True)
    _, stat = zk.get(path)
    assert stat.ephemeralOwner == zk.client_id[0]


def test_sequential_suffix_is_ten_digits_counting_child_creations(zk, base_path):
    assert zk.create(base_path + "/s-", sequence=True) == base_path + "/s-0000000000"
    assert zk.create(base_path + "/s-", sequence=True) == base_path + "/s-0000000001"
    path = zk.create(base_path + "/s-", ephemeral=True, sequence=True)
    assert path == base_path + "/s-0000000002"
    assert zk.get(path)[1].ephemeralOwner == zk.client_id[0]
    assert zk.get(base_path)[1].cversion == 3


def test_sequential_suffix_ignores_deletions_while_cversion_counts_them(zk, base_path):
    # The suffix is the number of children ever created under the parent;
    # the visible cversion counts creations and deletions alike.
    zk.create(base_path + "/a")
    zk.create(base_path + "/b")
    zk.delete(base_path + "/b")
    assert zk.get(base_path)[1].cversion == 3
    assert zk.create(base_path + "/s-", sequence=True) == base_path + "/s-0000000002"
    assert zk.get(base_path)[1].cversion == 4
    zk.delete(base_path + "/a")
    assert zk.create(base_path + "/s-", sequence=True) == base_path + "/s-0000000003"
    assert zk.get(base_path)[1].cversion == 6


def test_sequential_counter_is_per_parent(zk, base_path):
    zk.create(base_path + "/p1")
    zk.create(base_path + "/p2")
    assert zk.create(base_path + "/p1/n", sequence=True) == base_path + "/p1/n0000000000"
    assert zk.create(base_path + "/p1/n", sequence=True) == base_path + "/p1/n0000000001"
    assert zk.create(base_path + "/p2/n", sequence=True) == base_path + "/p2/n0000000000"


@pytest.mark.parametrize("ephemeral,sequence", [(False, False), (True, False), (False, True),
                                                 (True, True)])
def test_create2_returns_the_stat_of_the_new_node_in_every_mode(zk, base_path, ephemeral,
                                                                 sequence):
    path, stat = zk.create(base_path + "/c2-", b"abc", ephemeral=ephemeral, sequence=sequence,
                           include_data=True)
    assert path == base_path + ("/c2-0000000000" if sequence else "/c2-")
    assert stat == zk.exists(path)
    assert stat.dataLength == 3 and stat.version == 0
    assert stat.czxid == stat.mzxid == stat.pzxid
    assert stat.ephemeralOwner == (zk.client_id[0] if ephemeral else 0)


def test_create_under_missing_parent_is_no_node(zk, base_path):
    with pytest.raises(NoNodeError):
        zk.create(base_path + "/missing/child")


def test_create_existing_node_is_node_exists(zk, base_path):
    zk.create(base_path + "/dup")
    with pytest.raises(NodeExistsError):
        zk.create(base_path + "/dup")


def test_children_of_an_ephemeral_are_refused(zk, base_path):
    zk.create(base_path + "/eph", ephemeral=True)
    with pytest.raises(NoChildrenForEphemeralsError):
        zk.create(base_path + "/eph/child")
    with pytest.raises(NoChildrenForEphemeralsError):
        zk.create(base_path + "/eph/child", ephemeral=True)


def test_set_with_matching_version_bumps_the_version(zk, base_path):
    path = zk.create(base_path + "/v", b"0")
    stat = zk.set(path, b"1", version=0)
    assert stat.version == 1
    stat = zk.set(path, b"2", version=1)
    assert stat.version == 2
    stat = zk.set(path, b"3")  # -1 matches any version
    assert stat.version == 3
    assert zk.get(path)[0] == b"3"


def test_set_with_wrong_version_is_bad_version_and_changes_nothing(zk, base_path):
    path = zk.create(base_path + "/v", b"0")
    with pytest.raises(BadVersionError):
        zk.set(path, b"1", version=7)
    data, stat = zk.get(path)
    assert data == b"0" and stat.version == 0


def test_set_on_missing_node_is_no_node(zk, base_path):
    with pytest.raises(NoNodeError):
        zk.set(base_path + "/nope", b"x")


def test_get_on_missing_node_is_no_node(zk, base_path):
    with pytest.raises(NoNodeError):
        zk.get(base_path + "/nope")


def test_delete_with_version_checks_the_version(zk, base_path):
    path = zk.create(base_path + "/d", b"")
    zk.set(path, b"x")
    with pytest.raises(BadVersionError):
        zk.delete(path, version=0)
    zk.delete(path, version=1)
    assert zk.exists(path) is None


def test_delete_of_a_node_with_children_is_not_empty(zk, base_path):
    zk.create(base_path + "/parent/child", makepath=True)
    with pytest.raises(NotEmptyError):
        zk.delete(base_path + "/parent")


def test_delete_of_a_missing_node_is_no_node(zk, base_path):
    with pytest.raises(NoNodeError):
        zk.delete(base_path + "/nope")


def test_exists_returns_none_or_the_stat(zk, base_path):
    assert zk.exists(base_path + "/x") is None
    zk.create(base_path + "/x", b"12")
    stat = zk.exists(base_path + "/x")
    assert stat.dataLength == 2


def test_get_children_lists_names_and_can_include_the_parent_stat(zk, base_path):
    for name in ("b", "a", "c"):
        zk.create(base_path + "/" + name)
    assert sorted(zk.get_children(base_path)) == ["a", "b", "c"]
    children, stat = zk.get_children(base_path, include_data=True)
    assert sorted(children) == ["a", "b", "c"]
    assert stat.numChildren == 3 and stat.cversion == 3
    assert stat == zk.exists(base_path)
    assert zk.get_children(base_path + "/a") == []


def test_get_children_of_missing_node_is_no_node(zk, base_path):
    with pytest.raises(NoNodeError):
        zk.get_children(base_path + "/nope")


def test_sync_returns_the_path(zk, base_path):
    assert zk.sync(base_path) == base_path


def test_stat_fields_of_a_new_node(zk, base_path):
    before_ms = int(time.time() * 1000)
    path = zk.create(base_path + "/n", b"four")
    after_ms = int(time.time() * 1000)
    stat = zk.exists(path)
    assert stat.czxid > 0
    assert stat.mzxid == stat.czxid
    assert stat.pzxid == stat.czxid
    assert stat.ctime == stat.mtime
    assert before_ms - 2000 <= stat.ctime <= after_ms + 2000
    assert (stat.version, stat.cversion, stat.aversion) == (0, 0, 0)
    assert stat.ephemeralOwner == 0
    assert stat.dataLength == 4
    assert stat.numChildren == 0


def test_stat_fields_after_set_data(zk, base_path):
    path = zk.create(base_path + "/n", b"")
    created = zk.exists(path)
    time.sleep(0.01)  # so mtime can differ from ctime
    stat = zk.set(path, b"longer data")
    assert stat.czxid == created.czxid
    assert stat.mzxid > created.mzxid
    assert stat.pzxid == created.pzxid
    assert stat.ctime == created.ctime
    assert stat.mtime >= created.mtime
    assert stat.version == 1
    assert stat.dataLength == len(b"longer data")
    assert stat.cversion == 0 and stat.numChildren == 0


def test_stat_fields_of_parent_follow_children(zk, base_path):
    parent = zk.create(base_path + "/p", b"data")
    before = zk.exists(parent)
    child = zk.create(parent + "/c")
    child_stat = zk.exists(child)
    after_create = zk.exists(parent)
    assert after_create.pzxid == child_stat.czxid
    assert after_create.cversion == 1
    assert after_create.numChildren == 1
    # Children do not touch the parent's data fields.
    assert after_create.mzxid == before.mzxid
    assert after_create.version == 0
    assert after_create.mtime == before.mtime

    zk.delete(child)
    after_delete = zk.exists(parent)
    assert after_delete.pzxid > child_stat.czxid
    assert after_delete.cversion == 2
    assert after_delete.numChildren == 0
    assert after_delete.mzxid == before.mzxid
    # The delete's zxid is below any later transaction's.
    later = zk.create(parent + "/later")
    assert zk.exists(later).czxid > after_delete.pzxid


def test_setting_an_acl_bumps_aversion_only(zk, base_path):
    path = zk.create(base_path + "/acl", b"x")
    acl = [make_digest_acl("user", "pw", all=True)] + list(zk.get_acls(path)[0])
    stat = zk.set_acls(path, acl)
    assert stat.aversion == 1
    assert stat.version == 0 and stat.cversion == 0
    assert len(zk.get_acls(path)[0]) == 2


def test_ephemeral_owner_and_data_length_of_ephemerals(zk, base_path):
    path = zk.create(base_path + "/e", b"12345", ephemeral=True)
    stat = zk.exists(path)
    assert stat.ephemeralOwner == zk.client_id[0]
    assert stat.dataLength == 5


def test_zookeeper_system_nodes_exist(zk):
    assert zk.exists("/zookeeper") is not None
    assert zk.exists("/zookeeper/quota") is not None
    assert "zookeeper" in zk.get_children("/")
    assert "quota" in zk.get_children("/zookeeper")


def test_large_data_round_trips(zk, base_path):
    blob = bytes(range(256)) * 2000  # 512000 bytes, under jute.maxbuffer
    path = zk.create(base_path + "/big", blob)
    data, stat = zk.get(path)
    assert data == blob
    assert stat.dataLength == len(blob)


def test_empty_and_binary_data_are_kept_exactly(zk, base_path):
    zk.create(base_path + "/empty", b"")
    zk.create(base_path + "/bin", b"\x00\xff\x00")
    assert zk.get(base_path + "/empty")[0] == b""
    assert zk.get(base_path + "/bin")[0] == b"\x00\xff\x00"


def test_acls_are_enforced_for_other_identities(zk, zk_server, client_factory, base_path):
    zk.add_auth("digest", "owner:secret")
    acl = [make_digest_acl("owner", "secret", all=True)]
    path = zk.create(base_path + "/private", b"mine", acl=acl)
    assert zk.get(path)[0] == b"mine"
    stranger = client_factory(zk_server.hostport)
    with pytest.raises(NoAuthError):
        stranger.get(path)
    with pytest.raises(NoAuthError):
        stranger.set(path, b"theirs")
    with pytest.raises(NoAuthError):
        stranger.create(path + "/child")
    assert stranger.exists(path) is not None  # exists needs no permission
    stranger.add_auth("digest", "owner:secret")
    assert stranger.get(path)[0] == b"mine"
    zk.delete(path)


def test_null_data_stays_null_and_apart_from_empty_data(zk, base_path):
    # A null buffer (length -1 on the wire) reads back as null, not as b"".
    zk.create(base_path + "/null", None)
    data, stat = zk.get(base_path + "/null")
    assert data is None and stat.dataLength == 0
    zk.create(base_path + "/set-null", b"x")
    zk.set(base_path + "/set-null", None)
    assert zk.get(base_path + "/set-null")[0] is None
    zk.set(base_path + "/set-null", b"")
    assert zk.get(base_path + "/set-null")[0] == b""


def test_transaction_commits_all_or_nothing(zk, base_path):
    t = zk.transaction()
    t.create(base_path + "/t1", b"1")
    t.create(base_path + "/t2", b"2")
    results = t.commit()
    assert results == [base_path + "/t1", base_path + "/t2"]

    t = zk.transaction()
    t.create(base_path + "/t3")
    t.check(base_path + "/t1", version=5)
    results = t.commit()
    assert isinstance(results[1], BadVersionError)
    assert zk.exists(base_path + "/t3") is None
