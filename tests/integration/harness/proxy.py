"""A TCP proxy on 127.0.0.1 that a test can cut and restore.

While cut, live connections are closed and new ones are accepted and closed
at once, so a real client sees its server go away and keeps retrying. That
makes "disconnected, but the session lives" deterministic.
"""

import socket
import threading

from .server import HOST

_POLL = 0.2


class Proxy:
    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((HOST, 0))
        self.listener.listen(16)
        self.listener.settimeout(_POLL)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.cut_flag = False
        self.stopping = False
        self.pairs = []
        self.accepted = 0
        self.threads = [threading.Thread(target=self._accept_loop, daemon=True)]
        self.threads[0].start()

    @property
    def hostport(self):
        return "%s:%d" % (HOST, self.port)

    def cut(self):
        with self.lock:
            self.cut_flag = True
            pairs, self.pairs = self.pairs, []
        for a, b in pairs:
            _close(a)
            _close(b)

    def restore(self):
        with self.lock:
            self.cut_flag = False

    def close(self):
        self.stopping = True
        self.cut()
        _close(self.listener)
        for t in self.threads:
            t.join(timeout=5)

    def _accept_loop(self):
        while not self.stopping:
            try:
                client, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                refuse = self.cut_flag
                self.accepted += 1
            if refuse:
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            with self.lock:
                self.pairs.append((client, upstream))
            for src, dst in ((client, upstream), (upstream, client)):
                t = threading.Thread(target=_pump, args=(src, dst), daemon=True)
                t.start()
                self.threads.append(t)


def _pump(src, dst):
    src.settimeout(_POLL)
    try:
        while True:
            try:
                data = src.recv(65536)
            except socket.timeout:
                if src.fileno() < 0:
                    return
                continue
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    _close(src)
    _close(dst)


def _close(s):
    try:
        s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        s.close()
    except OSError:
        pass
