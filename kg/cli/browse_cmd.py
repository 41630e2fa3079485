"""CLI command ``kg browse``: print (and, on a desktop, open) the Neo4j Browser, connection prefilled."""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

import typer

from kg.browser import FAVORITES_FOLDER, browser_link, favorite_script, write_favorites_zip
from kg.errors import KGError
from kg.querylib import get_query, list_queries
from kg.settings import get_settings


def has_desktop() -> bool:
    """Only try to open a window where one can appear; on a server `webbrowser` may pick a text browser."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def browse(
    query: str | None = typer.Option(
        None,
        "--query",
        "-q",
        help="Put this library query (see queries/) in the Browser's editor, with its default :params.",
    ),
    open_browser: bool = typer.Option(
        True, "--open/--no-open", help="Open the URL in the desktop browser when there is one."
    ),
    favorites: Path | None = typer.Option(
        None, "--favorites", help="Also write the query library as a zip to drop on the Browser."
    ),
) -> None:
    """Print the Neo4j Browser URL for the configured server, with the Bolt connection prefilled."""
    try:
        named = get_query(query) if query else None
        link = browser_link(get_settings(), favorite_script(named) if named else None)
        zipped = write_favorites_zip(favorites, list_queries()) if favorites else None
    except KGError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(code=2) from e
    typer.echo(link.url)
    typer.echo(f"Connect as {link.connect_url} (database {link.database}); the form asks for the password.")
    if named is not None:
        typer.echo(f"The editor holds {named.name!r}: press Run; edit its :params line to change parameters.")
    typer.echo("Style: drag schema/browser/style.grass onto the Browser window (see docs/browser.md).")
    if zipped is not None:
        typer.echo(f"Favorites: drag {zipped} onto the Browser window (folder {FAVORITES_FOLDER!r}).")
    if open_browser and has_desktop():
        webbrowser.open(link.url)


def register(app: typer.Typer) -> None:
    app.command("browse")(browse)
