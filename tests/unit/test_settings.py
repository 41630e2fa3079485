"""Settings come from KG_* variables and decide where each Neo4j instance lives and listens."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.neo4j_server.config import render_config
from kg.neo4j_server.layout import layout_from_settings
from kg.settings import Settings, get_settings


def _conf(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in (
        "KG_NEO4J_URI",
        "KG_NEO4J_HOME",
        "KG_NEO4J_CACHE",
        "KG_NEO4J_BOLT_PORT",
        "KG_NEO4J_HTTP_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env file
    return monkeypatch


def test_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert settings.neo4j_bolt_port == 7687
    assert settings.neo4j_http_port == 7474
    assert settings.neo4j_user == "neo4j"
    assert settings.neo4j_password == "kg-password"
    assert settings.bolt_uri == "bolt://127.0.0.1:7687"
    assert settings.resolved_store == "embedded"


def test_environment_overrides_with_kg_prefix(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("KG_NEO4J_BOLT_PORT", "7601")
    clean_env.setenv("KG_NEO4J_HTTP_PORT", "7401")
    clean_env.setenv("KG_NEO4J_HOME", str(tmp_path / "neo4j-alice"))
    settings = Settings()
    assert settings.bolt_uri == "bolt://127.0.0.1:7601"
    assert settings.neo4j_home == tmp_path / "neo4j-alice"
    clean_env.setenv("KG_NEO4J_URI", "bolt://neo4j:7687")
    assert Settings().bolt_uri == "bolt://neo4j:7687"
    assert Settings().resolved_store == "neo4j"


def test_get_settings_is_cached_until_cleared(clean_env: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    first = get_settings()
    assert get_settings() is first
    clean_env.setenv("KG_NEO4J_BOLT_PORT", "7602")
    assert get_settings().neo4j_bolt_port == first.neo4j_bolt_port
    get_settings.cache_clear()
    assert get_settings().neo4j_bolt_port == 7602
    get_settings.cache_clear()


def test_two_instances_share_jars_but_not_homes(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    a = layout_from_settings(Settings(neo4j_home=tmp_path / "a", neo4j_bolt_port=7601, neo4j_http_port=7401))
    b = layout_from_settings(Settings(neo4j_home=tmp_path / "b", neo4j_bolt_port=7602, neo4j_http_port=7402))
    assert a.lib_dir == b.lib_dir
    assert a.lib_dir.is_relative_to(tmp_path / "data")
    assert {a.home, b.home} == {tmp_path / "a", tmp_path / "b"}
    assert a.pid_file != b.pid_file and a.data_dir != b.data_dir
    assert b.browser_url == "http://127.0.0.1:7402/browser/"


def test_default_home_is_under_data_dir(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    layout = layout_from_settings(Settings())
    assert layout.home == tmp_path / "data" / "neo4j-5.26.12"


def test_neo4j_conf_binds_only_bolt_and_http_to_localhost(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = Settings(
        neo4j_home=tmp_path / "x", neo4j_bolt_port=7611, neo4j_http_port=7411, neo4j_pagecache="64m"
    )
    conf = _conf(render_config(layout_from_settings(settings)))
    assert conf["server.bolt.listen_address"] == "127.0.0.1:7611"
    assert conf["server.http.listen_address"] == "127.0.0.1:7411"
    assert conf["server.default_listen_address"] == "127.0.0.1"
    assert conf["server.https.enabled"] == "false"
    assert conf["server.memory.pagecache.size"] == "64m"
    assert conf["server.directories.data"] == str(tmp_path / "x" / "data")
