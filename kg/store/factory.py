"""The one place that opens a store (and, for Neo4j, creates the driver the store is given)."""

from __future__ import annotations

import neo4j
from neo4j.exceptions import AuthError, DriverError, Neo4jError

from kg.errors import StoreUnavailableError
from kg.settings import Settings, get_settings
from kg.store.base import GraphStore
from kg.store.neo4j_store import Neo4jStore


def open_store(settings: Settings | None = None) -> GraphStore:
    """The store the settings name: Neo4j (driver created and checked here) or the embedded one."""
    settings = settings or get_settings()
    if settings.resolved_store == "neo4j":
        return open_neo4j_store(settings)
    from kg.store.embedded import EmbeddedStore

    path = settings.embedded_path or settings.data_dir / "embedded"
    return EmbeddedStore(path)


def open_neo4j_store(settings: Settings | None = None) -> Neo4jStore:
    """A :class:`Neo4jStore` on a verified connection; fails with a message naming `kg neo4j start`."""
    settings = settings or get_settings()
    uri = settings.bolt_uri
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=(settings.neo4j_user, settings.neo4j_password),
            connection_timeout=5.0,
            # Retries cover deadlocks and leader switches; a dead server should fail fast (API: 503).
            max_transaction_retry_time=5.0,
        )
    except (DriverError, ValueError) as e:
        raise StoreUnavailableError(f"cannot use Neo4j URI {uri!r}: {e}") from e
    try:
        driver.verify_connectivity()
    except AuthError as e:
        driver.close()
        raise StoreUnavailableError(
            f"Neo4j at {uri} refused user {settings.neo4j_user!r}: check KG_NEO4J_USER / KG_NEO4J_PASSWORD"
        ) from e
    except (DriverError, Neo4jError, OSError) as e:
        driver.close()
        raise StoreUnavailableError(
            f"Neo4j is not reachable at {uri} ({e.__class__.__name__}); start it with `kg neo4j start`"
        ) from e
    return Neo4jStore(driver, settings.neo4j_database)
