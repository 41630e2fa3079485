"""The backend contract: every GraphStore implementation passes the same tests.

The ``store`` fixture is parametrised over the backends. Neo4j uses the session driver of the
integration suite and fails loudly (naming ``kg neo4j start``) when the server is not reachable;
the embedded store runs in memory and fails with the ImportError until ``kg/store/embedded.py``
exists.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from neo4j import Driver

from kg.settings import Settings
from kg.store.base import GraphStore
from tests.integration.conftest import kg_settings, neo4j_driver  # noqa: F401  (fixtures)

BACKENDS = ["neo4j", "embedded"]


@pytest.fixture(scope="session")
def neo4j_contract_store(neo4j_driver: Driver, kg_settings: Settings) -> Iterator[GraphStore]:  # noqa: F811
    from kg.store.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_driver, kg_settings.neo4j_database)
    store.apply_schema()
    yield store  # the driver belongs to the session fixture: not closed here


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty store of each backend."""
    if request.param == "neo4j":
        neo: GraphStore = request.getfixturevalue("neo4j_contract_store")
        neo.reset()
        yield neo
        return
    try:
        from kg.store.embedded import EmbeddedStore
    except ImportError as e:
        pytest.fail(
            f"embedded backend not available yet (kg/store/embedded.py): ImportError: {e}", pytrace=False
        )
    embedded = EmbeddedStore(None)
    try:
        yield embedded
    finally:
        embedded.close()


@pytest.fixture
def loaded(store: GraphStore) -> GraphStore:
    """A store holding the three sample articles."""
    from tests.contract.sample_data import sample_extractions

    for extraction in sample_extractions():
        store.write_article(extraction)
    return store
