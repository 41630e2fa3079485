"""The Neo4j Browser address for this project's server, with the connection filled in.

Neo4j Browser 5.24 reads ``connectURL`` (scheme, user and host of the Bolt connection; the password
is never put in a URL, the connect form asks for it), ``db`` (database) and ``cmd``/``arg`` (text
to put in the editor: ``cmd=edit`` with one ``arg`` per line) from its query string. It decodes
the whole address once and then splits ``arg`` values at ``&`` and ``#``, so editor text holding
either character cannot be carried and is refused here rather than arriving mangled.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from kg.errors import QueryError
from kg.settings import Settings


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
    http_host = "127.0.0.1" if host in {"localhost", "127.0.0.1", "::1"} else host
    connect_url = f"{scheme}://{settings.neo4j_user}@{host}:{port}"
    query = f"connectURL={quote(connect_url, safe='')}&db={quote(settings.neo4j_database, safe='')}"
    if editor_text:
        if "&" in editor_text or "#" in editor_text:
            raise QueryError("Neo4j Browser cannot take editor text containing '&' or '#' from a URL")
        lines = [line for line in editor_text.splitlines() if line.strip()]
        query += "&cmd=edit" + "".join(f"&arg={quote(line, safe='')}" for line in lines)
    url = f"http://{http_host}:{settings.neo4j_http_port}/browser/?{query}"
    return BrowserLink(url=url, connect_url=connect_url, database=settings.neo4j_database)
