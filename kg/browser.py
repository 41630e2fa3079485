"""Neo4j Browser helpers: the address with the connection filled in, and the query library as favorites.

Neo4j Browser 5.24 reads ``connectURL`` (scheme, user and host of the Bolt connection; the password
is never put in a URL, the connect form asks for it), ``db`` (database) and ``cmd``/``arg`` (text
to put in the editor: ``cmd=edit`` with one ``arg`` per line) from its query string. It decodes
the whole address once and then splits ``arg`` values at ``&`` and ``#``, so editor text holding
either character cannot be carried and is refused here rather than arriving mangled.

Favorites: a ``.zip`` of ``.cypher`` files dropped on the Browser window becomes a folder of
favorites (``FileDrop.tsx``: the zip's folder names become favorite folders, a script's first
comment line its title). Each script sets its own default parameters with ``:params ...;`` before
the query; the Browser runs the two as one multi-statement script (``:param`` commands are
allowed in scripts), so a favorite answers its question with one click.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from kg.errors import InputError, QueryError
from kg.querylib import NamedQuery
from kg.settings import Settings

FAVORITES_FOLDER = "conflict-kg"


@dataclass(frozen=True, slots=True)
class BrowserLink:
    url: str  # the Browser page with the connection (and editor text) prefilled
    connect_url: str  # what the connect form will show: scheme://user@host:port
    database: str


def bolt_host_port(settings: Settings) -> tuple[str, str, int]:
    """(scheme, host, port) of the Bolt endpoint the settings name."""
    parts = urlsplit(settings.bolt_uri)
    return parts.scheme or "bolt", parts.hostname or "127.0.0.1", parts.port or settings.neo4j_bolt_port


def browser_link(settings: Settings, editor_text: str | None = None) -> BrowserLink:
    scheme, host, port = bolt_host_port(settings)
    url_host = f"[{host}]" if ":" in host else host  # an IPv6 literal gets its brackets back
    http_host = "127.0.0.1" if host in {"localhost", "127.0.0.1", "::1"} else url_host
    connect_url = f"{scheme}://{settings.neo4j_user}@{url_host}:{port}"
    query = f"connectURL={quote(connect_url, safe='')}&db={quote(settings.neo4j_database, safe='')}"
    if editor_text:
        if "&" in editor_text or "#" in editor_text:
            raise QueryError("Neo4j Browser cannot take editor text containing '&' or '#' from a URL")
        lines = [line for line in editor_text.splitlines() if line.strip()]
        query += "&cmd=edit" + "".join(f"&arg={quote(line, safe='')}" for line in lines)
    url = f"http://{http_host}:{settings.neo4j_http_port}/browser/?{query}"
    return BrowserLink(url=url, connect_url=connect_url, database=settings.neo4j_database)


def favorite_script(query: NamedQuery) -> str:
    """The favorite's text: title comment, the query's default :params, then the query."""
    lines = [f"// {query.description}", f"// {query.name} (queries/{query.name}.cypher)"]
    if query.notes:
        lines.append(f"// {query.notes}")
    if query.params:
        lines.append(f"{query.params_command};")
    lines.append(query.cypher)
    return "\n".join(lines) + "\n"


def write_favorites_zip(destination: Path, queries: Iterable[NamedQuery]) -> Path:
    """Write the library as a zip to drop on Neo4j Browser; one folder, one script per query."""
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for query in queries:
                archive.writestr(f"{FAVORITES_FOLDER}/{query.name}.cypher", favorite_script(query))
    except OSError as e:
        raise InputError(f"cannot write {destination}: {e.strerror or e}") from e
    return destination
