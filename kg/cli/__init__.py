"""The ``kg`` command line: a Typer app whose commands parse arguments and call typed functions.

Each command group lives in its own module with a ``register(app)`` function.
"""

from __future__ import annotations

import typer

from kg.cli import (
    browse_cmd,
    demo_cmd,
    eval_cmd,
    extract_cmd,
    ingest_cmd,
    neo4j_cmd,
    rdf_cmd,
    schema_cmd,
    serve_cmd,
)

app = typer.Typer(
    name="kg",
    help="Open conflict-event knowledge graph: articles in, typed and sourced triples out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES = (
    neo4j_cmd, schema_cmd, extract_cmd, eval_cmd, ingest_cmd, serve_cmd, rdf_cmd, demo_cmd, browse_cmd,
)
for _module in _COMMAND_MODULES:
    _module.register(app)


def main() -> None:
    app()
