"""Kazoo clients for tests that restart servers under them."""

from kazoo.client import KazooClient

CLIENT_TIMEOUT = 15.0


def connect(hostport, **kw):
    """A started client; `kw` goes to KazooClient (session timeout 10 s unless given)."""
    kw.setdefault("timeout", 10.0)
    c = KazooClient(hosts=hostport, **kw)
    c.start(timeout=CLIENT_TIMEOUT)
    return c


def close(c):
    """Stops and closes `c`, even when stopping fails."""
    try:
        c.stop()
    finally:
        c.close()
