"""Server-side path rules, sent raw because clients validate some paths themselves."""

import pytest

from harness import jute, raw


@pytest.fixture
def session(zk_server):
    with raw.open_session(zk_server.host, zk_server.port) as s:
        yield s


# "{b}" is the test's base path. The parent must exist: a missing parent is
# reported (NoNode) before the name is checked.
INVALID_PATHS = [
    "noslash",  # relative
    "{b}/p/",  # trailing slash
    "//p",  # empty component (its parent is "/")
    "{b}/p/.",  # relative component
    "{b}/p/..",
    "{b}/p/x\x00y",  # control characters
    "{b}/p/x\x01y",
    "{b}/p/\x7f",
    "{b}/p/\uf8ff",  # surrogate and private-use ranges are refused
    "{b}/p/\ufff0",
]


@pytest.mark.parametrize("pattern", INVALID_PATHS, ids=repr)
def test_create_with_an_invalid_path_is_bad_arguments(session, base_path, pattern):
    assert session.create(base_path + "/p")[0].err == jute.OK
    path = pattern.format(b=base_path)
    assert session.create(path)[0].err == jute.BAD_ARGUMENTS


@pytest.mark.parametrize("name", ["/x y", "/.x", "/..x", "/x.", "/-_:@", "/\u00e9t\u00e9"],
                         ids=repr)
def test_create_accepts_unusual_but_valid_names(session, base_path, name):
    reply, created = session.create(base_path + name)
    assert reply.err == jute.OK and created == base_path + name
    assert session.get_children(base_path)[1] == [name[1:]]


def test_sequential_create_validates_the_path_with_its_suffix(session, base_path):
    # "/p/" is invalid, but "/p/0000000000" is not: the suffix is added first.
    assert session.create(base_path + "/p")[0].err == jute.OK
    reply, created = session.create(base_path + "/p/", flags=jute.PERSISTENT_SEQUENTIAL)
    assert reply.err == jute.OK and created == base_path + "/p/0000000000"
    reply, created = session.create(base_path + "/p/.", flags=jute.PERSISTENT_SEQUENTIAL)
    assert reply.err == jute.OK and created == base_path + "/p/.0000000001"


def test_set_data_with_a_relative_path_is_bad_arguments(session):
    assert session.set_data("noslash", b"x")[0].err == jute.BAD_ARGUMENTS


def test_delete_with_a_relative_path_is_bad_arguments(session):
    assert session.delete("noslash").err == jute.BAD_ARGUMENTS


def test_reads_of_an_invalid_path_find_no_node(session, base_path):
    assert session.exists("noslash")[0].err == jute.NO_NODE
    assert session.get_data(base_path + "/")[0].err == jute.NO_NODE
    assert session.get_children(base_path + "/../x")[0].err == jute.NO_NODE


@pytest.mark.parametrize("path", ["/", "/zookeeper", "/zookeeper/quota"])
def test_system_nodes_cannot_be_deleted(session, path):
    assert session.delete(path).err == jute.BAD_ARGUMENTS
    assert session.exists(path)[0].err == jute.OK


@pytest.mark.parametrize("path", ["/", "/zookeeper"])
def test_creating_root_or_zookeeper_is_node_exists(session, path):
    assert session.create(path)[0].err == jute.NODE_EXISTS
