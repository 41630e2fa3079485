"""``kg demo`` on a fresh folder: real extractor, embedded store, no Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cli.demo_cmd import SAMPLE_DIR, render, run_demo
from kg.settings import get_settings


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo") / "store"


def test_demo_ingests_every_sample_article_and_answers(demo_dir: Path) -> None:
    report = run_demo(demo_dir)
    assert report.failures == []
    assert sorted(report.articles) == sorted(p.stem for p in SAMPLE_DIR.glob("*.txt"))
    assert report.stats.articles == len(report.articles) and report.stats.facts > 0
    met = report.answers[0]
    assert met.question == "Who met whom?" and met.total == report.stats.facts_by_relation.get("MET", 0) > 0
    assert all(f.relation == "MET" and not f.negated for f in met.facts)
    assert report.example_evidence and report.example_evidence[0].fact_id in {f.id for f in met.facts}
    text = render(report)
    assert "Who met whom?" in text and "Facts per relation:" in text


def test_running_the_demo_twice_gives_the_same_graph(demo_dir: Path) -> None:
    first = run_demo(demo_dir).stats
    assert run_demo(demo_dir).stats == first


def test_demo_command_runs_without_neo4j(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KG_NEO4J_BOLT_PORT", "1")  # nothing listens there: the demo must not need it
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["demo"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Who holds which office?" in result.output
    assert (tmp_path / "demo").is_dir()


def test_demo_with_no_articles_fails_cleanly(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "--store", str(tmp_path / "s"), "--articles", str(tmp_path)])
    assert result.exit_code == 1
    assert "no *.txt articles" in result.output and "Traceback" not in result.output
