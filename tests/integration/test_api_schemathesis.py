"""Schemathesis over the OpenAPI schema, against the real Neo4j seeded with examples/articles.

Every operation gets generated requests (valid and invalid); none may answer with a server error
(5xx), and every response must match the schema. The one documented exception is 501 from
``/v1/sparql``: Neo4j has no SPARQL, which the API says with a 501 ``not_supported`` body.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from api.main import create_app
from kg.settings import get_settings

CAPABILITY_PATHS = {"/v1/sparql"}  # 501 on a store without the capability, by design


# The app opens its store lazily, so building it (and loading its schema) at import needs no server.
APP = create_app(
    settings=get_settings().model_copy(
        update={"store": "neo4j", "api_key": None, "api_read_key": None, "fetch_timeout": 2.0}
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def seeded(api_seeded_graph: list[str]) -> Iterator[list[str]]:
    """Seed Neo4j before the first generated request (fails loudly naming `kg neo4j start`)."""
    yield api_seeded_graph
    APP.state.store_provider.close()


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_no_server_errors_and_responses_match_the_schema(case: schemathesis.Case) -> None:
    response = case.call()
    if response.status_code == 501 and case.path in CAPABILITY_PATHS:
        assert response.json()["error"] == "not_supported"
        return
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
