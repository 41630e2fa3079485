"""Ingestion into the real Neo4j: idempotence, exact re-ingestion, shared nodes, failures, the seed fact."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from kg.errors import ExtractionError
from kg.ingest import ingest
from kg.model import Article, ArticleExtraction
from kg.store import assemble
from kg.store.neo4j_store import Neo4jStore
from loaders.detect import ArticleSource, SourceResolver
from tests.contract import sample_data as sd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"

BLINKEN_DERMER = """
MATCH (:Person {name:'Antony Blinken'})-[r:MET]-(:Person {name:'Ron Dermer'})
MATCH (art:Article)-[:HAS_EVIDENCE]->(ev:Evidence {fact_id: r.id})
RETURN art.id AS article, art.title AS title, ev.sentence AS sentence, ev.date AS date
ORDER BY article, sentence
"""


@pytest.fixture(scope="module")
def extractor() -> Any:
    from kg.extract import Extractor

    return Extractor()


def _sources(*args: str) -> list[ArticleSource]:
    with SourceResolver() as resolver:
        return resolver.resolve(args)


def _snapshot(store: Neo4jStore) -> tuple[tuple[int, int], Any]:
    return store.counts(), store.dump()


# --- with the real extractor ---------------------------------------------------------------------


def test_ingesting_the_examples_twice_changes_nothing(neo4j_store: Neo4jStore, extractor: Any) -> None:
    first = ingest(_sources(str(EXAMPLES)), neo4j_store, extractor)
    assert first.ok, first.failures
    assert first.articles == 6
    after_first = _snapshot(neo4j_store)
    assert after_first[0][0] > 6  # articles, entities, evidence
    second = ingest(_sources(str(EXAMPLES)), neo4j_store, extractor)
    assert second.ok and all(w.replaced for w in second.written)
    assert _snapshot(neo4j_store) == after_first


def test_parallel_ingest_gives_the_same_graph(neo4j_store: Neo4jStore, extractor: Any) -> None:
    ingest(_sources(str(EXAMPLES)), neo4j_store, extractor)
    serial = _snapshot(neo4j_store)
    neo4j_store.reset()
    summary = ingest(_sources(str(EXAMPLES)), neo4j_store, extractor, workers=2)
    assert summary.ok, summary.failures
    assert _snapshot(neo4j_store) == serial


def test_changed_article_replaces_its_contributions(
    neo4j_store: Neo4jStore, extractor: Any, tmp_path: Path
) -> None:
    """Original then changed == only the changed version: no stale evidence, true counts."""
    originals = tmp_path / "originals"
    changed = tmp_path / "changed"
    shutil.copytree(EXAMPLES, originals)
    shutil.copytree(EXAMPLES, changed)
    text = (EXAMPLES / "000.txt").read_text(encoding="utf-8")
    head, _, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    kept = "\n\n".join(p for i, p in enumerate(paragraphs) if i % 2 == 0)  # drop every other paragraph
    (changed / "000.txt").write_text(head + "\n\n" + kept, encoding="utf-8")

    assert ingest(_sources(str(changed)), neo4j_store, extractor).ok
    expected = _snapshot(neo4j_store)
    neo4j_store.reset()
    assert ingest(_sources(str(originals)), neo4j_store, extractor).ok
    before_change = _snapshot(neo4j_store)
    assert ingest(_sources(str(changed / "000.txt")), neo4j_store, extractor).ok
    assert _snapshot(neo4j_store) == expected
    assert before_change != expected
    _, rows, _ = neo4j_store.run_cypher(
        "MATCH (:Article {id: '000'})-[:HAS_EVIDENCE]->(ev) RETURN ev.sentence AS s, ev.start AS start"
    )
    new_body = kept
    for row in rows:
        assert row["s"] in new_body


def test_two_articles_naming_one_entity_share_a_node(neo4j_store: Neo4jStore, extractor: Any) -> None:
    assert ingest(_sources(str(EXAMPLES)), neo4j_store, extractor).ok
    _, rows, _ = neo4j_store.run_cypher(
        """MATCH (a:Article)-[:MENTIONS]->(e:Entity)
           WITH e, count(DISTINCT a) AS articles WHERE articles >= 2
           RETURN e.id AS id, articles ORDER BY articles DESC, id"""
    )
    assert rows, "no entity is mentioned by two articles"
    for row in rows:
        _, nodes, _ = neo4j_store.run_cypher(
            "MATCH (e:Entity {id: $id}) RETURN count(e) AS n", {"id": row["id"]}
        )
        assert nodes == [{"n": 1}]
    _, dupes, _ = neo4j_store.run_cypher(
        "MATCH (e:Entity) WITH e.id AS id, count(*) AS n WHERE n > 1 RETURN id"
    )
    assert dupes == []


def test_blinken_met_dermer_with_evidence(neo4j_store: Neo4jStore, extractor: Any) -> None:
    summary = ingest(_sources(str(EXAMPLES / "000.txt")), neo4j_store, extractor)
    assert summary.ok, summary.failures
    _, rows, _ = neo4j_store.run_cypher(
        "MATCH (:Person {name:'Antony Blinken'})-[r:MET]-(:Person {name:'Ron Dermer'}) RETURN count(r) AS n"
    )
    assert rows == [{"n": 1}], "the extractor did not find Blinken MET Dermer in examples/articles/000.txt"
    _, evidence, _ = neo4j_store.run_cypher(BLINKEN_DERMER)
    assert evidence and all(r["article"] == "000" for r in evidence)
    assert evidence[0]["title"].startswith("Netanyahu tries to soothe US tensions")
    assert any("Blinken" in r["sentence"] and "Dermer" in r["sentence"] for r in evidence)


# --- failures, with a deterministic stand-in extractor -------------------------------------------


class _HandBuilt:
    """Returns the contract suite's extractions by article id; 'boom' fails extraction."""

    def __init__(self, extractions: Sequence[ArticleExtraction]) -> None:
        self.by_id = {e.article.id: e for e in extractions}

    def extract(self, article: Article) -> ArticleExtraction:
        if article.id == "boom":
            raise ExtractionError("boom: the NLP pipeline failed")
        return self.by_id[article.id]

    def extract_many(self, articles: Iterable[Article], workers: int = 1) -> Iterator[ArticleExtraction]:
        for article in articles:
            yield self.extract(article)


