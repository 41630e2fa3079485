"""The provisioned server really answers: Bolt writes and reads, HTTP discovery, Browser, status.

The lifecycle test starts a second instance on free ports in a temporary home, from the shared
jar cache, which checks side-by-side instances and that ``stop`` leaves no process behind.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import httpx
import pytest
from neo4j import Driver

from kg.neo4j_server import start, status, stop
from kg.neo4j_server.install import is_installed
from kg.neo4j_server.layout import layout_from_settings
from kg.settings import Settings


def _http_base(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.neo4j_http_port}"


def test_bolt_write_then_read(neo4j_clean: Driver, kg_settings: Settings) -> None:
    db = kg_settings.neo4j_database
    neo4j_clean.execute_query(
        "CREATE (:Actor {id: $id, name: $name})"
        "-[:MET {on: date('2024-05-01')}]->(:Actor {id: 'b', name: 'B'})",
        id="a",
        name="Alpha",
        database_=db,
    )
    records, _, _ = neo4j_clean.execute_query(
        "MATCH (a:Actor {id: 'a'})-[m:MET]->(b:Actor) RETURN a.name AS a, b.name AS b, toString(m.on) AS on",
        database_=db,
    )
    assert [(r["a"], r["b"], r["on"]) for r in records] == [("Alpha", "B", "2024-05-01")]


def test_clean_fixture_starts_empty(neo4j_clean: Driver, kg_settings: Settings) -> None:
    records, _, _ = neo4j_clean.execute_query(
        "MATCH (n) RETURN count(n) AS n", database_=kg_settings.neo4j_database
    )
    assert records[0]["n"] == 0


def test_http_discovery_names_community_526(neo4j_driver: Driver, kg_settings: Settings) -> None:
    response = httpx.get(_http_base(kg_settings) + "/", timeout=10)
    assert response.status_code == 200
    discovery = response.json()
    assert discovery["neo4j_edition"] == "community"
    assert discovery["neo4j_version"].startswith("5.26.")
    assert discovery["bolt_direct"].endswith(f":{kg_settings.neo4j_bolt_port}")


def test_browser_is_served(neo4j_driver: Driver, kg_settings: Settings) -> None:
    response = httpx.get(_http_base(kg_settings) + "/browser/", timeout=10)
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_status_reports_running(neo4j_driver: Driver, kg_settings: Settings) -> None:
    if kg_settings.neo4j_uri:
        pytest.fail("KG_NEO4J_URI is set: this test checks the server started by `kg neo4j start`; unset it.")
    result = status(layout_from_settings(kg_settings))
    assert result.running, f"`kg neo4j status` sees no server for home {result.home}"
    assert result.pid is not None
    assert result.bolt_reachable and result.http_reachable
    assert result.bolt_port == kg_settings.neo4j_bolt_port


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_second_instance_starts_side_by_side_and_stops_cleanly(
    neo4j_driver: Driver, kg_settings: Settings, tmp_path: Path
) -> None:
    settings = kg_settings.model_copy(
        update={
            "neo4j_home": tmp_path / "neo4j-side",
            "neo4j_bolt_port": _free_port(),
            "neo4j_http_port": _free_port(),
            "neo4j_heap": "512m",
            "neo4j_pagecache": "64m",
        }
    )
    layout = layout_from_settings(settings)
    try:
        started = start(layout)
        assert not started.already_running
        assert is_installed(layout)
        again = start(layout)
        assert again.already_running and again.pid == started.pid
        running = status(layout)
        assert running.running and running.bolt_reachable and running.http_reachable
        assert httpx.get(layout.browser_url, timeout=10).status_code == 200
    finally:
        stopped = stop(layout)
    assert stopped.was_running and stopped.pid == started.pid
    assert (
        not Path(f"/proc/{started.pid}/cmdline").exists()
        or not Path(f"/proc/{started.pid}/cmdline").read_bytes()
    ), "the java process is still there after stop"
    assert not status(layout).running
    assert not layout.pid_file.exists()
    # the default instance is untouched
    neo4j_driver.verify_connectivity()


def test_stale_pid_file_never_makes_stop_kill_a_stranger(kg_settings: Settings, tmp_path: Path) -> None:
    """A pid file naming a live process that is not our Neo4j (here: pytest itself) is ignored."""
    layout = layout_from_settings(kg_settings.model_copy(update={"neo4j_home": tmp_path / "stale"}))
    layout.run_dir.mkdir(parents=True)
    layout.pid_file.write_text(
        json.dumps({"pid": os.getpid(), "home": str(layout.home), "bolt_port": 1, "http_port": 2})
    )
    assert not status(layout).running
    result = stop(layout)
    assert not result.was_running
    assert not layout.pid_file.exists()
    assert Path(f"/proc/{os.getpid()}").exists()
