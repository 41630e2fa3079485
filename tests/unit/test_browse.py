"""``kg browse`` and the Browser URL it prints (Neo4j Browser 5.24's URL parameters)."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from typer.testing import CliRunner

from kg.browser import FAVORITES_FOLDER, browser_link, favorite_script, write_favorites_zip
from kg.cli import app, browse_cmd
from kg.errors import QueryError
from kg.querylib import NamedQuery, get_query, list_queries
from kg.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def _no_kg_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Defaults, not whatever KG_NEO4J_* the shell or CI exports for its own server."""
    for key in [k for k in os.environ if k.startswith("KG_")]:
        monkeypatch.delenv(key)
    monkeypatch.chdir(Path(__file__).parent)  # no stray .env
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()  # later tests read the real environment again


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
    ipv6 = browser_link(Settings(neo4j_uri="bolt://[::1]:7687"))
    assert ipv6.connect_url == "bolt://neo4j@[::1]:7687"
    assert ipv6.url.startswith("http://127.0.0.1:7474/browser/?")


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_library_query_survives_the_browsers_url_decoding(query: NamedQuery) -> None:
    for text in (query.cypher, favorite_script(query)):
        url = browser_link(Settings(), text).url
        assert parse_qs(urlsplit(url).query)["cmd"] == ["edit"]
        expected = "\n".join(line for line in text.splitlines() if line.strip())
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
    result = CliRunner().invoke(app, ["browse", "--query", "proxy_network"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("http://127.0.0.1:7478/browser/?connectURL=")
    assert "&cmd=edit&arg=" in lines[0]
    assert ':params {sponsor: ""};' in browser_editor_text(lines[0])
    assert "'proxy_network'" in result.output
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


def test_favorites_zip_holds_one_runnable_script_per_query(tmp_path: Path) -> None:
    path = write_favorites_zip(tmp_path / "sub" / "favorites.zip", list_queries())
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{FAVORITES_FOLDER}/{q.name}.cypher" for q in list_queries())
        script = archive.read(f"{FAVORITES_FOLDER}/who_met_whom.cypher").decode("utf-8")
    lines = script.splitlines()
    query = get_query("who_met_whom")
    assert lines[0] == f"// {query.description}"  # the Browser titles a favorite by its first line
    assert f"{query.params_command};" in lines
    assert script.rstrip().endswith(query.cypher)
    assert favorite_script(get_query("negated_facts")).count(":params") == 0  # no parameters, no line


def test_browse_command_writes_the_favorites_zip(tmp_path: Path) -> None:
    target = tmp_path / "favorites.zip"
    result = CliRunner().invoke(app, ["browse", "--no-open", "--favorites", str(target)])
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(target)
    assert f"drag {target}" in result.output


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_favorite_scripts_split_into_exactly_params_and_query(query: NamedQuery) -> None:
    """The Browser splits a script at ';' (comments included), so only the :params line has one."""
    script = favorite_script(query)
    assert script.count(";") == (1 if query.params else 0)
