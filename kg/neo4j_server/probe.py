"""Is a server answering? Cheap checks used while waiting for start-up and by ``status``."""

from __future__ import annotations

import socket
from enum import StrEnum

import httpx


class BoltState(StrEnum):
    READY = "ready"
    UNAVAILABLE = "unavailable"
    AUTH_FAILED = "auth_failed"


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """Something accepts TCP connections there (ours or not): used to refuse clashing ports."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def http_ready(url: str, timeout: float = 2.0) -> bool:
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def bolt_state(uri: str, user: str, password: str, timeout: float = 3.0) -> BoltState:
    """Connect and run a query, so "ready" means the default database is online, not just the port."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=timeout) as driver:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1")
    except AuthError:
        return BoltState.AUTH_FAILED
    except (DriverError, Neo4jError, OSError):
        return BoltState.UNAVAILABLE
    return BoltState.READY
