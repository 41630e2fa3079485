"""CLI commands ``kg export`` and ``kg import``: RDF out of and into whatever store the settings name."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import KGError
from kg.rdf.formats import FORMATS
from kg.rdf.transfer import ExportResult, ImportResult, export_store, import_file
from kg.settings import get_settings
from kg.store.factory import open_store


def run_export(fmt: str, output: Path | None, validate: bool) -> ExportResult:
    store = open_store(get_settings())
    try:
        stream = None if output is not None else sys.stdout.buffer
        return export_store(store, fmt, output=output, stream=stream, validate=validate)
    finally:
        store.close()


def run_import(path: Path, fmt: str | None) -> ImportResult:
    store = open_store(get_settings())
    try:
        return import_file(store, path, fmt)
    finally:
        store.close()


def _fail(e: KGError) -> typer.Exit:
    typer.echo(f"error: {e}", err=True)
    return typer.Exit(1)


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export_cmd(
        fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(FORMATS)}")] = "trig",
        output: Annotated[
            Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")
        ] = None,
        validate: Annotated[
            bool, typer.Option(help="Check the graph against schema/shapes.ttl (SHACL)")
        ] = False,
    ) -> None:
        """Export the whole graph as RDF (nq, trig and jsonld keep one named graph per article)."""
        try:
            result = run_export(fmt, output, validate)
        except KGError as e:
            raise _fail(e) from e
        where = str(result.output) if result.output else "stdout"
        typer.echo(
            f"exported {result.statements} statements ({result.articles} articles, "
            f"{result.entities} entities, {result.evidence} evidence) as {result.format} to {where}",
            err=True,
        )
        if result.validation is not None:
            if not result.validation.conforms:
                typer.echo(result.validation.report, err=True)
                typer.echo("error: the exported graph does not conform to schema/shapes.ttl", err=True)
                raise typer.Exit(1)
            typer.echo("SHACL: conforms", err=True)

    @app.command("import")
    def import_cmd(
        path: Annotated[
            Path, typer.Argument(help="An RDF file written by `kg export` (.ttl .nt .nq .trig .jsonld)")
        ],
        fmt: Annotated[
            str | None, typer.Option("--format", "-f", help="Override the format the extension says")
        ] = None,
    ) -> None:
        """Add an exported graph to the store; the whole file is parsed and checked before any write."""
        try:
            result = run_import(path, fmt)
        except KGError as e:
            raise _fail(e) from e
        typer.echo(
            f"imported {result.articles} articles, {result.entities} entities, {result.evidence} evidence "
            f"({result.statements} statements, {result.format})"
        )
