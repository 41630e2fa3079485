"""Fixtures for tests against the real Neo4j server started by ``kg neo4j start``.

There is one driver for the whole session. When the server cannot be reached the fixture FAILS
(never skips) with a message naming ``kg neo4j start``: CI must not go green without Neo4j.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import DriverError, Neo4jError

from kg.settings import Settings, get_settings


@pytest.fixture(scope="session")
def kg_settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def neo4j_driver(kg_settings: Settings) -> Iterator[Driver]:
    uri = kg_settings.bolt_uri
    driver = GraphDatabase.driver(uri, auth=(kg_settings.neo4j_user, kg_settings.neo4j_password))
    problem: str | None = None
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=kg_settings.neo4j_database)
    except (DriverError, Neo4jError, OSError) as e:
        problem = str(e)
    if problem is not None:
        driver.close()
        pytest.fail(
            f"Neo4j is not reachable at {uri} as {kg_settings.neo4j_user!r}: {problem}\n"
            "Start it with `.venv/bin/kg neo4j start` (same KG_NEO4J_* environment as the tests), "
            "or set KG_NEO4J_URI / KG_NEO4J_PASSWORD to a running server.",
            pytrace=False,
        )
    yield driver
    driver.close()


@pytest.fixture
def neo4j_clean(neo4j_driver: Driver, kg_settings: Settings) -> Iterator[Driver]:
    """The session driver, with every node and relationship deleted before the test."""
    neo4j_driver.execute_query("MATCH (n) DETACH DELETE n", database_=kg_settings.neo4j_database)
    yield neo4j_driver


# --- HTTP API (issue 5) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_seeded_graph(neo4j_driver: Driver, kg_settings: Settings) -> list[str]:
    """The sample articles (examples/articles) ingested with the real extractor; once per module.

    Returns the article ids. Module scope: other modules may wipe the database between modules.
    """
    from tests.integration.sample_graph import ingest_examples

    return ingest_examples(neo4j_driver, kg_settings.neo4j_database)


@pytest.fixture(scope="module")
def api_neo4j_settings(kg_settings: Settings) -> Settings:
    """Settings that make the API open the real Neo4j store, with no API keys."""
    return kg_settings.model_copy(update={"store": "neo4j", "api_key": None, "api_read_key": None})


# --- graph store and ingest (issue 4) -----------------------------------------------------------


@pytest.fixture(scope="session")
def _neo4j_schema_applied(neo4j_driver: Driver, kg_settings: Settings) -> bool:
    from kg.store.neo4j_store import Neo4jStore

    Neo4jStore(neo4j_driver, kg_settings.neo4j_database).apply_schema()
    return True


@pytest.fixture
def neo4j_store(neo4j_clean: Driver, kg_settings: Settings, _neo4j_schema_applied: bool) -> Iterator[Any]:
    """An empty ``Neo4jStore`` on the session driver (schema applied once per session)."""
    from kg.store.neo4j_store import Neo4jStore

    yield Neo4jStore(neo4j_clean, kg_settings.neo4j_database)
