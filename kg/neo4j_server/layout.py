"""Where the shared artifacts and one server instance live on disk.

The jars are shared between instances (a cache keyed by versions) while everything an instance
writes (conf, data, logs, run) lives in its own home, so several servers can run side by side by
giving each its own ``KG_NEO4J_HOME`` and ports.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.settings import Settings

PID_FILE_NAME = "kg-neo4j.pid"
CONSOLE_LOG_NAME = "console.log"


@dataclass(frozen=True)
class ServerLayout:
    version: str
    browser_version: str
    apoc: bool
    cache_dir: Path
    home: Path
    maven_repo: Path | None
    java: str
    bolt_port: int
    http_port: int
    heap: str
    pagecache: str
    user: str
    password: str
    start_timeout: float

    @property
    def artifact_dir(self) -> Path:
        """One folder per combination of versions, so an upgrade never mixes jars."""
        apoc = "-apoc" if self.apoc else ""
        return self.cache_dir / f"neo4j-{self.version}-browser-{self.browser_version}{apoc}"

    @property
    def lib_dir(self) -> Path:
        return self.artifact_dir / "lib"

    @property
    def cache_plugins_dir(self) -> Path:
        return self.artifact_dir / "plugins"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def plugins_dir(self) -> Path:
        return self.home / "plugins"

    @property
    def import_dir(self) -> Path:
        return self.home / "import"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / PID_FILE_NAME

    @property
    def console_log(self) -> Path:
        return self.logs_dir / CONSOLE_LOG_NAME

    @property
    def auth_file(self) -> Path:
        """Written by the admin tool; its presence means the initial password was set."""
        return self.data_dir / "dbms" / "auth.ini"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/"

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"


def layout_from_settings(settings: Settings) -> ServerLayout:
    home = settings.neo4j_home or settings.data_dir / f"neo4j-{settings.neo4j_version}"
    cache = settings.neo4j_cache or settings.data_dir / "neo4j-cache"
    return ServerLayout(
        version=settings.neo4j_version,
        browser_version=settings.neo4j_browser_version,
        apoc=settings.neo4j_apoc,
        cache_dir=cache.expanduser().absolute(),
        home=home.expanduser().absolute(),
        maven_repo=settings.maven_cache.expanduser().absolute() if settings.maven_cache else None,
        java=settings.neo4j_java,
        bolt_port=settings.neo4j_bolt_port,
        http_port=settings.neo4j_http_port,
        heap=settings.neo4j_heap,
        pagecache=settings.neo4j_pagecache,
        user=settings.neo4j_user,
        password=settings.neo4j_password,
        start_timeout=settings.neo4j_start_timeout,
    )