def _ready(article_id: str) -> ArticleSource:
    return ArticleSource(f"mem:{article_id}", lambda: Article(id=article_id, body="(body)"))


@pytest.mark.parametrize("workers", [1, 3])
def test_failing_articles_leave_no_partial_data_and_do_not_stop_others(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, workers: int
) -> None:
    # The reference: only the good articles.
    for extraction in (sd.article_a1(), sd.article_a3()):
        neo4j_store.write_article(extraction)
    expected = _snapshot(neo4j_store)
    neo4j_store.reset()

    # a2 fails inside its write transaction, on the server, after its rows were written.
    real_props = assemble.relationship_props

    def broken_props(fact: dict[str, Any]) -> dict[str, Any]:
        props = real_props(fact)
        if fact["relation"] == "OFFICIAL_OF":
            props["title"] = {"not": "a property value"}  # Neo4j refuses maps as property values
        return props

    monkeypatch.setattr(assemble, "relationship_props", broken_props)
    sources = [
        _ready("a1"),
        _ready("boom"),
        *_sources(str(tmp_path / "missing.txt")),
        _ready("a2"),
        _ready("a3"),
    ]
    extractor = _HandBuilt([sd.article_a1(), sd.article_a2(), sd.article_a3()])
    seen: list[tuple[int, int]] = []
    summary = ingest(
        sources, neo4j_store, extractor, workers=workers, progress=lambda d, t, _: seen.append((d, t))
    )

    assert summary.articles == 2 and not summary.ok
    assert sorted((f.label.rsplit("/", 1)[-1], f.stage) for f in summary.failures) == [
        ("mem:a2", "write"),
        ("mem:boom", "extract"),
        ("missing.txt", "load"),
    ]
    assert all(f.message for f in summary.failures)
    assert seen[-1] == (5, 5) and len(seen) == 5
    assert _snapshot(neo4j_store) == expected
    assert neo4j_store.get_article("a2") is None
    assert summary.entities == 7 and summary.relationships == 6 and summary.evidence == 6
