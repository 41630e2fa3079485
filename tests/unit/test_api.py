"""Unit tests of the HTTP layer (no server): routing, validation, errors, auth, pagination, recovery.

The store here is a small in-memory stand-in implementing the GraphStore methods the API calls, so
these tests pin down the HTTP contract; the real backends are exercised in tests/integration.
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.pagination import decode_cursor, encode_cursor
from kg.errors import NotFoundError, StoreUnavailableError
from kg.model import Article, ArticleExtraction, Entity, Evidence, Triple
from kg.settings import Settings
from kg.store.records import (
    ArticleRecord,
    EntityRecord,
    EvidenceRecord,
    FactRecord,
    PathRecord,
    StoreStats,
    SubgraphRecord,
    WriteResult,
)

USA = EntityRecord("country:USA", "United States", "Country", ["US", "Washington"])
ISR = EntityRecord("country:ISR", "Israel", "Country", ["Israel"])
BLINKEN = EntityRecord("person:antony-blinken", "Antony Blinken", "Person", ["Blinken"])


def _fact(i: int, s: EntityRecord, rel: str, o: EntityRecord, date: str | None) -> FactRecord:
    return FactRecord(
        id=f"f{i:019d}",
        subject=s,
        relation=rel,
        object=o,
        negated=False,
        dates=[date] if date else [],
        first_seen=date,
        last_seen=date,
        articles=["000"],
        mention_count=1,
        confidence=0.9,
    )


FACTS = [
    _fact(1, BLINKEN, "MET", ISR, "2024-09-01"),
    _fact(2, USA, "PROPOSED", ISR, "2024-09-25"),
    _fact(3, USA, "ALLY_OF", ISR, None),
]


class FakeStore:
    """In-memory GraphStore stand-in; ``down`` makes every call raise StoreUnavailableError."""

    backend = "fake"

    def __init__(self) -> None:
        self.down = False
        self.entities = {e.id: e for e in (USA, ISR, BLINKEN)}
        self.articles: dict[str, ArticleRecord] = {
            "000": ArticleRecord("000", "T", None, "S", "2024-09-26", None)
        }
        self.calls: list[str] = []

    def _check(self, name: str) -> None:
        self.calls.append(name)
        if self.down:
            raise StoreUnavailableError("fake store is down")

    def close(self) -> None:
        pass

    def ping(self) -> dict[str, Any]:
        self._check("ping")
        return {"backend": "fake", "version": "0"}

    def stats(self) -> StoreStats:
        self._check("stats")
        return StoreStats(
            "fake", len(self.articles), len(self.entities), len(FACTS), 3, {"Country": 2}, {"MET": 1}
        )

    def search_entities(
        self, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[EntityRecord]:
        self._check("search_entities")
        rows = sorted(self.entities.values(), key=lambda e: e.name)
        if q:
            rows = [
                e
                for e in rows
                if q.lower() in e.name.lower() or any(q.lower() in a.lower() for a in e.aliases)
            ]
        if type:
            rows = [e for e in rows if e.type == type]
        return rows[offset : offset + limit]

    def get_entity(self, entity_id: str) -> EntityRecord | None:
        self._check("get_entity")
        e = self.entities.get(entity_id)
        if e is None:
            return None
        counts: dict[str, int] = {}
        for f in FACTS:
            if entity_id in (f.subject.id, f.object.id):
                counts[f.relation] = counts.get(f.relation, 0) + 1
        return EntityRecord(e.id, e.name, e.type, e.aliases, {}, counts)

    def find_facts(self, *, limit: int = 100, offset: int = 0, **kw: Any) -> list[FactRecord]:
        self._check("find_facts")
        rows = FACTS
        if kw.get("entity"):
            rows = [f for f in rows if kw["entity"] in (f.subject.id, f.object.id)]
        if kw.get("relation"):
            rows = [f for f in rows if f.relation == kw["relation"]]
        if kw.get("subject"):
            rows = [f for f in rows if f.subject.id == kw["subject"]]
        return rows[offset : offset + limit]

    def get_fact(self, fact_id: str) -> FactRecord | None:
        self._check("get_fact")
        return next((f for f in FACTS if f.id == fact_id), None)

    def evidence(self, fact_id: str) -> list[EvidenceRecord]:
        self._check("evidence")
        return [
            EvidenceRecord(fact_id, "000", f"Sentence {i}.", i * 10, i * 10 + 9, None, 0.9) for i in range(3)
        ]

    def events(self, *, limit: int = 100, offset: int = 0, **kw: Any) -> list[FactRecord]:
        self._check("events")
        return [f for f in FACTS if f.dates][offset : offset + limit]

    def paths(self, from_id: str, to_id: str, max_hops: int = 4, limit: int = 10) -> list[PathRecord]:
        self._check("paths")
        if from_id not in self.entities or to_id not in self.entities:
            return []
        return [PathRecord([self.entities[from_id], self.entities[to_id]], [FACTS[0]])]

    def subgraph(
        self, center: str, depth: int = 1, relation: str | None = None, limit: int = 200
    ) -> SubgraphRecord:
        self._check("subgraph")
        if center not in self.entities:
            raise NotFoundError(f"no entity with id {center!r}")
        nodes = list(self.entities.values())
        return SubgraphRecord(nodes[:limit], FACTS, len(nodes) > limit)

    def write_article(self, extraction: ArticleExtraction) -> WriteResult:
        self._check("write_article")
        a = extraction.article
        replaced = a.id in self.articles
        self.articles[a.id] = ArticleRecord(a.id, a.title, a.url, a.source, a.published, a.licence)
        return WriteResult(
            a.id, len(extraction.entities), len(extraction.triples), len(extraction.triples), replaced
        )

    def get_article(self, article_id: str) -> ArticleRecord | None:
        self._check("get_article")
        return self.articles.get(article_id)

    def list_articles(self, limit: int = 50, offset: int = 0) -> list[ArticleRecord]:
        self._check("list_articles")
        return sorted(self.articles.values(), key=lambda a: a.id)[offset : offset + limit]

    def delete_article(self, article_id: str) -> bool:
        self._check("delete_article")
        return self.articles.pop(article_id, None) is not None


class FakeExtractor:
    def extract(self, article: Article) -> ArticleExtraction:
        usa = Entity("country:USA", "United States", "Country", ["US"])
        isr = Entity("country:ISR", "Israel", "Country", ["Israel"])
        t = Triple(
            article.id, usa, "MET", isr, False, article.published, 0.8, Evidence(article.body[:20], 0, 20)
        )
        return ArticleExtraction(article, [usa, isr], [t])


@pytest.fixture()
def store() -> FakeStore:
    return FakeStore()


def make_client(store: Any, **settings: Any) -> TestClient:
    app = create_app(lambda: store, settings=Settings(**settings), extractor_factory=FakeExtractor)
    return TestClient(app)


@pytest.fixture()
def client(store: FakeStore) -> TestClient:
    return make_client(store)


def assert_error(response: Any, status: int, error: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    if error is not None:
        assert body["error"] == error
    return body


# --- reads ------------------------------------------------------------------------------------


def test_health_reports_store_and_versions(client: TestClient) -> None:
    r = client.get("/v1/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["store"]["reachable"] is True
    assert body["versions"]["api"] == "v1" and "fastapi" in body["versions"]
    assert body["capabilities"] == {"cypher": False, "sparql": False}


def test_entity_ids_with_colons_route_to_the_entity(client: TestClient) -> None:
    r = client.get("/v1/entities/person:antony-blinken")
    assert r.status_code == 200
    assert r.json()["id"] == "person:antony-blinken"
    assert r.json()["relation_counts"] == {"MET": 1}
    r = client.get("/v1/entities/country%3AUSA")  # percent-encoded colon works too
    assert r.json()["aliases"] == ["US", "Washington"]


def test_entity_relations_route_is_not_swallowed_by_the_id(client: TestClient) -> None:
    r = client.get("/v1/entities/country:USA/relations", params={"relation": "ALLY_OF", "direction": "out"})
    assert r.status_code == 200
    items = r.json()["items"]
    assert [f["relation"] for f in items] == ["ALLY_OF"]
    assert items[0]["subject"]["id"] == "country:USA"


def test_unknown_entity_is_404_with_error_body(client: TestClient) -> None:
    body = assert_error(client.get("/v1/entities/country:XXX"), 404, "not_found")
    assert "country:XXX" in body["detail"]
    assert_error(client.get("/v1/entities/country:XXX/relations"), 404, "not_found")
    assert_error(client.get("/v1/subgraph", params={"center": "country:XXX"}), 404, "not_found")
    assert_error(
        client.get("/v1/paths", params={"from": "country:USA", "to": "country:XXX"}), 404, "not_found"
    )
    assert_error(client.get("/v1/relations/nope/evidence"), 404, "not_found")
    assert_error(client.get("/v1/articles/nope"), 404, "not_found")
    assert_error(client.get("/v1/no-such-route"), 404, "not_found")


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v1/entities", {"type": "Planet"}),
        ("/v1/entities", {"limit": 0}),
        ("/v1/entities", {"limit": 100000}),
        ("/v1/entities/country:USA/relations", {"relation": "LOVED"}),
        ("/v1/entities/country:USA/relations", {"direction": "sideways"}),
        ("/v1/entities/country:USA/relations", {"since": "2024-13-01"}),
        ("/v1/entities/country:USA/relations", {"since": "yesterday"}),
        ("/v1/relations", {"relation": "met"}),
        ("/v1/relations", {"since": "2025", "until": "2024"}),
        ("/v1/events", {"type": "ALLY_OF"}),  # a standing relation is not an event type
        ("/v1/paths", {"from": "country:USA"}),
        ("/v1/paths", {"from": "country:USA", "to": "country:ISR", "max_hops": 99}),
        ("/v1/subgraph", {"center": "country:USA", "depth": 9}),
        ("/v1/subgraph", {"center": "country:USA", "relation": "NOPE"}),
        ("/v1/entities", {"cursor": "not-a-cursor"}),
    ],
)
def test_bad_parameters_are_422(client: TestClient, path: str, params: dict[str, Any]) -> None:
    body = assert_error(client.get(path, params=params), 422)
    assert body["detail"]


def test_vocabulary_error_names_the_allowed_values(client: TestClient) -> None:
    body = assert_error(client.get("/v1/relations", params={"relation": "LOVED"}), 422, "validation_error")
    assert "MET" in body["detail"][0]["msg"]


def test_cursor_pagination_walks_every_item_once(client: TestClient) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/entities", params=params).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(["country:USA", "country:ISR", "person:antony-blinken"])
    assert len(seen) == len(set(seen))


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor(150)) == 150
    assert decode_cursor(None) == 0


def test_evidence_is_paginated(client: TestClient) -> None:
    fid = FACTS[0].id
    page = client.get(f"/v1/relations/{fid}/evidence", params={"limit": 2}).json()
    assert page["fact"]["id"] == fid and len(page["items"]) == 2 and page["next_cursor"]
    rest = client.get(
        f"/v1/relations/{fid}/evidence", params={"limit": 2, "cursor": page["next_cursor"]}
    ).json()
    assert [e["sentence"] for e in rest["items"]] == ["Sentence 2."] and rest["next_cursor"] is None


def test_search_paths_subgraph_events_stats(client: TestClient) -> None:
    assert [e["id"] for e in client.get("/v1/entities", params={"q": "blink"}).json()["items"]] == [
        "person:antony-blinken"
    ]
    paths = client.get("/v1/paths", params={"from": "person:antony-blinken", "to": "country:ISR"}).json()
    assert paths["paths"][0]["length"] == 1 and paths["truncated"] is False
    sub = client.get("/v1/subgraph", params={"center": "country:USA", "limit": 2}).json()
    assert len(sub["nodes"]) == 2 and sub["truncated"] is True
    events = client.get("/v1/events").json()["items"]
    assert [e["dates"][0] for e in events] == ["2024-09-01", "2024-09-25"]
    assert client.get("/v1/stats").json()["entities"] == 3


# --- query endpoints on a store without them ----------------------------------------------------


def test_cypher_and_sparql_are_501_when_the_store_lacks_them(client: TestClient) -> None:
    assert_error(client.post("/v1/cypher", json={"query": "MATCH (n) RETURN n"}), 501, "not_supported")
    assert_error(
        client.get("/v1/sparql", params={"query": "SELECT * WHERE {?s ?p ?o}"}), 501, "not_supported"
    )
    assert_error(client.post("/v1/sparql", json={"query": "ASK {?s ?p ?o}"}), 501, "not_supported")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("CREATE (n:Entity {id: 'x'})", 403),
        ("MATCH (n) SET n.name = 'x'", 403),
        ("MATCH (n) DETACH DELETE n", 403),
        ("MERGE (n:Entity {id: 'x'})", 403),
        ("CALL dbms.components()", 403),
        ("CALL apoc.help('x')", 403),
        ("CALL db.createLabel('X')", 403),
        ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", 403),
        ("MATCH (n) RETURN n // " + "x" * 20_000, 400),
    ],
)
def test_cypher_precheck_refuses_before_reaching_the_store(
    client: TestClient, store: FakeStore, query: str, status: int
) -> None:
    body = assert_error(client.post("/v1/cypher", json={"query": query}), status)
    assert body["error"] in {"query_refused", "bad_query"} and len(body["detail"]) > 20


def test_sparql_update_is_refused(client: TestClient) -> None:
    r = client.post("/v1/sparql", json={"query": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert_error(r, 403, "query_refused")


class CypherStore(FakeStore):
    def __init__(self) -> None:
        super().__init__()
        self.cypher_calls: list[tuple[str, dict[str, Any], int | None]] = []

    def run_cypher(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        write: bool = False,
        timeout: float | None = None,
        row_cap: int | None = None,
    ) -> tuple[list[str], list[dict[str, Any]], bool]:
        assert write is False
        self.cypher_calls.append((query, dict(params or {}), row_cap))
        return ["n"], [{"n": i} for i in range(row_cap or 5)], True


def test_cypher_passes_params_and_caps_rows() -> None:
    store = CypherStore()
    client = make_client(store, cypher_row_cap=7)
    r = client.post(
        "/v1/cypher", json={"query": "MATCH (n) RETURN n.x AS n", "params": {"a": 1}, "limit": 50}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"columns": ["n"], "rows": [[i] for i in range(7)], "row_count": 7, "truncated": True}
    assert store.cypher_calls == [("MATCH (n) RETURN n.x AS n", {"a": 1}, 7)]
    assert client.get("/v1/health").json()["capabilities"]["cypher"] is True


def test_cypher_rejects_unknown_fields() -> None:
    client = make_client(CypherStore())
    assert_error(
        client.post("/v1/cypher", json={"query": "RETURN 1", "write": True}), 422, "validation_error"
    )
    assert_error(client.post("/v1/cypher", json={"query": ""}), 422, "validation_error")


# --- writes and auth --------------------------------------------------------------------------


def test_post_article_with_text_returns_triples_and_can_be_deleted(
    client: TestClient, store: FakeStore
) -> None:
    r = client.post(
        "/v1/articles", json={"id": "t1", "text": "The US met Israel on Monday.", "published": "2024-09-30"}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["article_id"] == "t1" and body["written"]["facts"] == 1
    assert body["triples"][0]["relation"] == "MET" and body["triples"][0]["date"] == "2024-09-30"
    assert client.get("/v1/articles/t1").json()["id"] == "t1"
    assert client.delete("/v1/articles/t1").status_code == 204
    assert_error(client.delete("/v1/articles/t1"), 404, "not_found")


def test_post_article_needs_text_or_url(client: TestClient) -> None:
    assert_error(client.post("/v1/articles", json={"title": "x"}), 422, "validation_error")
    assert_error(client.post("/v1/articles", json={"url": "ftp://x"}), 422, "validation_error")
    assert_error(client.post("/v1/articles", json={"text": "x", "published": "26/9/2024"}), 422)


def test_write_key_is_required_on_writes_only(store: FakeStore) -> None:
    client = make_client(store, api_key="s3cret")
    assert_error(client.post("/v1/articles", json={"text": "The US met Israel."}), 401, "unauthorized")
    assert_error(client.delete("/v1/articles/000"), 401)
    assert_error(client.delete("/v1/articles/000", headers={"Authorization": "Bearer wrong"}), 401)
    assert "000" in store.articles  # nothing was deleted
    assert client.get("/v1/entities").status_code == 200  # reads stay open
    ok = client.delete("/v1/articles/000", headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 204 and "000" not in store.articles


def test_read_key_guards_reads_and_the_write_key_also_reads(store: FakeStore) -> None:
    client = make_client(store, api_key="w", api_read_key="r")
    r = client.get("/v1/entities")
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    assert client.get("/v1/entities", headers={"Authorization": "Bearer r"}).status_code == 200
    assert client.get("/v1/entities", headers={"Authorization": "Bearer w"}).status_code == 200
    r = client.post("/v1/articles", json={"text": "x y z"}, headers={"Authorization": "Bearer r"})
    assert_error(r, 401)  # the read key does not write


# --- outages ----------------------------------------------------------------------------------


def test_store_down_gives_503_then_recovers_without_restart(store: FakeStore) -> None:
    client = make_client(store)
    store.down = True
    assert_error(client.get("/v1/entities/country:USA"), 503, "store_unavailable")
    h = client.get("/v1/health")
    assert h.status_code == 503 and h.json()["store"]["reachable"] is False
    store.down = False
    assert client.get("/v1/entities/country:USA").status_code == 200
    assert client.get("/v1/health").json()["status"] == "ok"


def test_store_that_cannot_be_opened_is_retried_on_the_next_request() -> None:
    attempts: list[int] = []
    store = FakeStore()

    def factory() -> Any:
        attempts.append(1)
        if len(attempts) < 3:
            raise StoreUnavailableError("Neo4j is not reachable; start it with `kg neo4j start`")
        return store

    client = TestClient(create_app(factory, settings=Settings()))
    assert_error(client.get("/v1/stats"), 503, "store_unavailable")
    assert_error(client.get("/v1/stats"), 503, "store_unavailable")
    assert client.get("/v1/stats").status_code == 200
    assert client.get("/v1/stats").status_code == 200
    assert len(attempts) == 3  # a working store is kept; only failures are retried


def test_unexpected_errors_keep_the_error_shape(store: FakeStore) -> None:
    def boom(**kw: Any) -> Any:
        raise RuntimeError("bug")

    store.events = boom  # type: ignore[method-assign]
    app = create_app(lambda: cast(Any, store), settings=Settings())
    client = TestClient(app, raise_server_exceptions=False)
    assert_error(client.get("/v1/events"), 500, "internal_error")


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in [
        "/v1/health",
        "/v1/stats",
        "/v1/entities",
        "/v1/entities/{entity_id}",
        "/v1/entities/{entity_id}/relations",
        "/v1/relations",
        "/v1/relations/{fact_id}/evidence",
        "/v1/events",
        "/v1/paths",
        "/v1/subgraph",
        "/v1/cypher",
        "/v1/sparql",
        "/v1/articles",
        "/v1/articles/{article_id}",
    ]:
        assert p in paths
    assert set(paths["/v1/sparql"]) == {"get", "post"}
    assert set(paths["/v1/articles/{article_id}"]) == {"get", "delete"}
    assert client.get("/docs").status_code == 200
