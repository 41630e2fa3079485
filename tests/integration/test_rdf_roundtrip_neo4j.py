"""RDF export and import on the real Neo4j store, and across backends (Neo4j <-> embedded).

The graph is the sample articles extracted for real, plus the contract suite's hand-made articles
(which carry a negated statement and an OFFICIAL_OF title).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import parse
from typer.testing import CliRunner

from kg.cli import app
from kg.model import ArticleExtraction
from kg.rdf.formats import FORMATS
from kg.rdf.transfer import export_store, import_file
from kg.rdf.validate import validate_quads
from kg.settings import get_settings
from kg.store.embedded import EmbeddedStore
from kg.store.records import GraphDump
from loaders.text import load_text_file
from tests.contract import sample_data as sd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture(scope="module")
def extractions() -> list[ArticleExtraction]:
    from kg.extract import Extractor

    extractor = Extractor()
    real = [extractor.extract(load_text_file(p)) for p in sorted(EXAMPLES.glob("*.txt"))]
    return real + sd.sample_extractions()


@pytest.fixture
def seeded(neo4j_store: Any, extractions: list[ArticleExtraction]) -> Any:
    for extraction in extractions:
        neo4j_store.write_article(extraction)
    return neo4j_store


def _normal(d: GraphDump) -> tuple[list[str], list[str], list[str]]:
    return (sorted(map(repr, d.articles)), sorted(map(repr, d.entities)), sorted(map(repr, d.evidence)))


@pytest.mark.neo4j
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_neo4j_export_then_import_into_empty_neo4j_gives_the_same_graph(
    seeded: Any, tmp_path: Path, fmt: str
) -> None:
    dump, stats = seeded.dump(), seeded.stats()
    assert stats.evidence > 40 and any(r["negated"] for r in dump.evidence)
    path = tmp_path / f"graph.{fmt}"
    export_store(seeded, fmt, path)
    assert validate_quads(parse(path=str(path), format=FORMATS[fmt])).conforms
    seeded.reset()
    assert seeded.stats().facts == 0
    import_file(seeded, path)
    assert _normal(seeded.dump()) == _normal(dump)
    assert seeded.stats() == stats


@pytest.mark.neo4j
def test_neo4j_and_embedded_hold_the_same_graph_after_a_transfer(seeded: Any, tmp_path: Path) -> None:
    path = tmp_path / "graph.trig"
    export_store(seeded, "trig", path)
    embedded = EmbeddedStore(None)
    import_file(embedded, path)
    assert _normal(embedded.dump()) == _normal(seeded.dump())
    neo, emb = seeded.stats(), embedded.stats()
    assert (neo.articles, neo.entities, neo.facts, neo.evidence) == (
        emb.articles,
        emb.entities,
        emb.facts,
        emb.evidence,
    )
    assert neo.facts_by_relation == emb.facts_by_relation and neo.entities_by_type == emb.entities_by_type
    # and back: the embedded export imports into an empty Neo4j as the same graph
    back = tmp_path / "back.nq"
    export_store(embedded, "nq", back)
    before = seeded.dump()
    seeded.reset()
    import_file(seeded, back)
    assert _normal(seeded.dump()) == _normal(before)


@pytest.mark.neo4j
def test_neo4j_and_embedded_answer_queries_alike(seeded: Any, extractions: list[ArticleExtraction]) -> None:
    embedded = EmbeddedStore(None)
    for extraction in extractions:
        embedded.write_article(extraction)
    assert embedded.find_facts(limit=1000) == seeded.find_facts(limit=1000)
    assert embedded.events(limit=1000) == seeded.events(limit=1000)
    for entity in seeded.search_entities(limit=20):
        assert embedded.get_entity(entity.id) == seeded.get_entity(entity.id)
        assert embedded.subgraph(entity.id, depth=2) == seeded.subgraph(entity.id, depth=2)


@pytest.mark.neo4j
def test_cli_export_and_import_on_neo4j(seeded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", "neo4j")
    get_settings.cache_clear()
    try:
        before = seeded.dump()
        out = tmp_path / "cli.nq"
        result = CliRunner().invoke(app, ["export", "--format", "nq", "--output", str(out), "--validate"])
        assert result.exit_code == 0, result.output
        assert "SHACL: conforms" in result.output
        seeded.reset()
        result = CliRunner().invoke(app, ["import", str(out)])
        assert result.exit_code == 0, result.output
        assert _normal(seeded.dump()) == _normal(before)
        bad = tmp_path / "bad.trig"
        bad.write_text("not trig at all", encoding="utf-8")
        result = CliRunner().invoke(app, ["import", str(bad)])
        assert result.exit_code == 1 and "not valid trig" in result.output
        assert _normal(seeded.dump()) == _normal(before)
    finally:
        get_settings.cache_clear()
