"""The HTTP API against the real Neo4j, seeded with examples/articles through the real extractor.

Needs a running server (``kg neo4j start``): the ``neo4j_driver`` fixture FAILS, never skips,
when it cannot reach it. Expected values are cross-checked with Cypher through the driver rather
than hard-coded, so the tests hold whatever the extractor's current recall is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver

from api.main import create_app
from kg.settings import Settings


@pytest.fixture(scope="module")
def client(api_seeded_graph: list[str], api_neo4j_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings=api_neo4j_settings)) as c:
        yield c


def q(driver: Driver, settings: Settings, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = driver.execute_query(query, params, database_=settings.neo4j_database)
    return [r.data() for r in records]


def counts(driver: Driver, settings: Settings) -> tuple[int, int]:
    row = q(
        driver, settings, "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r"
    )
    return row[0]["n"], row[0]["r"]


def assert_error(response: Any, status: int, error: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "detail"}, body
    if error:
        assert body["error"] == error, body
    return body


def busiest_entity(driver: Driver, settings: Settings) -> str:
    """The entity with the most relationships (a good centre for relations and subgraph tests)."""
    rows = q(
        driver,
        settings,
        "MATCH (e:Entity)-[r]-(:Entity) RETURN e.id AS id, count(r) AS n ORDER BY n DESC, id LIMIT 1",
    )
    assert rows, "the seeded graph has no relationships: did the extractor find nothing in examples/articles?"
    return str(rows[0]["id"])


# --- health and stats ---------------------------------------------------------------------------


def test_health_reports_neo4j_and_versions(client: TestClient) -> None:
    r = client.get("/v1/health")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "ok"
    assert body["store"]["backend"] == "neo4j" and body["store"]["info"]["version"].startswith("5.")
    assert body["capabilities"] == {"cypher": True, "sparql": False}
    assert body["versions"]["neo4j-driver"] != "unknown"


def test_stats_match_the_database(
    client: TestClient, api_seeded_graph: list[str], neo4j_driver: Driver, kg_settings: Settings
) -> None:
    stats = client.get("/v1/stats").json()
    assert stats["backend"] == "neo4j"
    assert stats["articles"] == len(api_seeded_graph) == 6
    n_entities = q(neo4j_driver, kg_settings, "MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]
    assert stats["entities"] == n_entities > 0
    assert stats["facts"] == sum(stats["facts_by_relation"].values()) > 0
    assert sum(stats["entities_by_type"].values()) == n_entities


# --- entities -----------------------------------------------------------------------------------


def test_search_is_case_insensitive_and_filters_by_type(client: TestClient) -> None:
    lower = client.get("/v1/entities", params={"q": "netanyahu"}).json()["items"]
    upper = client.get("/v1/entities", params={"q": "NETANYAHU"}).json()["items"]
    assert lower and [e["id"] for e in lower] == [e["id"] for e in upper]
    assert any(e["type"] == "Person" for e in lower)
    countries = client.get("/v1/entities", params={"type": "Country", "limit": 500}).json()["items"]
    assert countries and all(e["type"] == "Country" for e in countries)
    assert any(e["id"] == "country:USA" for e in countries)


def test_search_pagination_visits_every_entity_once(client: TestClient) -> None:
    total = client.get("/v1/stats").json()["entities"]
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/v1/entities", params=params).json()
        assert len(page["items"]) <= 7
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert len(seen) <= total
    assert len(seen) == len(set(seen)) == total


def test_entity_by_colon_id_with_aliases_and_relation_counts(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings
) -> None:
    r = client.get("/v1/entities/country:USA")
    assert r.status_code == 200, r.text
    usa = r.json()
    assert usa["id"] == "country:USA" and usa["type"] == "Country" and usa["aliases"]
    expected = {
        row["rel"]: row["n"]
        for row in q(
            neo4j_driver,
            kg_settings,
            "MATCH (:Entity {id: 'country:USA'})-[r]-(:Entity) RETURN type(r) AS rel, count(r) AS n",
        )
    }
    assert usa["relation_counts"] == expected
    relations = client.get("/v1/entities/country:USA/relations", params={"limit": 500}).json()
    assert len(relations["items"]) == sum(expected.values())


def test_entity_relations_direction_relation_and_dates(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings
) -> None:
    center = busiest_entity(neo4j_driver, kg_settings)
    url = f"/v1/entities/{center}/relations"
    both = client.get(url, params={"limit": 500}).json()["items"]
    out = client.get(url, params={"direction": "out", "limit": 500}).json()["items"]
    inn = client.get(url, params={"direction": "in", "limit": 500}).json()["items"]
    assert both and all(center in (f["subject"]["id"], f["object"]["id"]) for f in both)
    assert all(f["subject"]["id"] == center for f in out)
    assert all(f["object"]["id"] == center for f in inn)
    assert {f["id"] for f in out} | {f["id"] for f in inn} == {f["id"] for f in both}
    relation = both[0]["relation"]
    only = client.get(url, params={"relation": relation, "limit": 500}).json()["items"]
    assert only and all(f["relation"] == relation for f in only)
    dated = [f for f in both if f["dates"]]
    if dated:
        day = dated[0]["dates"][0]
        in_range = client.get(url, params={"since": day, "until": day, "limit": 500}).json()["items"]
        assert dated[0]["id"] in {f["id"] for f in in_range}
        assert all(any(d[:10] == day or d.startswith(day[:7]) for d in f["dates"]) for f in in_range)
    negated = client.get(url, params={"negated": "true", "limit": 500}).json()["items"]
    assert all(f["negated"] is True for f in negated)


def test_unknown_ids_are_404(client: TestClient) -> None:
    assert_error(client.get("/v1/entities/country:XYZ"), 404, "not_found")
    assert_error(client.get("/v1/entities/person:nobody-at-all/relations"), 404, "not_found")
    assert_error(client.get("/v1/relations/0000000000/evidence"), 404, "not_found")
    assert_error(client.get("/v1/relations/0000000000"), 404, "not_found")
    assert_error(client.get("/v1/articles/no-such-article"), 404, "not_found")
    assert_error(client.get("/v1/subgraph", params={"center": "country:XYZ"}), 404, "not_found")
    assert_error(
        client.get("/v1/paths", params={"from": "country:USA", "to": "country:XYZ"}), 404, "not_found"
    )


def test_vocabulary_is_enforced(client: TestClient) -> None:
    assert_error(client.get("/v1/relations", params={"relation": "KISSED"}), 422, "validation_error")
    assert_error(client.get("/v1/entities", params={"type": "Galaxy"}), 422, "validation_error")
    assert_error(client.get("/v1/events", params={"type": "PART_OF"}), 422, "validation_error")


# --- relations, evidence, events ----------------------------------------------------------------


def test_triple_pattern_and_evidence(client: TestClient, neo4j_driver: Driver, kg_settings: Settings) -> None:
    facts = client.get("/v1/relations", params={"limit": 500}).json()["items"]
    assert facts
    fact = facts[0]
    match = client.get(
        "/v1/relations",
        params={
            "subject": fact["subject"]["id"],
            "relation": fact["relation"],
            "object": fact["object"]["id"],
        },
    ).json()["items"]
    assert fact["id"] in {f["id"] for f in match}
    assert all(f["relation"] == fact["relation"] for f in match)
    assert client.get(f"/v1/relations/{fact['id']}").json() == fact
    ev = client.get(f"/v1/relations/{fact['id']}/evidence").json()
    assert ev["fact"]["id"] == fact["id"]
    n_evidence = q(
        neo4j_driver, kg_settings, "MATCH (ev:Evidence {fact_id: $id}) RETURN count(ev) AS n", id=fact["id"]
    )[0]["n"]
    assert len(ev["items"]) == n_evidence == fact["mention_count"] > 0
    for item in ev["items"]:
        assert item["sentence"].strip() and item["article_id"] in fact["articles"]
        assert item["end"] > item["start"] >= 0


def test_events_are_a_timeline(client: TestClient) -> None:
    events = client.get("/v1/events", params={"limit": 500}).json()["items"]
    assert events
    firsts = [min(e["dates"]) for e in events if e["dates"]]
    assert firsts == sorted(firsts)
    undated_from = next((i for i, e in enumerate(events) if not e["dates"]), len(events))
    assert all(not e["dates"] for e in events[undated_from:])
    assert all(e["relation"] not in {"ALLY_OF", "PART_OF", "OFFICIAL_OF", "LOCATED_IN"} for e in events)
    kind = events[0]["relation"]
    typed = client.get("/v1/events", params={"type": kind, "limit": 500}).json()["items"]
    assert typed and all(e["relation"] == kind for e in typed)
    actor = events[0]["subject"]["id"]
    by_actor = client.get("/v1/events", params={"actor": actor, "limit": 500}).json()["items"]
    assert by_actor and all(actor in (e["subject"]["id"], e["object"]["id"]) for e in by_actor)
    page = client.get("/v1/events", params={"limit": 1}).json()
    assert len(page["items"]) == 1 and (page["next_cursor"] is not None) == (len(events) > 1)


# --- paths and subgraph -------------------------------------------------------------------------


def test_paths_between_connected_entities(client: TestClient) -> None:
    fact = client.get("/v1/relations", params={"limit": 1}).json()["items"][0]
    a, b = fact["subject"]["id"], fact["object"]["id"]
    r = client.get("/v1/paths", params={"from": a, "to": b, "max_hops": 1})
    assert r.status_code == 200, r.text
    paths = r.json()["paths"]
    assert paths and all(p["length"] == 1 for p in paths)
    assert {paths[0]["nodes"][0]["id"], paths[0]["nodes"][-1]["id"]} == {a, b}
    assert_error(client.get("/v1/paths", params={"from": a, "to": b, "max_hops": 50}), 422)


def test_subgraph_is_consistent_and_capped(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings
) -> None:
    center = busiest_entity(neo4j_driver, kg_settings)
    sub = client.get("/v1/subgraph", params={"center": center, "depth": 2}).json()
    ids = {n["id"] for n in sub["nodes"]}
    assert center in ids and len(ids) > 1
    assert all(e["subject"]["id"] in ids and e["object"]["id"] in ids for e in sub["edges"])
    capped = client.get("/v1/subgraph", params={"center": center, "depth": 2, "limit": 2}).json()
    assert len(capped["nodes"]) <= 2 and capped["truncated"] is True
    rel = sub["edges"][0]["relation"]
    only = client.get("/v1/subgraph", params={"center": center, "relation": rel}).json()
    assert all(e["relation"] == rel for e in only["edges"])


# --- read-only Cypher -----------------------------------------------------------------------------


def test_cypher_reads_with_params_and_row_cap(client: TestClient, api_neo4j_settings: Settings) -> None:
    r = client.post(
        "/v1/cypher",
        json={
            "query": "MATCH (e:Entity {id: $id}) RETURN e.name AS name, e",
            "params": {"id": "country:USA"},
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == ["name", "e"] and body["row_count"] == 1
    assert body["rows"][0][1]["properties"]["id"] == "country:USA"
    many = client.post("/v1/cypher", json={"query": "UNWIND range(1, 100000) AS x RETURN x"}).json()
    assert many["row_count"] == api_neo4j_settings.cypher_row_cap and many["truncated"] is True
    few = client.post("/v1/cypher", json={"query": "UNWIND range(1, 100) AS x RETURN x", "limit": 10}).json()
    assert few["rows"] == [[i] for i in range(1, 11)] and few["truncated"] is True
    allowed = client.post("/v1/cypher", json={"query": "CALL db.labels() YIELD label RETURN label"})
    assert allowed.status_code == 200 and ["Entity"] in allowed.json()["rows"]


WRITE_ATTEMPTS = [
    "CREATE (n:Entity {id: 'evil:1', name: 'x'}) RETURN n",
    "MERGE (n:Entity {id: 'evil:2'}) RETURN n",
    "MATCH (e:Entity) SET e.name = 'pwned'",
    "MATCH (e:Entity) REMOVE e.name",
    "MATCH (e:Entity {id: 'country:USA'}) DELETE e",
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "MATCH (a:Entity), (b:Entity) WITH a, b LIMIT 1 CREATE (a)-[:MET]->(b)",
    "UNWIND [1] AS x CALL { CREATE (:Entity {id: 'evil:3'}) } RETURN x",
    "FOREACH (x IN [1] | CREATE (:Entity {id: 'evil:4'}))",
    "CALL dbms.components() YIELD name RETURN name",
    "CALL dbms.security.createUser('evil', 'evil-pass', false)",
    "CALL apoc.create.node(['Entity'], {id: 'evil:5'})",
    "RETURN apoc.version()",
    "CALL db.createLabel('Evil')",
    "CALL db.createProperty('evil')",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row CREATE (:Entity {id: row.id})",
    "CREATE INDEX evil FOR (n:Entity) ON (n.name)",
    "DROP CONSTRAINT entity_id IF EXISTS",
    "USE system SHOW USERS",
    "MATCH (n) RETURN n // " + "x" * 20_000,
    "MATCH (n) WHERE n.id IN [" + ",".join(f"'{i}'" for i in range(3000)) + "] RETURN n",
]


@pytest.mark.parametrize("query", WRITE_ATTEMPTS, ids=[w[:40] for w in WRITE_ATTEMPTS])
def test_cypher_refuses_writes_procedures_load_csv_and_long_queries(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings, query: str
) -> None:
    before = counts(neo4j_driver, kg_settings)
    names_before = q(neo4j_driver, kg_settings, "MATCH (e:Entity) RETURN collect(e.name) AS names")
    r = client.post("/v1/cypher", json={"query": query})
    assert 400 <= r.status_code < 500, r.text
    body = assert_error(r, r.status_code)
    assert body["error"] in {"query_refused", "bad_query"}
    assert any(word in body["detail"].lower() for word in ("not allowed", "limit", "refused", "read-only"))
    assert counts(neo4j_driver, kg_settings) == before
    assert q(neo4j_driver, kg_settings, "MATCH (e:Entity) RETURN collect(e.name) AS names") == names_before
    labels = q(neo4j_driver, kg_settings, "CALL db.labels() YIELD label RETURN collect(label) AS l")[0]["l"]
    assert "Evil" not in labels


def test_read_transaction_refuses_a_write_that_passes_the_precheck(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the pre-check switched off, Neo4j's READ access mode still refuses."""
    import api.routes.cypher as cypher_route

    monkeypatch.setattr(cypher_route, "check_cypher", lambda query: None)
    before = counts(neo4j_driver, kg_settings)
    r = client.post("/v1/cypher", json={"query": "CREATE (n:Entity {id: 'evil:read-mode'}) RETURN n"})
    body = assert_error(r, 403, "query_refused")
    assert "read" in body["detail"].lower()
    assert counts(neo4j_driver, kg_settings) == before


