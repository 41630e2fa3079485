"""CLI commands: ``kg schema apply`` (constraints and indexes of ``schema/neo4j/``)."""

from __future__ import annotations

import typer

from kg.errors import KGError
from kg.settings import get_settings

schema_app = typer.Typer(help="Graph schema: constraints and indexes.", no_args_is_help=True)


@schema_app.command("apply")
def apply_command() -> None:
    """Create the constraints and indexes of schema/neo4j/*.cypher (idempotent: IF NOT EXISTS)."""
    from kg.store.factory import open_store
    from kg.store.queries import schema_statements

    try:
        store = open_store(get_settings())
        try:
            store.apply_schema()
            backend = store.backend
        finally:
            store.close()
    except KGError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e
    count = len(schema_statements()) if backend == "neo4j" else 0
    typer.echo(f"Schema applied to the {backend} store" + (f" ({count} statements)." if count else "."))


def register(app: typer.Typer) -> None:
    app.add_typer(schema_app, name="schema")
