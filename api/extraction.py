"""The extractor the API uses (loaded once, lazily, shared by requests) and URL fetching."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from kg.errors import ExtractionError, FetchError, KGError
from kg.model import Article, ArticleExtraction
from kg.settings import Settings


class SupportsExtract(Protocol):
    def extract(self, article: Article) -> ArticleExtraction: ...


ExtractorFactory = Callable[[], SupportsExtract]


def default_extractor_factory() -> SupportsExtract:
    from kg.extract import Extractor  # type: ignore[attr-defined,unused-ignore]  # heavy: first POST only

    extractor: SupportsExtract = Extractor()
    return extractor


class ExtractorProvider:
    """One extractor per process, created on first use; a failed load is retried next time."""

    def __init__(self, factory: ExtractorFactory | None = None) -> None:
        self._factory = factory or default_extractor_factory
        self._extractor: SupportsExtract | None = None
        self._lock = threading.Lock()

    def get(self) -> SupportsExtract:
        if self._extractor is None:
            with self._lock:
                if self._extractor is None:
                    try:
                        self._extractor = self._factory()
                    except KGError:
                        raise
                    except Exception as e:
                        raise ExtractionError(f"cannot load the extractor: {e}") from e
        return self._extractor

    def extract(self, article: Article) -> ArticleExtraction:
        extractor = self.get()
        try:
            return extractor.extract(article)
        except KGError:
            raise
        except Exception as e:
            raise ExtractionError(f"extraction failed on article {article.id!r}: {e}") from e


def fetch_article(url: str, article_id: str | None, settings: Settings) -> Article:
    """Fetch a page and turn it into an Article with the project's loaders (plain text or HTML)."""
    from loaders.detect import url_article_id
    from loaders.fetch import fetch
    from loaders.html import article_from_html
    from loaders.text import parse_article_text

    try:
        page = fetch(url, timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes)
    except KGError:
        raise
    except Exception as e:  # e.g. httpx.InvalidURL, which is not an httpx.HTTPError
        raise FetchError(f"{url}: cannot fetch ({e.__class__.__name__}: {e})") from e
    doc_id = article_id or url_article_id(url)
    if page.content_type == "text/plain":
        article = parse_article_text(page.text(), doc_id)
        article.url = article.url or page.final_url
    else:
        article = article_from_html(page.text(), doc_id, url=page.final_url, label=url)
    return article
