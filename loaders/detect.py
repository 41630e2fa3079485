"""Turns what the user typed (files, folders, URLs, feed URLs) into lazily loaded article sources.

Each source loads one article and may fail on its own, so ``kg ingest`` can report the failure and
go on with the rest. Feeds and JSON Lines files expand into one source per entry or line; a URL is
fetched once here to tell a feed from a page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx

from kg.errors import ArticleError, FetchError, InputError, KGError
from kg.model import Article
from kg.settings import Settings, get_settings
from loaders.feeds import FeedEntry, looks_like_feed, parse_feed
from loaders.fetch import USER_AGENT, Fetched, fetch
from loaders.html import article_from_html, load_html_file
from loaders.jsonl import iter_jsonl
from loaders.text import load_text_file, parse_article_text

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


@dataclass(frozen=True, slots=True)
class ArticleSource:
    label: str  # what the summary names: a path, path:line or URL
    load: Callable[[], Article]  # raises a KGError (ArticleError, FetchError) when it cannot


def failing(label: str, error: KGError) -> ArticleSource:
    def load() -> Article:
        raise error

    return ArticleSource(label, load)


def ready(label: str, article: Article) -> ArticleSource:
    return ArticleSource(label, lambda: article)


def url_article_id(url: str) -> str:
    """Stable id for a web article, so a page reached by URL or through a feed is one article."""
    return "url-" + hashlib.sha1(url.strip().encode("utf-8")).hexdigest()[:16]


def is_url(argument: str) -> bool:
    return argument.lower().startswith(("http://", "https://"))


class SourceResolver:
    """Resolves arguments with one HTTP client and the size/time limits from settings."""

    def __init__(self, settings: Settings | None = None, client: httpx.Client | None = None) -> None:
        self.settings = settings or get_settings()
        self._client = client or httpx.Client(
            follow_redirects=True, timeout=self.settings.fetch_timeout, headers={"User-Agent": USER_AGENT}
        )
        self._own_client = client is None

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def __enter__(self) -> SourceResolver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fetch(self, url: str) -> Fetched:
        # Feed entries load lazily, possibly after the resolver was closed: then use a fresh client.
        client = None if self._client.is_closed else self._client
        return fetch(url, self.settings.fetch_timeout, self.settings.fetch_max_bytes, client=client)

    # --- arguments -------------------------------------------------------------------------------

    def resolve(self, arguments: Iterable[str]) -> list[ArticleSource]:
        sources: list[ArticleSource] = []
        for argument in arguments:
            sources.extend(self.resolve_one(argument))
        return sources

    def resolve_one(self, argument: str) -> list[ArticleSource]:
        if is_url(argument):
            return self._url(argument)
        path = Path(argument)
        if path.is_dir():
            files = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in KNOWN_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            if not files:
                return [
                    failing(
                        argument,
                        InputError(
                            f"{argument}: no article files (*.txt, *.html, *.jsonl, *.rss) in this folder"
                        ),
                    )
                ]
            return [s for f in files for s in self._file(f)]
        if path.is_file():
            return self._file(path)
        return [failing(argument, InputError(f"{argument}: no such file, folder or http(s) URL"))]

    # --- files -----------------------------------------------------------------------------------

    def _file(self, path: Path) -> list[ArticleSource]:
        suffix = path.suffix.lower()
        limit = self.settings.max_article_bytes
        label = str(path)
        if suffix in HTML_SUFFIXES:
            return [ArticleSource(label, lambda: load_html_file(path, limit))]
        if suffix in JSONL_SUFFIXES:
            try:
                return [
                    failing(where, item) if isinstance(item, ArticleError) else ready(where, item)
                    for where, item in iter_jsonl(path, limit)
                ]
            except ArticleError as e:
                return [failing(label, e)]
        if suffix in FEED_SUFFIXES:
            try:
                content = path.read_bytes()
            except OSError as e:
                return [failing(label, ArticleError(f"{path}: cannot read ({e.strerror or e})"))]
            return self._feed(label, content)
        return [ArticleSource(label, lambda: load_text_file(path, limit))]

    # --- the web ---------------------------------------------------------------------------------

    def _url(self, url: str) -> list[ArticleSource]:
        try:
            page = self._fetch(url)
        except FetchError as e:
            return [failing(url, e)]
        if looks_like_feed(page.content_type, page.content) and "html" not in page.content_type:
            return self._feed(url, page.content)
        return [ArticleSource(url, lambda: self._article_from_page(page))]

    def _feed(self, label: str, content: bytes) -> list[ArticleSource]:
        try:
            entries = parse_feed(content, label)
        except FetchError as e:
            return [failing(label, e)]
        if not entries:
            return [failing(label, FetchError(f"{label}: the feed has no entries with a link"))]
        return [ArticleSource(entry.link, self._entry_loader(entry)) for entry in entries]

    def _entry_loader(self, entry: FeedEntry) -> Callable[[], Article]:
        def load() -> Article:
            article = self._article_from_page(self._fetch(entry.link))
            article.title = entry.title or article.title
            article.published = entry.published or article.published
            article.source = entry.feed_title or article.source
            return article

        return load

    def _article_from_page(self, page: Fetched) -> Article:
        doc_id = url_article_id(page.url)
        if page.content_type == "text/plain":
            article = parse_article_text(page.text(), doc_id)
            if not article.body.strip():
                raise ArticleError(f"{page.url}: no body text")
            article.url = article.url or page.final_url
            return article
        article = article_from_html(page.text(), doc_id, url=page.final_url, label=page.url)
        return article


def resolve_sources(arguments: Iterable[str], settings: Settings | None = None) -> list[ArticleSource]:
    with SourceResolver(settings) as resolver:
        return resolver.resolve(arguments)
