"""CLI commands: ``kg neo4j install|start|stop|status`` for the local Neo4j server."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer
from pydantic import ValidationError

from kg.errors import ConfigError, KGError
from kg.neo4j_server import install, start, status, stop
from kg.neo4j_server.layout import ServerLayout, layout_from_settings
from kg.settings import get_settings

T = TypeVar("T")

neo4j_app = typer.Typer(
    help="Provision and run a local Neo4j Community server (jars from Maven Central).",
    no_args_is_help=True,
)


def _layout() -> ServerLayout:
    try:
        settings = get_settings()
    except ValidationError as e:
        problems = "; ".join(
            f"KG_{'_'.join(str(part) for part in err['loc']).upper()}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from e
    return layout_from_settings(settings)


def _run(action: Callable[[ServerLayout], T]) -> T:
    """Turn our own errors into a message and exit code 1; tracebacks are for bugs only."""
    try:
        return action(_layout())
    except KGError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from e


@neo4j_app.command("install")
def install_cmd() -> None:
    """Fetch the server jars into the cache and lay out the instance home (idempotent)."""
    result = _run(install)
    source = "downloaded" if result.downloaded else "reused from cache"
    typer.echo(f"Neo4j jars: {result.jar_count} in {result.lib_dir} ({source})")
    typer.echo(f"Instance home: {result.home}")
    if result.password_set:
        typer.echo("Initial password set for user neo4j from KG_NEO4J_PASSWORD.")
    typer.echo(f"Done in {result.seconds:.1f}s.")


@neo4j_app.command("start")
def start_cmd() -> None:
    """Start the server in the background (installing first if needed) and wait until Bolt answers."""
    result = _run(start)
    if result.already_running:
        typer.echo(f"Neo4j is already running (pid {result.pid}) at {result.bolt_uri}.")
    else:
        typer.echo(
            f"Neo4j started (pid {result.pid}) at {result.bolt_uri} in {result.seconds_to_ready:.1f}s."
        )
    typer.echo(f"Browser: {result.browser_url}")
    typer.echo(f"Log: {result.log_file}")


@neo4j_app.command("stop")
def stop_cmd() -> None:
    """Stop the server that `kg neo4j start` started for this home (and nothing else)."""
    result = _run(stop)
    if not result.was_running:
        typer.echo("Neo4j is not running (for this KG_NEO4J_HOME).")
        return
    how = "killed after SIGTERM timed out" if result.killed else "stopped"
    typer.echo(f"Neo4j (pid {result.pid}) {how} in {result.seconds:.1f}s.")


@neo4j_app.command("status")
def status_cmd() -> None:
    """Say what runs where; exit code 1 when the server is not running."""
    result = _run(status)
    typer.echo(f"home:    {result.home} ({'installed' if result.installed else 'not installed'})")
    if not result.running:
        typer.echo(f"running: no (would use Bolt {result.bolt_port}, HTTP {result.http_port})")
        raise typer.Exit(1)
    typer.echo(f"running: yes, pid {result.pid}")
    typer.echo(f"bolt:    {result.bolt_uri} ({'reachable' if result.bolt_reachable else 'NOT reachable'})")
    typer.echo(f"http:    {result.browser_url} ({'reachable' if result.http_reachable else 'NOT reachable'})")
    typer.echo(f"log:     {result.log_file}")


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
