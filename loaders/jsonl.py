"""JSON Lines article files: one object per line with id, title, url, source, published, text.

Each line is its own article, so one malformed line is one failure, not a failed file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import ArticleError
from kg.model import Article
from loaders.text import _PUBLISHED

_FIELDS = ("id", "title", "url", "source", "published", "text", "licence", "license", "body")


def article_from_record(record: Any, fallback_id: str, where: str, max_bytes: int = 5_000_000) -> Article:
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text", record.get("body"))
    if not isinstance(text, str) or not text.strip():
        raise ArticleError(f'{where}: missing or empty "text"')
    if len(text.encode("utf-8")) > max_bytes:
        raise ArticleError(f"{where}: text is larger than the {max_bytes}-byte limit (KG_MAX_ARTICLE_BYTES)")
    doc_id = record.get("id", fallback_id)
    if not isinstance(doc_id, str | int) or not str(doc_id).strip():
        raise ArticleError(f'{where}: "id" must be a non-empty string')
    published = record.get("published")
    if published is not None:
        m = _PUBLISHED.match(str(published))
        published = m.group(0) if m else None

    def opt(key: str) -> str | None:
        value = record.get(key)
        return str(value) if value not in (None, "") else None

    return Article(
        id=str(doc_id).strip(),
        body=text,
        title=opt("title"),
        source=opt("source"),
        url=opt("url"),
        published=published,
        licence=opt("licence") or opt("license"),
        metadata={
            k: str(v) for k, v in record.items() if k not in _FIELDS and isinstance(v, str | int | float)
        },
    )


def iter_jsonl(path: Path, max_bytes: int = 5_000_000) -> Iterator[tuple[str, Article | ArticleError]]:
    """(label, article or the error for that line) per non-blank line; file errors raise."""
    try:
        handle = path.open("r", encoding="utf-8")
    except OSError as e:
        raise ArticleError(f"{path}: cannot read ({e.strerror or e})") from e
    with handle:
        try:
            for lineno, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    record = json.loads(line)
                    yield where, article_from_record(record, f"{path.stem}-{lineno}", where, max_bytes)
                except json.JSONDecodeError as e:
                    yield where, ArticleError(f"{where}: invalid JSON ({e.msg} at column {e.colno})")
                except ArticleError as e:
                    yield where, e
        except UnicodeDecodeError as e:
            raise ArticleError(f"{path}: not UTF-8 text") from e
