"""CLI commands: ``kg ingest``, ``kg query``, ``kg stats``, ``kg reset``.

The commands parse arguments, call typed functions (``kg.ingest``, the store) and print; errors of
our own become a message and exit code 1, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.errors import InputError, KGError
from kg.settings import get_settings
from kg.store.base import GraphStore

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)


def _fail(error: KGError) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {error}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(1)


@contextmanager
def _opened_store() -> Iterator[GraphStore]:
    from kg.store.factory import open_store

    store = open_store()
    try:
        yield store
    finally:
        store.close()


def _guard(action: Callable[[], T]) -> T:
    try:
        return action()
    except KGError as e:
        raise _fail(e) from e


# --- kg ingest -----------------------------------------------------------------------------------


def ingest_command(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, http(s) URLs or RSS/Atom feed URLs.")],
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction worker processes.")] = 1,
) -> None:
    """Extract articles and write them to the store (idempotent: re-ingesting replaces)."""
    from kg.ingest import ingest
    from loaders.detect import SourceResolver

    settings = get_settings()

    def run() -> Any:
        from kg.extract import Extractor

        with _opened_store() as store, SourceResolver(settings) as resolver:
            store.apply_schema()
            with console.status("Resolving sources…"):
                resolved = resolver.resolve(sources)
            extractor = Extractor()
            with Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=console,
                transient=False,
            ) as bar:
                task = bar.add_task("", total=len(resolved))

                def progress(done: int, total: int, label: str) -> None:
                    bar.update(task, completed=done, total=total, description=_short(label))

                return ingest(resolved, store, extractor, workers=workers, progress=progress)

    summary = _guard(run)
    table = Table(title="Ingest summary", show_header=False)
    table.add_row("articles written", str(summary.articles))
    table.add_row("failed", str(len(summary.failures)))
    table.add_row("entities", str(summary.entities))
    table.add_row("relationships", str(summary.relationships))
    table.add_row("evidence sentences", str(summary.evidence))
    table.add_row("time", f"{summary.seconds:.1f}s ({summary.articles_per_second:.2f} articles/s)")
    console.print(table)
    if summary.failures:
        failures = Table(title="Failures", show_lines=False)
        failures.add_column("source", overflow="fold")
        failures.add_column("stage")
        failures.add_column("error", overflow="fold")
        for failure in summary.failures:
            failures.add_row(failure.label, failure.stage, failure.message)
        err_console.print(failures)
        raise typer.Exit(1)


def _short(label: str, width: int = 60) -> str:
    return label if len(label) <= width else "…" + label[-(width - 1) :]


# --- kg query ------------------------------------------------------------------------------------


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``k=v`` pairs as strings (typed later: JSON for free queries, the default's type for named ones)."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise InputError(f"--param expects key=value with a plain name as key, got {pair!r}")
        out[key.strip()] = value
    return out


def json_or_text(value: str) -> Any:
    """``5`` → 5, ``true`` → True, ``["a"]`` → list; anything else stays a string."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def resolve_query(cypher: str | None, name: str | None, raw: dict[str, str]) -> tuple[str, dict[str, Any]]:
    if cypher and name:
        raise InputError("give either a CYPHER query or --name, not both")
    if name:
        from kg.querylib import get_query

        named = get_query(name)
        return named.cypher, named.bind(raw)
    if not cypher or not cypher.strip():
        raise InputError("give a CYPHER query or --name NAME (see the analyst query library)")
    return cypher, {k: json_or_text(v) for k, v in raw.items()}


def query_command(
    cypher: Annotated[str | None, typer.Argument(help="A Cypher query (read-only unless --write).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Query parameter key=value.")
    ] = None,
    write: Annotated[bool, typer.Option("--write", help="Allow the query to write.")] = False,
    name: Annotated[
        str | None, typer.Option("--name", "-n", help="Run a named query of the library.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows to print at most.")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print rows as JSON lines.")] = False,
) -> None:
    """Run Cypher against Neo4j and print a table."""
    from kg.store.factory import open_neo4j_store

    def run() -> tuple[list[str], list[dict[str, Any]], bool]:
        query, params = resolve_query(cypher, name, parse_params(param or []))
        store = open_neo4j_store(get_settings())
        try:
            return store.run_cypher(query, params, write=write, row_cap=limit)
        finally:
            store.close()

    columns, rows, truncated = _guard(run)
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row, ensure_ascii=False, default=str))
        return
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*(_cell(row[c]) for c in columns))
    console.print(table)
    note = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    console.print(note + (f" (stopped at --limit {limit})" if truncated else ""))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


# --- kg stats / kg reset -------------------------------------------------------------------------


def stats_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """Counts of articles, entities, relationships and evidence, by type."""

    def run() -> Any:
        with _opened_store() as store:
            return store.stats()

    stats = _guard(run)
    if as_json:
        typer.echo(json.dumps(stats.to_dict(), indent=2))
        return
    table = Table(title=f"Graph ({stats.backend})", show_header=False)
    for label, value in (
        ("articles", stats.articles),
        ("entities", stats.entities),
        ("relationships", stats.facts),
        ("evidence", stats.evidence),
    ):
        table.add_row(label, str(value))
    for etype, n in stats.entities_by_type.items():
        table.add_row(f"  {etype}", str(n))
    for rel, n in stats.facts_by_relation.items():
        table.add_row(f"  {rel}", str(n))
    console.print(table)


def reset_command(
    yes: Annotated[bool, typer.Option("--yes", help="Really delete everything in the store.")] = False,
) -> None:
    """Delete all data (constraints and indexes stay)."""
    if not yes:
        raise _fail(
            InputError("kg reset deletes every article, entity and relationship; pass --yes to do it")
        )

    def run() -> str:
        with _opened_store() as store:
            store.reset()
            return store.backend

    backend = _guard(run)
    console.print(f"Store ({backend}) emptied.")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("query")(query_command)
    app.command("stats")(stats_command)
    app.command("reset")(reset_command)


__all__ = ["register", "parse_params", "resolve_query", "json_or_text"]
