"""Neo4j-specific behaviour of the store: schema, graph layout, raw Cypher, errors, concurrency.

(The protocol itself is covered for both backends by ``tests/contract``.)
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from kg.errors import InputError, QueryError, StoreUnavailableError
from kg.model import ArticleExtraction, fact_id
from kg.settings import Settings
from kg.store.factory import open_neo4j_store, open_store
from kg.store.neo4j_store import Neo4jStore
from tests.contract import sample_data as sd

MET_ID = fact_id(sd.BLINKEN.id, "MET", sd.DERMER.id, False)


def _load(store: Neo4jStore) -> None:
    for extraction in sd.sample_extractions():
        store.write_article(extraction)


def _one(store: Neo4jStore, query: str, **params: object) -> Any:
    _, rows, _ = store.run_cypher(query, params)
    return rows[0][next(iter(rows[0]))] if rows else None


def test_schema_has_constraints_fulltext_and_relationship_indexes(neo4j_store: Neo4jStore) -> None:
    neo4j_store.apply_schema()  # again: idempotent
    _, rows, _ = neo4j_store.run_cypher("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
    assert {"entity_id", "article_id", "evidence_id"} <= set(rows[0]["names"])
    _, rows, _ = neo4j_store.run_cypher("SHOW INDEXES YIELD name, type RETURN name, type")
    indexes = {r["name"]: r["type"] for r in rows}
    assert indexes["entity_names"] == "FULLTEXT"
    assert "evidence_fact_id" in indexes and "rel_met_id" in indexes and "rel_located_in_id" in indexes


def test_fulltext_index_finds_aliases(neo4j_store: Neo4jStore) -> None:
    _load(neo4j_store)
    neo4j_store.run_cypher("CALL db.awaitIndexes(60)")
    _, rows, _ = neo4j_store.run_cypher(
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.id AS id",
        {"q": "islamic"},
    )
    assert [r["id"] for r in rows] == [sd.IRN.id]


def test_graph_layout_matches_the_model(neo4j_store: Neo4jStore) -> None:
    _load(neo4j_store)
    # typed labels and one relationship type per relation, straight between entities
    labels = _one(neo4j_store, "MATCH (e:Entity {id: $id}) RETURN labels(e) AS l", id=sd.BLINKEN.id)
    assert sorted(labels) == ["Entity", "Person"]
    # symmetric MET stored once, from the lower to the higher id
    rows = neo4j_store.run_cypher("MATCH (a)-[r:MET]->(b) RETURN a.id AS a, b.id AS b")[1]
    assert rows == [{"a": sd.BLINKEN.id, "b": sd.DERMER.id}]
    # the model document's evidence query
    _, rows, _ = neo4j_store.run_cypher(
        """MATCH (:Person {name:'Antony Blinken'})-[r:MET]-(:Person {name:'Ron Dermer'})
           MATCH (art:Article)-[:HAS_EVIDENCE]->(ev:Evidence {fact_id: r.id})
           RETURN art.id AS article, ev.sentence AS sentence, ev.date AS date ORDER BY article"""
    )
    assert [(r["article"], r["date"]) for r in rows] == [("a1", "2024-09-25"), ("a2", "2024-09-30")]
    # evidence links to the entities as written in the text (Dermer is the subject in a1)
    subject = _one(
        neo4j_store,
        "MATCH (:Article {id:'a1'})-[:HAS_EVIDENCE]->(ev:Evidence {fact_id:$f})-[:SUBJECT]->(s) RETURN s.id",
        f=MET_ID,
    )
    assert subject == sd.DERMER.id
    # relationship properties analysts query directly
    props = _one(neo4j_store, "MATCH ()-[r:MET]->() RETURN properties(r) AS p")
    assert isinstance(props, dict)
    assert props["article_count"] == 2 and props["first_date"] == "2024-09-25" and props["cameo"] == "040"


def test_negated_fact_is_its_own_relationship(neo4j_store: Neo4jStore) -> None:
    _load(neo4j_store)
    extraction = sd.article_a3()
    extraction.triples.append(
        sd._t("a3", sd.ISR, "AGREED_TO", sd.CEASEFIRE, "Israel agreed to the truce.", 200, date="2024-10-05")
    )
    neo4j_store.write_article(extraction)
    rows = neo4j_store.run_cypher(
        "MATCH (:Country {id:$i})-[r:AGREED_TO]->(:Proposal) RETURN r.negated AS n ORDER BY n",
        {"i": sd.ISR.id},
    )[1]
    assert [r["n"] for r in rows] == [False, True]


def test_run_cypher_read_mode_refuses_writes_and_changes_nothing(neo4j_store: Neo4jStore) -> None:
    _load(neo4j_store)
    before = neo4j_store.counts()
    for query in ("CREATE (:Probe)", "MATCH (n) DETACH DELETE n", "MATCH (e:Entity) SET e.x = 1"):
        with pytest.raises(QueryError, match="read-only"):
            neo4j_store.run_cypher(query)
    assert neo4j_store.counts() == before


def test_run_cypher_write_params_cap_and_errors(neo4j_store: Neo4jStore) -> None:
    columns, rows, truncated = neo4j_store.run_cypher(
        "CREATE (p:Probe {v: $v}) RETURN p.v AS v", {"v": 7}, write=True
    )
    assert (columns, rows, truncated) == (["v"], [{"v": 7}], False)
    _, rows, truncated = neo4j_store.run_cypher("UNWIND range(1, 50) AS i RETURN i", row_cap=10)
    assert len(rows) == 10 and truncated is True
    with pytest.raises(QueryError):
        neo4j_store.run_cypher("MATCH (n RETURN n")
    with pytest.raises(QueryError):
        neo4j_store.run_cypher("   ")
    with pytest.raises(QueryError):  # trips an internal error in the server's parser (found by schemathesis)
        neo4j_store.run_cypher("*#k\U000a6ac8\x9b")
    with pytest.raises(QueryError, match="parameter"):  # beyond 64-bit integers
        neo4j_store.run_cypher("RETURN $n", {"n": 2**63})
    _, rows, _ = neo4j_store.run_cypher("MATCH (p:Probe) RETURN p")
    assert rows == [{"p": {"labels": ["Probe"], "properties": {"v": 7}}}]


def test_run_cypher_timeout(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(QueryError):
        neo4j_store.run_cypher(
            "UNWIND range(1, 100000000) AS i WITH i WHERE i % 7 = 100 RETURN count(i)", timeout=0.5
        )


def test_concurrent_writers_of_overlapping_articles_stay_consistent(neo4j_store: Neo4jStore) -> None:
    """Articles sharing entities and facts, written from threads: counts as if written one by one."""
    extractions = []
    for i in range(12):
        base = sd.article_a1()
        base.article.id = f"c{i}"
        for triple in base.triples:
            triple.doc = base.article.id
        extractions.append(base)
    errors: list[BaseException] = []

    def worker(chunk: list[ArticleExtraction]) -> None:
        try:
            for extraction in chunk:
                neo4j_store.write_article(extraction)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(extractions[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    met = neo4j_store.get_fact(MET_ID)
    assert met is not None and met.mention_count == 12 and len(met.articles) == 12
    stats = neo4j_store.stats()
    assert (stats.articles, stats.entities, stats.facts, stats.evidence) == (12, 7, 4, 48)


def test_factory_opens_neo4j_and_reports_a_dead_server(
    kg_settings: Settings, neo4j_store: Neo4jStore
) -> None:
    store = open_store(kg_settings.model_copy(update={"store": "neo4j"}))
    try:
        assert store.backend == "neo4j" and store.ping()["version"].startswith("5.")
    finally:
        store.close()
    dead = kg_settings.model_copy(update={"store": "neo4j", "neo4j_uri": "bolt://127.0.0.1:9"})
    with pytest.raises(StoreUnavailableError, match="kg neo4j start"):
        open_neo4j_store(dead)


def test_store_errors_are_mapped_when_the_server_goes_away(kg_settings: Settings) -> None:
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(
        "bolt://127.0.0.1:9", auth=("neo4j", "x"), connection_timeout=1.0, max_transaction_retry_time=0.5
    )
    store = Neo4jStore(driver, kg_settings.neo4j_database)
    try:
        with pytest.raises(StoreUnavailableError, match="kg neo4j start"):
            store.stats()
        with pytest.raises(StoreUnavailableError):
            store.write_article(sd.article_a1())
    finally:
        store.close()


def test_write_articles_is_one_all_or_nothing_transaction(neo4j_store: Neo4jStore) -> None:
    results = neo4j_store.write_articles(sd.sample_extractions())
    assert [r.article_id for r in results] == ["a1", "a2", "a3"] and not any(r.replaced for r in results)
    one_by_one = neo4j_store.dump()
    neo4j_store.reset()
    for extraction in sd.sample_extractions():
        neo4j_store.write_article(extraction)
    assert neo4j_store.dump() == one_by_one
    before = neo4j_store.counts()
    bad = sd.article_a2_changed()
    bad.triples[0].relation = "INVADED"
    with pytest.raises(InputError):
        neo4j_store.write_articles([sd.article_unmentioned_only(), bad])
    assert neo4j_store.counts() == before and neo4j_store.get_article("a4") is None
