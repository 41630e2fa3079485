"""Provisioning and running a local Neo4j Community server from Maven Central artifacts.

Neo4j's own download site is not reachable from the machines this project runs on, so the server is
assembled from its runtime dependency closure on Maven Central and launched with ``java`` directly.
Each module has one job: :mod:`layout` (where things live), :mod:`config` (neo4j.conf text),
:mod:`install` (artifacts and instance home), :mod:`probe` (is it answering), :mod:`process`
(start, stop, status).
"""

from __future__ import annotations

from kg.neo4j_server.install import InstallResult, install
from kg.neo4j_server.layout import ServerLayout
from kg.neo4j_server.process import ServerStatus, StartResult, StopResult, start, status, stop

__all__ = [
    "InstallResult",
    "ServerLayout",
    "ServerStatus",
    "StartResult",
    "StopResult",
    "install",
    "start",
    "status",
    "stop",
]
