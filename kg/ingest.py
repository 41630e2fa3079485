"""Article sources in, graph out: load, extract and write each article on its own.

Every article is its own unit: a source that cannot be loaded, an extraction that fails or a write
the store refuses becomes one line in the summary, and the store's per-article transaction means a
failed article leaves nothing behind. Only a store that cannot be reached at all stops the run,
because then every remaining article would fail the same way.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from kg.errors import KGError, StoreUnavailableError
from kg.model import Article, ArticleExtraction
from kg.store.base import GraphStore
from kg.store.records import WriteResult
from loaders.detect import ArticleSource

# progress(done, total, label): called once per source when it has been handled (ok or failed).
Progress = Callable[[int, int, str], None]

_LOAD_THREADS = 8  # sources are I/O (files, HTTP): load a few at once
_WRITE_AHEAD = 8  # extracted articles that may wait for the writer (bounds memory)


class ExtractorLike(Protocol):
    def extract(self, article: Article) -> ArticleExtraction: ...

    def extract_many(self, articles: Sequence[Article], workers: int = 1) -> Iterable[ArticleExtraction]: ...


@dataclass(slots=True)
class IngestFailure:
    label: str  # path, path:line or URL
    stage: str  # "load" | "extract" | "write"
    message: str


@dataclass(slots=True)
class IngestSummary:
    written: list[WriteResult] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)
    entity_ids: set[str] = field(default_factory=set)
    fact_ids: set[str] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        return len(self.written)

    @property
    def entities(self) -> int:
        """Distinct entities the written articles mention."""
        return len(self.entity_ids)

    @property
    def relationships(self) -> int:
        """Distinct facts the written articles support."""
        return len(self.fact_ids)

    @property
    def evidence(self) -> int:
        return sum(w.evidence for w in self.written)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


def load_sources(sources: Sequence[ArticleSource]) -> Iterator[tuple[ArticleSource, Article | KGError]]:
    """(source, article or its error) in source order; loads overlap for network sources."""

    def attempt(source: ArticleSource) -> Article | KGError:
        try:
            return source.load()
        except KGError as e:
            return e

    if len(sources) <= 1:
        for source in sources:
            yield source, attempt(source)
        return
    with ThreadPoolExecutor(max_workers=min(_LOAD_THREADS, len(sources))) as pool:
        yield from zip(sources, pool.map(attempt, sources), strict=True)


def ingest(
    sources: Sequence[ArticleSource],
    store: GraphStore,
    extractor: ExtractorLike,
    workers: int = 1,
    progress: Progress | None = None,
) -> IngestSummary:
    """Load, extract and write every source; failures are collected, never raised (except store down)."""
    started = time.perf_counter()
    summary = IngestSummary()
    total = len(sources)
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, label)

    articles: list[tuple[ArticleSource, Article]] = []
    for source, loaded in load_sources(sources):
        if isinstance(loaded, KGError):
            summary.failures.append(IngestFailure(source.label, "load", str(loaded)))
            tick(source.label)
        else:
            articles.append((source, loaded))

    # Writes run on one writer thread while the next articles are extracted: the store waits on
    # the network, extraction on the CPU, so overlapping them hides most of the write time.
    pending: deque[tuple[ArticleSource, ArticleExtraction, Future[WriteResult]]] = deque()

    def settle(keep: int) -> None:
        while pending and (len(pending) > keep or pending[0][2].done()):
            source, extraction, future = pending.popleft()
            _record(source, extraction, future, summary)
            tick(source.label)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
        try:
            for source, _article, outcome in _extractions(articles, extractor, workers):
                if isinstance(outcome, Exception):
                    summary.failures.append(IngestFailure(source.label, "extract", _message(outcome)))
                    tick(source.label)
                    continue
                pending.append((source, outcome, writer.submit(store.write_article, outcome)))
                settle(_WRITE_AHEAD)
            settle(0)
        except StoreUnavailableError:
            for _, _, future in pending:
                future.cancel()
            raise
    summary.seconds = time.perf_counter() - started
    return summary


def _record(
    source: ArticleSource, extraction: ArticleExtraction, future: Future[WriteResult], summary: IngestSummary
) -> None:
    try:
        result = future.result()
    except StoreUnavailableError:
        raise
    except KGError as e:
        summary.failures.append(IngestFailure(source.label, "write", str(e)))
        return
    summary.written.append(result)
    summary.entity_ids.update(e.id for e in extraction.entities)
    summary.entity_ids.update(e.id for t in extraction.triples for e in (t.subject, t.object))
    summary.fact_ids.update(t.fact_id for t in extraction.triples)


def _extractions(
    articles: list[tuple[ArticleSource, Article]], extractor: ExtractorLike, workers: int
) -> Iterator[tuple[ArticleSource, Article, ArticleExtraction | Exception]]:
    """Extraction results in order; with workers > 1 the extractor's own parallel path is used.

    If the parallel path fails part-way, the remaining articles are extracted one by one so the
    failure is pinned on the article that caused it.
    """
    pending = list(articles)
    if workers > 1 and len(pending) > 1:
        by_id = {article.id: (source, article) for source, article in pending}
        handled: set[str] = set()
        try:
            for extraction in extractor.extract_many([a for _, a in pending], workers=workers):
                pair = by_id.get(extraction.article.id)
                if pair is None or extraction.article.id in handled:
                    continue
                handled.add(extraction.article.id)
                yield pair[0], pair[1], extraction
        except Exception:  # noqa: BLE001 - fall back to one-by-one to find the culprit
            pass
        pending = [(s, a) for s, a in pending if a.id not in handled]
    for source, article in pending:
        try:
            yield source, article, extractor.extract(article)
        except Exception as e:  # noqa: BLE001 - one article's extraction bug must not stop the run
            yield source, article, e


def _message(error: Exception) -> str:
    if isinstance(error, KGError):
        return str(error)
    return f"{error.__class__.__name__}: {error}"
