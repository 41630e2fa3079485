"""RSS and Atom feeds: each entry's link is fetched and read like any HTML page."""

from __future__ import annotations

import time
from dataclasses import dataclass

import feedparser

from kg.errors import FetchError


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str | None
    published: str | None  # YYYY-MM-DD
    feed_title: str | None
    summary: str | None


def looks_like_feed(content_type: str, content: bytes) -> bool:
    if any(t in content_type for t in ("rss", "atom", "/xml", "+xml")):
        return True
    head = content[:1024].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")


def parse_feed(content: bytes, url: str) -> list[FeedEntry]:
    """Entries with a link; a document that is not a feed at all is a FetchError for that URL."""
    parsed = feedparser.parse(content)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = getattr(parsed.get("bozo_exception"), "args", [""])[0] if parsed.bozo else "no entries"
        raise FetchError(f"{url}: not a readable RSS/Atom feed ({reason})")
    feed_title = parsed.feed.get("title") or None
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", stamp) if stamp else None
        entries.append(
            FeedEntry(
                link=link,
                title=entry.get("title") or None,
                published=published,
                feed_title=feed_title,
                summary=entry.get("summary") or None,
            )
        )
    return entries
