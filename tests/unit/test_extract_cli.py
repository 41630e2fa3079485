"""``kg extract``: output formats and per-file errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.extract.language import looks_english

ARTICLE = """Title: Test
Published: 2024-03-07

On Tuesday, Germany condemned Russia. The Iranian-backed Houthis fired missiles at a tanker.
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_jsonl_is_the_spec_output(runner: CliRunner, tmp_path: Path) -> None:
    f = _write(tmp_path / "007.txt", ARTICLE.encode())
    res = runner.invoke(app, ["extract", str(f), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines() if line.strip()]
    cond = next(r for r in rows if r["relation"] == "CONDEMNED")
    assert cond["doc"] == "007"
    assert cond["subject"]["id"] == "country:DEU" and cond["object"]["name"] == "Russia"
    assert cond["date"] == "2024-03-05" and cond["negated"] is False
    assert set(cond) == {
        "doc",
        "subject",
        "relation",
        "object",
        "negated",
        "date",
        "confidence",
        "evidence",
        "attributes",
    }
    body = ARTICLE.split("\n\n", 1)[1]
    assert body[cond["evidence"]["start"] : cond["evidence"]["end"]] == cond["evidence"]["sentence"]


def test_json_groups_entities_and_triples_per_article(runner: CliRunner, tmp_path: Path) -> None:
    f = _write(tmp_path / "a.txt", ARTICLE.encode())
    out = tmp_path / "out.json"
    res = runner.invoke(app, ["extract", str(tmp_path), "--format", "json", "--output", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert [d["doc"] for d in data] == [f.stem]
    assert {e["name"] for e in data[0]["entities"]} >= {"Germany", "Russia", "Houthis", "Iran"}


def test_bad_files_are_reported_and_the_rest_processed(runner: CliRunner, tmp_path: Path) -> None:
    _write(tmp_path / "a_good.txt", ARTICLE.encode())
    _write(tmp_path / "b_empty.txt", b"")
    _write(tmp_path / "c_binary.txt", b"\x00\x01\x02binary" * 50)
    _write(tmp_path / "d_latin1.txt", "Le pr\xe9sident".encode("latin-1"))
    _write(tmp_path / "e_header_only.txt", b"Title: x\nPublished: 2024-01-01\n")
    _write(
        tmp_path / "f_german.txt",
        "Der Kanzler hat heute mit dem Präsidenten über die Lage in der Ukraine "
        "gesprochen und eine neue Initiative vorgeschlagen.".encode(),
    )
    res = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    err = res.stderr
    for name, reason in [
        ("b_empty", "empty"),
        ("c_binary", "binary"),
        ("d_latin1", "UTF-8"),
        ("e_header_only", "no body"),
        ("f_german", "not English"),
    ]:
        line = next(x for x in err.splitlines() if name in x)
        assert reason in line
    docs = {json.loads(line)["doc"] for line in res.stdout.splitlines() if line.strip()}
    assert docs == {"a_good"}


def test_missing_file_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert res.exit_code == 1
    assert "no such file" in res.stderr


def test_table_format_renders(runner: CliRunner, tmp_path: Path) -> None:
    f = _write(tmp_path / "t.txt", ARTICLE.encode())
    res = runner.invoke(app, ["extract", str(f), "--format", "table"])
    assert res.exit_code == 0
    assert "CONDEMNED" in res.stdout and "PROXY_OF" in res.stdout


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("The minister said that the talks with the rebels would resume after the holiday.", True),
        (
            "El ministro dijo que las conversaciones con los rebeldes se reanudarán después de la fiesta.",
            False,
        ),
        ("Ok.", True),  # too short to judge
    ],
)
def test_english_heuristic(text: str, english: bool) -> None:
    assert looks_english(text) is english


def test_short_name_heavy_english_is_english_and_long_other_text_is_not() -> None:
    assert looks_english("US Secretary of State Antony Blinken met Israeli Prime Minister Benjamin Netanyahu")
    assert not looks_english(" ".join(["Bakan", "Ankara'da", "yarın", "görüşecek"] * 12))


def test_ingest_refuses_non_english_text_through_the_extractor() -> None:
    from kg.errors import ArticleError
    from kg.extract import Extractor
    from kg.model import Article

    spanish = "El ministro dijo que las conversaciones con los rebeldes se reanudarán después de la fiesta."
    with pytest.raises(ArticleError, match="not English"):
        Extractor().extract(Article(id="es", body=spanish))
