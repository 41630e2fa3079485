"""Loaders: files, folders, JSON Lines, HTML, and pages and feeds served from 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kg.errors import ArticleError, FetchError, InputError
from kg.settings import Settings
from loaders.detect import SourceResolver, url_article_id
from loaders.fetch import fetch

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"

PAGE = """<!doctype html><html><head><title>Talks in Doha | Example News</title>
<meta property="og:title" content="Blinken meets Dermer in Doha">
<meta name="date" content="2024-09-25"></head>
<body><nav>Home | World</nav><article><h1>Blinken meets Dermer in Doha</h1>
<p>US Secretary of State Antony Blinken met Israeli minister Ron Dermer in Doha on Wednesday to discuss
the ceasefire proposal for Gaza.</p>
<p>The two officials spoke for two hours, according to the State Department, and agreed to continue the
talks next week in Cairo with Egyptian mediators.</p>
<p>Hamas has not yet responded to the latest version of the proposal, officials said.</p></article>
<footer>Copyright Example News</footer></body></html>"""


def _feed(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title><link>{base}/</link><description>d</description>
<item><title>Blinken meets Dermer</title><link>{base}/page.html</link>
<pubDate>Wed, 25 Sep 2024 10:00:00 GMT</pubDate></item>
<item><title>Broken link</title><link>{base}/missing.html</link></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"  # type: ignore[index]
        routes: dict[str, tuple[int, str, bytes]] = {
            "/page.html": (200, "text/html; charset=utf-8", PAGE.encode()),
            "/feed.xml": (200, "application/rss+xml", _feed(base).encode()),
            "/plain.txt": (
                200,
                "text/plain; charset=utf-8",
                b"Title: Plain\nPublished: 2024-01-02\n\nIran condemned the strike.",
            ),
            "/big.html": (200, "text/html", b"<html><body>" + b"x" * 50_000 + b"</body></html>"),
            "/empty.html": (200, "text/html", b"<html><body></body></html>"),
            "/broken-feed.xml": (200, "application/rss+xml", b"<rss><channel><item>"),
        }
        status, ctype, body = routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if self.path != "/big.html":  # no Content-Length: the limit must hold while streaming
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def resolver() -> Iterator[SourceResolver]:
    with SourceResolver(Settings(fetch_timeout=5.0, fetch_max_bytes=20_000)) as r:
        yield r


def _load_all(resolver: SourceResolver, *args: str) -> tuple[list[str], list[str]]:
    ok, failed = [], []
    for source in resolver.resolve(args):
        try:
            ok.append(source.load().id)
        except (ArticleError, FetchError, InputError) as e:
            failed.append(str(e))
    return ok, failed


# --- files ---------------------------------------------------------------------------------------


def test_folder_of_text_articles_skips_gold_files(resolver: SourceResolver) -> None:
    ok, failed = _load_all(resolver, str(EXAMPLES))
    assert ok == ["000", "003", "021", "024", "027", "030"] and failed == []


def test_missing_path_is_one_clear_failure(resolver: SourceResolver, tmp_path: Path) -> None:
    ok, failed = _load_all(resolver, str(tmp_path / "nope.txt"), str(EXAMPLES / "000.txt"))
    assert ok == ["000"]
    assert len(failed) == 1 and "no such file" in failed[0]


def test_jsonl_lines_are_articles_and_bad_lines_fail_alone(resolver: SourceResolver, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    good = {
        "id": "j1",
        "title": "T",
        "url": "http://x/1",
        "source": "S",
        "published": "2024-09-01T10:00",
        "text": "Israel struck Hezbollah.",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "j3", "text": ""}),
        "",
        json.dumps({"text": "No id here."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sources = resolver.resolve([str(path)])
    assert [s.label for s in sources] == [f"{path}:1", f"{path}:2", f"{path}:3", f"{path}:5"]
    first = sources[0].load()
    assert (first.id, first.title, first.url, first.source, first.published) == (
        "j1",
        "T",
        "http://x/1",
        "S",
        "2024-09-01",
    )
    assert first.body == "Israel struck Hezbollah."
    with pytest.raises(ArticleError, match="invalid JSON"):
        sources[1].load()
    with pytest.raises(ArticleError, match="text"):
        sources[2].load()
    assert sources[3].load().id == "batch-5"


def test_html_file(resolver: SourceResolver, tmp_path: Path) -> None:
    path = tmp_path / "doha.html"
    path.write_text(PAGE, encoding="utf-8")
    [source] = resolver.resolve([str(path)])
    article = source.load()
    assert article.id == "doha"
    assert "Blinken met Israeli minister Ron Dermer" in article.body.replace("\n", " ")
    assert "Copyright" not in article.body and "Home | World" not in article.body
    assert article.title and "Blinken meets Dermer" in article.title
    assert article.published == "2024-09-25"


# --- the web -------------------------------------------------------------------------------------


def test_url_page(resolver: SourceResolver, server: str) -> None:
    [source] = resolver.resolve([f"{server}/page.html"])
    article = source.load()
    assert article.id == url_article_id(f"{server}/page.html")
    assert article.url == f"{server}/page.html"
    assert "Ron Dermer in Doha" in article.body.replace("\n", " ")
    assert article.published == "2024-09-25"


def test_plain_text_url_uses_the_header(resolver: SourceResolver, server: str) -> None:
    [source] = resolver.resolve([f"{server}/plain.txt"])
    article = source.load()
    assert (article.title, article.published, article.body) == (
        "Plain",
        "2024-01-02",
        "Iran condemned the strike.",
    )


def test_feed_entries_are_fetched_and_failures_are_per_url(resolver: SourceResolver, server: str) -> None:
    sources = resolver.resolve([f"{server}/feed.xml"])
    assert [s.label for s in sources] == [f"{server}/page.html", f"{server}/missing.html"]
    article = sources[0].load()
    assert article.title == "Blinken meets Dermer"  # the feed's title wins
    assert (article.published, article.source) == ("2024-09-25", "Example Wire")
    assert article.id == url_article_id(f"{server}/page.html")  # same id as the page fetched directly
    with pytest.raises(FetchError, match=r"missing\.html: HTTP 404"):
        sources[1].load()


def test_failing_url_is_a_fetch_error_naming_it(resolver: SourceResolver, server: str) -> None:
    [source] = resolver.resolve([f"{server}/nothing-here"])
    with pytest.raises(FetchError, match=r"nothing-here: HTTP 404"):
        source.load()


def test_oversized_page_is_cut_off(server: str) -> None:
    with pytest.raises(FetchError, match="byte limit"):
        fetch(f"{server}/big.html", timeout=5.0, max_bytes=10_000)
    assert len(fetch(f"{server}/big.html", timeout=5.0, max_bytes=100_000).content) > 50_000


def test_unreachable_host_and_bad_scheme() -> None:
    with pytest.raises(FetchError, match="127.0.0.1:9"):
        fetch("http://127.0.0.1:9/x", timeout=2.0)
    with pytest.raises(FetchError, match="only http"):
        fetch("ftp://example.org/x")


def test_page_without_text_and_broken_feed(resolver: SourceResolver, server: str) -> None:
    [empty] = resolver.resolve([f"{server}/empty.html"])
    with pytest.raises(ArticleError, match="no article text"):
        empty.load()
    [broken] = resolver.resolve([f"{server}/broken-feed.xml"])
    with pytest.raises(FetchError, match="broken-feed"):
        broken.load()
