"""Texts the benchmarks run on: the bundled sample articles, plus the full devset when it is there."""

from __future__ import annotations

from pathlib import Path

from kg.model import Article
from loaders.text import load_text_file

ROOT = Path(__file__).resolve().parent.parent
SHARED_DEVSET = ROOT.parent / "shared" / "devset"


def sample_articles(min_words: int = 0) -> list[Article]:
    """Sample articles, repeated (with distinct ids) until they hold at least ``min_words`` words."""
    paths = sorted((ROOT / "examples" / "articles").glob("*.txt"))
    if SHARED_DEVSET.is_dir():
        names = {p.name for p in paths}
        paths += [p for p in sorted(SHARED_DEVSET.glob("*.txt")) if p.name not in names]
    base = [load_text_file(p) for p in paths]
    out = list(base)
    words = sum(len(a.body.split()) for a in out)
    round_ = 1
    while words < min_words:
        for a in base:
            out.append(Article(id=f"{a.id}-r{round_}", body=a.body, title=a.title, source=a.source, url=a.url,
                               published=a.published, licence=a.licence, metadata=dict(a.metadata)))
            words += len(a.body.split())
        round_ += 1
    return out
