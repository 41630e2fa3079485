"""``kg browse`` and the Browser URL it prints (Neo4j Browser 5.24's URL parameters)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from typer.testing import CliRunner

from kg.browser import browser_link
from kg.cli import app, browse_cmd
from kg.errors import QueryError
from kg.querylib import NamedQuery, list_queries
from kg.settings import Settings, get_settings


def browser_editor_text(url: str) -> str:
    """What Neo4j Browser 5.24 puts in its editor for ``cmd=edit`` (editorDuck + getUrlParamValue)."""
    decoded = unquote(url.replace("+", " "))
    return "\n".join(re.findall(r"[?&]arg=([^&#]*)", decoded))


def test_default_link_prefills_bolt_user_and_database() -> None:
    link = browser_link(Settings())
    assert link.url.startswith("http://127.0.0.1:7474/browser/?")
    query = parse_qs(urlsplit(link.url).query)
    assert query["connectURL"] == ["bolt://neo4j@127.0.0.1:7687"]
    assert query["db"] == ["neo4j"]
    assert "cmd" not in query
    assert link.connect_url == "bolt://neo4j@127.0.0.1:7687"
    assert "kg-password" not in link.url


def test_link_follows_ports_uri_user_and_database() -> None:
    settings = Settings(neo4j_bolt_port=7691, neo4j_http_port=7478, neo4j_user="analyst", neo4j_database="kg")
    query = parse_qs(urlsplit(browser_link(settings).url).query)
    assert browser_link(settings).url.startswith("http://127.0.0.1:7478/browser/?")
    assert query["connectURL"] == ["bolt://analyst@127.0.0.1:7691"]
    assert query["db"] == ["kg"]
    remote = browser_link(Settings(neo4j_uri="neo4j://graph.example.org:7688", neo4j_http_port=8474))
    assert remote.url.startswith("http://graph.example.org:8474/browser/?")
    assert remote.connect_url == "neo4j://neo4j@graph.example.org:7688"


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_library_query_survives_the_browsers_url_decoding(query: NamedQuery) -> None:
    url = browser_link(Settings(), query.cypher).url
    assert parse_qs(urlsplit(url).query)["cmd"] == ["edit"]
    expected = "\n".join(line for line in query.cypher.splitlines() if line.strip())
    assert browser_editor_text(url) == expected


def test_editor_text_the_browser_would_cut_is_refused() -> None:
    with pytest.raises(QueryError, match="&"):
        browser_link(Settings(), "RETURN 'a & b'")
    assert browser_editor_text(browser_link(Settings(), "RETURN 1 + 2").url) == "RETURN 1 + 2"


def test_browse_command_prints_the_url_and_opens_nothing_without_a_desktop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("KG_NEO4J_HTTP_PORT", "7478")
    monkeypatch.setattr(browse_cmd.webbrowser, "open", opened.append)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["browse", "--query", "proxy_network"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("http://127.0.0.1:7478/browser/?connectURL=")
    assert "&cmd=edit&arg=" in lines[0]
    assert ':params {sponsor: ""}' in result.output
    assert opened == []


def test_browse_command_opens_the_url_on_a_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(browse_cmd.webbrowser, "open", opened.append)
    result = CliRunner().invoke(app, ["browse"])
    assert result.exit_code == 0, result.output
    assert opened == [result.output.splitlines()[0]]
    assert CliRunner().invoke(app, ["browse", "--no-open"]).exit_code == 0
    assert len(opened) == 1


def test_browse_command_rejects_an_unknown_query() -> None:
    result = CliRunner().invoke(app, ["browse", "--query", "no_such_query", "--no-open"])
    assert result.exit_code == 2
    assert "no library query named 'no_such_query'" in result.output