def test_cypher_timeout_and_syntax_errors_are_4xx(
    api_neo4j_settings: Settings, api_seeded_graph: list[str]
) -> None:
    settings = api_neo4j_settings.model_copy(update={"cypher_timeout": 0.2})
    with TestClient(create_app(settings=settings)) as c:
        slow = c.post(
            "/v1/cypher",
            json={"query": "UNWIND range(1, 300000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS n"},
        )
        body = assert_error(slow, 400, "bad_query")
        assert "timeout" in body["detail"]
        broken = c.post("/v1/cypher", json={"query": "MATCH (n RETURN n"})
        assert_error(broken, 400, "bad_query")


def test_sparql_is_501_on_neo4j(client: TestClient) -> None:
    assert_error(
        client.get("/v1/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 501, "not_supported"
    )


# --- articles (write endpoints) -------------------------------------------------------------------

ARTICLE = (
    "US Secretary of State Antony Blinken met Israeli Prime Minister Benjamin Netanyahu in Jerusalem on "
    "Tuesday. Iran condemned the Israeli strikes on Lebanon. Hezbollah rejected the ceasefire proposal."
)


def test_post_get_delete_article_restores_the_graph(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings
) -> None:
    stats_before = client.get("/v1/stats").json()
    before = counts(neo4j_driver, kg_settings)
    r = client.post(
        "/v1/articles",
        json={"id": "api-test-article", "text": ARTICLE, "title": "API test", "published": "2024-10-01"},
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["article_id"] == "api-test-article" and created["written"]["replaced"] is False
    assert created["triples"], "the extractor found no triple in an obvious sentence"
    assert all(t["evidence"]["sentence"] in ARTICLE for t in created["triples"])
    stored = client.get("/v1/articles/api-test-article").json()
    assert stored["title"] == "API test" and stored["published"] == "2024-10-01"
    assert sorted({t["fact_id"] for t in created["triples"]}) == stored["fact_ids"]
    assert client.get("/v1/stats").json()["articles"] == stats_before["articles"] + 1
    listed = client.get("/v1/articles", params={"limit": 500}).json()["items"]
    assert "api-test-article" in {a["id"] for a in listed}
    again = client.post("/v1/articles", json={"id": "api-test-article", "text": ARTICLE})
    assert again.status_code == 201 and again.json()["written"]["replaced"] is True

    assert client.delete("/v1/articles/api-test-article").status_code == 204
    assert_error(client.get("/v1/articles/api-test-article"), 404, "not_found")
    assert_error(client.delete("/v1/articles/api-test-article"), 404, "not_found")
    assert client.get("/v1/stats").json() == stats_before
    assert counts(neo4j_driver, kg_settings) == before


def test_post_article_from_an_unreachable_url_is_a_clear_4xx(client: TestClient) -> None:
    r = client.post("/v1/articles", json={"url": "http://127.0.0.1:9/nothing-here"})
    body = assert_error(r, 422)
    assert body["error"] in {"fetch_failed", "invalid_input"}


def test_keys_guard_writes_and_reads(
    api_neo4j_settings: Settings, api_seeded_graph: list[str], neo4j_driver: Driver, kg_settings: Settings
) -> None:
    settings = api_neo4j_settings.model_copy(update={"api_key": "write-key", "api_read_key": "read-key"})
    before = counts(neo4j_driver, kg_settings)
    with TestClient(create_app(settings=settings)) as c:
        assert_error(c.get("/v1/entities/country:USA"), 401, "unauthorized")
        assert (
            c.get("/v1/entities/country:USA", headers={"Authorization": "Bearer read-key"}).status_code == 200
        )
        assert_error(c.delete("/v1/articles/000", headers={"Authorization": "Bearer read-key"}), 401)
        assert_error(c.post("/v1/articles", json={"text": ARTICLE}), 401)
        assert c.get("/v1/health").status_code == 200  # health stays open for orchestrators
    assert counts(neo4j_driver, kg_settings) == before


def test_post_article_by_url_fetches_extracts_and_stores(
    client: TestClient, neo4j_driver: Driver, kg_settings: Settings
) -> None:
    """A local web server serves a sample article; the API fetches it, extracts and stores it."""
    import functools
    import http.server
    import threading
    from pathlib import Path

    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(examples))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    before = counts(neo4j_driver, kg_settings)
    try:
        url = f"http://127.0.0.1:{server.server_port}/003.txt"
        r = client.post("/v1/articles", json={"url": url, "id": "api-url-article"})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["article_id"] == "api-url-article" and body["triples"]
        assert body["published"] and body["title"]  # taken from the served file's header
        stored = client.get("/v1/articles/api-url-article").json()
        assert stored["fact_ids"] == sorted({t["fact_id"] for t in body["triples"]})
        missing = client.post("/v1/articles", json={"url": url.replace("003", "nope")})
        assert missing.status_code == 422 and "404" in missing.json()["detail"]
    finally:
        server.shutdown()
        client.delete("/v1/articles/api-url-article")
    assert counts(neo4j_driver, kg_settings) == before
