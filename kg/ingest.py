"""Article sources in, graph out: load, extract and write each article on its own.

Every article is its own unit: a source that cannot be loaded, an extraction that fails or a write
the store refuses becomes one line in the summary, and transactions are all-or-nothing (one per
article, or one per group of articles that were ready together, retried one by one when the group
fails), so a failed article leaves nothing behind. Only a store that cannot be reached at all stops the run,
because then every remaining article would fail the same way.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
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
_WRITE_AHEAD = 16  # extracted articles that may wait for the writer (bounds memory)
_MAX_GROUP = 16  # articles written in one transaction at most


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
    writer = _GroupWriter(store)

    def record_written() -> None:
        for source, extraction, outcome in writer.finished():
            if isinstance(outcome, WriteResult):
                summary.written.append(outcome)
                summary.entity_ids.update(e.id for e in extraction.entities)
                summary.entity_ids.update(e.id for t in extraction.triples for e in (t.subject, t.object))
                summary.fact_ids.update(t.fact_id for t in extraction.triples)
            else:
                summary.failures.append(IngestFailure(source.label, "write", _message(outcome)))
            tick(source.label)

    try:
        for source, _article, outcome in _extractions(articles, extractor, workers):
            if isinstance(outcome, Exception):
                summary.failures.append(IngestFailure(source.label, "extract", _message(outcome)))
                tick(source.label)
            else:
                writer.submit(source, outcome)
            record_written()
    finally:
        writer.close()
    record_written()
    summary.seconds = time.perf_counter() - started
    return summary


_Done = tuple[ArticleSource, ArticleExtraction, "WriteResult | Exception"]


class _GroupWriter:
    """One background thread that writes what extraction hands it, in order.

    Articles that queued up while a write was under way go into the next transaction together
    (``write_articles`` where the store has it), so a slow store catches up instead of falling
    further behind. A group that fails is written again one article at a time, which pins the
    failure on its article and keeps the others. An unreachable store stops everything: it is
    raised from :meth:`submit` or :meth:`close`.
    """

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._inbox: queue.Queue[tuple[ArticleSource, ArticleExtraction] | None] = queue.Queue(_WRITE_AHEAD)
        self._outbox: queue.Queue[_Done] = queue.Queue()
        self._fatal: StoreUnavailableError | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="kg-writer", daemon=True)
        self._thread.start()

    def submit(self, source: ArticleSource, extraction: ArticleExtraction) -> None:
        if self._fatal is not None:
            raise self._fatal
        self._inbox.put((source, extraction))

    def finished(self) -> list[_Done]:
        out: list[_Done] = []
        while True:
            try:
                out.append(self._outbox.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._inbox.put(None)
            self._thread.join()
        if self._fatal is not None:
            raise self._fatal

    def _run(self) -> None:
        while True:
            item = self._inbox.get()
            if item is None:
                return
            if self._fatal is not None:
                continue  # drain what was queued so the producer never blocks
            group = [item]
            end = False
            while len(group) < _MAX_GROUP:
                try:
                    more = self._inbox.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    end = True
                    break
                group.append(more)
            try:
                for done in self._write(group):
                    self._outbox.put(done)
            except StoreUnavailableError as e:
                self._fatal = e
            if end:
                return

    def _write(self, group: list[tuple[ArticleSource, ArticleExtraction]]) -> list[_Done]:
        write_many = getattr(self._store, "write_articles", None)
        if write_many is not None and len(group) > 1:
            try:
                results = write_many([extraction for _, extraction in group])
                return [(s, e, r) for (s, e), r in zip(group, results, strict=True)]
            except StoreUnavailableError:
                raise
            except Exception:  # noqa: BLE001 - write them one by one to find the culprit
                pass
        out: list[_Done] = []
        for source, extraction in group:
            try:
                out.append((source, extraction, self._store.write_article(extraction)))
            except StoreUnavailableError:
                raise
            except Exception as e:  # noqa: BLE001 - one article's failure must not stop the others
                out.append((source, extraction, e))
        return out


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
