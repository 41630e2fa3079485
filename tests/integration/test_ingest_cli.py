"""The ``kg ingest | query | stats | reset | schema apply`` commands against the real Neo4j."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.settings import Settings, get_settings
from kg.store.neo4j_store import Neo4jStore
from tests.contract import sample_data as sd

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"


@pytest.fixture
def cli(
    neo4j_store: Neo4jStore, kg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CliRunner]:
    """A runner whose commands open the same Neo4j the tests use."""
    monkeypatch.setenv("KG_STORE", "neo4j")
    monkeypatch.setenv("KG_NEO4J_URI", kg_settings.bolt_uri)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_ingest_reports_and_fails_on_a_bad_source(
    cli: CliRunner, neo4j_store: Neo4jStore, tmp_path: Path
) -> None:
    bad = tmp_path / "binary.txt"
    bad.write_bytes(b"\x00\x01\x02 not text")
    result = cli.invoke(app, ["ingest", str(EXAMPLES / "003.txt"), str(bad)])
    assert result.exit_code == 1
    assert "Ingest summary" in result.output and "binary file" in result.output
    assert "Traceback" not in result.output
    assert [a.id for a in neo4j_store.list_articles()] == ["003"]
    ok = cli.invoke(app, ["ingest", str(EXAMPLES / "003.txt")])
    assert ok.exit_code == 0, ok.output
    assert [a.id for a in neo4j_store.list_articles()] == ["003"]


def test_query_stats_reset(cli: CliRunner, neo4j_store: Neo4jStore) -> None:
    for extraction in sd.sample_extractions():
        neo4j_store.write_article(extraction)
    result = cli.invoke(
        app, ["query", "MATCH (e:Entity {id: $id}) RETURN e.name AS name", "--param", f"id={sd.BLINKEN.id}"]
    )
    assert result.exit_code == 0, result.output
    assert "Antony Blinken" in result.output and "1 row" in result.output
    as_json = cli.invoke(app, ["query", "RETURN $n + 1 AS m", "-p", "n=41", "--json"])
    assert json.loads(as_json.output.strip()) == {"m": 42}

    refused = cli.invoke(app, ["query", "MATCH (n) DETACH DELETE n"])
    assert refused.exit_code == 1 and "read-only" in refused.output
    assert neo4j_store.stats().articles == 3
    wrote = cli.invoke(app, ["query", "CREATE (:Probe {v: 1})", "--write"])
    assert wrote.exit_code == 0, wrote.output
    assert cli.invoke(app, ["query", "MATCH (n RETURN n"]).exit_code == 1
    assert cli.invoke(app, ["query", "RETURN 1", "-p", "no-equals"]).exit_code == 1

    stats = cli.invoke(app, ["stats", "--json"])
    assert stats.exit_code == 0 and json.loads(stats.output)["facts"] == 9
    assert "relationships" in cli.invoke(app, ["stats"]).output

    refused_reset = cli.invoke(app, ["reset"])
    assert refused_reset.exit_code == 1 and "--yes" in refused_reset.output
    assert neo4j_store.stats().articles == 3
    assert cli.invoke(app, ["reset", "--yes"]).exit_code == 0
    assert neo4j_store.stats().articles == 0


def test_named_query_from_the_library(cli: CliRunner, neo4j_store: Neo4jStore) -> None:
    from kg.querylib import list_queries

    for extraction in sd.sample_extractions():
        neo4j_store.write_article(extraction)
    name = list_queries()[0].name
    result = cli.invoke(app, ["query", "--name", name])
    assert result.exit_code == 0, result.output
    assert cli.invoke(app, ["query", "--name", "no_such_query"]).exit_code == 1
    assert cli.invoke(app, ["query", "RETURN 1", "--name", name]).exit_code == 1


def test_schema_apply(cli: CliRunner) -> None:
    result = cli.invoke(app, ["schema", "apply"])
    assert result.exit_code == 0 and "neo4j" in result.output
