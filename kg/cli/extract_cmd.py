"""``kg extract``: articles to triples as jsonl (the spec's output), json or a table.

A file that cannot be read (empty, binary, not UTF-8, too large, header only, not English) gets
one line on stderr and the others are still processed; the exit code is 1 when any file failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from kg.errors import KGError
from kg.model import Article, ArticleExtraction
from kg.settings import get_settings


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


def expand_inputs(inputs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in inputs:
        if p.is_dir():
            files.extend(sorted(x for x in p.glob("*.txt") if x.is_file()))
        else:
            files.append(p)
    return files


def load_articles(files: list[Path], errors: list[str]) -> list[Article]:
    from kg.extract.language import require_english
    from loaders.text import load_text_file

    max_bytes = get_settings().max_article_bytes
    articles: list[Article] = []
    for f in files:
        try:
            article = load_text_file(f, max_bytes=max_bytes)
            require_english(article, str(f))
            articles.append(article)
        except KGError as e:
            errors.append(str(e))
    return articles


def _write_jsonl(results: Iterator[ArticleExtraction], out: TextIO) -> None:
    for r in results:
        for t in r.triples:
            out.write(json.dumps(t.to_dict(), ensure_ascii=False) + "\n")


def _write_json(results: Iterator[ArticleExtraction], out: TextIO) -> None:
    payload = [
        {
            "doc": r.article.id,
            "title": r.article.title,
            "published": r.article.published,
            "entities": [e.to_dict() for e in r.entities],
            "triples": [t.to_dict() for t in r.triples],
        }
        for r in results
    ]
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _write_table(results: Iterator[ArticleExtraction], out: TextIO) -> None:
    console = Console(file=out)
    table = Table(title="Extracted triples")
    for col in ("doc", "subject", "relation", "object", "neg", "date", "conf", "attributes"):
        table.add_column(col)
    for r in results:
        for t in r.triples:
            attrs = ", ".join(f"{k}={v}" for k, v in t.attributes.items())
            table.add_row(
                t.doc,
                f"{t.subject.name} ({t.subject.type})",
                t.relation,
                f"{t.object.name} ({t.object.type})",
                "yes" if t.negated else "",
                t.date or "",
                f"{t.confidence:.2f}",
                attrs,
            )
    console.print(table)


def run_extract(inputs: list[Path], fmt: OutputFormat, workers: int, out: TextIO) -> list[str]:
    """Extract from every readable file; returns the one-line messages of the files that failed."""
    from kg.extract import Extractor

    errors: list[str] = []
    files = expand_inputs(inputs)
    for p in inputs:
        if not p.exists():
            errors.append(f"{p}: no such file or directory")
    files = [f for f in files if f.exists()]
    articles = load_articles(files, errors)
    extractor = Extractor()

    def results() -> Iterator[ArticleExtraction]:
        stream = extractor.extract_many(articles, workers=workers)
        if len(articles) > 3 and sys.stderr.isatty():
            with Progress(console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task("extracting", total=len(articles))
                for r in stream:
                    progress.advance(task)
                    yield r
        else:
            yield from stream

    writer = {
        OutputFormat.jsonl: _write_jsonl,
        OutputFormat.json: _write_json,
        OutputFormat.table: _write_table,
    }
    writer[fmt](results(), out)
    return errors


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cli(
        inputs: Annotated[list[Path], typer.Argument(help="Article files or folders of *.txt articles")],
        format: Annotated[
            OutputFormat,
            typer.Option(
                "--format", "-f", help="jsonl (the spec's output), json (per article, with entities) or table"
            ),
        ] = OutputFormat.jsonl,
        workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="Write here instead of stdout")
        ] = None,
    ) -> None:
        """Extract typed, sourced triples from articles."""
        err = Console(stderr=True)
        try:
            if output is not None:
                with output.open("w", encoding="utf-8") as fh:
                    errors = run_extract(inputs, format, max(1, workers), fh)
            else:
                errors = run_extract(inputs, format, max(1, workers), sys.stdout)
        except KGError as e:
            err.print(f"[red]error:[/red] {e}", highlight=False)
            raise typer.Exit(1) from e
        for msg in errors:
            err.print(f"[red]error:[/red] {msg}", highlight=False, soft_wrap=True)
        if errors:
            raise typer.Exit(1)
