"""HTML pages (files or fetched URLs) to articles: trafilatura finds the body, title and date."""

from __future__ import annotations

import json
from pathlib import Path

import trafilatura

from kg.errors import ArticleError
from kg.model import Article
from loaders.text import _PUBLISHED


def article_from_html(html: str, doc_id: str, url: str | None = None, label: str | None = None) -> Article:
    """The main text of a page; a page with no extractable text is an ArticleError."""
    where = label or url or doc_id
    try:
        raw = trafilatura.extract(
            html,
            url=url,
            output_format="json",
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
        )
    except Exception as e:  # trafilatura raises assorted lxml/parser errors on broken input
        raise ArticleError(f"{where}: cannot parse HTML ({e.__class__.__name__}: {e})") from e
    if not raw:
        raise ArticleError(f"{where}: no article text found in the HTML")
    data = json.loads(raw)
    body = (data.get("raw_text") or data.get("text") or "").strip()
    if not body:
        raise ArticleError(f"{where}: no article text found in the HTML")
    date = data.get("date")
    published = None
    if date:
        m = _PUBLISHED.match(str(date))
        published = m.group(0) if m else None
    return Article(
        id=doc_id,
        body=data.get("text") or body,
        title=data.get("title") or None,
        source=data.get("sitename") or data.get("hostname") or None,
        url=url or data.get("url") or None,
        published=published,
        licence=data.get("license") or None,
    )


def load_html_file(path: Path, max_bytes: int = 5_000_000) -> Article:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ArticleError(f"{path}: cannot read ({e.strerror or e})") from e
    if size > max_bytes:
        raise ArticleError(
            f"{path}: {size} bytes is larger than the {max_bytes}-byte limit (KG_MAX_ARTICLE_BYTES)"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise ArticleError(f"{path}: empty file")
    return article_from_html(raw.decode("utf-8", errors="replace"), path.stem.split(".")[0], label=str(path))
