"""The HTTP API on the embedded (RDF) store: every read endpoint, SPARQL, and 501 for Cypher.

No server needed: the embedded store runs in memory, loaded with the contract suite's sample
articles (hand-built extractions, so expected values can be exact).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.settings import Settings
from kg.store.embedded import EmbeddedStore
from tests.contract.sample_data import sample_extractions


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    store = EmbeddedStore(None)
    for extraction in sample_extractions():
        store.write_article(extraction)
    with TestClient(create_app(lambda: store, settings=Settings(store="embedded"))) as c:
        yield c


def error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == code


def test_health_and_stats(client: TestClient) -> None:
    health = client.get("/v1/health").json()
    assert health["store"]["backend"] == "embedded"
    assert health["capabilities"] == {"cypher": False, "sparql": True}
    stats = client.get("/v1/stats").json()
    assert (stats["articles"], stats["entities"]) == (3, 8)


def test_colon_ids_relations_and_evidence(client: TestClient) -> None:
    blinken = client.get("/v1/entities/person:antony-blinken").json()
    assert blinken["name"] == "Antony Blinken" and "Blinken" in blinken["aliases"]
    facts = client.get("/v1/entities/person:antony-blinken/relations").json()["items"]
    assert sum(blinken["relation_counts"].values()) == len(facts) > 0
    met = client.get("/v1/relations", params={"relation": "MET"}).json()["items"]
    assert met and all(f["relation"] == "MET" for f in met)
    evidence = client.get(f"/v1/relations/{met[0]['id']}/evidence").json()
    assert evidence["items"] and all(e["sentence"] for e in evidence["items"])


def test_paths_subgraph_events(client: TestClient) -> None:
    sub = client.get("/v1/subgraph", params={"center": "country:USA", "depth": 2}).json()
    ids = {n["id"] for n in sub["nodes"]}
    assert "country:USA" in ids
    assert all(e["subject"]["id"] in ids and e["object"]["id"] in ids for e in sub["edges"])
    other = next(i for i in ids if i != "country:USA")
    paths = client.get("/v1/paths", params={"from": "country:USA", "to": other}).json()["paths"]
    assert paths and paths[0]["nodes"][0]["id"] == "country:USA"
    events = client.get("/v1/events").json()["items"]
    firsts = [min(e["dates"]) for e in events if e["dates"]]
    assert firsts == sorted(firsts)


def test_sparql_get_and_post(client: TestClient) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 50"
    got = client.get("/v1/sparql", params={"query": query, "limit": 5})
    assert got.status_code == 200, got.text
    body = got.json()
    assert (
        body["result"]["type"] == "select" and len(body["result"]["rows"]) == 5 and body["truncated"] is True
    )
    ask = client.post("/v1/sparql", json={"query": "ASK { ?s ?p ?o }"}).json()
    assert ask["result"] == {"type": "ask", "boolean": True}


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "LOAD <http://example.org/data.ttl>",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_sparql_refuses_updates_and_service(client: TestClient, query: str) -> None:
    before = client.get("/v1/stats").json()
    error(client.post("/v1/sparql", json={"query": query}), 403, "query_refused")
    assert client.get("/v1/stats").json() == before


def test_sparql_syntax_error_is_400(client: TestClient) -> None:
    error(client.get("/v1/sparql", params={"query": "SELECT WHERE {"}), 400, "bad_query")


def test_cypher_is_501_on_the_embedded_store(client: TestClient) -> None:
    error(client.post("/v1/cypher", json={"query": "MATCH (n) RETURN n"}), 501, "not_supported")


class SampleExtractor:
    """Answers every article with the first sample extraction's entities and triples."""

    def extract(self, article: Any) -> Any:
        from dataclasses import replace

        from kg.model import ArticleExtraction

        sample = sample_extractions()[0]
        triples = [replace(t, doc=article.id) for t in sample.triples]
        return ArticleExtraction(article, sample.entities, triples)


def test_concurrent_reads_and_writes_through_the_thread_pool() -> None:
    from concurrent.futures import ThreadPoolExecutor

    store = EmbeddedStore(None)
    for extraction in sample_extractions():
        store.write_article(extraction)
    app = create_app(lambda: store, settings=Settings(store="embedded"), extractor_factory=SampleExtractor)
    with TestClient(app) as c:

        def work(i: int) -> list[int]:
            statuses = [
                c.get("/v1/entities/country:USA/relations").status_code,
                c.get("/v1/subgraph", params={"center": "country:USA"}).status_code,
                c.post("/v1/articles", json={"id": f"t{i}", "text": f"Article {i}."}).status_code,
                c.get("/v1/stats").status_code,
                c.delete(f"/v1/articles/t{i}").status_code,
            ]
            return statuses

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(work, range(24)))
        assert all(r == [200, 200, 201, 200, 204] for r in results), results
        assert c.get("/v1/stats").json()["articles"] == 3
