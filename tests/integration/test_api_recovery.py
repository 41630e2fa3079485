"""503 while Neo4j is unreachable, and recovery WITHOUT restarting the API when it comes back.

The outage is simulated with a TCP proxy in front of the real server's Bolt port: stopping the
proxy drops every connection and refuses new ones, exactly what the driver sees when the server
goes away; starting it again on the same port is the server coming back.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.settings import Settings


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            for c in self._conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture()
def proxy(api_neo4j_settings: Settings, neo4j_driver: object) -> Iterator[TcpProxy]:
    target = urlparse(api_neo4j_settings.bolt_uri)
    p = TcpProxy((target.hostname or "127.0.0.1", target.port or 7687))
    p.start()
    yield p
    p.stop()


def test_store_outage_is_503_and_the_api_recovers_without_restart(
    proxy: TcpProxy, api_neo4j_settings: Settings
) -> None:
    settings = api_neo4j_settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{proxy.port}"})
    with TestClient(create_app(settings=settings), raise_server_exceptions=False) as client:
        assert client.get("/v1/stats").status_code == 200
        assert client.get("/v1/health").json()["status"] == "ok"

        proxy.stop()  # the server "goes away"
        for path in ("/v1/stats", "/v1/entities/country:USA", "/v1/events"):
            r = client.get(path)
            assert r.status_code == 503, r.text
            assert r.json()["error"] == "store_unavailable" and "kg neo4j start" in r.json()["detail"]
        r = client.post("/v1/cypher", json={"query": "RETURN 1 AS x"})
        assert r.status_code == 503, r.text
        health = client.get("/v1/health")
        assert health.status_code == 503 and health.json()["store"]["reachable"] is False

        proxy.start()  # ... and comes back: same app, no restart
        assert client.get("/v1/stats").status_code == 200
        assert client.get("/v1/health").json()["status"] == "ok"
        assert client.post("/v1/cypher", json={"query": "RETURN 1 AS x"}).json()["rows"] == [[1]]


def test_api_starts_while_the_store_is_down_and_serves_once_it_is_up(
    proxy: TcpProxy, api_neo4j_settings: Settings
) -> None:
    settings = api_neo4j_settings.model_copy(update={"neo4j_uri": f"bolt://127.0.0.1:{proxy.port}"})
    proxy.stop()
    with TestClient(create_app(settings=settings), raise_server_exceptions=False) as client:
        r = client.get("/v1/stats")
        assert r.status_code == 503 and r.json()["error"] == "store_unavailable"
        proxy.start()
        assert client.get("/v1/stats").status_code == 200
