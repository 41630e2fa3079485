"""Plain-text articles with the spec's optional header block (``Key: value`` lines, then a blank line).

A missing or unparsable header is not an error: the whole file is then the body. Body offsets in
evidence refer to the returned ``Article.body``, exactly as the file has it after the header.
"""

from __future__ import annotations

import re
from pathlib import Path

from kg.errors import ArticleError
from kg.model import Article

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]{0,40}):[ \t]*(.*)$")
_KNOWN = {"title", "source", "url", "published", "licence", "license"}
_PUBLISHED = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?")


def parse_article_text(text: str, doc_id: str) -> Article:
    """Split header and body; keys are case-insensitive and unknown keys are kept as metadata."""
    text = text.lstrip("\ufeff")
    header: dict[str, str] = {}
    body = text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.strip() == "":
            if header:
                body = "\n".join(lines[i + 1 :])
            break
        m = _HEADER_LINE.match(line.rstrip("\r"))
        if not m:
            header = {}
            break
        header[m.group(1).strip().lower()] = m.group(2).strip()
    else:
        # header only, no blank line: nothing is body
        if header and all(_HEADER_LINE.match(x.rstrip("\r")) for x in lines if x.strip()):
            body = ""
    if header and not (set(header) & _KNOWN):
        header, body = {}, text  # "Key: value" lines that are not a header after all
    published = header.get("published")
    if published:
        m = _PUBLISHED.match(published)
        published = m.group(0) if m else None
    url = header.get("url")
    return Article(
        id=doc_id,
        body=body,
        title=header.get("title") or None,
        source=header.get("source") or None,
        url=url if url and url.lower() not in {"unknown", "n/a", "none"} else None,
        published=published,
        licence=header.get("licence") or header.get("license"),
        metadata={k: v for k, v in header.items() if k not in _KNOWN},
    )


def load_text_file(path: Path, max_bytes: int = 5_000_000) -> Article:
    """Read one article file, refusing what is not a text article with a clear message."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ArticleError(f"{path}: cannot read ({e.strerror or e})") from e
    if size == 0:
        raise ArticleError(f"{path}: empty file")
    if size > max_bytes:
        raise ArticleError(
            f"{path}: {size} bytes is larger than the {max_bytes}-byte limit (KG_MAX_ARTICLE_BYTES)"
        )
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{path}: binary file, not a text article")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ArticleError(f"{path}: not UTF-8 text (invalid byte at offset {e.start})") from e
    article = parse_article_text(text, path.stem.split(".")[0])
    if not article.body.strip():
        raise ArticleError(f"{path}: no body text after the header")
    return article
